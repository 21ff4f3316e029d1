package scanner

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

// hybridBinarizer gives exactly the black matrix of gozxing's
// HybridBinarizer (8×8 blocks, each thresholded at the mean of the 5×5
// blocks' black points around it), of the plane or of its inverse, a
// little faster (BenchmarkHybrid): every frame pays for one of these, and
// a frame without a code for two (the look passes) and the look's
// sharpened windows. gozxing's copies the whole source first (and inverts
// it into a second copy for light-on-dark codes) and sets the matrix a
// pixel at a time; this reads the plane in place, writes the matrix a word
// at a time, and fills the blocks whose pixels all fall on one side of
// their threshold (most of a frame) without comparing them.
// TestHybridMatchesGozxing holds it to gozxing's output bit for bit.
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
	fills := blockFills(b.stats, thr, b.invert)
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
		fill := fills[(y>>hybridShift)*subW : (y>>hybridShift+1)*subW]
		pix := p.pix[y*p.w : (y+1)*p.w]
		for x0 := 0; x0 < p.w; x0 += 32 {
			var word uint32
			end := min(x0+32, p.w)
			bx := x0
			// A block's eight pixels at once: all one colour (fill),
			// else compared (bytesGE); the pixels of a last, partial
			// block one by one.
			for ; bx+hybridBlock <= end; bx += hybridBlock {
				if f := fill[bx>>hybridShift]; f != mixedBlock {
					word |= uint32(f) << uint(bx-x0)
					continue
				}
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
				tb, v := int(t[bx>>hybridShift]), int(pix[bx])
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

// mixedBlock is blockFills' mark of a block with pixels on both sides of
// its threshold (not a fill: those are 0 and 0xff).
const mixedBlock = 1

// blockFills is, for each block, its eight bits of any row when all its
// pixels fall on one side of its threshold (its minimum and maximum tell):
// 0 all white, 0xff all black; else mixedBlock, and its pixels must be
// compared. In a camera frame most blocks are paper, background or the
// inside of a dark area, and are one or the other.
func blockFills(stats []blockStat, thr []uint8, invert bool) []uint8 {
	fills := make([]uint8, len(thr))
	for i, s := range stats {
		t, lo, hi := int(thr[i]), int(s.lo), int(s.hi)
		if invert { // the inverse's pixels, 255-v, are black when at most t
			lo, hi = 255-hi, 255-lo
		}
		switch {
		case hi <= t:
			fills[i] = 0xff
		case lo > t:
			fills[i] = 0
		default:
			fills[i] = mixedBlock
		}
	}
	return fills
}

// blockThresholds is each block's threshold, row-major: the mean of the
// black points of the 5×5 blocks around it (clamped to the grid).
func blockThresholds(stats []blockStat, invert bool, subW, subH int) []uint8 {
	bp := blackPoints(stats, invert, subW, subH)
	thr := make([]uint8, subW*subH)
	// Sums slide: each column's five black points around row top move
	// down a row as top does, and along a row the five columns' sum moves
	// a column at a time. The clamped rows at either end repeat their
	// neighbour's thresholds.
	cols := make([]int, subW)
	for z := 0; z < 5; z++ {
		for x, v := range bp[z*subW : (z+1)*subW] {
			cols[x] += int(v)
		}
	}
	for y := 0; y < subH; y++ {
		top := min(max(y, 2), subH-3)
		row := thr[y*subW : (y+1)*subW]
		if y > 0 && top == min(max(y-1, 2), subH-3) {
			copy(row, thr[(y-1)*subW:y*subW])
			continue
		}
		if y > 2 {
			in, out := bp[(top+2)*subW:(top+3)*subW], bp[(top-3)*subW:(top-2)*subW]
			for x := range cols {
				cols[x] += int(in[x]) - int(out[x])
			}
		}
		s := cols[0] + cols[1] + cols[2] + cols[3] + cols[4]
		for x := range row {
			if x > 2 && x <= subW-3 { // the window's centre column moves
				s += cols[x+2] - cols[x-3]
			}
			row[x] = uint8(s / 25)
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
// read eight pixels to a word and summed in 16-bit lanes; the eight words
// are ordered in pairs (one comparison gives a pair's minimum and maximum
// lane by lane), the pairs' minima and maxima folded to one word each,
// and those two folded across their lanes together, the maximum as the
// complement's minimum.
func blockStats(p plane, subW, subH int) []blockStat {
	const (
		evenBytes = 0x00ff00ff00ff00ff
		lowHalf   = 0x00000000ffffffff
	)
	st := make([]blockStat, subW*subH)
	var r [hybridBlock]uint64
	for y := 0; y < subH; y++ {
		yoff := min(y<<hybridShift, p.h-hybridBlock)
		for x := 0; x < subW; x++ {
			xoff := min(x<<hybridShift, p.w-hybridBlock)
			var sums uint64 // four 16-bit lanes, at most 8·2·255 each
			for yy := range r {
				v := binary.LittleEndian.Uint64(p.pix[(yoff+yy)*p.w+xoff:])
				sums += v&evenBytes + v>>8&evenBytes
				r[yy] = v
			}
			l0, h0 := bytesMinMax(r[0], r[1])
			l1, h1 := bytesMinMax(r[2], r[3])
			l2, h2 := bytesMinMax(r[4], r[5])
			l3, h3 := bytesMinMax(r[6], r[7])
			lo := bytesMin(bytesMin(l0, l1), bytesMin(l2, l3))
			hi := bytesMax(bytesMax(h0, h1), bytesMax(h2, h3))
			// Lanes 0–3 the minimum's halves, 4–7 the complemented
			// maximum's: min folds both at once.
			f := bytesMin(lo&lowHalf|^hi<<32, lo>>32|^hi&^lowHalf)
			f = bytesMin(f, f>>16)
			f = bytesMin(f, f>>8)
			sum := (sums * 0x0001000100010001) >> 48
			st[y*subW+x] = blockStat{uint16(sum), uint8(f), ^uint8(f >> 32)}
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

// bytesMinMax is bytesMin(x, y), bytesMax(x, y) from one comparison.
func bytesMinMax(x, y uint64) (lo, hi uint64) {
	m := (bytesGE(x, y) >> 7) * 0xff
	return y&m | x&^m, x&m | y&^m
}

// blackPoints is gozxing's per-block black point: the block's mean, or
// for a block of under MIN_DYNAMIC_RANGE levels (background, or the inside
// of a large dark area) half its minimum, raised to its neighbours' if its
// minimum is below theirs. gozxing stops tracking the range once it is
// exceeded; that does not change which branch a block takes.
func blackPoints(stats []blockStat, invert bool, subW, subH int) []uint8 {
	bp := make([]uint8, subW*subH) // each at most 255: a mean, or a mean of them
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
					n := (int(bp[(y-1)*subW+x]) + 2*int(bp[y*subW+x-1]) + int(bp[(y-1)*subW+x-1])) / 4
					if lo < n {
						avg = n
					}
				}
			}
			bp[y*subW+x] = uint8(avg)
		}
	}
	return bp
}
