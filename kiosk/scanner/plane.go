package scanner

import (
	"encoding/binary"
	"image"

	"github.com/makiuchi-d/gozxing"
)

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
		p.halfRow(y, out.pix[y*w:(y+1)*w])
	}
	return out
}

// halfRow writes row y of p.half() to o (p.w/2 bytes).
func (p plane) halfRow(y int, o []byte) {
	const evenBytes = 0x00ff00ff00ff00ff
	w := len(o)
	r0 := p.pix[2*y*p.w : (2*y+1)*p.w]
	r1 := p.pix[(2*y+1)*p.w : (2*y+2)*p.w]
	// Four output pixels from eight of each row: the 2×2 sums in 16-bit
	// lanes (at most 4·255+2), then each lane's quarter packed back to a
	// byte.
	x := 0
	for ; x+4 <= w; x += 4 {
		v0 := binary.LittleEndian.Uint64(r0[2*x:])
		v1 := binary.LittleEndian.Uint64(r1[2*x:])
		s := v0&evenBytes + v0>>8&evenBytes + v1&evenBytes + v1>>8&evenBytes + 0x0002000200020002
		s = s >> 2 & evenBytes
		s = (s | s>>8) & 0x0000ffff0000ffff
		binary.LittleEndian.PutUint32(o[x:], uint32(s|s>>16))
	}
	for ; x < w; x++ {
		s := int(r0[2*x]) + int(r0[2*x+1]) + int(r1[2*x]) + int(r1[2*x+1])
		o[x] = byte((s + 2) / 4)
	}
}

