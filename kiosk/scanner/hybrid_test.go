package scanner

import (
	"fmt"
	"testing"

	"github.com/makiuchi-d/gozxing"

	"huiwu/kiosk/scanner/corpus"
)

// TestHybridMatchesGozxing: the fast hybrid binarizer's matrix is gozxing's
// HybridBinarizer's, bit for bit, of a plane and of its inverse: on noise,
// on planes whose sides are not multiples of the block (the last block
// overlaps), on ones too small for blocks, on flat and low-contrast
// planes (the black-point branch for blocks without contrast), and on
// corpus frames.
func TestHybridMatchesGozxing(t *testing.T) {
	var planes []plane
	for _, s := range [][2]int{{64, 48}, {67, 45}, {41, 83}, {40, 40}, {39, 50}, {20, 20}, {333, 251}} {
		planes = append(planes, randomPlane(s[0], s[1], uint64(s[0]*s[1])))
	}
	// Low contrast: noise of 20 levels over a gradient, and a flat plane
	// with one dark blob.
	lc := randomPlane(97, 71, 3)
	for i := range lc.pix {
		lc.pix[i] = byte(100 + int(lc.pix[i])%20 + (i%97)/3)
	}
	flat := plane{pix: make([]byte, 80*60), w: 80, h: 60}
	for i := range flat.pix {
		flat.pix[i] = 200
		if x, y := i%80, i/80; x > 30 && x < 50 && y > 20 && y < 40 {
			flat.pix[i] = 10
		}
	}
	planes = append(planes, lc, flat)
	err := corpus.Generate(corpus.Config{Seed: corpus.TuningSeed, PerClass: 1, Classes: []string{"lowcontrast", "dark", "nocode", "glare"}}, func(s corpus.Sample) error {
		planes = append(planes, luminance(s.Image))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range planes {
		for _, invert := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d-%dx%d-inv%v", i, p.w, p.h, invert), func(t *testing.T) {
				src := p.source()
				if invert {
					src = src.Invert()
				}
				want, werr := gozxing.NewHybridBinarizer(src).GetBlackMatrix()
				got, gerr := newHybrid(p, invert).GetBlackMatrix()
				if (werr != nil) != (gerr != nil) {
					t.Fatalf("errors: %v, want %v", gerr, werr)
				}
				if werr != nil {
					return
				}
				for y := 0; y < p.h; y++ {
					for x := 0; x < p.w; x++ {
						if got.Get(x, y) != want.Get(x, y) {
							t.Fatalf("(%d,%d): %v, want %v", x, y, got.Get(x, y), want.Get(x, y))
						}
					}
				}
			})
		}
	}
}
