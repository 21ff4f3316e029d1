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
	// decode returns the text ("" when nothing decoded) and the time spent
	// decoding.
	decode func(path string, img image.Image) (string, time.Duration)
	// overhead is a command's fixed cost per run (start, read a blank
	// image), zero for in-process decoders.
	overhead time.Duration
}

func newDecoder(name string, repeat int) (decoder, error) {
	switch name {
	case "ours":
		return decoder{name: name, decode: inProcess(scanner.Decode, repeat)}, nil
	case "before":
		return decoder{name: name, decode: inProcess(decodeBefore, repeat)}, nil
	case "zbarimg":
		return command(name, "zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable")
	case "zxing":
		return command(name, "ZXingReader", "-format", "QRCode", "-bytes")
	}
	return decoder{}, fmt.Errorf("unknown decoder %q (ours, before, zbarimg, zxing)", name)
}

// inProcess times f on the decoded image, the fastest of repeat runs (f is
// deterministic, so every run gives the same text).
func inProcess(f func(image.Image) (string, error), repeat int) func(string, image.Image) (string, time.Duration) {
	return func(_ string, img image.Image) (string, time.Duration) {
		if img == nil {
			return "", 0
		}
		var text string
		var err error
		best := time.Duration(-1)
		for i := 0; i < repeat; i++ {
			start := time.Now()
			text, err = f(img)
			if d := time.Since(start); best < 0 || d < best {
				best = d
			}
		}
		if err != nil {
			return "", best
		}
		return text, best
	}
}

// command runs bin with args and the image path, taking its standard
// output as the text. A missing binary is an error, not a zero rate.
func command(name, bin string, args ...string) (decoder, error) {
	path, err := exec.LookPath(bin)
	if err != nil {
		return decoder{}, fmt.Errorf("%s: %w (zbarimg: apt-get install zbar-tools; ZXingReader: apt-get install zxing-cpp-tools)", name, err)
	}
	d := decoder{name: name}
	d.decode = func(file string, _ image.Image) (string, time.Duration) {
		start := time.Now()
		out, _ := exec.Command(path, append(args, file)...).Output()
		return strings.TrimRight(string(out), "\r\n"), time.Since(start)
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
