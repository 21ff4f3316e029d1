package scanner

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Several codes in a frame (issue 18): a badge beside a poster's code, or
// printed inside another code. gozxing's reader finds one trio of finder
// patterns and reads one code. Once it has, others looks at the same black
// matrix for every finder pattern, sets aside those of the codes already
// read, and tries the trios the rest make. It runs after a pass that read
// a code, or whose detector found a trio of patterns it could not read
// (two codes side by side can lead it to a trio taken from both): a frame
// without finder patterns, the usual one between badges, costs what it
// did.

// maxOtherPatterns bounds the finder patterns others combines (the trios
// grow with its cube): a frame of print can be full of near-misses, and a
// real code's patterns are confirmed by several rows.
const maxOtherPatterns = 12

// maxOtherTrios bounds the trios others samples and decodes.
const maxOtherTrios = 6

// others reads the codes in m whose finder patterns are not near any of
// seen (the corners of codes already read). It returns their texts and
// corners, and the finder patterns of a code seen but not read, worth
// more passes: two or more patterns, each confirmed on several rows, that
// belong to no code read. Patterns seen on one row do not count: print and
// noise make them, and they would send every frame with a code through
// all the passes.
func others(m *gozxing.BitMatrix, seen []gozxing.ResultPoint) (texts []string, corners [][]gozxing.ResultPoint, unread []*detector.FinderPattern) {
	f := detector.NewFinderPatternFinder(m, nil)
	findAll(f, m)
	var free []*detector.FinderPattern
	for _, p := range f.GetPossibleCenters() {
		if !near(p, seen) {
			free = append(free, p)
		}
	}
	if len(free) < 2 {
		return nil, nil, nil
	}
	if len(free) > maxOtherPatterns {
		sort.SliceStable(free, func(i, j int) bool { return free[i].GetCount() > free[j].GetCount() })
		free = free[:maxOtherPatterns]
	}
	dec := decoder.NewDecoder()
	det := detector.NewDetector(m)
	seen = seen[:len(seen):len(seen)] // appended to below: not the caller's
	for _, t := range trios(free) {
		a, b, c := t.ps[0], t.ps[1], t.ps[2]
		if near(a, seen) || near(b, seen) || near(c, seen) {
			continue // a code read on an earlier trio
		}
		bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(a, b, c)
		info := detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern))
		res, err := det.ProcessFinderPatternInfo(info)
		var dr *common.DecoderResult
		if err == nil {
			dr, err = dec.Decode(res.GetBits(), hints)
		}
		if err != nil {
			continue
		}
		texts = append(texts, dr.GetText())
		corners = append(corners, res.GetPoints())
		seen = append(seen, res.GetPoints()...)
	}
	// Confirmed patterns of no code read, two or more of them: a code
	// this binarization could not read, or whose third pattern it lost (a
	// blurred badge beside a sharp poster).
	for _, p := range free {
		if p.GetCount() >= 2 && !near(p, seen) {
			unread = append(unread, p)
		}
	}
	if len(unread) < 2 {
		unread = nil
	}
	return texts, corners, unread
}

// findAll scans every third row of m for finder patterns, as gozxing's
// finder does when trying harder, but without stopping once it has three.
// It walks each row's runs a word of bits at a time: on a frame with a
// code, others runs after every pass that reads it.
func findAll(f *detector.FinderPatternFinder, m *gozxing.BitMatrix) {
	w, h := m.GetWidth(), m.GetHeight()
	var row *gozxing.BitArray
	var runs []int // white first (possibly empty), then alternating
	for y := detector.FinderPatternFinder_MIN_SKIP - 1; y < h; y += detector.FinderPatternFinder_MIN_SKIP {
		row = m.GetRow(y, row)
		runs = rowRuns(row, w, runs[:0])
		x := runs[0] // where runs[i] starts
		for i := 1; i+4 < len(runs); {
			counts := runs[i : i+5]
			end := x + counts[0] + counts[1] + counts[2] + counts[3] + counts[4]
			if detector.FinderPatternFinder_foundPatternCross(counts) && f.HandlePossibleCenter(counts, y, end) {
				x = end
				if i+5 < len(runs) {
					x += runs[i+5]
				}
				i += 6
				continue
			}
			x += counts[0] + counts[1]
			i += 2
		}
	}
}

// rowRuns appends the lengths of row's runs to runs, white first (possibly
// empty), then alternating, found a word of bits at a time.
func rowRuns(row *gozxing.BitArray, w int, runs []int) []int {
	for x, black := 0, false; x < w; black = !black {
		next := row.GetNextSet(x)
		if black {
			next = row.GetNextUnset(x)
		}
		next = min(next, w)
		runs = append(runs, next-x)
		x = next
	}
	return runs
}

