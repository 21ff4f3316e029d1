package scanner

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
)

// finder is a finder pattern's centre in the image, with its module size
// measured along the row (mx) and the column (my) through it, and how many
// scan rows confirmed it.
type finder struct {
	x, y   float64
	mx, my float64
	count  int
}

// Where we diverge from gozxing's FinderPatternFinder, and why: it measures
// the 1:1:3:1:1 runs across a row, then requires the column's runs to total
// within 40% of the row's (and a diagonal to match as well). A code turned
// 45° about the vertical axis is narrower than it is tall by 1/cos 45° =
// 1.41, past that limit; at 60° the ratio is 2. Perspective keeps the
// 1:1:3:1:1 ratios along each line (to first order, within a pattern 7
// modules across), but not the scale between lines. So here the row and
// the column are each checked against their own module size, and only the
// ratio between the two is bounded (a quarter to four: 75° of tilt).
// ZXing-C++ does the same (it checks each direction on its own).

// Tolerances of a 1:1:3:1:1 run: a one-module run may be off by this share
// of the module size, the three-module centre by three times it.
const finderVariance = 0.6

// findFinders scans every step'th row of m for finder patterns and returns
// the distinct ones, the most confirmed first.
func findFinders(m *gozxing.BitMatrix, step int) []finder {
	w, h := m.GetWidth(), m.GetHeight()
	var found []finder
	runs := make([]int, 0, 64)
	row := gozxing.NewBitArray(w)
	for y := step / 2; y < h; y += step {
		// Runs of the row, starting with white (a zero-length one if the
		// row starts black), so run i is black when i is odd. The row's
		// words are skipped 32 pixels at a time where nothing changes: a
		// frame without a code costs little more than reading it.
		runs = runs[:0]
		row = m.GetRow(y, row)
		for x, black := 0, false; x < w; black = !black {
			next := row.GetNextSet(x)
			if black {
				next = row.GetNextUnset(x)
			}
			runs = append(runs, next-x)
			x = next
		}
		x := 0
		for i := range runs {
			if i%2 == 1 && i+4 < len(runs) && isFinderRuns(runs[i:i+5]) {
				centre := float64(x+runs[i]+runs[i+1]) + float64(runs[i+2])/2
				if f, ok := crossCheck(m, centre, float64(y), runs[i:i+5]); ok {
					found = mergeFinder(found, f)
				}
			}
			x += runs[i]
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].count > found[j].count })
	return found
}

// isFinderRuns tells whether five runs (black, white, black, white, black)
// are in the ratio 1:1:3:1:1.
func isFinderRuns(r []int) bool {
	total := r[0] + r[1] + r[2] + r[3] + r[4]
	if total < 7 {
		return false
	}
	ms := float64(total) / 7
	v := finderVariance * ms
	for _, i := range []int{0, 1, 3, 4} {
		if math.Abs(float64(r[i])-ms) > v {
			return false
		}
	}
	return math.Abs(float64(r[2])-3*ms) < 3*v
}

// crossCheck confirms a row's candidate down its column and again along
// the row through the column's centre, each against its own module size.
func crossCheck(m *gozxing.BitMatrix, cx, cy float64, row []int) (finder, bool) {
	rowTotal := 0
	for _, n := range row {
		rowTotal += n
	}
	limit := 4 * rowTotal // the column may be up to four times as tall
	col, cyc, ok := runsThrough(m, int(cx), int(cy), 0, 1, limit)
	if !ok || !isFinderRuns(col[:]) {
		return finder{}, false
	}
	colTotal := 0
	for _, n := range col {
		colTotal += n
	}
	if 4*colTotal < rowTotal || colTotal > 4*rowTotal {
		return finder{}, false
	}
	row2, cxc, ok := runsThrough(m, int(cx), int(cyc), 1, 0, 4*colTotal)
	if !ok || !isFinderRuns(row2[:]) {
		return finder{}, false
	}
	rowTotal = 0
	for _, n := range row2 {
		rowTotal += n
	}
	return finder{x: cxc, y: cyc, mx: float64(rowTotal) / 7, my: float64(colTotal) / 7, count: 1}, true
}

// runsThrough measures the five runs through (x, y) along (dx, dy): the
// black centre run it is in and two runs each way. It returns them and the
// centre run's middle along that direction; not ok if (x, y) is white, a
// run is longer than limit, or the image ends first.
func runsThrough(m *gozxing.BitMatrix, x, y, dx, dy, limit int) ([5]int, float64, bool) {
	var r [5]int
	w, h := m.GetWidth(), m.GetHeight()
	in := func(i int) bool {
		px, py := x+i*dx, y+i*dy
		return px >= 0 && py >= 0 && px < w && py < h
	}
	if !in(0) || !m.Get(x, y) {
		return r, 0, false
	}
	// Backwards: the centre's first half, then white, then black.
	i := 0
	for in(i-1) && m.Get(x+(i-1)*dx, y+(i-1)*dy) {
		i--
	}
	start := i
	for k, want := range []bool{false, true} {
		n := 0
		for in(i-1) && m.Get(x+(i-1)*dx, y+(i-1)*dy) == want && n <= limit {
			i--
			n++
		}
		if n == 0 || n > limit {
			return r, 0, false
		}
		r[1-k] = n
	}
	// Forwards: the centre's rest, then white, then black.
	i = 0
	for in(i+1) && m.Get(x+(i+1)*dx, y+(i+1)*dy) {
		i++
	}
	end := i
	r[2] = end - start + 1
	if r[2] > limit {
		return r, 0, false
	}
	for k, want := range []bool{false, true} {
		n := 0
		for in(i+1) && m.Get(x+(i+1)*dx, y+(i+1)*dy) == want && n <= limit {
			i++
			n++
		}
		if n == 0 || n > limit {
			return r, 0, false
		}
		r[3+k] = n
	}
	mid := float64(start+end+1) / 2
	if dx != 0 {
		return r, float64(x) + mid, true
	}
	return r, float64(y) + mid, true
}

// mergeFinder adds f to found, or counts it towards a pattern already
// there whose centre it lies within.
func mergeFinder(found []finder, f finder) []finder {
	for i := range found {
		g := &found[i]
		ms := max(g.mx, g.my, f.mx, f.my)
		if math.Abs(g.x-f.x) <= ms && math.Abs(g.y-f.y) <= ms {
			n := float64(g.count)
			g.x = (g.x*n + f.x) / (n + 1)
			g.y = (g.y*n + f.y) / (n + 1)
			g.mx = (g.mx*n + f.mx) / (n + 1)
			g.my = (g.my*n + f.my) / (n + 1)
			g.count++
			return found
		}
	}
	return append(found, f)
}
