package scanner

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// readTilted reads a code seen under strong perspective, where gozxing's
// detector finds no finder patterns or samples the wrong grid.
//
// Where we diverge from gozxing's Detector, and why. gozxing (like the
// Java ZXing it was ported from) builds its grid from the three finder
// centres and one more point: the bottom-right alignment pattern, or, when
// that is missing (version 1, or not found), the fourth corner of the
// parallelogram the three centres span. It finds that alignment pattern by
// 1:1:1 runs checked against one module size in both directions, and it
// uses only that one alignment pattern even for version 7 and up, which
// have six or more. Under 60° of tilt each of these fails: the far side's
// modules are half the near side's, so the module count estimated from the
// centres is off by a size step or two, the parallelogram's corner lands
// several modules from the code's, the alignment pattern's runs are a
// different size across than down, and one alignment pattern cannot fix a
// grid whose modules change size along it.
//
// Here, instead:
//   - finder patterns are found by findFinders, whose row and column
//     checks each use their own module size;
//   - each finder pattern's four outer corners are measured (finderCorners),
//     giving twelve points whose module coordinates are known once the
//     size is: a homography fitted to them (fitHomography) carries the
//     perspective from the three corners of the code that have finder
//     patterns to the fourth, which has none — the fourth corner is
//     estimated from the finder patterns' edges rather than a
//     parallelogram. The candidate sizes are tried in the order of how
//     well that fit holds;
//   - every alignment pattern (all of them from version 7) is looked for
//     where the homography puts it, by matching its 5×5 module picture
//     through the homography (so it is foreshortened as the code is), and
//     each one found is added to the fit, the nearest to the finder
//     patterns first;
//   - the grid is sampled through the final homography, and if that does
//     not decode, through the one from the finder patterns alone.
//
// gozxing is kept for the rest: binarizing, the format and version
// information, unmasking, Reed–Solomon and the bit stream. A grid that is
// wrong does not decode to a wrong text: format information (BCH), the
// version information from version 7 and the Reed–Solomon check of every
// block all have to pass.
//
// It returns the text and the three finder patterns' centres.
func readTilted(m *gozxing.BitMatrix) (string, []gozxing.ResultPoint, bool) {
	return readTiltedFrom(m, findFinders(m, tiltStep(m)))
}

// tiltStep is readTilted's row step in findFinders: every other row of a
// 480-line frame.
func tiltStep(m *gozxing.BitMatrix) int { return max(1, m.GetHeight()/240) }

// readTiltedFrom is readTilted with m's finder patterns already found
// (findFinders at tiltStep).
func readTiltedFrom(m *gozxing.BitMatrix, fs []finder) (string, []gozxing.ResultPoint, bool) {
	// Patterns seen on one scan row only are mostly print and noise; a
	// small code's finder spans a few rows, so one count is still allowed
	// when there are few.
	var cands []finder
	for _, f := range fs {
		if f.count >= 2 || len(fs) <= 4 {
			cands = append(cands, f)
		}
	}
	if len(cands) > 6 {
		cands = cands[:6]
	}
	dec := decoder.NewDecoder()
	tried := 0
	for i := 0; i < len(cands); i++ {
		for j := i + 1; j < len(cands); j++ {
			for k := j + 1; k < len(cands); k++ {
				tl, tr, bl, ok := orderFinders(cands[i], cands[j], cands[k])
				if !ok {
					continue
				}
				if tried++; tried > 8 {
					return "", nil, false
				}
				if text, ok := readTriple(m, dec, tl, tr, bl); ok {
					return text, []gozxing.ResultPoint{tl.point(), tr.point(), bl.point()}, true
				}
			}
		}
	}
	return "", nil, false
}

// orderFinders names three finder patterns top-left (the corner of the
// right angle), top-right and bottom-left, in the code's own orientation
// (a mirrored code is read by the decoder's mirror pass), and rejects
// triples no code could have: patterns of very different sizes, or a
// corner far from square even allowing for strong perspective.
func orderFinders(a, b, c finder) (tl, tr, bl finder, ok bool) {
	ms := func(f finder) float64 { return math.Sqrt(f.mx * f.my) }
	lo, hi := min(ms(a), ms(b), ms(c)), max(ms(a), ms(b), ms(c))
	if hi > 3*lo {
		return tl, tr, bl, false
	}
	d := func(p, q finder) float64 { return math.Hypot(p.x-q.x, p.y-q.y) }
	ab, bc, ca := d(a, b), d(b, c), d(c, a)
	// The top-left is opposite the longest side.
	switch {
	case bc >= ab && bc >= ca:
		tl, tr, bl = a, b, c
	case ca >= ab && ca >= bc:
		tl, tr, bl = b, c, a
	default:
		tl, tr, bl = c, a, b
	}
	ux, uy := tr.x-tl.x, tr.y-tl.y
	vx, vy := bl.x-tl.x, bl.y-tl.y
	lu, lv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	// At least the width of two finder patterns apart (version 1 has 14
	// modules between centres), and sides within a factor of four.
	if lu < 10*lo || lv < 10*lo || lu > 4*lv || lv > 4*lu {
		return tl, tr, bl, false
	}
	cross := ux*vy - uy*vx
	if s := cross / (lu * lv); math.Abs(s) < math.Sin(25*math.Pi/180) {
		return tl, tr, bl, false
	}
	if cross < 0 {
		tr, bl = bl, tr
	}
	return tl, tr, bl, true
}

