package scanner

import "github.com/makiuchi-d/gozxing"

// hybridBinarizer gives exactly the black matrix of gozxing's
// HybridBinarizer (8×8 blocks, each thresholded at the mean of the 5×5
// blocks' black points around it), of the plane or of its inverse, a
// little faster (BenchmarkHybrid): every frame pays for one of these, and
// a frame without a code for three (the look passes). gozxing's copies the
// whole source first (and inverts it into a second copy for light-on-dark
// codes) and sets the matrix a pixel at a time; this reads the plane in
// place and writes the matrix a word at a time. TestHybridMatchesGozxing
// holds it to gozxing's output bit for bit.
type hybridBinarizer struct {
	p      plane
	invert bool
	matrix *gozxing.BitMatrix
}

// Block geometry and contrast floor, as gozxing's.
const (
	hybridBlock = gozxing.BLOCK_SIZE
	hybridShift = gozxing.BLOCK_SIZE_POWER
	hybridMin   = gozxing.MINIMUM_DIMENSION
	hybridRange = gozxing.MIN_DYNAMIC_RANGE
)

func newHybrid(p plane, invert bool) *hybridBinarizer {
	return &hybridBinarizer{p: p, invert: invert}
}

// GetLuminanceSource is part of gozxing.Binarizer.
func (b *hybridBinarizer) GetLuminanceSource() gozxing.LuminanceSource {
	if b.invert {
		return b.p.source().Invert()
	}
	return b.p.source()
}

// GetWidth is part of gozxing.Binarizer.
func (b *hybridBinarizer) GetWidth() int { return b.p.w }

// GetHeight is part of gozxing.Binarizer.
func (b *hybridBinarizer) GetHeight() int { return b.p.h }

// GetBlackRow is part of gozxing.Binarizer (the QR reader does not use
// it; the row is the matrix's).
func (b *hybridBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	m, err := b.GetBlackMatrix()
	if err != nil {
		return nil, err
	}
	return m.GetRow(y, row), nil
}

// CreateBinarizer is part of gozxing.Binarizer.
func (b *hybridBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return gozxing.NewHybridBinarizer(src)
}

// GetBlackMatrix thresholds the plane once and keeps the result. A plane
// too small for 5×5 blocks takes gozxing's own path (its global
// histogram), as gozxing's hybrid binarizer does.
func (b *hybridBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	if b.matrix != nil {
		return b.matrix, nil
	}
	p := b.p
	if p.w < hybridMin || p.h < hybridMin {
		m, err := gozxing.NewHybridBinarizer(b.GetLuminanceSource()).GetBlackMatrix()
		b.matrix = m
		return m, err
	}
	subW, subH := (p.w+hybridBlock-1)>>hybridShift, (p.h+hybridBlock-1)>>hybridShift
	thr := blockThresholds(p, b.invert, subW, subH)
	m, err := gozxing.NewBitMatrix(p.w, p.h)
	if err != nil {
		return nil, err
	}
	// The last block of a row or column is moved in to end at the edge and
	// overlaps the one before it, but both have the same threshold (the
	// 5×5 window is clamped to the grid), so a pixel's block is simply
	// x>>3, y>>3. Inverted, 255-v <= t is v >= 255-t.
	row := gozxing.NewBitArray(p.w)
	for y := 0; y < p.h; y++ {
		t := thr[(y>>hybridShift)*subW : (y>>hybridShift+1)*subW]
		pix := p.pix[y*p.w : (y+1)*p.w]
		for x0 := 0; x0 < p.w; x0 += 32 {
			var word uint32
			end := min(x0+32, p.w)
			for bx := x0; bx < end; bx += hybridBlock {
				tb := t[bx>>hybridShift]
				seg := pix[bx:min(bx+hybridBlock, end)]
				shift := uint(bx - x0)
				// Branch-free: the sign of v-t-1 is v <= t.
				if b.invert {
					tb = 255 - tb
					for i, v := range seg {
						word |= uint32((tb-int(v)-1)>>63&1) << (shift + uint(i))
					}
				} else {
					for i, v := range seg {
						word |= uint32((int(v)-tb-1)>>63&1) << (shift + uint(i))
					}
				}
			}
			row.SetBulk(x0, word)
		}
		m.SetRow(y, row)
	}
	b.matrix = m
	return m, nil
}

// blockThresholds is each block's threshold, row-major: the mean of the
// black points of the 5×5 blocks around it (clamped to the grid).
func blockThresholds(p plane, invert bool, subW, subH int) []int {
	bp := blackPoints(p, invert, subW, subH)
	thr := make([]int, subW*subH)
	for y := 0; y < subH; y++ {
		top := min(max(y, 2), subH-3)
		for x := 0; x < subW; x++ {
			left := min(max(x, 2), subW-3)
			sum := 0
			for z := -2; z <= 2; z++ {
				r := bp[(top+z)*subW:]
				sum += r[left-2] + r[left-1] + r[left] + r[left+1] + r[left+2]
			}
			thr[y*subW+x] = sum / 25
		}
	}
	return thr
}

// blackPoints is gozxing's per-block black point: the block's mean, or
// for a block of under MIN_DYNAMIC_RANGE levels (background, or the inside
// of a large dark area) half its minimum, raised to its neighbours' if its
// minimum is below theirs. gozxing stops tracking the range once it is
// exceeded; that does not change which branch a block takes.
func blackPoints(p plane, invert bool, subW, subH int) []int {
	bp := make([]int, subW*subH)
	for y := 0; y < subH; y++ {
		yoff := min(y<<hybridShift, p.h-hybridBlock)
		for x := 0; x < subW; x++ {
			xoff := min(x<<hybridShift, p.w-hybridBlock)
			sum, lo, hi := 0, 255, 0
			for yy := 0; yy < hybridBlock; yy++ {
				off := (yoff+yy)*p.w + xoff
				for _, v := range p.pix[off : off+hybridBlock] {
					sum += int(v)
					lo = min(lo, int(v))
					hi = max(hi, int(v))
				}
			}
			if invert {
				sum = hybridBlock*hybridBlock*255 - sum
				lo, hi = 255-hi, 255-lo
			}
			avg := sum >> (2 * hybridShift)
			if hi-lo <= hybridRange {
				avg = lo / 2
				if y > 0 && x > 0 {
					n := (bp[(y-1)*subW+x] + 2*bp[y*subW+x-1] + bp[(y-1)*subW+x-1]) / 4
					if lo < n {
						avg = n
					}
				}
			}
			bp[y*subW+x] = avg
		}
	}
	return bp
}