// crop is a copy of r of p (r within p).
func (p plane) crop(r image.Rectangle) plane {
	out := plane{pix: make([]byte, r.Dx()*r.Dy()), w: r.Dx(), h: r.Dy()}
	for y := range out.h {
		copy(out.pix[y*out.w:(y+1)*out.w], p.pix[(r.Min.Y+y)*p.w+r.Min.X:])
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
	// widened once (in quarters, ×4) and then blended in pairs; three
	// widened rows (above, this, below) are kept, not the whole plane.
	widen := func(y int, row []uint16) {
		in := p.pix[y*p.w : (y+1)*p.w]
		row = row[:2*len(in)]
		for x := range in {
			l, r := in[max(x-1, 0)], in[min(x+1, p.w-1)]
			c := 3 * uint16(in[x])
			row[2*x] = c + uint16(l)
			row[2*x+1] = c + uint16(r)
		}
	}
	up, mid, down := make([]uint16, w), make([]uint16, w), make([]uint16, w)
	widen(0, mid)
	copy(up, mid) // the row above the first is itself (clamped)
	for sy := 0; sy < p.h; sy++ {
		if sy+1 < p.h {
			widen(sy+1, down)
		} else {
			copy(down, mid)
		}
		// Output row 2sy leans up, 2sy+1 leans down.
		for k, far := range [2][]uint16{up, down} {
			row := out.pix[(2*sy+k)*w : (2*sy+k+1)*w]
			far = far[:len(row)]
			near := mid[:len(row)]
			for x := range row {
				row[x] = byte((3*uint32(near[x]) + uint32(far[x]) + 8) / 16)
			}
		}
		up, mid, down = mid, down, up
	}
	return out
}

// boxBlur is p averaged over (2r+1)² windows (clipped at the borders):
// running sums down the columns, then along each row of those, so the
// cost does not grow with r.
func (p plane) boxBlur(r int) plane {
	out := plane{pix: make([]byte, len(p.pix)), w: p.w, h: p.h}
	p.boxBlurInto(r, out.pix, nil)
	return out
}

// boxBlurInto writes p's box blur (see boxBlur) to dst, len(p.pix) bytes:
// one pass over p, keeping only a row of column sums, so a frame's blur
// allocates a few kilobytes rather than a second frame of sums. Each row
// written is handed to then (if not nil) while it is still in the cache;
// a then that is done with each row there may give a dst of one row,
// p.w bytes, which every row is written to in turn.
func (p plane) boxBlurInto(r int, dst []byte, then func(y int, row []byte)) {
	boxBlurRows(p.w, p.h, r, func(y int) []byte { return p.pix[y*p.w : (y+1)*p.w] }, dst, then)
}

// boxBlurRows is boxBlurInto over a w×h image whose rows src gives: each
// row is asked for first as the window's lower edge reaches it (in order),
// then again as the window moves past it (2r+1 rows later) and, between
// the two, for nothing else, so src may make rows as they are asked for
// and keep only the last 2r+2.
func boxBlurRows(w, h, r int, src func(y int) []byte, dst []byte, then func(y int, row []byte)) {
	cols := make([]uint32, w) // column sums over rows y-r … y+r (clipped)
	recip := make([]uint64, w)
	for y := 0; y < min(r, h); y++ {
		for x, v := range src(y)[:w] {
			cols[x] += uint32(v)
		}
	}
	lastNY := -1
	for y := 0; y < h; y++ {
		switch in, out := y+r < h, y-r-1 >= 0; {
		case in && out: // the window moves down a row: one pass
			add, sub := src(y + r)[:w], src(y - r - 1)[:w]
			c, sub := cols[:len(add)], sub[:len(add)]
			for x, v := range add {
				c[x] += uint32(v) - uint32(sub[x])
			}
		case in:
			for x, v := range src(y + r)[:w] {
				cols[x] += uint32(v)
			}
		case out:
			for x, v := range src(y - r - 1)[:w] {
				cols[x] -= uint32(v)
			}
		}
		// Divide by the window's pixel count through a per-column
		// reciprocal: a division per pixel costs more than the sums.
		ny := min(y+r, h-1) - max(y-r, 0) + 1
		if ny != lastNY {
			// Only the clipped columns at either edge differ; the
			// middle's one window size is recip[r+1]'s.
			for x := 0; x < w; x++ {
				if x == r+2 && w-r > x {
					x = w - r
				}
				n := uint64(ny * (min(x+r, w-1) - max(x-r, 0) + 1))
				recip[x] = (1<<32 + n - 1) / n
			}
			lastNY = ny
		}
		off := y * w
		if len(dst) == w {
			off = 0
		}
		row := dst[off : off+w]
		var s uint32
		for x := 0; x < min(r, w); x++ {
			s += cols[x]
		}
		// The window's left edge is clipped up to x = r, its right edge
		// from x = w-r: three loops, no test per pixel in the middle one.
		x := 0
		for ; x < w && x <= r; x++ {
			if x+r < w {
				s += cols[x+r]
			}
			row[x] = byte((uint64(s)*recip[x] + 1<<31) >> 32)
		}
		if x+r < w { // the unclipped middle: one window size
			k := recip[x]
			out := row[x : w-r]
			ahead, behind := cols[x+r:][:len(out)], cols[x-r-1:][:len(out)]
			for i := range out {
				s += ahead[i] - behind[i]
				out[i] = byte((uint64(s)*k + 1<<31) >> 32)
			}
			x = w - r
		}
		for ; x < w; x++ {
			s -= cols[x-r-1]
			row[x] = byte((uint64(s)*recip[x] + 1<<31) >> 32)
		}
		if then != nil {
			then(y, row)
		}
	}
}

// sharpen is an unsharp mask: p plus amount/4 times its difference from
// its (2r+1)² mean. Defocus spreads each module into its neighbours; pushing pixels
// away from their surroundings restores some of the edge the threshold
// needs, at the price of noise, which is why it is a late fallback.
func (p plane) sharpen(r, amount int) plane {
	out := plane{pix: make([]byte, len(p.pix)), w: p.w, h: p.h}
	// Each row of the mean is replaced by the sharpened row as soon as
	// it is made; the push for each difference from the mean (-255…255)
	// is looked up rather than multiplied and divided per pixel.
	var push [511]int
	for d := range push {
		push[d] = (d - 255) * amount / 4
	}
	p.boxBlurInto(r, out.pix, func(y int, row []byte) {
		in := p.pix[y*p.w : (y+1)*p.w]
		row = row[:len(in)]
		for i, v := range in {
			d := int(v) + push[uint(int(v)-int(row[i])+255)%511]
			row[i] = byte(min(max(d, 0), 255))
		}
	})
	return out
}
