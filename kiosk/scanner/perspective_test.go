package scanner

import (
	"math"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	qrcode "github.com/skip2/go-qrcode"

	"huiwu/kiosk/scanner/corpus"
)

// tiltH is a true-perspective view of a dim-module code: the code's top
// edge recedes, so the top is narrower than the bottom (width top/bottom =
// shrink) and the code is squashed vertically to squash of its width, as a
// code turned about the x axis by some 60° looks.
func tiltH(t *testing.T, dim int, shrink, squash float64) homography {
	t.Helper()
	d := float64(dim)
	const bottom = 300.0
	top := bottom * shrink
	cx := 320.0
	src := []pt{{0, 0}, {d, 0}, {d, d}, {0, d}}
	dst := []pt{{cx - top/2, 100}, {cx + top/2, 100}, {cx + bottom/2, 100 + bottom*squash}, {cx - bottom/2, 100 + bottom*squash}}
	h, ok := fitHomography(src, dst)
	if !ok {
		t.Fatal("fitHomography failed on a square's corners")
	}
	return h
}

// renderBits draws modules (true black, quiet zone outside) into a 640×480
// bit matrix through h (module coordinates to pixels).
func renderBits(t *testing.T, bits [][]bool, h homography) *gozxing.BitMatrix {
	t.Helper()
	d := float64(len(bits))
	inv, ok := fitHomography(
		[]pt{h.apply(pt{0, 0}), h.apply(pt{d, 0}), h.apply(pt{d, d}), h.apply(pt{0, d})},
		[]pt{{0, 0}, {d, 0}, {d, d}, {0, d}})
	if !ok {
		t.Fatal("no inverse")
	}
	m, _ := gozxing.NewBitMatrix(640, 480)
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			p := inv.apply(pt{float64(x) + 0.5, float64(y) + 0.5})
			i, j := int(math.Floor(p.x)), int(math.Floor(p.y))
			if i >= 0 && j >= 0 && i < len(bits) && j < len(bits) && bits[j][i] {
				m.Set(x, y)
			}
		}
	}
	return m
}

// codeBits is a code's modules without go-qrcode's quiet zone.
func codeBits(t *testing.T, text string) [][]bool {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	q.DisableBorder = true
	return q.Bitmap()
}

// tiltedCode draws a version-3 badge-like code through tiltH and returns
// its size, the homography and the bit matrix.
func tiltedCode(t *testing.T, shrink, squash float64) (int, homography, *gozxing.BitMatrix) {
	bits := codeBits(t, "HW1:3HFDXCANMRSW23ZNGIYDENRRGEZDNPRA32WQNV2MD5FCYV6H67")
	h := tiltH(t, len(bits), shrink, squash)
	return len(bits), h, renderBits(t, bits, h)
}

func TestFitHomography(t *testing.T) {
	want := homography{2.1, 0.3, 100, -0.2, 1.4, 50, 0.004, -0.002}
	var src, dst []pt
	for _, p := range []pt{{0, 0}, {40, 0}, {0, 40}, {40, 40}, {7, 7}, {33, 7}, {7, 33}} {
		src = append(src, p)
		dst = append(dst, want.apply(p))
	}
	got, ok := fitHomography(src, dst)
	if !ok {
		t.Fatal("not ok")
	}
	if r := got.residual(src, dst); r > 1e-6 {
		t.Errorf("residual %g px", r)
	}
	if _, ok := fitHomography([]pt{{0, 0}, {1, 1}, {2, 2}, {3, 3}}, []pt{{0, 0}, {1, 1}, {2, 2}, {3, 3}}); ok {
		t.Error("fitted a homography to four points on a line")
	}
}

