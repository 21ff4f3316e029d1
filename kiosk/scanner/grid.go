package scanner

import (
	"math"

	"github.com/makiuchi-d/gozxing"
)

// pt is a point in the image (pixels) or on the code (modules).
type pt struct{ x, y float64 }

// homography maps module coordinates on the code to image pixels:
// x = (h0·X + h1·Y + h2) / (h6·X + h7·Y + 1), y = (h3·X + h4·Y + h5) / (…).
// Under a camera's perspective the code's plane maps to the image by
// exactly such a map, whatever the tilt; an affine map (three points) is
// right only face-on.
type homography [8]float64

func (h homography) apply(p pt) pt {
	d := h[6]*p.x + h[7]*p.y + 1
	return pt{(h[0]*p.x + h[1]*p.y + h[2]) / d, (h[3]*p.x + h[4]*p.y + h[5]) / d}
}

// fitHomography is the least-squares homography taking each src (module
// coordinates) to its dst (pixels): the direct linear transform, with both
// sides normalised so the normal equations stay well conditioned. Four
// points in general position fix it; more average out their errors. Not
// ok if the points are degenerate (three on a line).
func fitHomography(src, dst []pt) (homography, bool) {
	if len(src) < 4 || len(src) != len(dst) {
		return homography{}, false
	}
	ns, nd := normaliser(src), normaliser(dst)
	var a [8][9]float64 // normal equations, augmented
	for i := range src {
		s, d := ns.to(src[i]), nd.to(dst[i])
		rows := [2][9]float64{
			{s.x, s.y, 1, 0, 0, 0, -s.x * d.x, -s.y * d.x, d.x},
			{0, 0, 0, s.x, s.y, 1, -s.x * d.y, -s.y * d.y, d.y},
		}
		for _, r := range rows {
			for j := 0; j < 8; j++ {
				for k := 0; k < 9; k++ {
					a[j][k] += r[j] * r[k]
				}
			}
		}
	}
	x, ok := solve8(a)
	if !ok {
		return homography{}, false
	}
	// Undo the normalisations: H = Nd⁻¹ · X · Ns.
	m := [3][3]float64{{x[0], x[1], x[2]}, {x[3], x[4], x[5]}, {x[6], x[7], 1}}
	m = mul3(nd.inverse(), mul3(m, ns.matrix()))
	if m[2][2] == 0 {
		return homography{}, false
	}
	var h homography
	for i := 0; i < 8; i++ {
		h[i] = m[i/3][i%3] / m[2][2]
	}
	return h, true
}

// residual is the root-mean-square distance, in pixels, between h's image
// of each src and its dst.
func (h homography) residual(src, dst []pt) float64 {
	var s float64
	for i := range src {
		p := h.apply(src[i])
		s += (p.x-dst[i].x)*(p.x-dst[i].x) + (p.y-dst[i].y)*(p.y-dst[i].y)
	}
	return math.Sqrt(s / float64(len(src)))
}

// norm moves points' centroid to the origin and scales their mean distance
// from it to √2 (Hartley's normalisation).
type norm struct{ cx, cy, s float64 }

func normaliser(ps []pt) norm {
	var n norm
	for _, p := range ps {
		n.cx += p.x
		n.cy += p.y
	}
	n.cx /= float64(len(ps))
	n.cy /= float64(len(ps))
	var d float64
	for _, p := range ps {
		d += math.Hypot(p.x-n.cx, p.y-n.cy)
	}
	n.s = 1
	if d > 0 {
		n.s = math.Sqrt2 * float64(len(ps)) / d
	}
	return n
}

func (n norm) to(p pt) pt { return pt{(p.x - n.cx) * n.s, (p.y - n.cy) * n.s} }

func (n norm) matrix() [3][3]float64 {
	return [3][3]float64{{n.s, 0, -n.s * n.cx}, {0, n.s, -n.s * n.cy}, {0, 0, 1}}
}

func (n norm) inverse() [3][3]float64 {
	return [3][3]float64{{1 / n.s, 0, n.cx}, {0, 1 / n.s, n.cy}, {0, 0, 1}}
}

