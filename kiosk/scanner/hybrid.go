package scanner

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

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
	// stats are p's block statistics if already measured (the frame's,
	// shared by its hybrid and hybrid inverse passes), else nil.
	stats  []blockStat
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
	if b.stats == nil {
		b.stats = blockStats(p, subW, subH)
	}
	thr := blockThresholds(b.stats, b.invert, subW, subH)
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
			bx := x0
			// A block's eight pixels at once (bytesGE); the pixels of a
			// last, partial block one by one.
			for ; bx+hybridBlock <= end; bx += hybridBlock {
				tb := uint64(t[bx>>hybridShift])
				v := binary.LittleEndian.Uint64(pix[bx:])
				var ge uint64
				if b.invert {
					ge = bytesGE(v, (255-tb)*byteLanes)
				} else {
					ge = bytesGE(tb*byteLanes, v)
				}
				word |= uint32(laneBits(ge)) << uint(bx-x0)
			}
			for ; bx < end; bx++ {
				tb, v := t[bx>>hybridShift], int(pix[bx])
				if b.invert {
					v = 255 - v
				}
				word |= uint32((v-tb-1)>>63&1) << uint(bx-x0)
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
func blockThresholds(stats []blockStat, invert bool, subW, subH int) []int {
	bp := blackPoints(stats, invert, subW, subH)
	thr := make([]int, subW*subH)
	cols := make([]int, subW) // each column's five black points around row top
	for y := 0; y < subH; y++ {
		top := min(max(y, 2), subH-3)
		for x := range cols {
			c := 0
			for z := top - 2; z <= top+2; z++ {
				c += bp[z*subW+x]
			}
			cols[x] = c
		}
		for x := 0; x < subW; x++ {
			left := min(max(x, 2), subW-3)
			thr[y*subW+x] = (cols[left-2] + cols[left-1] + cols[left] + cols[left+1] + cols[left+2]) / 25
		}
	}
	return thr
}

// blockStat is what the threshold needs of an 8×8 block, for either
// polarity: its pixels' sum, minimum and maximum.
type blockStat struct {
	sum    uint16 // at most 64·255
	lo, hi uint8
}

// blockStats measures p's blocks, row-major (the last block of a row or
// column moved in to end at the edge, as gozxing's): each block row is
// read eight pixels to a word, summed in 16-bit lanes and folded to its
// minimum and maximum lane by lane.
func blockStats(p plane, subW, subH int) []blockStat {
	const evenBytes = 0x00ff00ff00ff00ff
	st := make([]blockStat, subW*subH)
	for y := 0; y < subH; y++ {
		yoff := min(y<<hybridShift, p.h-hybridBlock)
		for x := 0; x < subW; x++ {
			xoff := min(x<<hybridShift, p.w-hybridBlock)
			var sums uint64 // four 16-bit lanes, at most 8·2·255 each
			lo, hi := ^uint64(0), uint64(0)
			for yy := 0; yy < hybridBlock; yy++ {
				v := binary.LittleEndian.Uint64(p.pix[(yoff+yy)*p.w+xoff:])
				sums += v&evenBytes + v>>8&evenBytes
				lo, hi = bytesMin(lo, v), bytesMax(hi, v)
			}
			for _, k := range []uint{32, 16, 8} {
				lo, hi = bytesMin(lo, lo>>k), bytesMax(hi, hi>>k)
			}
			sum := (sums * 0x0001000100010001) >> 48
			st[y*subW+x] = blockStat{uint16(sum), uint8(lo), uint8(hi)}
		}
	}
	return st
}

// Eight pixels in a word, one a byte lane (little-endian: pixel i in
// bits 8i…8i+7), compared lane by lane without branches.
const (
	byteLanes = 0x0101010101010101 // a byte times this is it in every lane
	laneHigh  = 0x8080808080808080
)

// bytesGE has the high bit of each lane set where x's byte is at least
// y's (unsigned), and no other bits. The low seven bits are compared by a
// subtraction that cannot borrow across lanes; the high bits decide where
// they differ.
func bytesGE(x, y uint64) uint64 {
	d := (x | laneHigh) - (y &^ laneHigh)
	return (x&^y | ^(x^y)&d) & laneHigh
}

// laneBits packs bytesGE's eight high bits into a byte, lane i to bit i:
// the multiplier moves each to bit 56+i, and no two partial products meet.
func laneBits(ge uint64) uint64 { return (ge >> 7) * 0x0102040810204080 >> 56 }

// bytesMin and bytesMax are the lane-by-lane minimum and maximum.
func bytesMin(x, y uint64) uint64 {
	m := (bytesGE(x, y) >> 7) * 0xff // x >= y: take y
	return y&m | x&^m
}

func bytesMax(x, y uint64) uint64 {
	m := (bytesGE(x, y) >> 7) * 0xff
	return x&m | y&^m
}

// blackPoints is gozxing's per-block black point: the block's mean, or
// for a block of under MIN_DYNAMIC_RANGE levels (background, or the inside
// of a large dark area) half its minimum, raised to its neighbours' if its
// minimum is below theirs. gozxing stops tracking the range once it is
// exceeded; that does not change which branch a block takes.
func blackPoints(stats []blockStat, invert bool, subW, subH int) []int {
	bp := make([]int, subW*subH)
	for y := 0; y < subH; y++ {
		for x := 0; x < subW; x++ {
			s := stats[y*subW+x]
			sum, lo, hi := int(s.sum), int(s.lo), int(s.hi)
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
