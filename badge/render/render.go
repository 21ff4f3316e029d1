package render

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"sync"

	"huiwu/badge/templates"
)

// Renderer draws badges, slips and sign-in sheets. It is safe for
// concurrent use: the parsed fonts and templates are shared and read-only,
// and each document gets its own glyph sets.
type Renderer struct {
	fs *faces
	t  *Templates
}

// New returns a renderer with the given layouts and the embedded fonts
// (parsed on first use in the process, then shared).
func New(t *Templates) (*Renderer, error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	return &Renderer{fs: fs, t: t}, nil
}

var (
	defaultOnce sync.Once
	defaultR    *Renderer
	defaultErr  error
)

// Default is the renderer with the embedded layouts (badge/templates).
func Default() (*Renderer, error) {
	defaultOnce.Do(func() {
		t, err := ParseTemplates(templates.JSON)
		if err != nil {
			defaultErr = err
			return
		}
		defaultR, defaultErr = New(t)
	})
	return defaultR, defaultErr
}

// Templates are the renderer's layouts.
func (r *Renderer) Templates() *Templates { return r.t }

// Options choose a badge's size: a named layout (Size, default "cr80"), or a
// custom card of Width×Height mm drawn with Size's layout scaled.
type Options struct {
	Size          string
	Width, Height float64
	DPI           float64 // PNG only; default 300
}

// layout resolves o for a badge of the given category.
func (r *Renderer) layout(o Options, category string) (*Layout, error) {
	size := o.Size
	if size == "" {
		size = "cr80"
	}
	l, err := r.t.Layout(size, category)
	if err != nil {
		return nil, err
	}
	if o.Width > 0 || o.Height > 0 {
		if o.Width <= 0 || o.Height <= 0 {
			return nil, fmt.Errorf("render: a custom size needs both width and height")
		}
		return l.Scaled(o.Width, o.Height)
	}
	return l, nil
}

// WantsPhoto says whether a badge of category in o's layout has a photo
// box, so that a caller loads the person's photo only when it prints.
func (r *Renderer) WantsPhoto(o Options, category string) bool {
	l, err := r.layout(o, category)
	return err == nil && l.Photo != nil
}

// prepare checks b's text against the fonts, encodes its QR and, where
// the layout has a photo box, reads the photo's header.
func (r *Renderer) prepare(b *Badge, o Options) (*Layout, [][]bool, *jpegPhoto, error) {
	if err := b.Check(); err != nil {
		return nil, nil, nil, err
	}
	l, err := r.layout(o, b.Category)
	if err != nil {
		return nil, nil, nil, err
	}
	bits, err := qrBits(b.Token)
	if err != nil {
		return nil, nil, nil, err
	}
	var photo *jpegPhoto
	if l.Photo != nil {
		if photo, err = readPhoto(b.Photo); err != nil {
			return nil, nil, nil, err
		}
	}
	return l, bits, photo, nil
}

// BadgePDF writes one badge as a one-page PDF of the card's exact size.
func (r *Renderer) BadgePDF(w io.Writer, b *Badge, o Options) error {
	l, bits, photo, err := r.prepare(b, o)
	if err != nil {
		return err
	}
	d := newPDF(r.fs, "证件 "+b.Name)
	d.exact = true
	if err := drawBadge(d.page(l.Width, l.Height), r.fs, l, b, bits, photo, 0, 0); err != nil {
		return err
	}
	return d.writeTo(w)
}

// BadgeImage draws one badge as an image, at o.DPI (default 300).
func (r *Renderer) BadgeImage(b *Badge, o Options) (image.Image, error) {
	l, bits, photo, err := r.prepare(b, o)
	if err != nil {
		return nil, err
	}
	dpi := o.DPI
	if dpi <= 0 {
		dpi = 300
	}
	if dpi < 72 || dpi > 600 {
		return nil, fmt.Errorf("render: dpi %.0f out of range 72–600", dpi)
	}
	cv := newPNG(l.Width, l.Height, dpi)
	if err := drawBadge(cv, r.fs, l, b, bits, photo, 0, 0); err != nil {
		return nil, err
	}
	return cv.img, nil
}

// BadgePNG writes BadgeImage as a PNG that says its resolution (a pHYs
// chunk), so that it prints at the card's size rather than at whatever
// the viewer assumes.
func (r *Renderer) BadgePNG(w io.Writer, b *Badge, o Options) error {
	img, err := r.BadgeImage(b, o)
	if err != nil {
		return err
	}
	dpi := o.DPI
	if dpi <= 0 {
		dpi = 300
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	_, err = w.Write(withDPI(buf.Bytes(), dpi))
	return err
}
