package scanner

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// qrImage renders text as go-qrcode does for badges: error correction M,
// quiet zone included, px pixels per module (a negative size in go-qrcode's
// terms).
func qrImage(tb testing.TB, text string, px int) *image.Paletted {
	tb.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		tb.Fatal(err)
	}
	return q.Image(-px).(*image.Paletted)
}

// paint draws code into a grey plane of the given stride with its top-left
// at (x0, y0): ink 30, paper 230, as a printed code under even light.
func paint(pix []byte, stride int, code *image.Paletted, x0, y0 int) {
	b := code.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			v := uint8(230)
			if code.ColorIndexAt(x, y) != 0 {
				v = 30
			}
			pix[(y0+y)*stride+x0+x] = v
		}
	}
}

// qrImageSize renders text at exactly size×size pixels, so modules come out
// uneven when size is not a multiple of the module count, as after camera
// scaling.
func qrImageSize(tb testing.TB, text string, size int) image.Image {
	tb.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		tb.Fatal(err)
	}
	return q.Image(size)
}

// invert makes a light-on-dark copy, as a phone in dark mode shows a code.
func invert(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			out.SetGray(x, y, color.Gray{Y: 255 - g.Y})
		}
	}
	return out
}

// cameraFrame imitates a 640×480 kiosk camera frame: a grey, noisy scene
// with some clutter, and the code at reduced contrast off-centre. The noise
// is seeded, so a failure reproduces.
func cameraFrame(tb testing.TB, text string) *image.RGBA {
	tb.Helper()
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(frame, frame.Bounds(), &image.Uniform{color.RGBA{150, 140, 130, 255}}, image.Point{}, draw.Src)
	// Clutter: a dark sleeve, a bright lanyard.
	draw.Draw(frame, image.Rect(0, 300, 200, 480), &image.Uniform{color.RGBA{30, 30, 50, 255}}, image.Point{}, draw.Src)
	draw.Draw(frame, image.Rect(420, 0, 440, 480), &image.Uniform{color.RGBA{220, 40, 40, 255}}, image.Point{}, draw.Src)

	code := qrImage(tb, text, 4)
	at := image.Pt(190, 70)
	cb := code.Bounds()
	for y := cb.Min.Y; y < cb.Max.Y; y++ {
		for x := cb.Min.X; x < cb.Max.X; x++ {
			v := uint8(215) // paper under hall light, not pure white
			if code.ColorIndexAt(x, y) != 0 {
				v = 45 // ink, not pure black
			}
			frame.SetRGBA(at.X+x, at.Y+y, color.RGBA{v, v, v - 10, 255})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(frame.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			v := int(frame.Pix[i+c]) + rng.IntN(41) - 20
			frame.Pix[i+c] = uint8(max(0, min(255, v)))
		}
	}
	return frame
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(tb testing.TB, img image.Image, quality int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// convert draws img into a fresh image of another type, to exercise each
// luminance path with the same picture.
func convert[T draw.Image](img image.Image, newImage func(image.Rectangle) T) T {
	out := newImage(img.Bounds())
	draw.Draw(out, img.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}

// workerGrey is img in the grey levels the kiosk's worker hands the
// scanner: (R + 2G + B) / 4 of each pixel (kiosk/web/kiosk/worker.js).
func workerGrey(img image.Image) *image.Gray {
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, img, b.Min, draw.Src)
	g := image.NewGray(b)
	for i := range g.Pix {
		p := rgba.Pix[4*i:]
		g.Pix[i] = byte((int(p[0]) + 2*int(p[1]) + int(p[2])) >> 2)
	}
	return g
}
