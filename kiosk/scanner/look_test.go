package scanner

import (
	"bytes"
	"image"
	"image/jpeg"
	"slices"
	"testing"

	"huiwu/kiosk/scanner/corpus"
)

// TestSharpLookWindows: the tuning seed's small codes 000, 016 and 019
// (modules of 1.5–2 pixels, as a camera hands them over: JPEG) show no
// finder pattern to the look passes' matrices nor to the adaptive view at
// half size; the sharpened view shows a pair, and made only in the windows
// around the frame matrix's closed patterns (closedCandidates) it still
// does, so the frame goes on to viewDouble, which reads it. Were the
// windows to miss their patterns, the frame would stop at the look unread.
func TestSharpLookWindows(t *testing.T) {
	for _, first := range []int{0, 16, 19} {
		var s corpus.Sample
		err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, First: first, PerClass: 1, Classes: []string{"small"}}, func(got corpus.Sample) error {
			s = got
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(s.JPEG))
		if err != nil {
			t.Fatal(err)
		}
		a := newAttempt(luminance(img))
		for i := range lookPasses {
			a.try(a.binarizer(passes[i].view, passes[i].bin), false, 1, true)
		}
		if len(a.texts) > 0 || a.seen {
			t.Logf("%s: read or seen by the look passes: the test no longer shows the sharpened look's worth", s.Name)
		}
		at := closedCandidates(a.full.matrix, lookStep)
		if !likePair(crispFinders(a.work, crispWindows(a.work.w, a.work.h, at))) {
			t.Errorf("%s: no pair of finder patterns in the sharpened windows (%d candidates)", s.Name, len(at))
		}
		if text, err := Decode(img); err != nil || text != s.Text {
			t.Errorf("%s: Decode = %q, %v", s.Name, text, err)
		}
	}
}

// TestClosedPattern: a finder pattern's runs pass, as they are and with
// the white rings narrowed or nearly closed by the threshold (one pixel
// left); runs of other proportions (even stripes, a wide outer black, a
// thin centre) do not.
func TestClosedPattern(t *testing.T) {
	for _, c := range []struct {
		runs []int
		want bool
	}{
		{[]int{2, 2, 6, 2, 2}, true},  // 1:1:3:1:1 at two pixels a module
		{[]int{3, 1, 6, 1, 2}, true},  // the rings closing up (a small code's)
		{[]int{6, 1, 16, 1, 6}, true}, // a blurred code's at four pixels a module
		{[]int{2, 2, 2, 2, 2}, false}, // stripes
		{[]int{8, 1, 6, 1, 2}, false}, // an outer black as wide as the centre
		{[]int{2, 4, 3, 4, 2}, false}, // wide white, thin centre: print
		{[]int{1, 1, 2, 1, 1}, false}, // too small to tell
	} {
		if got := closedPattern(c.runs); got != c.want {
			t.Errorf("closedPattern(%v) = %v, want %v", c.runs, got, c.want)
		}
	}
}

// TestCrispWindows: a candidate's tile grown by the margin, clipped to the
// frame; adjacent tiles of a row in one window; and candidates in every
// tile make windows larger than the frame, for which seenAny makes the
// whole sharpened view instead.
func TestCrispWindows(t *testing.T) {
	ws := crispWindows(640, 480, []image.Point{{5, 5}, {40, 10}, {70, 20}, {300, 200}, {310, 210}})
	want := []image.Rectangle{
		image.Rect(0, 0, 96+lookMargin, 32+lookMargin),                             // tiles 0–2 of the first row
		image.Rect(288-lookMargin, 192-lookMargin, 320+lookMargin, 224+lookMargin), // one tile, two candidates
	}
	if !slices.Equal(ws, want) {
		t.Errorf("windows %v, want %v", ws, want)
	}
	var all []image.Point
	for y := 0; y < 480; y += lookTile {
		for x := 0; x < 640; x += lookTile {
			all = append(all, image.Pt(x, y))
		}
	}
	if a := area(crispWindows(640, 480, all)); a < 640*480 {
		t.Errorf("candidates everywhere: windows of %d pixels, less than the frame", a)
	}
}
