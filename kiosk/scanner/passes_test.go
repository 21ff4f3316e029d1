package scanner

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"huiwu/kiosk/scanner/corpus"
)

func randomPlane(w, h int, seed uint64) plane {
	rng := rand.New(rand.NewPCG(seed, 9))
	p := plane{pix: make([]byte, w*h), w: w, h: h}
	for i := range p.pix {
		p.pix[i] = byte(rng.IntN(256))
	}
	return p
}

// TestBoxBlur compares the running-sum blur with a direct mean, rounded
// half up, including windows wider than the plane.
func TestBoxBlur(t *testing.T) {
	for _, c := range []struct{ w, h, r int }{{37, 23, 1}, {37, 23, 2}, {64, 48, 16}, {5, 40, 9}, {1, 1, 3}} {
		p := randomPlane(c.w, c.h, uint64(c.r))
		got := p.boxBlur(c.r)
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				var sum, n int
				for yy := max(y-c.r, 0); yy <= min(y+c.r, p.h-1); yy++ {
					for xx := max(x-c.r, 0); xx <= min(x+c.r, p.w-1); xx++ {
						sum += int(p.pix[yy*p.w+xx])
						n++
					}
				}
				if want := byte((sum + n/2) / n); got.pix[y*p.w+x] != want {
					t.Fatalf("%dx%d r=%d at (%d,%d): %d, want %d", c.w, c.h, c.r, x, y, got.pix[y*p.w+x], want)
				}
			}
		}
	}
}

// TestSharpen: the unsharp mask made row by row with the blur is the
// frame plus amount/4 of its difference from the box mean, clamped.
func TestSharpen(t *testing.T) {
	for _, c := range []struct{ w, h, r, amount int }{{37, 23, 1, 6}, {64, 48, 2, 12}, {5, 40, 1, 6}, {1, 1, 2, 12}} {
		p := randomPlane(c.w, c.h, uint64(c.amount))
		blur, got := p.boxBlur(c.r), p.sharpen(c.r, c.amount)
		for i, v := range p.pix {
			want := min(max(int(v)+(int(v)-int(blur.pix[i]))*c.amount/4, 0), 255)
			if int(got.pix[i]) != want {
				t.Fatalf("%dx%d r=%d amount %d at %d: %d, want %d", c.w, c.h, c.r, c.amount, i, got.pix[i], want)
			}
		}
	}
}

// TestDouble compares the integer upscaler with bilinear interpolation in
// floating point (edges clamped), within rounding.
func TestDouble(t *testing.T) {
	p := randomPlane(17, 11, 1)
	d := p.double()
	if d.w != 34 || d.h != 22 {
		t.Fatalf("size %dx%d", d.w, d.h)
	}
	at := func(x, y int) float64 {
		return float64(p.pix[min(max(y, 0), p.h-1)*p.w+min(max(x, 0), p.w-1)])
	}
	for y := 0; y < d.h; y++ {
		for x := 0; x < d.w; x++ {
			sx, sy := float64(x)/2-0.25, float64(y)/2-0.25
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			want := (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
			if got := float64(d.pix[y*d.w+x]); math.Abs(got-want) > 0.51 {
				t.Fatalf("(%d,%d): %v, want %.2f", x, y, got, want)
			}
		}
	}
}

// TestHalf: each pixel is its 2×2 block's mean (four at a time, and the
// rest of a row one by one); an odd last row and column are dropped.
func TestHalf(t *testing.T) {
	p := randomPlane(21, 7, 2)
	h := p.half()
	if h.w != 10 || h.h != 3 {
		t.Fatalf("size %dx%d", h.w, h.h)
	}
	for y := 0; y < h.h; y++ {
		for x := 0; x < h.w; x++ {
			s := int(p.pix[2*y*21+2*x]) + int(p.pix[2*y*21+2*x+1]) + int(p.pix[(2*y+1)*21+2*x]) + int(p.pix[(2*y+1)*21+2*x+1])
			if got := h.pix[y*h.w+x]; got != byte((s+2)/4) {
				t.Fatalf("(%d,%d): %d, want %d", x, y, got, (s+2)/4)
			}
		}
	}
}

// TestAdaptiveReadsFaintCode: a code whose ink and paper differ by 12 grey
// levels, in a 640×480 frame under a light gradient. gozxing's hybrid
// binarizer sees only flat blocks there; the adaptive one thresholds each
// pixel against its surroundings and the code reads.
//
// The window (a thirtieth of the short side) must be wider than a finder
// pattern's 3×3-module core, or the core's middle comes out light: fine for
// codes of up to about ten pixels a module in a camera frame, and larger
// ones have the contrast the hybrid binarizer wants.
func TestAdaptiveReadsFaintCode(t *testing.T) {
	tok, _ := testToken(t)
	code := qrImage(t, tok, 4)
	cb := code.Bounds()
	p := plane{pix: make([]byte, 640*480), w: 640, h: 480}
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			v := 60 + 80*x/p.w // the gradient
			cx, cy := x-200, y-100
			if image.Pt(cx, cy).In(cb) && code.ColorIndexAt(cx, cy) != 0 {
				v -= 12
			}
			p.pix[y*p.w+x] = byte(v)
		}
	}
	reader := qrcode.NewQRCodeReader()
	decode := func(bin gozxing.Binarizer) (string, error) {
		bmp, _ := gozxing.NewBinaryBitmap(bin)
		res, err := reader.Decode(bmp, hints)
		if err != nil {
			return "", err
		}
		return res.GetText(), nil
	}
	if text, err := decode(gozxing.NewHybridBinarizer(p.source())); err == nil {
		t.Logf("the hybrid binarizer read it too (%q): the test no longer shows the difference", text)
	}
	text, err := decode(newAdaptive(p, p.boxBlur(adaptiveRadius(p)), 2))
	if err != nil || text != tok {
		t.Fatalf("adaptive: %q, %v", text, err)
	}
	if got, err := Decode(&image.Gray{Pix: p.pix, Stride: p.w, Rect: image.Rect(0, 0, p.w, p.h)}); err != nil || got != tok {
		t.Fatalf("Decode: %q, %v", got, err)
	}
}

