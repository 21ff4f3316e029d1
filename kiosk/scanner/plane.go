package scanner

import "github.com/makiuchi-d/gozxing"

// plane is an 8-bit grey image, row-major without padding: the form every
// preprocessing step here reads and writes.
type plane struct {
	pix  []byte
	w, h int
}

// source wraps p for gozxing without copying. A planar YUV source reads only
// its Y plane, which is exactly a grey plane: gozxing's cheapest ready-made
// source over a byte slice.
func (p plane) source() gozxing.LuminanceSource {
	src, err := gozxing.NewPlanarYUVLuminanceSource(p.pix, p.w, p.h, 0, 0, p.w, p.h, false)
	if err != nil {
		// Cannot happen: the crop is the whole plane.
		panic(err)
	}
	return src
}

// half is p at half size, each pixel the mean of a 2×2 block. Averaging
// (not skipping) is the point: it cancels a screen's subpixel pattern and
// sensor noise, and makes a large code's modules a size the detector's
// fixed-size windows like.
func (p plane) half() plane {
	w, h := p.w/2, p.h/2
	out := plane{pix: make([]byte, w*h), w: w, h: h}
	for y := 0; y < h; y++ {
		r0 := p.pix[2*y*p.w:]
		r1 := p.pix[(2*y+1)*p.w:]
		for x := 0; x < w; x++ {
			s := int(r0[2*x]) + int(r0[2*x+1]) + int(r1[2*x]) + int(r1[2*x+1])
			out.pix[y*w+x] = byte((s + 2) / 4)
		}
	}
	return out
}

// double is p at twice the size, bilinearly interpolated. A code whose
// modules are 1.5–2 pixels wide has finder patterns too small for the
// detector's run-length checks; at 3–4 pixels they pass, and interpolation
// puts the module edges between pixels where they were.
func (p plane) double() plane {
	w, h := 2*p.w, 2*p.h
	out := plane{pix: make([]byte, w*h), w: w, h: h}
	// Each output pixel centre lies a quarter of a source pixel from the
	// nearest source centre: weights 3/4 and 1/4 along each axis. Rows are
	// widened once (in quarters, ×4) and then blended in pairs.
	wide := make([][]uint16, p.h)
	for y := range wide {
		in, row := p.pix[y*p.w:(y+1)*p.w], make([]uint16, w)
		for x := 0; x < p.w; x++ {
			l, r := in[max(x-1, 0)], in[min(x+1, p.w-1)]
			c := 3 * uint16(in[x])
			row[2*x] = c + uint16(l)
			row[2*x+1] = c + uint16(r)
		}
		wide[y] = row
	}
	for y := 0; y < h; y++ {
		near := wide[y/2]
		far := wide[max(y/2-1, 0)] // even rows lean up
		if y%2 == 1 {
			far = wide[min(y/2+1, p.h-1)] // odd rows lean down
		}
		row := out.pix[y*w : (y+1)*w]
		for x := range row {
			row[x] = byte((3*uint32(near[x]) + uint32(far[x]) + 8) / 16)
		}
	}
	return out
}

// boxBlur is p averaged over (2r+1)² windows (clipped at the borders):
// running sums along rows, then along columns, so the cost does not grow
// with r.
func (p plane) boxBlur(r int) plane {
	w, h := p.w, p.h
	rows := make([]uint16, w*h) // row sums, at most (2r+1)·255
	for y := 0; y < h; y++ {
		in, out := p.pix[y*w:(y+1)*w], rows[y*w:(y+1)*w]
		var s int
		for x := 0; x < min(r, w); x++ {
			s += int(in[x])
		}
		for x := 0; x < w; x++ {
			if x+r < w {
				s += int(in[x+r])
			}
			if x-r-1 >= 0 {
				s -= int(in[x-r-1])
			}
			out[x] = uint16(s)
		}
	}
	out := plane{pix: make([]byte, w*h), w: w, h: h}
	sums := make([]int, w)
	recip := make([]uint64, w)
	lastNY := -1
	for y := 0; y < min(r, h); y++ {
		for x, v := range rows[y*w : (y+1)*w] {
			sums[x] += int(v)
		}
	}
	for y := 0; y < h; y++ {
		if y+r < h {
			for x, v := range rows[(y+r)*w : (y+r+1)*w] {
				sums[x] += int(v)
			}
		}
		if y-r-1 >= 0 {
			for x, v := range rows[(y-r-1)*w : (y-r)*w] {
				sums[x] -= int(v)
			}
		}
		// Divide by the window's pixel count through a per-column
		// reciprocal: a division per pixel costs more than the sums.
		ny := min(y+r, h-1) - max(y-r, 0) + 1
		if ny != lastNY {
			for x := 0; x < w; x++ {
				n := uint64(ny * (min(x+r, w-1) - max(x-r, 0) + 1))
				recip[x] = (1<<32 + n - 1) / n
			}
			lastNY = ny
		}
		row := out.pix[y*w : (y+1)*w]
		for x := range row {
			row[x] = byte((uint64(sums[x])*recip[x] + 1<<31) >> 32)
		}
	}
	return out
}

// sharpen is an unsharp mask: p plus amount/4 times its difference from
// its (2r+1)² mean. Defocus spreads each module into its neighbours; pushing pixels
// away from their surroundings restores some of the edge the threshold
// needs, at the price of noise, which is why it is a late fallback.
func (p plane) sharpen(r, amount int) plane {
	blur := p.boxBlur(r)
	out := plane{pix: make([]byte, len(p.pix)), w: p.w, h: p.h}
	for i, v := range p.pix {
		d := int(v) + (int(v)-int(blur.pix[i]))*amount/4
		out.pix[i] = byte(min(max(d, 0), 255))
	}
	return out
}
