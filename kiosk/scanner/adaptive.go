package scanner

import "github.com/makiuchi-d/gozxing"

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
	for i, v := range p.pix {
		if int(v) < int(b.mean.pix[i])-b.bias {
			m.Set(i%p.w, i/p.w)
		}
	}
	b.matrix = m
	return m, nil
}