func mul3(a, b [3][3]float64) [3][3]float64 {
	var c [3][3]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

// solve8 solves an augmented 8×9 system by Gaussian elimination with
// partial pivoting.
func solve8(a [8][9]float64) ([8]float64, bool) {
	var x [8]float64
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return x, false
		}
		a[c], a[p] = a[p], a[c]
		for r := c + 1; r < 8; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	for r := 7; r >= 0; r-- {
		s := a[r][8]
		for k := r + 1; k < 8; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, true
}

// sampleGrid reads the dim×dim modules of the code through h, each at its
// centre's pixel; not ok if a module centre falls outside the image.
func sampleGrid(m *gozxing.BitMatrix, h homography, dim int) (*gozxing.BitMatrix, bool) {
	bits, err := gozxing.NewSquareBitMatrix(dim)
	if err != nil {
		return nil, false
	}
	w, ht := m.GetWidth(), m.GetHeight()
	for j := 0; j < dim; j++ {
		for i := 0; i < dim; i++ {
			p := h.apply(pt{float64(i) + 0.5, float64(j) + 0.5})
			x, y := int(math.Floor(p.x)), int(math.Floor(p.y))
			if x < 0 || y < 0 || x >= w || y >= ht {
				return nil, false
			}
			if m.Get(x, y) {
				bits.Set(i, j)
			}
		}
	}
	return bits, true
}

// finderCorners finds the four outer corners of the finder pattern centred
// at c: rays from the centre cross black, white, black and end where the
// outer ring does; the ring's edge points are split into four sides by
// their extremes, a line fitted to each side, and neighbouring sides
// intersected. Under perspective the ring is any convex quadrilateral, and
// its corners carry the tilt that the centre alone does not. Not ok if
// too few rays find the ring's edge.
func finderCorners(m *gozxing.BitMatrix, f finder) ([4]pt, bool) {
	const rays = 48
	var corners [4]pt
	reach := 7 * max(f.mx, f.my)
	edge := make([]pt, 0, rays)
	for k := 0; k < rays; k++ {
		a := 2 * math.Pi * float64(k) / rays
		dx, dy := math.Cos(a)/2, math.Sin(a)/2
		want, changes := false, 0
		for t := 0.0; t < 2*reach; t++ {
			x, y := f.x+t*dx, f.y+t*dy
			if x < 0 || y < 0 || x >= float64(m.GetWidth()) || y >= float64(m.GetHeight()) {
				break
			}
			if m.Get(int(x), int(y)) == want {
				changes++
				if changes == 3 {
					edge = append(edge, pt{x - dx/2, y - dy/2})
					break
				}
				want = !want
			}
		}
	}
	if len(edge) < rays*3/4 {
		return corners, false
	}
	// Extremes: the point farthest from the centre, the one farthest from
	// it, and the two farthest on either side of the line between them.
	far := func(from pt) int {
		best, bd := 0, -1.0
		for i, p := range edge {
			if d := math.Hypot(p.x-from.x, p.y-from.y); d > bd {
				best, bd = i, d
			}
		}
		return best
	}
	i0 := far(pt{f.x, f.y})
	i2 := far(edge[i0])
	a, b := edge[i0], edge[i2]
	i1, i3, d1, d3 := -1, -1, 0.0, 0.0
	for i, p := range edge {
		s := (b.x-a.x)*(p.y-a.y) - (b.y-a.y)*(p.x-a.x)
		if s > d1 {
			i1, d1 = i, s
		}
		if s < d3 {
			i3, d3 = i, s
		}
	}
	if i1 < 0 || i3 < 0 {
		return corners, false
	}
	ext := [4]pt{edge[i0], edge[i1], edge[i2], edge[i3]}
	// Fit each side to the edge points between its two extremes, away from
	// the corners (where rays graze the ring and land short).
	var lines [4][3]float64 // a·x + b·y = c
	for s := 0; s < 4; s++ {
		p, q := ext[s], ext[(s+1)%4]
		var side []pt
		l := math.Hypot(q.x-p.x, q.y-p.y)
		for _, e := range edge {
			// Position along the side and distance from it.
			u := ((e.x-p.x)*(q.x-p.x) + (e.y-p.y)*(q.y-p.y)) / (l * l)
			d := math.Abs((q.x-p.x)*(e.y-p.y)-(q.y-p.y)*(e.x-p.x)) / l
			if u > 0.15 && u < 0.85 && d < 0.1*l+1 {
				side = append(side, e)
			}
		}
		if len(side) < 2 {
			side = []pt{p, q}
		}
		lines[s] = fitLine(side)
	}
	for s := 0; s < 4; s++ {
		p, ok := intersect(lines[(s+3)%4], lines[s])
		if !ok || math.Hypot(p.x-ext[s].x, p.y-ext[s].y) > 2*max(f.mx, f.my) {
			p = ext[s]
		}
		corners[s] = p
	}
	return corners, true
}

// fitLine is the total-least-squares line through ps, as a·x + b·y = c
// with (a, b) a unit normal.
func fitLine(ps []pt) [3]float64 {
	var mx, my float64
	for _, p := range ps {
		mx += p.x
		my += p.y
	}
	mx /= float64(len(ps))
	my /= float64(len(ps))
	var sxx, sxy, syy float64
	for _, p := range ps {
		dx, dy := p.x-mx, p.y-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	// The direction is the principal axis; the normal is perpendicular.
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy)
	a, b := -math.Sin(theta), math.Cos(theta)
	return [3]float64{a, b, a*mx + b*my}
}

func intersect(l1, l2 [3]float64) (pt, bool) {
	det := l1[0]*l2[1] - l1[1]*l2[0]
	if math.Abs(det) < 1e-9 {
		return pt{}, false
	}
	return pt{(l1[2]*l2[1] - l1[1]*l2[2]) / det, (l1[0]*l2[2] - l1[2]*l2[0]) / det}, true
}
