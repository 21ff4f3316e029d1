package render

import (
	"fmt"
	"io"
)

// A4 in mm, and the printable margin most office laser printers keep.
const (
	a4W, a4H   = 210.0, 297.0
	sheetEdge  = 8.0 // margin around the grid
	sheetGap   = 6.0 // between cards, room for the crop marks
	markOffset = 1.0 // crop marks start this far from the card
	markLen    = 3.0
)

// Imposition is how cards of one size sit on an A4 sheet.
type Imposition struct {
	PageW, PageH float64 // mm; A4 portrait or landscape
	Cols, Rows   int
	CardW, CardH float64
	X0, Y0       float64 // top-left of the first card
}

// PerPage is the number of cards on one sheet.
func (im Imposition) PerPage() int { return im.Cols * im.Rows }

// Impose fits as many w×h cards on A4 as it can, portrait or landscape,
// centred, with gaps for crop marks. CR80 cards come out 9-up (3×3 on
// landscape A4), A7 4-up, A6 and the lanyard card 2-up.
func Impose(w, h float64) (Imposition, error) {
	best := Imposition{}
	for _, page := range [][2]float64{{a4W, a4H}, {a4H, a4W}} {
		cols := int((page[0] - 2*sheetEdge + sheetGap) / (w + sheetGap))
		rows := int((page[1] - 2*sheetEdge + sheetGap) / (h + sheetGap))
		if cols*rows > best.PerPage() {
			best = Imposition{PageW: page[0], PageH: page[1], Cols: cols, Rows: rows, CardW: w, CardH: h}
		}
	}
	if best.PerPage() == 0 {
		return best, fmt.Errorf("render: a %.1f×%.1f mm card does not fit on A4", w, h)
	}
	gridW := float64(best.Cols)*w + float64(best.Cols-1)*sheetGap
	gridH := float64(best.Rows)*h + float64(best.Rows-1)*sheetGap
	best.X0, best.Y0 = (best.PageW-gridW)/2, (best.PageH-gridH)/2
	return best, nil
}

// cardAt is the top-left corner of the i-th card on a sheet.
func (im Imposition) cardAt(i int) (float64, float64) {
	c, r := i%im.Cols, i/im.Cols
	return im.X0 + float64(c)*(im.CardW+sheetGap), im.Y0 + float64(r)*(im.CardH+sheetGap)
}

// cropMarks draws the eight short lines that show the cutter a card's
// corners, outside the card so no mark is left on it.
func cropMarks(cv canvas, x, y, w, h float64) {
	const t = 0.15 // mm, a hairline that still prints
	for _, cx := range []float64{x, x + w} {
		for _, cy := range []float64{y, y + h} {
			dx, dy := -1.0, -1.0
			if cx > x {
				dx = 1
			}
			if cy > y {
				dy = 1
			}
			cv.line(cx+dx*markOffset, cy, cx+dx*(markOffset+markLen), cy, t, black, false)
			cv.line(cx, cy+dy*markOffset, cx, cy+dy*(markOffset+markLen), t, black, false)
		}
	}
}

// BadgeSource yields the badges of a batch one at a time, so a caller can
// load them from the database as the sheet fills; it returns nil, nil when
// done.
type BadgeSource func() (*Badge, error)

// SheetPDF writes badges N-up on A4 with crop marks, in the order next
// yields them. Every badge is checked (fonts, layout, QR) before it is
// drawn; the first failure stops the batch and is returned with the
// badge's place in it. It returns the number of badges and pages.
func (r *Renderer) SheetPDF(w io.Writer, next BadgeSource, o Options) (badges, pages int, err error) {
	d := newPDF(r.fs, "证件批量打印")
	d.exact = true
	var im Imposition
	var cv canvas
	for i := 0; ; i++ {
		b, err := next()
		if err != nil {
			return 0, 0, err
		}
		if b == nil {
			break
		}
		l, bits, photo, err := r.prepare(b, o)
		if err != nil {
			return 0, 0, fmt.Errorf("badge %d (%s): %w", i+1, b.Name, err)
		}
		if i == 0 {
			if im, err = Impose(l.Width, l.Height); err != nil {
				return 0, 0, err
			}
		}
		slot := i % im.PerPage()
		if slot == 0 {
			cv = d.page(im.PageW, im.PageH)
			pages++
		}
		x, y := im.cardAt(slot)
		cropMarks(cv, x, y, im.CardW, im.CardH)
		if err := drawBadge(cv, r.fs, l, b, bits, photo, x, y); err != nil {
			return 0, 0, err
		}
		badges++
	}
	if badges == 0 {
		return 0, 0, fmt.Errorf("render: no badges to print")
	}
	return badges, pages, d.writeTo(w)
}
