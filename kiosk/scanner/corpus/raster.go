package corpus

import (
	"image"
	"math"
	"math/rand/v2"
)

// raster is a linear-light-ish RGB frame in floats (0–255 nominal, values
// may overshoot until clamped), so degradations compose without rounding
// at each step as a real sensor pipeline would not.
type raster struct {
	w, h int
	c    [3][]float32
}

func newRaster(w, h int) *raster {
	r := &raster{w: w, h: h}
	for i := range r.c {
		r.c[i] = make([]float32, w*h)
	}
	return r
}

// each applies f to every pixel of every channel, with its coordinates.
func (r *raster) each(f func(x, y, ch int, v float32) float32) {
	for ch := range r.c {
		p := r.c[ch]
		for y := 0; y < r.h; y++ {
			for x := 0; x < r.w; x++ {
				p[y*r.w+x] = f(x, y, ch, p[y*r.w+x])
			}
		}
	}
}

// blur is a separable Gaussian of standard deviation sigma pixels: defocus
// and motion-free camera shake, as a first approximation.
func (r *raster) blur(sigma float64) {
	if sigma <= 0 {
		return
	}
	rad := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, r.w*r.h)
	for ch := range r.c {
		p := r.c[ch]
		for y := 0; y < r.h; y++ {
			for x := 0; x < r.w; x++ {
				var s float32
				for i, kv := range k {
					xx := min(max(x+i-rad, 0), r.w-1)
					s += kv * p[y*r.w+xx]
				}
				tmp[y*r.w+x] = s
			}
		}
		for y := 0; y < r.h; y++ {
			for x := 0; x < r.w; x++ {
				var s float32
				for i, kv := range k {
					yy := min(max(y+i-rad, 0), r.h-1)
					s += kv * tmp[yy*r.w+x]
				}
				p[y*r.w+x] = s
			}
		}
	}
}

// noise adds sensor noise: Gaussian, independent per channel, sigma levels.
func (r *raster) noise(rng *rand.Rand, sigma float64) {
	r.each(func(_, _, _ int, v float32) float32 {
		return v + float32(rng.NormFloat64()*sigma)
	})
}

// rgba clamps and quantises to 8 bits.
func (r *raster) rgba() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, r.w, r.h))
	for i := 0; i < r.w*r.h; i++ {
		for ch := 0; ch < 3; ch++ {
			img.Pix[4*i+ch] = uint8(min(max(r.c[ch][i]+0.5, 0), 255))
		}
		img.Pix[4*i+3] = 255
	}
	return img
}

// homography maps camera pixels to points on the card plane.
type homography [9]float64

func (h homography) apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// solveHomography finds h with h(src[i]) = dst[i] for four point pairs, by
// Gaussian elimination on the usual 8×8 system (h[8] = 1).
func solveHomography(src, dst [4][2]float64) homography {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := src[i][0], src[i][1], dst[i][0], dst[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := 0; col < 8; col++ {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		for r := 0; r < 8; r++ {
			if r == col {
				continue
			}
			f := a[r][col] / a[col][col]
			for c := col; c < 9; c++ {
				a[r][c] -= f * a[col][c]
			}
		}
	}
	var h homography
	for i := 0; i < 8; i++ {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h
}

// pose places a card of w×h pixels (as seen face-on) centred at (cx, cy): rolled by roll radians in its plane, then tilted by tilt
// radians about an in-plane axis at angle axis, seen through a pinhole of
// focal length f pixels. It returns the four image corners, in the order
// (0,0), (1,0), (1,1), (0,1) of the card.
func pose(cx, cy, w, h, roll, tilt, axis, f float64) [4][2]float64 {
	var out [4][2]float64
	unit := [4][2]float64{{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}}
	ca, sa := math.Cos(axis), math.Sin(axis)
	for i, p := range unit {
		x, y := p[0]*w, p[1]*h
		// Roll in the card plane.
		x, y = x*math.Cos(roll)-y*math.Sin(roll), x*math.Sin(roll)+y*math.Cos(roll)
		// Tilt about the in-plane axis (ca, sa): the part along the axis
		// stays, the part across it shortens and rises off the plane.
		d := x*ca + y*sa
		q := -x*sa + y*ca
		x = d*ca - sa*q*math.Cos(tilt)
		y = d*sa + ca*q*math.Cos(tilt)
		z := q * math.Sin(tilt)
		s := f / (f + z)
		out[i] = [2]float64{cx + x*s, cy + y*s}
	}
	return out
}
