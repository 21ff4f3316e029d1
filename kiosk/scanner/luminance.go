package scanner

import "image"

// luminance converts img to the 8-bit grey plane gozxing reads. A grey
// image without padding (the kiosk's frame) and a JPEG's luma plane are
// used as they are, not copied: nothing in this package writes to a
// plane it did not make, and DecodeAll keeps none of them.
//
// gozxing's own converter calls img.At for every pixel, an interface call and
// a colour conversion each: about 12 ms for a 640×480 RGBA frame (natively),
// more than the QR decoding that follows, on a kiosk that wants several
// frames a second in WebAssembly. The image types that actually arrive (RGBA
// from a canvas, YCbCr from JPEG, paletted from GIF and go-qrcode PNGs,
// grey) are read from their pixel slices instead, about 1 ms; any other type
// takes the slow general path. Transparent pixels are composited
// over white, as a badge on a screen or paper would show them.
func luminance(img image.Image) plane {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if m, ok := img.(*image.Gray); ok && m.Stride == w {
		// The kiosk's frame: its pixels are the plane already.
		off := m.PixOffset(b.Min.X, b.Min.Y)
		return plane{pix: m.Pix[off : off+w*h : off+w*h], w: w, h: h}
	}
	if m, ok := img.(*image.YCbCr); ok && m.YStride == w {
		off := m.YOffset(b.Min.X, b.Min.Y) // a JPEG's luma, the same
		return plane{pix: m.Y[off : off+w*h : off+w*h], w: w, h: h}
	}
	lum := make([]byte, w*h)
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(lum[y*w:(y+1)*w], m.Pix[off:off+w])
		}
	case *image.YCbCr:
		// Y is the luma already; the chroma planes are not needed.
		for y := 0; y < h; y++ {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(lum[y*w:(y+1)*w], m.Y[off:off+w])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				// Premultiplied: over white adds the uncovered share.
				lum[y*w+x] = byte(grey(p[0], p[1], p[2]) + 255 - uint32(p[3]))
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				a := uint32(p[3])
				lum[y*w+x] = byte((grey(p[0], p[1], p[2])*a + 255*(255-a)) / 255)
			}
		}
	case *image.Paletted:
		// Convert the palette once, then look pixels up.
		var table [256]byte
		for i, c := range m.Palette {
			table[i] = greyOf(c.RGBA())
		}
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				lum[y*w+x] = table[row[x]]
			}
		}
	default:
		i := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				lum[i] = greyOf(img.At(x, y).RGBA())
				i++
			}
		}
	}
	return plane{pix: lum, w: w, h: h}
}

// grey is gozxing's luminance, (R+2G+B)/4: close enough to true luma for
// thresholding, and the same weights whichever path an image takes.
func grey(r, g, b uint8) uint32 {
	return (uint32(r) + 2*uint32(g) + uint32(b)) / 4
}

// greyOf does the same for a premultiplied 16-bit colour (color.Color.RGBA),
// composited over white.
func greyOf(r, g, b, a uint32) byte {
	return byte(((r+2*g+b)/4 + 0xffff - a) >> 8)
}
