package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"

	xdraw "golang.org/x/image/draw"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// pngCanvas rasterises the same drawing calls the PDF takes, for the
// desk's preview and for tests that decode the QR from pixels.
type pngCanvas struct {
	img   *image.RGBA
	scale float64 // pixels per mm
	faces map[faceKey]xfont.Face
}

type faceKey struct {
	f    *face
	size float64
}

func newPNG(w, h, dpi float64) *pngCanvas {
	scale := dpi / 25.4
	img := image.NewRGBA(image.Rect(0, 0, int(math.Round(w*scale)), int(math.Round(h*scale))))
	draw.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	return &pngCanvas{img: img, scale: scale, faces: map[faceKey]xfont.Face{}}
}

func (c *pngCanvas) px(v float64) int { return int(math.Round(v * c.scale)) }

func (c *pngCanvas) rect(x, y, w, h float64, col color.RGBA) {
	r := image.Rect(c.px(x), c.px(y), c.px(x+w), c.px(y+h))
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

func (c *pngCanvas) line(x1, y1, x2, y2, width float64, col color.RGBA, dashed bool) {
	half := math.Max(width/2, 0.5/c.scale)
	if x1 == x2 {
		c.rect(x1-half, math.Min(y1, y2), 2*half, math.Abs(y2-y1), col)
	} else {
		// Only axis-parallel lines are drawn: crop marks and cut lines.
		c.rect(math.Min(x1, x2), y1-half, math.Abs(x2-x1), 2*half, col)
	}
}

func (c *pngCanvas) face(f *face, size float64) xfont.Face {
	k := faceKey{f, size}
	if xf := c.faces[k]; xf != nil {
		return xf
	}
	xf, err := opentype.NewFace(f.raster, &opentype.FaceOptions{Size: size, DPI: c.scale * 25.4, Hinting: xfont.HintingNone})
	if err != nil {
		// The font parsed at start; a face at a positive size cannot fail.
		panic(err)
	}
	c.faces[k] = xf
	return xf
}

func (c *pngCanvas) text(x, baseline float64, ln line, col color.RGBA) {
	src := image.NewUniform(col)
	for _, r := range ln.runs {
		d := xfont.Drawer{Dst: c.img, Src: src, Face: c.face(r.face, ln.size)}
		start := fixed.Point26_6{X: fixed.Int26_6((x + r.x) * c.scale * 64), Y: fixed.Int26_6(baseline * c.scale * 64)}
		d.Dot = start
		d.DrawString(r.text)
		if r.bold && r.face.fallback {
			// Synthetic bold for the fallback face, as in the PDF.
			d.Dot = start.Add(fixed.Point26_6{X: fixed.Int26_6(ln.size * 0.03 / ptPerMM * c.scale * 64)})
			d.DrawString(r.text)
		}
	}
}

func (c *pngCanvas) qr(x, y, size float64, bits [][]bool) {
	c.rect(x, y, size, size, white)
	n := len(bits)
	side := c.px(x+size) - c.px(x)
	// Every module the same whole number of pixels, the code centred in
	// its square (the quiet zone takes the few pixels left over): modules
	// of 6 and 7 pixels by turns made gozxing miss one code in fifty.
	m := max(side/n, 1)
	x0 := c.px(x) + (side-m*n)/2
	y0 := c.px(y) + (side-m*n)/2
	for row := 0; row < n; row++ {
		for col := 0; col < n; col++ {
			if !bits[row][col] {
				continue
			}
			r := image.Rect(x0+col*m, y0+row*m, x0+(col+1)*m, y0+(row+1)*m)
			draw.Draw(c.img, r, image.NewUniform(black), image.Point{}, draw.Src)
		}
	}
}

// photo decodes the JPEG and scales its crop into the box's pixels
// (Catmull-Rom: a 600×800 photo shrinks about three times for a 300 dpi
// badge, and a cheaper filter leaves the face jagged).
func (c *pngCanvas) photo(x, y, w, h float64, p *jpegPhoto) error {
	img, err := jpeg.Decode(bytes.NewReader(p.data))
	if err != nil {
		return fmt.Errorf("render: photo: %w", err)
	}
	src := p.coverRect(w, h).Add(img.Bounds().Min)
	dst := image.Rect(c.px(x), c.px(y), c.px(x+w), c.px(y+h))
	xdraw.CatmullRom.Scale(c.img, dst, img, src, xdraw.Src, nil)
	return nil
}
