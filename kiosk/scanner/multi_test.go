package scanner

import (
	"image"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"huiwu/kiosk/scanner/corpus"
)

// TestSeveralCodes (issue 18): a badge beside a poster's code, and a badge
// printed inside a larger code (corpus classes two and nested, tuning
// seed). DecodeAll returns every code in the frame and nothing else, and
// Decode the badge's: gozxing's reader alone took a trio of finder
// patterns from both codes side by side and read neither, and of nested
// codes read only the outer one.
func TestSeveralCodes(t *testing.T) {
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 4, Classes: []string{"two", "nested"}}, func(s corpus.Sample) error {
		texts, err := DecodeAll(s.Image)
		if err != nil {
			t.Errorf("%s (%s): %v", s.Name, s.Params, err)
			return nil
		}
		for _, text := range texts {
			if !slices.Contains(s.Texts, text) {
				t.Errorf("%s: misread %q", s.Name, text)
			}
		}
		if len(texts) != len(s.Texts) {
			t.Errorf("%s (%s): read %d of its %d codes: %q", s.Name, s.Params, len(texts), len(s.Texts), texts)
		}
		if text, err := Decode(s.Image); err != nil || text != s.Text {
			t.Errorf("%s (%s): Decode = %.20q, %v; want the badge's", s.Name, s.Params, text, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOneCodeOneText: a frame with one code gives its text once, though
// the search for other codes finds that code's finder patterns again.
func TestOneCodeOneText(t *testing.T) {
	tok, _ := testToken(t)
	if texts, err := DecodeAll(cameraFrame(t, tok)); err != nil || !slices.Equal(texts, []string{tok}) {
		t.Fatalf("DecodeAll = %q, %v", texts, err)
	}
}

// TestBlurredBadgeBesidePoster: the first pass reads a sharp poster's code
// and sees two finder patterns of a blurred badge beside it, which only the
// sharpened view reads. The passes go on until it does, rather than stop
// at the poster.
func TestBlurredBadgeBesidePoster(t *testing.T) {
	tok, _ := testToken(t)
	const poster = "https://expo.example.cn/floor-plan?hall=2&from=poster-17"
	frame := plane{pix: make([]byte, 640*480), w: 640, h: 480}
	for i := range frame.pix {
		frame.pix[i] = 200
	}
	paint(frame.pix, frame.w, qrImage(t, poster, 4), 10, 100)
	badge := plane{pix: slices.Clone(frame.pix), w: 640, h: 480}
	paint(badge.pix, badge.w, qrImage(t, tok, 4), 330, 100)
	for range 5 {
		badge = badge.boxBlur(1)
	}
	for y := 0; y < frame.h; y++ {
		copy(frame.pix[y*640+320:(y+1)*640], badge.pix[y*640+320:(y+1)*640])
	}
	img := &image.Gray{Pix: frame.pix, Stride: frame.w, Rect: image.Rect(0, 0, frame.w, frame.h)}
	texts, err := DecodeAll(img)
	if err != nil || len(texts) != 2 || !slices.Contains(texts, tok) || !slices.Contains(texts, poster) {
		t.Fatalf("DecodeAll = %.20q, %v; want the poster's and the badge's", texts, err)
	}
	if text, _ := Decode(img); text != tok {
		t.Fatalf("Decode = %.20q, want the badge's", text)
	}
}

// TestMayFind: where mayFind says gozxing's finder would find nothing, it
// finds nothing, on the hybrid and inverse matrices of corpus frames (of
// codes and of none) and of noise; and mayFind does pass frames with a
// code.
func TestMayFind(t *testing.T) {
	var planes []plane
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 3, Classes: []string{"clean", "nocode", "tiltx45", "invert", "px2", "blur2"}}, func(s corpus.Sample) error {
		planes = append(planes, luminance(s.Image))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		planes = append(planes, randomPlane(160+i*37, 120+i*11, uint64(i)))
	}
	passed := 0
	for i, p := range planes {
		for _, inv := range []bool{false, true} {
			m, err := newHybrid(p, inv).GetBlackMatrix()
			if err != nil {
				t.Fatal(err)
			}
			f := detector.NewFinderPatternFinder(m, nil)
			_, ferr := f.Find(hints)
			if mayFind(m) {
				passed++
			} else if ferr == nil || len(f.GetPossibleCenters()) > 0 {
				t.Errorf("plane %d (inverse %v): mayFind false, but the finder found %d centres (%v)", i, inv, len(f.GetPossibleCenters()), ferr)
			}
		}
	}
	if passed == 0 || passed == 2*len(planes) {
		t.Errorf("mayFind passed %d of %d matrices", passed, 2*len(planes))
	}
	t.Logf("mayFind passed %d of %d matrices", passed, 2*len(planes))
}
