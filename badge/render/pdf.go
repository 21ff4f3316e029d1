package render

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"strconv"

	"github.com/carlos7ags/folio/document"
	"github.com/carlos7ags/folio/font"
	folioimage "github.com/carlos7ags/folio/image"
)

// The PDF library is github.com/carlos7ags/folio, chosen over
// github.com/signintech/gopdf after both were tried on this project's hard
// names (../shared/notes/badge-pdf.md):
//
//   - Correct text is the requirement that decides. gopdf's ToUnicode map
//     truncates code points above U+FFFF, so a badge for 𠮷田健一 extracts
//     as U+20BB 田健一: search, copy-paste, screen readers and the archive's
//     text layer get the wrong name. folio writes surrogate pairs and every
//     name (刘䶮, 𠮷, 王喆, 阿卜杜拉·买买提, Müller) extracts exactly.
//   - folio parses a face once and shares it between documents (Face is
//     safe for concurrent use; only the per-document glyph set is not), so
//     fonts are parsed once per process; it subsets each font into the PDF
//     and mixes faces per character, which the fallback face needs.
//   - It reads TrueType and CFF/TTC fonts, so a later move to Noto CJK's
//     collection (wider Ext B coverage) needs no new library.
//   - The risk is its youth (a single author, v0.x). It is contained: only
//     this file and pdfdoc's callers touch folio — the layouts draw on the
//     small canvas interface — so replacing it means one new backend.
//   - Its default Flate level is slow on big batches; writeOptions sets
//     level 6, which measured five times faster for a 1,000-badge sheet.

// pdfDoc is one PDF being built: folio's document and the per-document
// glyph sets of the shared faces.
type pdfDoc struct {
	doc   *document.Document
	fs    *faces
	fonts map[*face]*font.EmbeddedFont
	// exact asks viewers to print at the document's size (badges, sheets
	// of badges, slips): see NoPrintScaling.
	exact bool
}

func newPDF(fs *faces, title string) *pdfDoc {
	d := document.NewDocument(document.PageSizeA4)
	d.Info.Title = title
	d.Info.Creator = "Huiwu 会务"
	return &pdfDoc{doc: d, fs: fs, fonts: map[*face]*font.EmbeddedFont{}}
}

// page adds a page of w×h mm and returns a canvas on it. The real size is
// passed: a landscape flag that swaps sides is how a card comes out 54 mm
// wide.
func (d *pdfDoc) page(w, h float64) *pdfCanvas {
	p := d.doc.AddPage()
	ps := document.PageSize{Width: w * ptPerMM, Height: h * ptPerMM}
	p.SetSize(ps)
	// A white background starts the content stream, which the colour and
	// text-state operators below write into directly.
	p.AddRectFilled(0, 0, ps.Width, ps.Height, [3]float64{1, 1, 1})
	return &pdfCanvas{d: d, p: p, h: ps.Height}
}

// writeOptions trade a little size for speed (see the note above).
var writeOptions = document.WriteOptions{CompressionLevel: 6}