// TestFindFindersForeshortened: a finder pattern twice as tall as wide (a
// code turned 60° about the vertical axis) is found by findFinders, and
// not by gozxing's finder, whose column check compares the column's run
// total with the row's.
func TestFindFindersForeshortened(t *testing.T) {
	bits := codeBits(t, "HW1:FORESHORTENED")
	d := float64(len(bits))
	// 3 px a module across, 6 down, face-on otherwise.
	h, _ := fitHomography([]pt{{0, 0}, {d, 0}, {d, d}, {0, d}}, []pt{{250, 60}, {250 + 3*d, 60}, {250 + 3*d, 60 + 6*d}, {250, 60 + 6*d}})
	m := renderBits(t, bits, h)
	fs := findFinders(m, 1)
	for _, c := range []pt{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}} {
		want := h.apply(c)
		found := false
		for _, f := range fs {
			if math.Hypot(f.x-want.x, f.y-want.y) < 2 {
				found = true
				if math.Abs(f.mx-3) > 0.6 || math.Abs(f.my-6) > 1 {
					t.Errorf("pattern at %.0f,%.0f: module %.1f×%.1f px, want 3×6", f.x, f.y, f.mx, f.my)
				}
			}
		}
		if !found {
			t.Errorf("no finder pattern at %.1f,%.1f (found %v)", want.x, want.y, fs)
		}
	}
	if _, err := detector.NewFinderPatternFinder(m, nil).Find(hints); err == nil {
		t.Log("gozxing's finder found the patterns too")
	}
}

// TestFinderCornersAndFourthCorner: the outer corners of a tilted code's
// finder patterns are measured to within a pixel, and the homography fitted
// to those twelve corners puts the code's fourth corner (which has no
// finder pattern) within a module of the truth, where the parallelogram of
// the three centres misses it by several.
func TestFinderCornersAndFourthCorner(t *testing.T) {
	dim, h, m := tiltedCode(t, 0.6, 0.45)
	d := float64(dim)
	var src, dst []pt
	for _, o := range []pt{{0, 0}, {d - 7, 0}, {0, d - 7}} {
		c := h.apply(pt{o.x + 3.5, o.y + 3.5})
		mx := h.apply(pt{o.x + 4, o.y + 3.5}).x - h.apply(pt{o.x + 3, o.y + 3.5}).x
		my := h.apply(pt{o.x + 3.5, o.y + 4}).y - h.apply(pt{o.x + 3.5, o.y + 3}).y
		corners, ok := finderCorners(m, finder{x: c.x, y: c.y, mx: mx, my: my})
		if !ok {
			t.Fatalf("no corners for the pattern at %v", o)
		}
		for _, q := range []pt{{0, 0}, {7, 0}, {7, 7}, {0, 7}} {
			want := h.apply(pt{o.x + q.x, o.y + q.y})
			best := math.Inf(1)
			for _, g := range corners {
				best = min(best, math.Hypot(g.x-want.x, g.y-want.y))
			}
			if best > 1.2 {
				t.Errorf("pattern at %v: corner %v is %.1f px from the nearest found (%v)", o, q, best, corners)
			}
			src = append(src, pt{o.x + q.x, o.y + q.y})
			dst = append(dst, want)
		}
	}
	// The fit itself, from the measured corners, is checked end to end by
	// TestReadTiltedSynthetic; here from exact corners with a pixel of
	// error added, as finderCorners leaves.
	for i := range dst {
		dst[i].x += float64(i%3) - 1
		dst[i].y += float64(i%2)*2 - 1
	}
	g, ok := fitHomography(src, dst)
	if !ok {
		t.Fatal("no fit")
	}
	truth := h.apply(pt{d, d})
	got := g.apply(pt{d, d})
	module := math.Hypot(h.apply(pt{d, d}).x-h.apply(pt{d - 1, d}).x, 0)
	if e := math.Hypot(got.x-truth.x, got.y-truth.y); e > module {
		t.Errorf("fourth corner %.1f px off, more than a module (%.1f px)", e, module)
	}
	para := pt{h.apply(pt{d, 0}).x - h.apply(pt{0, 0}).x + h.apply(pt{0, d}).x, h.apply(pt{d, 0}).y - h.apply(pt{0, 0}).y + h.apply(pt{0, d}).y}
	if e := math.Hypot(para.x-truth.x, para.y-truth.y); e < 3*module {
		t.Errorf("the parallelogram's corner is only %.1f px off: the test's tilt is too weak to tell", e)
	}
}