// find is gozxing's FinderPatternFinder.Find(hints) over m, trying
// harder, as it would find them: the same patterns, confirmed as often,
// in the same order, and the same three chosen, or an error where it gives
// one. It returns the finder too: try counts its possible centres.
//
// gozxing reads every third row pixel by pixel (a fifth of a tilted
// frame's time natively, before the perspective grid reads it); this
// walks the same rows' runs a word of bits at a time (rowRuns) and hands
// the same candidates to the finder's own checks (HandlePossibleCenter),
// with its row skips: two rows once a pattern is confirmed, the jump
// towards the third pattern (FindRowSkip), the first run's length after a
// pattern confirmed at a row's end, and the stop once three are confirmed
// alike. A frame without a code, whose rows have no candidate that
// passes, costs the walk alone. TestFindMatchesGozxing holds it to
// gozxing's Find.
func find(m *gozxing.BitMatrix) (*detector.FinderPatternFinder, *detector.FinderPatternInfo, error) {
	f := detector.NewFinderPatternFinder(m, nil)
	w, h := m.GetWidth(), m.GetHeight()
	skip := detector.FinderPatternFinder_MIN_SKIP
	// skipped: FindRowSkip has seen two confirmed patterns (the finder's
	// hasSkipped, which it does not export).
	skipped, done := false, false
	var row *gozxing.BitArray
	runs := make([]int, 0, 64) // white first (possibly empty), then alternating
	for y := skip - 1; y < h && !done; y += skip {
		row = m.GetRow(y, row)
		runs = rowRuns(row, w, runs[:0])
		// gozxing's count of five runs, black first, is judged when the
		// run after the fifth begins; one that ends the row, after it.
		x := runs[0] // where runs[i] starts
		last := []int(nil)
		jumped := false
		for i := 1; i+4 < len(runs); {
			counts := runs[i : i+5]
			if i+5 == len(runs) {
				last = counts
				break
			}
			end := x + counts[0] + counts[1] + counts[2] + counts[3] + counts[4]
			if !detector.FinderPatternFinder_foundPatternCross(counts) || !f.HandlePossibleCenter(counts, y, end) {
				x += counts[0] + counts[1]
				i += 2
				continue
			}
			skip = 2
			if skipped {
				done = f.HaveMultiplyConfirmedCenters() // the row is still read to its end
			} else {
				rowSkip := f.FindRowSkip()
				skipped = confirmedTwice(f)
				if rowSkip > counts[2] {
					y += rowSkip - counts[2] - skip
					jumped = true
					break
				}
			}
			// The counts start again after the pattern, the pixel after
			// it not counted: from the next black run.
			x = end + runs[i+5]
			i += 6
		}
		if jumped || last == nil || !detector.FinderPatternFinder_foundPatternCross(last) {
			continue
		}
		if f.HandlePossibleCenter(last, y, w) {
			skip = last[0] // sic: gozxing's (and ZXing's) step after a pattern at a row's end
			if skipped {
				done = f.HaveMultiplyConfirmedCenters()
			}
		}
	}
	fps, err := f.SelectBestPatterns()
	if err != nil {
		return f, nil, err
	}
	bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(fps[0], fps[1], fps[2])
	return f, detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)), nil
}

// confirmedTwice tells whether two of f's possible centres are confirmed
// (CENTER_QUORUM), as FindRowSkip notes once it has seen them.
func confirmedTwice(f *detector.FinderPatternFinder) bool {
	n := 0
	for _, c := range f.GetPossibleCenters() {
		if c.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
			n++
		}
	}
	return n >= 2
}

// trio is three finder patterns and their distortion from an isosceles
// right triangle, relative to its size: 0 for a code face on, 0.2 for one
// tilted 25° about an axis (as far as the corpus's class two goes), 0.5
// at about 38°.
type trio struct {
	ps [3]*detector.FinderPattern
	d  float64
}

// trios are the trios of ps that could be one code's finder patterns
// (module sizes within 40% of each other, as gozxing's finder asks, and
// a distortion of at most 0.5), the most square first, at most
// maxOtherTrios. A code tilted further is readTilted's.
func trios(ps []*detector.FinderPattern) []trio {
	var out []trio
	sq := func(a, b *detector.FinderPattern) float64 {
		dx, dy := a.GetX()-b.GetX(), a.GetY()-b.GetY()
		return dx*dx + dy*dy
	}
	for i := 0; i < len(ps); i++ {
		for j := i + 1; j < len(ps); j++ {
			for k := j + 1; k < len(ps); k++ {
				a, b, c := ps[i], ps[j], ps[k]
				lo := math.Min(a.GetEstimatedModuleSize(), math.Min(b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize()))
				hi := math.Max(a.GetEstimatedModuleSize(), math.Max(b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize()))
				if hi > 1.4*lo {
					continue
				}
				s := []float64{sq(a, b), sq(b, c), sq(a, c)}
				sort.Float64s(s)
				// The short sides span the code: 14 modules (version 1;
				// 12 allows for foreshortening) to 170.
				if s[0] < 12*12*lo*lo || s[1] > 170*170*hi*hi {
					continue
				}
				d := (math.Abs(s[2]-2*s[1]) + math.Abs(s[2]-2*s[0])) / s[2]
				if d > 0.5 {
					continue
				}
				out = append(out, trio{[3]*detector.FinderPattern{a, b, c}, d})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].d < out[j].d })
	if len(out) > maxOtherTrios {
		out = out[:maxOtherTrios]
	}
	return out
}

// near reports whether p is within a few modules of any of seen: the same
// finder pattern found again.
func near(p *detector.FinderPattern, seen []gozxing.ResultPoint) bool {
	r := 3.5 * p.GetEstimatedModuleSize()
	for _, s := range seen {
		if gozxing.ResultPoint_Distance(p, s) < r {
			return true
		}
	}
	return false
}

// patternPoints is ps as points, for near.
func patternPoints(ps []*detector.FinderPattern) []gozxing.ResultPoint {
	out := make([]gozxing.ResultPoint, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// point is f's centre as gozxing's corners are given.
func (f finder) point() gozxing.ResultPoint { return gozxing.NewResultPoint(f.x, f.y) }
