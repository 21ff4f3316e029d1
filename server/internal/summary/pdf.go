package summary

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/carlos7ags/folio/document"
	"github.com/carlos7ags/folio/font"

	"huiwu/badge/fonts"
)

// The summary is drawn straight onto folio pages, as badge/render draws
// its sheets: text placed by baseline in the embedded Noto faces (with the
// JP face for what SC lacks), rules and bars as vector paths. Coordinates
// are mm from the page's top-left corner.

const (
	ptPerMM = 72 / 25.4
	pageW   = 210.0
	pageH   = 297.0
	marginX = 18.0
	top     = 18.0
	bottom  = pageH - 18.0 // the foot line sits under it
	textW   = pageW - 2*marginX
)

// rgb is a colour, components 0–1.
type rgb [3]float64

var (
	black   = rgb{0, 0, 0}
	grey    = rgb{0.35, 0.35, 0.35}
	light   = rgb{0.82, 0.82, 0.82}
	band    = rgb{0.90, 0.92, 0.95}
	white   = rgb{1, 1, 1}
	blue    = rgb{0.184, 0.427, 0.710} // the bars and curves
	paleBlu = rgb{0.78, 0.85, 0.94}    // what was due, behind what was done
	red     = rgb{0.78, 0.12, 0.12}
	green   = rgb{0.10, 0.50, 0.22}
)

// faces are the embedded fonts, parsed once per process.
type faces struct{ regular, bold, fallback font.Face }

var loadFaces = sync.OnceValues(func() (*faces, error) {
	var fs faces
	for _, f := range []struct {
		name string
		data []byte
		dst  *font.Face
	}{{"NotoSansSC-Regular", fonts.SCRegular, &fs.regular}, {"NotoSansSC-Bold", fonts.SCBold, &fs.bold},
		{"NotoSansJP-Regular", fonts.JPRegular, &fs.fallback}} {
		face, err := font.ParseFont(f.data)
		if err != nil {
			return nil, fmt.Errorf("summary: font %s: %w", f.name, err)
		}
		*f.dst = face
	}
	return &fs, nil
})

// pdf is the document being drawn, with a cursor that flows down the
// pages.
type pdf struct {
	doc   *document.Document
	fs    *faces
	emb   map[font.Face]*font.EmbeddedFont
	pages []*document.Page
	page  *document.Page
	y     float64 // the cursor, mm from the top of the current page
}

func newPDF(title string) (*pdf, error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	d := document.NewDocument(document.PageSizeA4)
	d.Info.Title = title
	d.Info.Creator = "Huiwu 会务"
	return &pdf{doc: d, fs: fs, emb: map[font.Face]*font.EmbeddedFont{}}, nil
}

// newPage starts a page and puts the cursor at its top.
func (p *pdf) newPage() {
	p.page = p.doc.AddPage()
	ps := document.PageSize{Width: pageW * ptPerMM, Height: pageH * ptPerMM}
	p.page.SetSize(ps)
	p.page.AddRectFilled(0, 0, ps.Width, ps.Height, white)
	p.pages = append(p.pages, p.page)
	p.y = top
}

// need starts a new page unless h mm fit under the cursor.
func (p *pdf) need(h float64) {
	if p.page == nil || p.y+h > bottom {
		p.newPage()
	}
}

func (p *pdf) embedded(f font.Face) *font.EmbeddedFont {
	e := p.emb[f]
	if e == nil {
		e = font.NewEmbeddedFont(f)
		p.emb[f] = e
	}
	return e
}

// run is a stretch of text in one face.
type run struct {
	face font.Face
	text string
	w    float64 // mm
}

// shape splits s into runs by face and measures them at size points.
func (p *pdf) shape(s string, size float64, bold bool) ([]run, float64) {
	main := p.fs.regular
	if bold {
		main = p.fs.bold
	}
	var runs []run
	total := 0.0
	for _, r := range s {
		f := main
		if f.GlyphIndex(r) == 0 && p.fs.fallback.GlyphIndex(r) != 0 {
			f = p.fs.fallback
		}
		adv := float64(f.GlyphAdvance(f.GlyphIndex(r))) / float64(f.UnitsPerEm()) * size / ptPerMM
		if n := len(runs); n > 0 && runs[n-1].face == f {
			runs[n-1].text += string(r)
			runs[n-1].w += adv
		} else {
			runs = append(runs, run{face: f, text: string(r), w: adv})
		}
		total += adv
	}
	return runs, total
}

