package main

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"huiwu/kiosk/scanner"
)

// decoder reads the QR code in one image file.
type decoder struct {
	name string
	// decode returns the texts of the codes read (none when nothing
	// decoded; before reads one, ours, ZXingReader and zbarimg every code
	// they find) and the time spent decoding.
	decode func(path string, img image.Image) ([]string, time.Duration)
	// overhead is a command's fixed cost per run (start, read a blank
	// image), zero for in-process decoders.
	overhead time.Duration
}

func newDecoder(name string, repeat int) (decoder, error) {
	switch name {
	case "ours":
		return decoder{name: name, decode: inProcessAll(scanner.DecodeAll, repeat)}, nil
	case "before":
		return decoder{name: name, decode: inProcess(decodeBefore, repeat)}, nil
	case "zbarimg":
		// --raw: each symbol's data on a line of its own.
		return command(name, lines, "zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable")
	case "zxing":
		// -1: one line per code, `FILE QRCode "TEXT"` (or `FILE None`).
		// -bytes would print every code's bytes run together. Otherwise
		// ZXingReader's defaults, its full effort: try harder, rotated and
		// downscaled images.
		return command(name, zxingLines, "ZXingReader", "-format", "QRCode", "-1")
	}
	return decoder{}, fmt.Errorf("unknown decoder %q (ours, before, zbarimg, zxing)", name)
}

// inProcess times f on the decoded image, the fastest of repeat runs (f is
// deterministic, so every run gives the same text).
func inProcess(f func(image.Image) (string, error), repeat int) func(string, image.Image) ([]string, time.Duration) {
	return inProcessAll(func(img image.Image) ([]string, error) {
		text, err := f(img)
		if err != nil || text == "" {
			return nil, err
		}
		return []string{text}, nil
	}, repeat)
}

// inProcessAll is inProcess for a decoder that returns every code's text.
func inProcessAll(f func(image.Image) ([]string, error), repeat int) func(string, image.Image) ([]string, time.Duration) {
	return func(_ string, img image.Image) ([]string, time.Duration) {
		if img == nil {
			return nil, 0
		}
		var texts []string
		var err error
		best := time.Duration(-1)
		for i := 0; i < repeat; i++ {
			start := time.Now()
			texts, err = f(img)
			if d := time.Since(start); best < 0 || d < best {
				best = d
			}
		}
		if err != nil {
			return nil, best
		}
		return texts, best
	}
}

// command runs bin with args and the image path, taking the texts that
// parse finds in its standard output. A missing binary is an error, not a
// zero rate.
func command(name string, parse func(file, out string) []string, bin string, args ...string) (decoder, error) {
	path, err := exec.LookPath(bin)
	if err != nil {
		return decoder{}, fmt.Errorf("%s: %w (zbarimg: apt-get install zbar-tools; ZXingReader: apt-get install zxing-cpp-tools)", name, err)
	}
	d := decoder{name: name}
	d.decode = func(file string, _ image.Image) ([]string, time.Duration) {
		start := time.Now()
		out, _ := exec.Command(path, append(args, file)...).Output()
		return parse(file, string(out)), time.Since(start)
	}
	// Fixed cost: the median of a few runs on a small blank PNG.
	blank := filepath.Join(os.TempDir(), "decoderate-blank.png")
	if err := os.WriteFile(blank, blankPNG, 0o644); err == nil {
		var runs []time.Duration
		for i := 0; i < 5; i++ {
			_, t := d.decode(blank, nil)
			runs = append(runs, t)
		}
		d.overhead = median(runs)
		os.Remove(blank)
	}
	return d, nil
}

// lines takes each non-empty line of out as one code's text.
func lines(_, out string) []string {
	var texts []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			texts = append(texts, l)
		}
	}
	return texts
}

// zxingLines reads ZXingReader -1's lines: `FILE QRCode "TEXT"` for each
// code, `FILE None` when there is none. A text with characters it escapes
// (non-graphical ones, in angle brackets) comes back escaped, so it counts
// as wrong if the expected text had them: none of the corpus's do.
func zxingLines(file, out string) []string {
	var texts []string
	for _, l := range lines(file, out) {
		rest, ok := strings.CutPrefix(l, file+" QRCode \"")
		if rest, ok2 := strings.CutSuffix(rest, "\""); ok && ok2 {
			texts = append(texts, rest)
		}
	}
	return texts
}

// decodeBefore is kiosk/scanner.Decode as it was before the preprocessing
// passes (commit 0a2d7e3 to e965dd6), kept here as the yardstick for them:
// the hybrid binarizer on the image and its inverse, then the global
// histogram binarizer on both.
func decodeBefore(img image.Image) (string, error) {
	var src gozxing.LuminanceSource
	if y, ok := img.(*image.YCbCr); ok && y.Rect.Min == (image.Point{}) && y.YStride == y.Rect.Dx() {
		// The scanner read JPEG frames' Y plane directly; so does this.
		s, err := gozxing.NewPlanarYUVLuminanceSource(y.Y, y.Rect.Dx(), y.Rect.Dy(), 0, 0, y.Rect.Dx(), y.Rect.Dy(), false)
		if err != nil {
			return "", err
		}
		src = s
	} else {
		src = gozxing.NewLuminanceSourceFromImage(img)
	}
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	reader := qrcode.NewQRCodeReader()
	inv := src.Invert()
	for _, bin := range []gozxing.Binarizer{
		gozxing.NewHybridBinarizer(src), gozxing.NewHybridBinarizer(inv),
		gozxing.NewGlobalHistgramBinarizer(src), gozxing.NewGlobalHistgramBinarizer(inv),
	} {
		bmp, err := gozxing.NewBinaryBitmap(bin)
		if err != nil {
			continue
		}
		if res, err := reader.Decode(bmp, hints); err == nil {
			return res.GetText(), nil
		}
	}
	return "", scanner.ErrNoCode
}

// blankPNG is a 16×16 white PNG.
var blankPNG = func() []byte {
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	encodePNG(&buf, img)
	return buf.Bytes()
}()