// TestFindAlignmentNear: the alignment pattern of a steeply tilted code is
// found from a grid that puts it three modules off, and refitting with it
// brings the far corner in.
func TestFindAlignmentNear(t *testing.T) {
	dim, h, m := tiltedCode(t, 0.55, 0.4)
	d := float64(dim)
	// A grid that is right at three corners and puts the fourth corner
	// three modules out, as a fit to finder corners measured a pixel or
	// two off can.
	br := h.apply(pt{d + 3, d - 3})
	off, ok := fitHomography([]pt{{0, 0}, {d, 0}, {0, d}, {d, d}},
		[]pt{h.apply(pt{0, 0}), h.apply(pt{d, 0}), h.apply(pt{0, d}), br})
	if !ok {
		t.Fatal("no grid")
	}
	a := pt{d - 6.5, d - 6.5}
	back, _ := fitHomography([]pt{off.apply(pt{0, 0}), off.apply(pt{d, 0}), off.apply(pt{0, d}), off.apply(pt{d, d})}, []pt{{0, 0}, {d, 0}, {0, d}, {d, d}})
	t.Logf("dim %d: the grid puts the alignment pattern at %v, not %v", dim, back.apply(h.apply(a)), a)
	p, ok := findAlignmentNear(m, off, a, 4)
	if !ok {
		t.Fatal("alignment pattern not found")
	}
	want := h.apply(a)
	module := h.apply(pt{d - 6, d - 6.5}).x - want.x
	if e := math.Hypot(p.x-want.x, p.y-want.y); e > module/2 {
		t.Errorf("alignment pattern found %.1f px off (module %.1f px)", e, module)
	}
}

// TestFindAlignmentNearLattice: findAlignmentNear, which samples a
// lattice of quarter modules once, finds what sampling the picture at
// every offset on its own finds (alignmentNearEach), to the bit, on tilted
// codes seen through grids that are right and grids several modules off,
// at both radii refineWithAlignment uses, the picture partly outside the
// image too.
func TestFindAlignmentNearLattice(t *testing.T) {
	found, tries := 0, 0
	for _, tilt := range [][2]float64{{0.55, 0.4}, {0.8, 0.7}, {1, 1}, {0.4, 0.3}} {
		dim, h, m := tiltedCode(t, tilt[0], tilt[1])
		d := float64(dim)
		for _, shift := range []float64{0, 0.6, 1.3, 3, -2.2} {
			grid, ok := fitHomography([]pt{{0, 0}, {d, 0}, {0, d}, {d, d}},
				[]pt{h.apply(pt{0, 0}), h.apply(pt{d, 0}), h.apply(pt{0, d}), h.apply(pt{d + shift, d - shift})})
			if !ok {
				t.Fatal("no grid")
			}
			for _, a := range []pt{{d - 6.5, d - 6.5}, {6.5, d - 6.5}, {d / 2, 4.5}, {-1.5, d + 0.5}} {
				for _, radius := range []float64{1.5, 4} {
					got, gotOK := findAlignmentNear(m, grid, a, radius)
					want, wantOK := alignmentNearEach(m, grid, a, radius)
					if got != want || gotOK != wantOK {
						t.Errorf("tilt %v, shift %v, at %v, radius %v: %v %v, want %v %v", tilt, shift, a, radius, got, gotOK, want, wantOK)
					}
					tries++
					if wantOK {
						found++
					}
				}
			}
		}
	}
	if found == 0 || found == tries {
		t.Errorf("an alignment pattern found in %d of %d tries", found, tries)
	}
	t.Logf("an alignment pattern found in %d of %d tries", found, tries)
}

