package scanner

import (
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
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

// TestFindMatchesGozxing: find, which walks the rows' runs, finds what
// gozxing's FinderPatternFinder.Find (trying harder) finds, pattern for
// pattern (centre, module size, how often confirmed, in order) and the
// same three or an error, on the hybrid and inverse matrices of corpus
// frames of codes and of none, on crops of them (patterns cut at the
// frame's edges, a row ending on a pattern) and on noise.
func TestFindMatchesGozxing(t *testing.T) {
	classes := []string{"clean", "tilt", "rotate", "small", "noise", "moire", "badge", "nocode", "tiltx45", "tilty60", "invert", "px2", "blur2", "two", "nested", "v07"}
	var planes []plane
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 2, Classes: classes}, func(s corpus.Sample) error {
		planes = append(planes, luminance(s.Image))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		planes = append(planes, randomPlane(160+i*37, 120+i*11, uint64(i)))
	}
	rng := rand.New(rand.NewPCG(18, 45))
	var ms []*gozxing.BitMatrix
	for _, p := range planes {
		crops := []plane{p}
		for range 4 {
			x0, y0 := rng.IntN(p.w/3), rng.IntN(p.h/3)
			crops = append(crops, p.crop(image.Rect(x0, y0, x0+p.w/2+rng.IntN(p.w/2-x0), y0+p.h/2+rng.IntN(p.h/2-y0))))
		}
		for _, c := range crops {
			for _, inv := range []bool{false, true} {
				m, err := newHybrid(c, inv).GetBlackMatrix()
				if err != nil {
					t.Fatal(err)
				}
				ms = append(ms, m)
			}
		}
	}
	found := 0
	for n, m := range ms {
		want := detector.NewFinderPatternFinder(m, nil)
		wantInfo, wantErr := want.Find(hints)
		got, gotInfo, gotErr := find(m)
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("matrix %d: find error %v, gozxing's %v", n, gotErr, wantErr)
			continue
		}
		if !samePatterns(got.GetPossibleCenters(), want.GetPossibleCenters()) {
			t.Errorf("matrix %d: find's patterns %v, gozxing's %v", n, patternString(got.GetPossibleCenters()), patternString(want.GetPossibleCenters()))
			continue
		}
		if wantErr == nil {
			found++
			g := []*detector.FinderPattern{gotInfo.GetBottomLeft(), gotInfo.GetTopLeft(), gotInfo.GetTopRight()}
			w := []*detector.FinderPattern{wantInfo.GetBottomLeft(), wantInfo.GetTopLeft(), wantInfo.GetTopRight()}
			if !samePatterns(g, w) {
				t.Errorf("matrix %d: find chose %v, gozxing %v", n, patternString(g), patternString(w))
			}
		}
	}
	if found == 0 || found == len(ms) {
		t.Errorf("gozxing found three patterns in %d of %d matrices", found, len(ms))
	}
	t.Logf("three patterns in %d of %d matrices", found, len(ms))
}

func samePatterns(a, b []*detector.FinderPattern) bool {
	return slices.EqualFunc(a, b, func(p, q *detector.FinderPattern) bool {
		return p.GetX() == q.GetX() && p.GetY() == q.GetY() && p.GetEstimatedModuleSize() == q.GetEstimatedModuleSize() && p.GetCount() == q.GetCount()
	})
}

func patternString(ps []*detector.FinderPattern) string {
	s := ""
	for _, p := range ps {
		s += fmt.Sprintf(" (%.1f %.1f %.2f ×%d)", p.GetX(), p.GetY(), p.GetEstimatedModuleSize(), p.GetCount())
	}
	return s
}
