package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// blot is something over part of the code: a thumb, a smear of ink, a
// sticker. An ellipse in module coordinates with a wavy edge.
type blot struct {
	x, y, rx, ry float64 // centre and radii, modules
	cos, sin     float64 // the ellipse's rotation
	wob, phase   float64 // the edge's waviness
	grey         float32
}

// covers tells whether the module-space point (u, v) is under the blot.
func (b blot) covers(u, v float64) bool {
	dx, dy := u-b.x, v-b.y
	x, y := (dx*b.cos+dy*b.sin)/b.rx, (-dx*b.sin+dy*b.cos)/b.ry
	r2 := x*x + y*y
	if r2 > (1+b.wob)*(1+b.wob) {
		return false
	}
	r := 1 + b.wob*math.Sin(3*math.Atan2(y, x)+b.phase)
	return r2 <= r*r
}

// quiet is go-qrcode's quiet zone, in modules.
const quiet = 4

// placeBlot puts a blot over the data of the code bits (quiet zone
// included), clear of the three finder patterns so the code is still
// found. recoverable chooses whether the blotted grid still decodes to
// text (error correction repairs it) or not: each candidate is checked
// with gozxing's decoder on the module grid, not guessed from its area.
// It returns the blot and the share of the symbol it covers.
func placeBlot(rng *rand.Rand, bits [][]bool, text string, recoverable bool, ink, paper float32) (blot, float64, error) {
	n := len(bits) - 2*quiet // the symbol's side
	finder := func(x, y int) bool {
		in := func(a int) int { return a - quiet }
		i, j := in(x), in(y)
		return (i < 8 && j < 8) || (i >= n-8 && j < 8) || (i < 8 && j >= n-8)
	}
	for try := 0; try < 500; try++ {
		share := 0.04 + rng.Float64()*0.10
		if !recoverable {
			share = 0.25 + rng.Float64()*0.2
		}
		area := share * float64(n*n)
		aspect := 0.6 + rng.Float64()*0.9
		ang := rng.Float64() * math.Pi
		b := blot{
			x: quiet + rng.Float64()*float64(n), y: quiet + rng.Float64()*float64(n),
			rx: math.Sqrt(area / math.Pi * aspect), ry: math.Sqrt(area / math.Pi / aspect),
			cos: math.Cos(ang), sin: math.Sin(ang),
			wob: 0.08 + rng.Float64()*0.12, phase: rng.Float64() * 2 * math.Pi,
		}
		dark := rng.IntN(2) == 0
		b.grey = paper * float32(0.92+rng.Float64()*0.1)
		if dark {
			b.grey = ink * float32(0.7+rng.Float64()*0.5)
		}
		seen := make([][]bool, n)
		covered, clear := 0, true
		for j := 0; j < n && clear; j++ {
			seen[j] = make([]bool, n)
			for i := 0; i < n; i++ {
				x, y := quiet+i, quiet+j
				seen[j][i] = bits[y][x]
				// The edge of each module too: a blot that grazes a
				// finder pattern spoils its ratios.
				if b.covers(float64(x)+0.5, float64(y)+0.5) || b.covers(float64(x), float64(y)) {
					if finder(x, y) {
						clear = false
						break
					}
					covered++
					seen[j][i] = dark
				}
			}
		}
		if !clear {
			continue
		}
		if (decodeGrid(seen) == text) == recoverable {
			return b, float64(covered) / float64(n*n), nil
		}
	}
	return blot{}, 0, fmt.Errorf("corpus: no blot found (recoverable %v)", recoverable)
}

// idealDecode reads a code's module grid, quiet zone included, as a
// perfect camera would see it: gozxing's decoder with no detection step.
func idealDecode(bits [][]bool) string {
	n := len(bits) - 2*quiet
	core := make([][]bool, n)
	for j := range core {
		core[j] = bits[quiet+j][quiet : quiet+n]
	}
	return decodeGrid(core)
}

// decodeGrid decodes a module grid without quiet zone; "" if it does not.
func decodeGrid(core [][]bool) string {
	res, err := decoder.NewDecoder().DecodeBoolMapWithoutHint(core)
	if err != nil {
		return ""
	}
	return res.GetText()
}