// alignmentNearEach is findAlignmentNear as it was, sampling the picture
// through h at each offset on its own.
func alignmentNearEach(m *gozxing.BitMatrix, h homography, a pt, radius float64) (pt, bool) {
	w, ht := m.GetWidth(), m.GetHeight()
	best, n := -1, 0
	var sum pt
	for dy := -radius; dy <= radius; dy += 0.25 {
		for dx := -radius; dx <= radius; dx += 0.25 {
			score := 0
			for j := 0; j < 5; j++ {
				for i := 0; i < 5; i++ {
					p := h.apply(pt{a.x + dx + float64(i-2), a.y + dy + float64(j-2)})
					x, y := int(math.Floor(p.x)), int(math.Floor(p.y))
					if x >= 0 && y >= 0 && x < w && y < ht && m.Get(x, y) == alignmentPicture[j][i] {
						score++
					}
				}
			}
			switch {
			case score > best:
				best, n, sum = score, 1, pt{dx, dy}
			case score == best:
				n++
				sum.x += dx
				sum.y += dy
			}
		}
	}
	if best < 24 {
		return pt{}, false
	}
	off := pt{sum.x / float64(n), sum.y / float64(n)}
	return h.apply(pt{a.x + off.x, a.y + off.y}), true
}

// TestReadTiltedSynthetic: a code tilted as above is read end to end from
// its bit matrix, where gozxing's detector reads nothing.
func TestReadTiltedSynthetic(t *testing.T) {
	const text = "HW1:3HFDXCANMRSW23ZNGIYDENRRGEZDNPRA32WQNV2MD5FCYV6H67"
	bits := codeBits(t, text)
	m := renderBits(t, bits, tiltH(t, len(bits), 0.55, 0.4))
	got, _, ok := readTilted(m)
	if !ok || got != text {
		t.Fatalf("readTilted = %q, %v", got, ok)
	}
}

// tiltFloors are the reads (of tiltPerClass tuning-seed samples) Decode
// must make of codes tilted 45° and 60° about each axis. Before
// perspective.go it read 0 of these six samples of tilty45, tiltx60 and
// tilty60, and 5 of tiltx45.
var tiltFloors = map[string]int{"tiltx45": 6, "tilty45": 6, "tiltx60": 4, "tilty60": 4}

const tiltPerClass = 6

// TestDecodeTiltedCorpus decodes tuning-seed corpus frames tilted 45° and
// 60° about the x and y axes (JPEG, as a phone sends) and holds them to
// their floors, with no wrong text.
func TestDecodeTiltedCorpus(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("renders and decodes two dozen camera frames")
	}
	classes := []string{"tiltx45", "tilty45", "tiltx60", "tilty60"}
	var samples []corpus.Sample
	cfg := corpus.Config{Seed: corpus.TuningSeed, PerClass: tiltPerClass, Classes: classes}
	if err := corpus.Generate(cfg, func(s corpus.Sample) error { samples = append(samples, s); return nil }); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range samples {
		if text, err := DecodeBytes(s.JPEG, 0, 0); err == nil && text != s.Text {
			t.Errorf("%s (%s) decoded to a wrong text %q", s.Name, s.Params, text)
		} else if err == nil {
			got[s.Class]++
		}
	}
	for _, class := range classes {
		if got[class] < tiltFloors[class] {
			t.Errorf("%s: %d/%d read, floor %d", class, got[class], tiltPerClass, tiltFloors[class])
		} else {
			t.Logf("%s: %d/%d read", class, got[class], tiltPerClass)
		}
	}
}

// BenchmarkReadTiltedNoCode is readTilted's cost on a frame with no code,
// which every frame between badges pays once (in the redetect pass).
func BenchmarkReadTiltedNoCode(b *testing.B) {
	s := corpusFrame(b, "nocode")
	m, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(luminance(s.Image).source()))
	if err != nil {
		b.Fatal(err)
	}
	bm, _ := m.GetBlackMatrix()
	for b.Loop() {
		if _, _, ok := readTilted(bm); ok {
			b.Fatal("read a code in a frame without one")
		}
	}
}