func (d *pdfDoc) writeTo(w io.Writer) error {
	if !d.exact {
		_, err := d.doc.WriteToWithOptions(w, writeOptions)
		return err
	}
	var b bytes.Buffer
	if _, err := d.doc.WriteToWithOptions(&b, writeOptions); err != nil {
		return err
	}
	pdf, err := NoPrintScaling(b.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(pdf)
	return err
}

func (d *pdfDoc) embedded(f *face) *font.EmbeddedFont {
	ef := d.fonts[f]
	if ef == nil {
		ef = font.NewEmbeddedFont(f.pdf)
		d.fonts[f] = ef
	}
	return ef
}

// pdfCanvas draws on one page; y runs down in mm and is flipped here.
type pdfCanvas struct {
	d *pdfDoc
	p *document.Page
	h float64 // page height in points
}

func rgb(c color.RGBA) [3]float64 {
	return [3]float64{float64(c.R) / 255, float64(c.G) / 255, float64(c.B) / 255}
}

func (c *pdfCanvas) rect(x, y, w, h float64, col color.RGBA) {
	c.p.AddRectFilled(x*ptPerMM, c.h-(y+h)*ptPerMM, w*ptPerMM, h*ptPerMM, rgb(col))
}

func (c *pdfCanvas) line(x1, y1, x2, y2, width float64, col color.RGBA, dashed bool) {
	s := c.p.ContentStream()
	s.SaveState()
	if dashed {
		s.SetDashPattern([]float64{3, 2}, 0)
	}
	s.SetLineWidth(width * ptPerMM)
	k := rgb(col)
	s.SetStrokeColorRGB(k[0], k[1], k[2])
	s.MoveTo(x1*ptPerMM, c.h-y1*ptPerMM)
	s.LineTo(x2*ptPerMM, c.h-y2*ptPerMM)
	s.Stroke()
	s.RestoreState()
}

func (c *pdfCanvas) text(x, baseline float64, ln line, col color.RGBA) {
	s := c.p.ContentStream()
	k := rgb(col)
	for _, r := range ln.runs {
		s.SaveState()
		s.SetFillColorRGB(k[0], k[1], k[2])
		if r.bold && r.face.fallback {
			// The fallback face has no bold; fill and stroke its
			// outline so 𠮷 in a bold name is not visibly lighter.
			s.SetTextRenderingMode(2)
			s.SetStrokeColorRGB(k[0], k[1], k[2])
			s.SetLineWidth(ln.size * 0.035)
		}
		c.p.AddTextEmbedded(r.text, c.d.embedded(r.face), ln.size, (x+r.x)*ptPerMM, c.h-baseline*ptPerMM)
		s.RestoreState()
	}
}

func (c *pdfCanvas) qr(x, y, size float64, bits [][]bool) {
	c.rect(x, y, size, size, white)
	n := float64(len(bits))
	m := size / n * ptPerMM
	// The modules are drawn in module units under one matrix (origin at the
	// square's top-left, y down), one rectangle per horizontal run of dark
	// modules: small integers keep the stream short, and runs leave no
	// hairline gaps between neighbours.
	buf := make([]byte, 0, 4096)
	buf = fmt.Appendf(buf, "q 0 0 0 rg %.4f 0 0 %.4f %.4f %.4f cm\n", m, -m, x*ptPerMM, c.h-y*ptPerMM)
	for row, line := range bits {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			end := col
			for end < len(line) && line[end] {
				end++
			}
			buf = strconv.AppendInt(buf, int64(col), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(row), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(end-col), 10)
			buf = append(buf, " 1 re\n"...)
			col = end
		}
	}
	buf = append(buf, "f Q\n"...)
	c.p.ContentStream().AppendBytes(buf)
}

// photo embeds the stored JPEG as it is (DCTDecode: no decoding, no second
// compression), scaled so that its crop fills the box, and clipped to the
// box.
func (c *pdfCanvas) photo(x, y, w, h float64, p *jpegPhoto) error {
	img, err := folioimage.NewJPEG(p.data)
	if err != nil {
		return fmt.Errorf("render: photo: %w", err)
	}
	x0, y0, cw, _ := p.crop(w, h)
	k := w / cw // mm per pixel
	ix, iy, iw, ih := x-x0*k, y-y0*k, float64(p.w)*k, float64(p.h)*k
	s := c.p.ContentStream()
	s.SaveState()
	s.Rectangle(x*ptPerMM, c.h-(y+h)*ptPerMM, w*ptPerMM, h*ptPerMM)
	s.ClipNonZero()
	s.EndPath()
	c.p.AddImage(img, ix*ptPerMM, c.h-(iy+ih)*ptPerMM, iw*ptPerMM, ih*ptPerMM)
	s.RestoreState()
	return nil
}
