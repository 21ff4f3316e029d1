package scanner

import (
	"fmt"
	"math/rand/v2"
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
				// On its own, and with the block statistics of the
				// plane's other polarity (as a frame's two passes share
				// them).
				other := newHybrid(p, !invert)
				_, _ = other.GetBlackMatrix()
				shared := newHybrid(p, invert)
				shared.stats = other.stats
				for _, b := range []*hybridBinarizer{newHybrid(p, invert), shared} {
					got, gerr := b.GetBlackMatrix()
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
				}
			})
		}
	}
}

// TestAdaptiveMatchesDirect: the adaptive binarizer's word-at-a-time matrix
// is the per-pixel rule (dark when below the window mean by more than the
// bias), on widths that are and are not multiples of 32.
func TestAdaptiveMatchesDirect(t *testing.T) {
	for _, s := range [][2]int{{64, 48}, {67, 45}, {31, 9}, {1, 5}, {333, 251}} {
		p := randomPlane(s[0], s[1], uint64(s[0]+s[1]))
		mean := p.boxBlur(adaptiveRadius(p))
		for _, bias := range []int{0, 2, -3} {
			m, err := newAdaptive(p, mean, bias).GetBlackMatrix()
			if err != nil {
				t.Fatal(err)
			}
			for y := 0; y < p.h; y++ {
				for x := 0; x < p.w; x++ {
					i := y*p.w + x
					if want := int(p.pix[i]) < int(mean.pix[i])-bias; m.Get(x, y) != want {
						t.Fatalf("%dx%d bias %d at (%d,%d): %v, want %v", p.w, p.h, bias, x, y, m.Get(x, y), want)
					}
				}
			}
		}
	}
}

// TestByteLanes: the lane-by-lane comparisons, minimum, maximum and bit
// packing agree with byte-by-byte arithmetic, on random words and on the
// edge values (0, 127, 128, 255 against each other).
func TestByteLanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 4))
	edges := []uint64{0, 1, 127, 128, 129, 254, 255}
	var words [][2]uint64
	for _, a := range edges {
		for _, b := range edges {
			words = append(words, [2]uint64{a * byteLanes, b * byteLanes}, [2]uint64{a << 24, b << 56})
		}
	}
	for range 10000 {
		words = append(words, [2]uint64{rng.Uint64(), rng.Uint64()})
	}
	for _, w := range words {
		x, y := w[0], w[1]
		ge, lo, hi := bytesGE(x, y), bytesMin(x, y), bytesMax(x, y)
		packed := laneBits(ge)
		for i := range 8 {
			a, b := byte(x>>(8*i)), byte(y>>(8*i))
			if got := ge>>(8*i)&0xff == 0x80; got != (a >= b) || ge>>(8*i)&0x7f != 0 {
				t.Fatalf("bytesGE(%#x, %#x) lane %d: %#x", x, y, i, ge)
			}
			if byte(lo>>(8*i)) != min(a, b) || byte(hi>>(8*i)) != max(a, b) {
				t.Fatalf("min/max(%#x, %#x) lane %d: %#x %#x", x, y, i, lo, hi)
			}
			if (packed>>i&1 == 1) != (a >= b) {
				t.Fatalf("laneBits(%#x) bit %d", ge, i)
			}
		}
		if packed > 0xff {
			t.Fatalf("laneBits(%#x) = %#x", ge, packed)
		}
	}
}