// width is how wide s sets at size points.
func (p *pdf) width(s string, size float64, bold bool) float64 {
	_, w := p.shape(s, size, bold)
	return w
}

// align places text in a box.
type align int

const (
	left align = iota
	center
	right
)

// text draws s with its baseline at y, aligned in the box from x of width
// w; it shrinks s to fit the box rather than overflow it.
func (p *pdf) text(x, y, w float64, s string, size float64, bold bool, col rgb, a align) {
	if s == "" {
		return
	}
	runs, tw := p.shape(s, size, bold)
	if w > 0 && tw > w {
		size *= w / tw * 0.999
		runs, tw = p.shape(s, size, bold)
	}
	switch a {
	case center:
		x += (w - tw) / 2
	case right:
		x += w - tw
	}
	cs := p.page.ContentStream()
	for _, r := range runs {
		cs.SaveState()
		cs.SetFillColorRGB(col[0], col[1], col[2])
		p.page.AddTextEmbedded(r.text, p.embedded(r.face), size, x*ptPerMM, (pageH-y)*ptPerMM)
		cs.RestoreState()
		x += r.w
	}
}

// wrap breaks s into lines no wider than w at size: anywhere between
// Chinese characters, at a space inside Latin text, and never with a
// closing mark at the start of a line.
func (p *pdf) wrap(s string, w, size float64, bold bool) []string {
	rs := []rune(s)
	var lines []string
	for len(rs) > 0 {
		n, x := 0, 0.0
		for n < len(rs) {
			adv := p.width(string(rs[n]), size, bold)
			if x+adv > w && n > 0 {
				break
			}
			x += adv
			n++
		}
		if n < len(rs) {
			if latin(rs[n]) && latin(rs[n-1]) {
				for k := n - 1; k > 0; k-- {
					if rs[k] == ' ' {
						n = k
						break
					}
				}
			}
			if n > 1 && strings.ContainsRune("，。、；：）」』！？%,.;:)", rs[n]) {
				n--
			}
		}
		lines = append(lines, strings.TrimSpace(string(rs[:n])))
		rs = []rune(strings.TrimLeft(string(rs[n:]), " "))
	}
	return lines
}

func latin(r rune) bool { return r < 0x2E80 && !unicode.IsSpace(r) }

// rect fills a rectangle.
func (p *pdf) rect(x, y, w, h float64, col rgb) {
	if w <= 0 || h <= 0 {
		return
	}
	p.page.AddRectFilled(x*ptPerMM, (pageH-y-h)*ptPerMM, w*ptPerMM, h*ptPerMM, col)
}

// line strokes a straight line of width mm, dashed or not.
func (p *pdf) line(x1, y1, x2, y2, width float64, col rgb, dashed bool) {
	p.polyline([][2]float64{{x1, y1}, {x2, y2}}, width, col, dashed)
}

// polyline strokes a path through the points.
func (p *pdf) polyline(pts [][2]float64, width float64, col rgb, dashed bool) {
	if len(pts) < 2 {
		return
	}
	cs := p.page.ContentStream()
	cs.SaveState()
	if dashed {
		cs.SetDashPattern([]float64{3, 2}, 0)
	}
	cs.SetLineWidth(width * ptPerMM)
	cs.SetLineJoin(1)
	cs.SetStrokeColorRGB(col[0], col[1], col[2])
	cs.MoveTo(pts[0][0]*ptPerMM, (pageH-pts[0][1])*ptPerMM)
	for _, pt := range pts[1:] {
		cs.LineTo(pt[0]*ptPerMM, (pageH-pt[1])*ptPerMM)
	}
	cs.Stroke()
	cs.RestoreState()
}

// dot fills a small square marker centred on x, y.
func (p *pdf) dot(x, y, r float64, col rgb) { p.rect(x-r, y-r, 2*r, 2*r, col) }

// feet draws every page's foot: the title and 第 N 页 共 M 页. It runs
// last, when the number of pages is known.
func (p *pdf) feet(title string) {
	for i, pg := range p.pages {
		p.page = pg
		p.line(marginX, bottom+4, pageW-marginX, bottom+4, 0.2, light, false)
		p.text(marginX, bottom+9, textW/2, title, 8, false, grey, left)
		p.text(pageW/2, bottom+9, textW/2, fmt.Sprintf("第 %d 页　共 %d 页", i+1, len(p.pages)), 8, false, grey, right)
	}
}
