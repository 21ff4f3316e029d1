package scanner

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// redetect reads a code whose size gozxing's detector got wrong.
//
// The detector finds the three finder patterns, estimates the number of
// modules across from their distance and one module size, and gives up if
// that estimate is not a valid QR size or the grid it samples does not
// decode. Under a steep tilt the near side's modules are larger than the far
// side's and the estimate is off by one size step or two: the code is found
// but not read (ZXing-C++ tries the neighbouring sizes; gozxing does not).
// This takes the same finder patterns and tries the valid sizes nearest the
// estimate, each axis estimated on its own, with and without the alignment
// pattern. A wrong size does not decode to a wrong text: the format
// information, the version information (from version 7) and the
// Reed–Solomon check all have to pass. It returns the finder patterns of
// the code it read, so that others does not read the same code again.
func redetect(m *gozxing.BitMatrix) (string, []gozxing.ResultPoint, bool) {
	if text, corners, ok := readTilted(m); ok { // perspective.go
		return text, corners, true
	}
	_, info, err := find(m) // gozxing's finder, a run at a time (multi.go)
	if err != nil {
		return "", nil, false
	}
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	across := func(a, b *detector.FinderPattern) float64 {
		ms := (a.GetEstimatedModuleSize() + b.GetEstimatedModuleSize()) / 2
		return gozxing.ResultPoint_Distance(a, b)/ms + 7
	}
	d1, d2 := across(tl, tr), across(tl, bl)
	lo, hi := math.Min(d1, d2)-6, math.Max(d1, d2)+6
	mid := (d1 + d2) / 2
	var dims []int
	for dim := 21; dim <= 177; dim += 4 {
		if float64(dim) >= lo && float64(dim) <= hi {
			dims = append(dims, dim)
		}
	}
	sort.Slice(dims, func(i, j int) bool {
		return math.Abs(float64(dims[i])-mid) < math.Abs(float64(dims[j])-mid)
	})
	if len(dims) > 5 {
		dims = dims[:5]
	}
	// Under perspective the module size changes across the code; at the
	// bottom-right corner it is about what the two neighbours' sizes
	// predict from the top-left's.
	ms := tr.GetEstimatedModuleSize() * bl.GetEstimatedModuleSize() / tl.GetEstimatedModuleSize()
	dec := decoder.NewDecoder()
	for _, dim := range dims {
		for _, align := range []*detector.AlignmentPattern{findAlignment(m, tl, tr, bl, dim, ms), nil} {
			t := detector.Detector_createTransform(tl, tr, bl, align, dim)
			bits, err := detector.Detector_sampleGrid(m, t, dim)
			if err != nil {
				continue
			}
			if res, err := dec.Decode(bits, hints); err == nil {
				return res.GetText(), []gozxing.ResultPoint{bl, tl, tr}, true
			}
			if align == nil {
				break
			}
		}
	}
	return "", nil, false
}

// findAlignment looks for the alignment pattern where a code of dim modules
// would have it, as gozxing's detector does; nil if there is none (version
// 1) or it is not found.
func findAlignment(m *gozxing.BitMatrix, tl, tr, bl gozxing.ResultPoint, dim int, ms float64) *detector.AlignmentPattern {
	v, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil || len(v.GetAlignmentPatternCenters()) == 0 {
		return nil
	}
	brX := tr.GetX() - tl.GetX() + bl.GetX()
	brY := tr.GetY() - tl.GetY() + bl.GetY()
	k := 1 - 3/float64(dim-7)
	ex, ey := tl.GetX()+k*(brX-tl.GetX()), tl.GetY()+k*(brY-tl.GetY())
	for f := 4.0; f <= 16; f *= 2 {
		a := f * ms
		x0, y0 := max(int(ex-a), 0), max(int(ey-a), 0)
		x1, y1 := min(int(ex+a), m.GetWidth()-1), min(int(ey+a), m.GetHeight()-1)
		if float64(x1-x0) < 3*ms || float64(y1-y0) < 3*ms {
			return nil
		}
		if p, err := detector.NewAlignmentPatternFinder(m, x0, y0, x1-x0, y1-y0, ms, nil).Find(); err == nil {
			return p
		}
	}
	return nil
}
