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

// TestHalfAdaptive: the look's adaptive matrix of the half-size frame,
// made a row at a time, is the adaptive binarizer's of p.half(), on sizes
// odd and even, with windows clipped and not.
func TestHalfAdaptive(t *testing.T) {
	for _, s := range [][2]int{{64, 48}, {67, 45}, {9, 31}, {2, 2}, {640, 480}, {333, 251}} {
		p := randomPlane(s[0], s[1], uint64(s[0]*s[1]))
		h := p.half()
		for _, bias := range []int{0, 2} {
			want, err := newAdaptive(h, h.boxBlur(adaptiveRadius(h)), bias).GetBlackMatrix()
			if err != nil {
				t.Fatal(err)
			}
			got, err := halfAdaptiveMatrix(p, bias)
			if err != nil {
				t.Fatal(err)
			}
			for y := 0; y < h.h; y++ {
				for x := 0; x < h.w; x++ {
					if got.Get(x, y) != want.Get(x, y) {
						t.Fatalf("%dx%d bias %d at (%d,%d): %v, want %v", p.w, p.h, bias, x, y, got.Get(x, y), want.Get(x, y))
					}
				}
			}
		}
	}
}

// TestBlockStats: each block's sum, minimum and maximum as measured pixel
// by pixel, the last block of a row or column moved in to end at the edge,
// on noise and on planes whose extremes sit in every lane and row of a
// block (where the lane-by-lane folds could lose them).
func TestBlockStats(t *testing.T) {
	planes := []plane{randomPlane(64, 48, 5), randomPlane(67, 45, 6)}
	for _, v := range []byte{0, 255} {
		for i := range 64 {
			p := plane{pix: make([]byte, 16*16), w: 16, h: 16}
			for j := range p.pix {
				p.pix[j] = 128
			}
			p.pix[(i/8)*16+i%8] = v
			p.pix[(8+i/8)*16+8+i%8] = 255 - v
			planes = append(planes, p)
		}
	}
	for _, p := range planes {
		subW, subH := (p.w+hybridBlock-1)/hybridBlock, (p.h+hybridBlock-1)/hybridBlock
		st := blockStats(p, subW, subH)
		for by := range subH {
			for bx := range subW {
				x0, y0 := min(bx*hybridBlock, p.w-hybridBlock), min(by*hybridBlock, p.h-hybridBlock)
				sum, lo, hi := 0, 255, 0
				for y := y0; y < y0+hybridBlock; y++ {
					for x := x0; x < x0+hybridBlock; x++ {
						v := int(p.pix[y*p.w+x])
						sum, lo, hi = sum+v, min(lo, v), max(hi, v)
					}
				}
				if got := st[by*subW+bx]; int(got.sum) != sum || int(got.lo) != lo || int(got.hi) != hi {
					t.Fatalf("%dx%d block (%d,%d): %+v, want sum %d lo %d hi %d", p.w, p.h, bx, by, got, sum, lo, hi)
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
		if plo, phi := bytesMinMax(x, y); plo != lo || phi != hi {
			t.Fatalf("bytesMinMax(%#x, %#x) = %#x %#x, want %#x %#x", x, y, plo, phi, lo, hi)
		}
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
