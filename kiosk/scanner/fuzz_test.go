package scanner

import (
	"errors"
	"image"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Fuzz limits: small, so each run is quick and a mutation that declares a big
// image is refused instead of decoded.
const (
	fuzzMaxBytes  = 64 << 10
	fuzzMaxPixels = 128 * 128
)

// FuzzDecodeBytes feeds arbitrary bytes to DecodeBytes, as the decode
// endpoint gets from any client. The committed corpus in
// testdata/fuzz/FuzzDecodeBytes holds a small PNG, GIF and JPEG of a code and
// a PNG header declaring a huge image; the seeds below add fresh renderings.
//
// Properties: no panic (Decode turns a gozxing panic into ErrNoCode so the
// kiosk keeps scanning; the fuzzer fails on those too, by their message),
// errors are one of the three sentinels, and a success returns text.
func FuzzDecodeBytes(f *testing.F) {
	small := qrImage(f, "HW1:ABC", 2)
	f.Add(encodePNG(f, small))
	f.Add(encodeGIF(f, small))
	f.Add(encodeJPEG(f, small, 60))
	f.Add(encodePNG(f, invert(small)))
	f.Add(pngHeader(1<<16, 1<<16))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := DecodeBytes(data, fuzzMaxBytes, fuzzMaxPixels)
		switch {
		case err == nil:
			if text == "" {
				t.Fatal("DecodeBytes succeeded with empty text")
			}
		case errors.Is(err, ErrNoCode), errors.Is(err, ErrTooLarge), errors.Is(err, ErrFormat):
			if strings.Contains(err.Error(), "decoder panic") {
				t.Fatalf("gozxing panicked: %v", err)
			}
		default:
			t.Fatalf("DecodeBytes error %v is none of the sentinels", err)
		}
	})
}

// TestDecodeOddBounds: images whose bounds do not start at the origin or are
// degenerate reach the luminance code paths without panicking.
func TestDecodeOddBounds(t *testing.T) {
	code := qrImage(t, "HELLO", 3)
	shifted := convert(code, image.NewRGBA)
	shifted.Rect = shifted.Rect.Add(image.Pt(-50, 1000)) // same pixels, moved
	for name, img := range map[string]image.Image{
		"negative origin": shifted,
		"one row":         image.NewGray(image.Rect(0, 0, 500, 1)),
		"one column":      image.NewYCbCr(image.Rect(0, 0, 1, 500), image.YCbCrSubsampleRatio420),
		"inverted rect":   &image.NRGBA{Rect: image.Rectangle{Min: image.Pt(10, 10), Max: image.Pt(5, 5)}},
		"empty palette":   image.NewPaletted(image.Rect(0, 0, 30, 30), nil),
	} {
		got, err := Decode(img)
		if name == "negative origin" {
			if err != nil || got != "HELLO" {
				t.Errorf("%s: Decode = %q, %v", name, got, err)
			}
		} else if !errors.Is(err, ErrNoCode) {
			t.Errorf("%s: Decode = %q, %v; want ErrNoCode", name, got, err)
		}
	}
}

// TestBuildsForWasm: the kiosk runs this package in the browser, so it must
// build for js/wasm and pull in no process, network or cgo machinery.
func TestBuildsForWasm(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	env := append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goBin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("build", ".")
	for _, dep := range strings.Fields(run("list", "-deps", ".")) {
		switch dep {
		case "os/exec", "net", "runtime/cgo":
			t.Errorf("js/wasm build depends on %s", dep)
		}
	}
	// fmt and gozxing bring os along, so the direct imports show intent.
	for _, imp := range strings.Fields(run("list", "-f", "{{join .Imports \" \"}}", ".")) {
		switch imp {
		case "os", "syscall", "time", "unsafe", "net", "os/exec":
			t.Errorf("package imports %s directly", imp)
		}
	}
}
