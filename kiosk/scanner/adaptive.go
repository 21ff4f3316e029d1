package scanner

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

// adaptiveBinarizer thresholds each pixel against the mean of a square
// window around it (Bradley's method; the means come from plane.boxBlur).
//
// gozxing's hybrid binarizer does the same per 8×8 block but declares any
// block whose range is under 24 grey levels to be background: right for a
// clean frame, wrong for a faded print, a dimmed phone or a code half in a
// hand's shadow, where the whole code spans fewer levels than that. This one
// has no such floor, and its per-pixel window follows shadow edges and glare
// falloff that block averages smear.
type adaptiveBinarizer struct {
	p      plane
	mean   plane // p's window means
	bias   int   // a pixel is dark if it is below the mean by more than this
	matrix *gozxing.BitMatrix
}

func newAdaptive(p, mean plane, bias int) *adaptiveBinarizer {
	return &adaptiveBinarizer{p: p, mean: mean, bias: bias}
}

// adaptiveRadius is the window radius for p: about a thirtieth of the short
// side, several modules of a code that fills a fair part of the frame.
func adaptiveRadius(p plane) int { return max(4, min(p.w, p.h)/30) }

// GetLuminanceSource is part of gozxing.Binarizer.
func (b *adaptiveBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return b.p.source() }

// GetWidth is part of gozxing.Binarizer.
func (b *adaptiveBinarizer) GetWidth() int { return b.p.w }

// GetHeight is part of gozxing.Binarizer.
func (b *adaptiveBinarizer) GetHeight() int { return b.p.h }

// GetBlackRow is part of gozxing.Binarizer (1D readers use it; the QR
// reader does not, but the row is the matrix's).
func (b *adaptiveBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	m, err := b.GetBlackMatrix()
	if err != nil {
		return nil, err
	}
	return m.GetRow(y, row), nil
}

// CreateBinarizer is part of gozxing.Binarizer: the same thresholding over
// another source, read into a plane.
func (b *adaptiveBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	p := plane{pix: src.GetMatrix(), w: src.GetWidth(), h: src.GetHeight()}
	return newAdaptive(p, p.boxBlur(adaptiveRadius(p)), b.bias)
}

// GetBlackMatrix thresholds the plane once and keeps the result.
func (b *adaptiveBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	if b.matrix != nil {
		return b.matrix, nil
	}
	p := b.p
	m, err := gozxing.NewBitMatrix(p.w, p.h)
	if err != nil {
		return nil, err
	}
	row := gozxing.NewBitArray(p.w)
	for y := 0; y < p.h; y++ {
		adaptiveRow(p.pix[y*p.w:(y+1)*p.w], b.mean.pix[y*p.w:(y+1)*p.w], b.bias, row)
		m.SetRow(y, row)
	}
	b.matrix = m
	return m, nil
}

// halfAdaptiveMatrix is the adaptive matrix of p at half size,
// newAdaptive(h, h.boxBlur(adaptiveRadius(h)), bias)'s for h = p.half(),
// made a row at a time: each row of h is made as the window reaches it and
// kept only while the window holds it, and each row of means thresholded
// as soon as it is made. The look (seenAny) needs no more of h than that,
// and a frame without a code no longer allocates a half frame and a plane
// of means for it.
func halfAdaptiveMatrix(p plane, bias int) (*gozxing.BitMatrix, error) {
	w, h := p.w/2, p.h/2
	m, err := gozxing.NewBitMatrix(w, h)
	if err != nil {
		return nil, err
	}
	r := adaptiveRadius(plane{w: w, h: h})
	ring := make([]byte, (2*r+2)*w)
	made := -1 // the last row of h made
	row := func(y int) []byte {
		for ; made < y; made++ {
			p.halfRow(made+1, ring[(made+1)%(2*r+2)*w:][:w])
		}
		return ring[y%(2*r+2)*w:][:w]
	}
	bits := gozxing.NewBitArray(w)
	boxBlurRows(w, h, r, row, make([]byte, w), func(y int, mean []byte) {
		adaptiveRow(row(y), mean, bias, bits)
		m.SetRow(y, bits)
	})
	return m, nil
}

// adaptiveRow sets row's bits where pix is below mean by more than bias
// (every bit is written). A word of the matrix at a time: eight pixels at
// once where the bias fits a byte (v < mean-bias is v < max(mean,
// bias)-bias, and not v >= that), the rest one by one, branch-free (the
// sign of v-mean+bias).
func adaptiveRow(pix, mean []byte, bias int, row *gozxing.BitArray) {
	w := len(pix)
	mean = mean[:w]
	swar := bias >= 0 && bias <= 255
	lanes := uint64(max(bias, 0)) * byteLanes
	for x0 := 0; x0 < w; x0 += 32 {
		var word uint32
		end := min(x0+32, w)
		x := x0
		for ; swar && x+8 <= end; x += 8 {
			v := binary.LittleEndian.Uint64(pix[x:])
			t := bytesMax(binary.LittleEndian.Uint64(mean[x:]), lanes) - lanes
			word |= uint32(laneBits(^bytesGE(v, t)&laneHigh)) << uint(x-x0)
		}
		for ; x < end; x++ {
			word |= uint32((int(pix[x])-int(mean[x])+bias)>>63&1) << uint(x-x0)
		}
		row.SetBulk(x0, word)
	}
}
