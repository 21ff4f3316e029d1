package render

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
)

// MaxPhotoPixels bounds a badge photo's pixels, read from its header
// before anything is decoded. The desk stores photos at most 600×800
// (server/internal/photos); this only keeps a caller's mistake from
// costing the server its memory.
const MaxPhotoPixels = 12_000_000

// jpegPhoto is a badge's photo: the JPEG as stored (the PDF embeds these
// bytes as they are) and its size in pixels.
type jpegPhoto struct {
	data []byte
	w, h int
}

// readPhoto checks data's JPEG header; nil, nil for no photo.
func readPhoto(data []byte) (*jpegPhoto, error) {
	if len(data) == 0 {
		return nil, nil
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("render: photo: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPhotoPixels {
		return nil, fmt.Errorf("render: photo of %d×%d pixels", cfg.Width, cfg.Height)
	}
	return &jpegPhoto{data: data, w: cfg.Width, h: cfg.Height}, nil
}

// crop is the part of the photo, in pixels, that fills a box of w×h mm
// with its aspect kept (cover): the whole height and the middle of the
// width of a photo wider than the box, and the other way about.
func (p *jpegPhoto) crop(w, h float64) (x0, y0, cw, ch float64) {
	cw, ch = float64(p.w), float64(p.h)
	if cw/ch > w/h {
		cw = ch * w / h
	} else {
		ch = cw * h / w
	}
	return (float64(p.w) - cw) / 2, (float64(p.h) - ch) / 2, cw, ch
}

// drawPhoto puts the photo in the layout's box, or, for a person without
// one, a thin frame saying 照片 / Photo: the badge prints either way, and
// the readiness board counts who still needs a photo.
func drawPhoto(cv canvas, fs *faces, box *Box, p *jpegPhoto, ox, oy float64) error {
	x, y, w, h := ox+box.X, oy+box.Y, box.W, box.H
	if p != nil {
		return cv.photo(x, y, w, h, p)
	}
	const t = 0.2 // mm
	for _, s := range [][4]float64{{x, y, x + w, y}, {x, y + h, x + w, y + h}, {x, y, x, y + h}, {x + w, y, x + w, y + h}} {
		cv.line(s[0], s[1], s[2], s[3], t, light, false)
	}
	zh := w * 0.22 * ptPerMM // two characters take under half the width
	en := zh * 0.45
	for _, l := range []struct {
		text     string
		size, at float64
	}{{"照片", zh, y + h/2}, {"Photo", en, y + h/2 + en/ptPerMM*1.6}} {
		ln := fs.fit(l.text, w*0.8, l.size, l.size/2, Regular, 1)[0]
		cv.text(x+(w-ln.width)/2, l.at, ln, light)
	}
	return nil
}

// coverRect is the photo's crop in whole pixels, for the raster canvas.
func (p *jpegPhoto) coverRect(w, h float64) image.Rectangle {
	x0, y0, cw, ch := p.crop(w, h)
	return image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x0+cw)), int(math.Round(y0+ch)))
}