// TestRedetectSteepTilt: corpus sample tilt-016 (28°) is found by gozxing's
// detector but misjudged in size, so its reader fails on every binarization
// of it; redetect tries the neighbouring sizes and reads it.
func TestRedetectSteepTilt(t *testing.T) {
	var sample corpus.Sample
	err := corpus.Generate(corpus.Config{Seed: 1, First: 16, PerClass: 1, Classes: []string{"tilt"}}, func(s corpus.Sample) error {
		sample = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	a := newAttempt(luminance(sample.Image))
	a.view(viewSharp)
	bmp, _ := gozxing.NewBinaryBitmap(a.binarizer(viewSharp, adaptive))
	if _, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
		t.Log("gozxing's own detector now reads this sample: the test no longer shows redetect's worth")
	}
	m, _ := bmp.GetBlackMatrix()
	if text, _, ok := redetect(m); !ok || text != sample.Text {
		t.Fatalf("redetect = %q, %v", text, ok)
	}
}

// TestWorkBudget: a clean frame costs one pass; a frame without a code
// stops within the budget (overspending by at most one redetect).
func TestWorkBudget(t *testing.T) {
	tok, _ := testToken(t)
	a := newAttempt(luminance(qrImage(t, tok, 4)))
	start := a.left
	if texts := a.run(); len(texts) != 1 || texts[0] != tok {
		t.Fatalf("clean code: %q", texts)
	}
	if spent := start - a.left; spent != a.work.w*a.work.h {
		t.Errorf("clean code cost %d units, want one pass (%d)", spent, a.work.w*a.work.h)
	}

	frame := cameraFrame(t, tok).SubImage(image.Rect(0, 0, 180, 480)) // no code in it
	a = newAttempt(luminance(frame))
	if texts := a.run(); texts != nil {
		t.Fatalf("read %q in a frame without a code", texts)
	}
	if a.left < -a.work.w*a.work.h {
		t.Errorf("overspent: %d units left", a.left)
	}
}

// TestLargePhoto: a 3200×2400 phone photo is halved twice before the
// passes; a code too small to survive that is still read by the last tries
// at the larger sizes (3 px modules at full size, 6 at half).
func TestLargePhoto(t *testing.T) {
	tok, _ := testToken(t)
	for _, px := range []int{24, 6, 3} {
		code := qrImage(t, tok, px)
		img := image.NewGray(image.Rect(0, 0, 3200, 2400))
		for i := range img.Pix {
			img.Pix[i] = 150
		}
		paint(img.Pix, img.Stride, code, 900, 700)
		if got, err := Decode(img); err != nil || got != tok {
			t.Errorf("%d px modules in a 3200×2400 photo: %q, %v", px, got, err)
		}
	}
}

// TestNoCodeFrameStopsAtLook: most camera frames with a printed card and
// no code (the kiosk's usual frame) show no finder pattern at any scale
// and cost the two look passes, not the whole budget (all of them did
// before the look); the fallbacks run only for frames that show one (the
// corpus floors guard the reads). 11 of the 20 stopped while the look
// sharpened the whole frame, 17 with it sharpened only around closed
// patterns (crispFinders; at the held-out seed 11 and 18).
func TestNoCodeFrameStopsAtLook(t *testing.T) {
	stopped := noCodeStops(t, func(s corpus.Sample) (image.Image, error) { return s.Image, nil })
	if stopped < 16 {
		t.Errorf("%d of 20 frames without a code stopped at the look, want 16 or more", stopped)
	}
}

// noCodeStops decodes the tuning seed's 20 frames without a code, each as
// frame gives it, and counts those that stopped after the look passes; a
// text read from any of them is an error.
func noCodeStops(t *testing.T, frame func(corpus.Sample) (image.Image, error)) int {
	t.Helper()
	stopped := 0
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 20, Classes: []string{"nocode"}}, func(s corpus.Sample) error {
		img, err := frame(s)
		if err != nil {
			return err
		}
		a := newAttempt(luminance(img))
		start := a.left
		if texts := a.run(); texts != nil {
			t.Errorf("%s: read %q in a frame without a code", s.Name, texts)
		}
		if start-a.left <= lookPasses*a.work.w*a.work.h {
			stopped++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return stopped
}

// TestNoCodeJPEGStopsAtLook: the same frames as a camera hands them over
// (JPEG), in the kiosk worker's grey, show print that passes findFinders'
// loose tolerances on a row or two of a tall candidate; such a lone candidate, confirmed on few of the
// rows through it (confirmed), no longer sends the frame through every
// fallback pass (10–18 ms each). 15 of the 20 stopped before, 16 with
// confirmed, 18 with the sharpened look made in windows (at the held-out
// seed 15, 17, 17).
func TestNoCodeJPEGStopsAtLook(t *testing.T) {
	stopped := noCodeStops(t, func(s corpus.Sample) (image.Image, error) {
		img, err := jpeg.Decode(bytes.NewReader(s.JPEG))
		if err != nil {
			return nil, err
		}
		return workerGrey(img), nil
	})
	if stopped < 17 {
		t.Errorf("%d of 20 JPEG frames without a code stopped at the look, want 17 or more", stopped)
	}
}