// readTriple samples and decodes the code whose finder patterns are tl, tr
// and bl, trying the likeliest sizes.
func readTriple(m *gozxing.BitMatrix, dec *decoder.Decoder, tl, tr, bl finder) (string, bool) {
	var corners [3][4]pt
	for i, f := range []finder{tl, tr, bl} {
		c, ok := finderCorners(m, f)
		if !ok {
			return "", false
		}
		corners[i] = c
	}
	// Which corner of each pattern is which, in the code's axes.
	u := pt{tr.x - tl.x, tr.y - tl.y}
	v := pt{bl.x - tl.x, bl.y - tl.y}
	det := u.x*v.y - u.y*v.x
	var local [3][4]pt // module offsets from the pattern's top-left corner
	for i, f := range []finder{tl, tr, bl} {
		seen := 0
		for k, c := range corners[i] {
			dx, dy := c.x-f.x, c.y-f.y
			a := (dx*v.y - dy*v.x) / det
			b := (u.x*dy - u.y*dx) / det
			q := pt{0, 0}
			if a > 0 {
				q.x = 7
			}
			if b > 0 {
				q.y = 7
			}
			local[i][k] = q
			seen |= 1 << (int(q.x/7) + 2*int(q.y/7))
		}
		if seen != 15 {
			return "", false
		}
	}
	// Candidate sizes: those near the centres' distance in module sizes,
	// ordered by how well twelve corners fit one homography at that size.
	type fit struct {
		dim int
		h   homography
		res float64
	}
	var fits []fit
	msu := (math.Hypot(tl.mx*u.x, tl.my*u.y)/math.Hypot(u.x, u.y) + math.Hypot(tr.mx*u.x, tr.my*u.y)/math.Hypot(u.x, u.y)) / 2
	msv := (math.Hypot(tl.mx*v.x, tl.my*v.y)/math.Hypot(v.x, v.y) + math.Hypot(bl.mx*v.x, bl.my*v.y)/math.Hypot(v.x, v.y)) / 2
	est := (math.Hypot(u.x, u.y)/msu + math.Hypot(v.x, v.y)/msv) / 2
	src := make([]pt, 0, 12)
	dst := make([]pt, 0, 12)
	for dim := 21; dim <= 177; dim += 4 {
		if d := float64(dim-7) - est; d < -0.35*est-4 || d > 0.6*est+4 {
			continue
		}
		src, dst = src[:0], dst[:0]
		origins := [3]pt{{0, 0}, {float64(dim - 7), 0}, {0, float64(dim - 7)}}
		for i := range corners {
			for k, c := range corners[i] {
				src = append(src, pt{origins[i].x + local[i][k].x, origins[i].y + local[i][k].y})
				dst = append(dst, c)
			}
		}
		h, ok := fitHomography(src, dst)
		if !ok {
			continue
		}
		fits = append(fits, fit{dim, h, h.residual(src, dst)})
	}
	sort.Slice(fits, func(i, j int) bool { return fits[i].res < fits[j].res })
	if len(fits) > 3 {
		fits = fits[:3]
	}
	for _, f := range fits {
		src, dst = src[:0], dst[:0]
		origins := [3]pt{{0, 0}, {float64(f.dim - 7), 0}, {0, float64(f.dim - 7)}}
		for i := range corners {
			for k, c := range corners[i] {
				src = append(src, pt{origins[i].x + local[i][k].x, origins[i].y + local[i][k].y})
				dst = append(dst, c)
			}
		}
		refined := refineWithAlignment(m, f.h, f.dim, src, dst)
		for _, h := range []homography{refined, f.h} {
			bits, ok := sampleGrid(m, h, f.dim)
			if !ok {
				continue
			}
			if res, err := dec.Decode(bits, hints); err == nil {
				return res.GetText(), true
			}
			if h == f.h {
				break
			}
		}
	}
	return "", false
}

