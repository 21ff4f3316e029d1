// Package chart prints seating: the 座次图 (seat chart) of a session,
// labelled 观众视角 (audience view) or 主席台视角 (presidium view), and the
// double-sided 桌签 (name cards) for the presidium. It uses the PDF library
// and the fonts the badge printer chose (folio, Noto Sans SC with Noto Sans
// JP as the fallback for CJK Ext B; see badge/render/pdf.go), drawing
// through a small page type so that a change of library stays in this file.
package chart

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/carlos7ags/folio/document"
	"github.com/carlos7ags/folio/font"

	"huiwu/badge/fonts"
	"huiwu/badge/render"
)

const ptPerMM = 72 / 25.4

// faces are parsed once per process: a CJK font is megabytes of tables.
var (
	facesOnce sync.Once
	faceSet   [3]font.Face // regular, bold, fallback
	facesErr  error
)

func loadFaces() ([3]font.Face, error) {
	facesOnce.Do(func() {
		for i, data := range [][]byte{fonts.SCRegular, fonts.SCBold, fonts.JPRegular} {
			if faceSet[i], facesErr = font.ParseFont(data); facesErr != nil {
				facesErr = fmt.Errorf("chart: font %d: %w", i, facesErr)
				return
			}
		}
	})
	return faceSet, facesErr
}

// doc is one PDF being built.
type doc struct {
	d     *document.Document
	faces [3]font.Face
	emb   map[font.Face]*font.EmbeddedFont
	// exact asks viewers to print at the page's size (name cards fold to
	// fit their stands): render.NoPrintScaling.
	exact bool
}

func newDoc(title string) (*doc, error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	d := document.NewDocument(document.PageSizeA4)
	d.Info.Title = title
	d.Info.Creator = "Huiwu 会务"
	return &doc{d: d, faces: fs, emb: map[font.Face]*font.EmbeddedFont{}}, nil
}

func (d *doc) write(w io.Writer) error {
	var b bytes.Buffer
	if _, err := d.d.WriteToWithOptions(&b, document.WriteOptions{CompressionLevel: 6}); err != nil {
		return err
	}
	pdf := b.Bytes()
	if d.exact {
		var err error
		if pdf, err = render.NoPrintScaling(pdf); err != nil {
			return err
		}
	}
	_, err := w.Write(pdf)
	return err
}

// page is one page; coordinates are mm from the top-left, y down.
type page struct {
	d    *doc
	p    *document.Page
	w, h float64
}

func (d *doc) page(w, h float64) *page {
	p := d.d.AddPage()
	p.SetSize(document.PageSize{Width: w * ptPerMM, Height: h * ptPerMM})
	p.AddRectFilled(0, 0, w*ptPerMM, h*ptPerMM, [3]float64{1, 1, 1})
	return &page{d: d, p: p, w: w, h: h}
}

type rgb = [3]float64

var (
	black = rgb{0, 0, 0}
	grey  = rgb{0.45, 0.45, 0.45}
	red   = rgb{0.7, 0.07, 0.12}
)

func (p *page) fill(x, y, w, h float64, c rgb) {
	p.p.AddRectFilled(x*ptPerMM, (p.h-y-h)*ptPerMM, w*ptPerMM, h*ptPerMM, c)
}

func (p *page) box(x, y, w, h, line float64, c rgb) {
	p.p.AddRect(x*ptPerMM, (p.h-y-h)*ptPerMM, w*ptPerMM, h*ptPerMM, line*ptPerMM, c)
}

func (p *page) line(x1, y1, x2, y2, width float64, c rgb, dashed bool) {
	s := p.p.ContentStream()
	s.SaveState()
	if dashed {
		s.SetDashPattern([]float64{4, 3}, 0)
	}
	s.SetLineWidth(width * ptPerMM)
	s.SetStrokeColorRGB(c[0], c[1], c[2])
	s.MoveTo(x1*ptPerMM, (p.h-y1)*ptPerMM)
	s.LineTo(x2*ptPerMM, (p.h-y2)*ptPerMM)
	s.Stroke()
	s.RestoreState()
}

// run is text in one face.
type run struct {
	face font.Face
	text string
	w    float64 // mm at the size it was measured
}

// shape splits s into runs by face (the main face, else the fallback) and
// measures it at size points.
func (d *doc) shape(s string, size float64, bold bool) ([]run, float64) {
	main := d.faces[0]
	if bold {
		main = d.faces[1]
	}
	var runs []run
	total := 0.0
	for _, r := range render.Normalize(s) {
		f := main
		if f.GlyphIndex(r) == 0 && d.faces[2].GlyphIndex(r) != 0 {
			f = d.faces[2]
		}
		if len(runs) == 0 || runs[len(runs)-1].face != f {
			runs = append(runs, run{face: f})
		}
		adv := float64(f.GlyphAdvance(f.GlyphIndex(r))) / float64(f.UnitsPerEm()) * size / ptPerMM
		runs[len(runs)-1].text += string(r)
		runs[len(runs)-1].w += adv
		total += adv
	}
	return runs, total
}

// text draws s centred on cx at baseline y, shrinking it to fit maxW mm.
// It answers the size used.
func (p *page) text(cx, y, maxW, size float64, s string, bold bool, c rgb) float64 {
	runs, w := p.d.shape(s, size, bold)
	if w > maxW && w > 0 {
		size *= maxW / w
		runs, w = p.d.shape(s, size, bold)
	}
	st := p.p.ContentStream()
	x := cx - w/2
	for _, r := range runs {
		ef := p.d.emb[r.face]
		if ef == nil {
			ef = font.NewEmbeddedFont(r.face)
			p.d.emb[r.face] = ef
		}
		st.SaveState()
		st.SetFillColorRGB(c[0], c[1], c[2])
		p.p.AddTextEmbedded(r.text, ef, size, x*ptPerMM, (p.h-y)*ptPerMM)
		st.RestoreState()
		x += r.w
	}
	return size
}

// rotated runs draw with the page turned half a turn about (cx, cy), for
// the upper half of a folded name card.
func (p *page) rotated(cx, cy float64, draw func()) {
	st := p.p.ContentStream()
	st.SaveState()
	x, y := cx*ptPerMM, (p.h-cy)*ptPerMM
	st.ConcatMatrix(-1, 0, 0, -1, 2*x, 2*y)
	draw()
	st.RestoreState()
}