// refineWithAlignment looks for the code's alignment patterns where h puts
// them, nearest the finder patterns' far corner first, and refits h with
// each one found. src and dst are the finder corners' correspondences,
// extended here.
func refineWithAlignment(m *gozxing.BitMatrix, h homography, dim int, src, dst []pt) homography {
	v, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		return h
	}
	centres := v.GetAlignmentPatternCenters()
	var want []pt
	for _, cy := range centres {
		for _, cx := range centres {
			// The three places a finder pattern takes have none.
			if (cx < 9 && cy < 9) || (cx > dim-10 && cy < 9) || (cx < 9 && cy > dim-10) {
				continue
			}
			want = append(want, pt{float64(cx) + 0.5, float64(cy) + 0.5})
		}
	}
	// The bottom-right one first: it fixes the perspective most; then the
	// rest, from the finder patterns outwards.
	far := float64(dim)
	sort.Slice(want, func(i, j int) bool {
		di := math.Abs(far-want[i].x) + math.Abs(far-want[i].y)
		dj := math.Abs(far-want[j].x) + math.Abs(far-want[j].y)
		if (di < 12) != (dj < 12) {
			return di < 12
		}
		return min(want[i].x, want[i].y) < min(want[j].x, want[j].y)
	})
	src = append([]pt(nil), src...)
	dst = append([]pt(nil), dst...)
	for n, a := range want {
		radius := 1.5
		if n == 0 {
			radius = 4 // the first corrects the most
		}
		p, ok := findAlignmentNear(m, h, a, radius)
		if !ok {
			continue
		}
		src = append(src, a)
		dst = append(dst, p)
		if g, ok := fitHomography(src, dst); ok {
			h = g
		}
	}
	return h
}

// alignmentPicture is the alignment pattern's 5×5 modules, true for black.
var alignmentPicture = [5][5]bool{
	{true, true, true, true, true},
	{true, false, false, false, true},
	{true, false, true, false, true},
	{true, false, false, false, true},
	{true, true, true, true, true},
}

// findAlignmentNear matches the alignment pattern's picture, sampled
// through h, at offsets up to radius modules from a (module coordinates
// of its centre), in quarter-module steps, and returns the image position
// of the best match (the mean of the offsets that tie for it). Sampling
// through h foreshortens the picture as the code is, which gozxing's
// run-length search (one module size both ways) cannot. Not ok unless
// nearly every module of the picture matches.
//
// The picture's modules at every offset fall on one lattice of quarter
// modules around a (radius is a whole number of quarters), so each
// lattice point is sampled once (2,401 of them at a radius of 4, rather
// than 25 for each of the 1,089 offsets, which was more than half the
// time of reading a tilted code) and each offset scored from the lattice.
// The points are the same sums of quarters, exact in floating point, so
// the result is what sampling each offset gives.
func findAlignmentNear(m *gozxing.BitMatrix, h homography, a pt, radius float64) (pt, bool) {
	w, ht := m.GetWidth(), m.GetHeight()
	steps := int(4 * radius)    // quarter-module offsets on each side
	side := 2*steps + 1 + 4*4   // lattice points along each axis: the offsets, and 4 modules of the picture
	at := func(k int) float64 { // the k'th lattice coordinate, less a's
		return -radius + 0.25*float64(k%4) + float64(k/4) - 2
	}
	// lattice[y*side+x]: 1 black, 0 white, -1 outside the image.
	lattice := make([]int8, side*side)
	for ly := 0; ly < side; ly++ {
		for lx := 0; lx < side; lx++ {
			p := h.apply(pt{a.x + at(lx), a.y + at(ly)})
			x, y := int(math.Floor(p.x)), int(math.Floor(p.y))
			v := int8(-1)
			if x >= 0 && y >= 0 && x < w && y < ht {
				v = 0
				if m.Get(x, y) {
					v = 1
				}
			}
			lattice[ly*side+lx] = v
		}
	}
	best, n := -1, 0
	var sum pt
	for oy := 0; oy <= 2*steps; oy++ {
		for ox := 0; ox <= 2*steps; ox++ {
			score := 0
			for j := 0; j < 5; j++ {
				row := lattice[(oy+4*j)*side+ox:]
				for i := 0; i < 5; i++ {
					if v := row[4*i]; v >= 0 && (v == 1) == alignmentPicture[j][i] {
						score++
					}
				}
			}
			switch {
			case score > best:
				best, n, sum = score, 1, pt{at(ox) + 2, at(oy) + 2}
			case score == best:
				n++
				sum.x += at(ox) + 2
				sum.y += at(oy) + 2
			}
		}
	}
	if best < 24 {
		return pt{}, false
	}
	off := pt{sum.x / float64(n), sum.y / float64(n)}
	return h.apply(pt{a.x + off.x, a.y + off.y}), true
}
