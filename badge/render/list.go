package render

import (
	"fmt"
	"image/color"
	"io"
	"strings"
)

// bandGrey shades a section's heading band, a step darker than the
// column heads under it.
var bandGrey = color.RGBA{222, 222, 222, 255}

// ListSheet is a printed list in sections, as the secretariat's tables
// are: the 接站一览表 by pickup, a driver's runs, a hotel's rooms by night.
// Every section has a heading band (and a note at its right: the vehicle
// sent, a total) over a ruled table; the columns are the same throughout
// and their heads are repeated on every page.
type ListSheet struct {
	Title     string
	Lines     []string // under the title: the meeting, the day, a contact
	Columns   []ListColumn
	Sections  []ListSection
	Landscape bool
	Printed   string // when, for the foot of every page
}

// ListColumn is one column: its head, width in mm (the widths add up to
// the page less 15 mm margins: 180 mm, or 267 mm in landscape) and
// alignment. A Wrap column breaks a long name over two lines (at its
// middle dot, 阿卜杜拉·买买提) rather than shrink it past reading.
type ListColumn struct {
	Head  string
	Width float64
	Align Align
	Wrap  bool
}

// ListSection is a heading and its rows, one cell a column.
type ListSection struct {
	Heading string
	Note    string
	Rows    [][]string
}

const (
	listLeft  = 15.0
	listFoot  = 20.0 // from the bottom of the page, room for the page number
	listBandH = 8.0  // a section's heading band
	listHeadH = 7.5  // the column heads
	listRowH  = 8.0
	listGap   = 4.0 // between sections
	listTop2  = 15.0
	// listHeadingShare of a band's width is its heading's, the rest its
	// note's; a note that needs type under listNoteMin points there goes
	// on a second line.
	listHeadingShare = 0.5
	listNoteMin      = 8.0
)

// Check reports text no font has.
func (s *ListSheet) Check() error {
	head := []string{s.Title}
	head = append(head, s.Lines...)
	for _, c := range s.Columns {
		head = append(head, c.Head)
	}
	if err := checkField("title", strings.Join(head, " ")); err != nil {
		return err
	}
	for i, sec := range s.Sections {
		if err := checkField(fmt.Sprintf("section %d", i+1), sec.Heading+" "+sec.Note); err != nil {
			return err
		}
		for j, row := range sec.Rows {
			if err := checkField(fmt.Sprintf("section %d row %d", i+1, j+1), strings.Join(row, " ")); err != nil {
				return err
			}
		}
	}
	return nil
}

// listItem is one thing placed on a page: a section's band (row -1, or
// -2 when it runs on from the last page), the column heads (row -3), a
// row, or the (无) of an empty section (row -4). A tall band has its note
// on a line of its own.
type listItem struct {
	section, row int
	y            float64
	tall         bool
}

const (
	itemBand  = -1
	itemCont  = -2
	itemHeads = -3
	itemNone  = -4
)

// listTallBandH is a band whose note takes a second line.
const listTallBandH = 13.0

// layout places every item and answers them by page; tall says which
// sections' notes need a line of their own.
func (s *ListSheet) layout(h float64, tall []bool) [][]listItem {
	bottom := h - listFoot
	top := 20.0 + 8 + 6*float64(len(s.Lines))
	pages := [][]listItem{{}}
	y := top
	put := func(sec, row int, height float64) {
		p := &pages[len(pages)-1]
		*p = append(*p, listItem{section: sec, row: row, y: y, tall: height == listTallBandH})
		y += height
	}
	newPage := func() {
		pages = append(pages, []listItem{})
		y = listTop2
	}
	for i, sec := range s.Sections {
		if i > 0 {
			y += listGap
		}
		band := listBandH
		if tall[i] {
			band = listTallBandH
		}
		// A band with its heads and one row stays together.
		if y+band+listHeadH+listRowH > bottom && len(pages[len(pages)-1]) > 0 {
			newPage()
		}
		put(i, itemBand, band)
		put(i, itemHeads, listHeadH)
		if len(sec.Rows) == 0 {
			put(i, itemNone, listRowH)
		}
		for j := range sec.Rows {
			if y+listRowH > bottom {
				newPage()
				put(i, itemCont, listBandH)
				put(i, itemHeads, listHeadH)
			}
			put(i, j, listRowH)
		}
	}
	return pages
}

// ListPDF writes the list on A4 pages, as many as it takes.
func (r *Renderer) ListPDF(w io.Writer, s *ListSheet) (pages int, err error) {
	if err := s.Check(); err != nil {
		return 0, err
	}
	pw, ph := a4W, a4H
	if s.Landscape {
		pw, ph = a4H, a4W
	}
	width := pw - 2*listLeft
	d := newPDF(r.fs, s.Title)
	tall := make([]bool, len(s.Sections))
	for i, sec := range s.Sections {
		tall[i] = r.fs.shape(sec.Note, listNoteMin, Regular).width > width*(1-listHeadingShare)-2
	}
	laid := s.layout(ph, tall)
	for p, items := range laid {
		cv := d.page(pw, ph)
		if p == 0 {
			drawText(cv, r.fs, &TextBox{X: listLeft, Baseline: 20, W: width, Size: 18, Min: 10, Bold: true, Align: Center}, s.Title, 0, 0, black)
			for i, l := range s.Lines {
				drawText(cv, r.fs, &TextBox{X: listLeft, Baseline: 28 + 6*float64(i), W: width, Size: 10.5, Min: 6, Align: Center}, l, 0, 0, black)
			}
		}
		for _, it := range items {
			r.listItem(cv, s, it, width)
		}
		foot := fmt.Sprintf("第 %d 页　共 %d 页", p+1, len(laid))
		if s.Printed != "" {
			foot = "打印于 " + s.Printed + "　　" + foot
		}
		drawText(cv, r.fs, &TextBox{X: listLeft, Baseline: ph - 10, W: width, Size: 8, Align: Center}, foot, 0, 0, grey)
	}
	return len(laid), d.writeTo(w)
}

// listItem draws one placed item.
func (r *Renderer) listItem(cv canvas, s *ListSheet, it listItem, width float64) {
	const rule = 0.25
	sec := s.Sections[it.section]
	switch it.row {
	case itemBand, itemCont:
		heading := sec.Heading
		if it.row == itemCont {
			heading += "（续）"
		}
		if it.tall {
			cv.rect(listLeft, it.y, width, listTallBandH, bandGrey)
			drawText(cv, r.fs, &TextBox{X: listLeft + 2, Baseline: it.y + 5.6, W: width - 4, Size: 11, Min: 7, Bold: true}, heading, 0, 0, black)
			drawText(cv, r.fs, &TextBox{X: listLeft + 2, Baseline: it.y + 10.8, W: width - 4, Size: 9, Min: 6}, sec.Note, 0, 0, black)
			return
		}
		split := width * listHeadingShare
		cv.rect(listLeft, it.y, width, listBandH, bandGrey)
		drawText(cv, r.fs, &TextBox{X: listLeft + 2, Baseline: it.y + 5.6, W: split - 2, Size: 11, Min: 7, Bold: true}, heading, 0, 0, black)
		drawText(cv, r.fs, &TextBox{X: listLeft + split, Baseline: it.y + 5.6, W: width - split - 2, Size: 10, Min: listNoteMin, Align: Right}, sec.Note, 0, 0, black)
		return
	case itemHeads:
		cv.rect(listLeft, it.y, width, listHeadH, color240)
	}
	h := listRowH
	if it.row == itemHeads {
		h = listHeadH
	}
	x := listLeft
	for k, c := range s.Columns {
		cv.line(x, it.y, x, it.y+h, rule, black, false)
		text, box := "", &TextBox{X: x + 1.2, Baseline: it.y + h/2 + 1.3, W: c.Width - 2.4, Size: 9.5, Min: 5, Align: c.Align}
		switch {
		case it.row == itemHeads:
			text, box.Bold, box.Align = c.Head, true, Center
		case it.row == itemNone:
			if k == 1 || len(s.Columns) == 1 {
				text = "（无）"
			}
		case k < len(sec.Rows[it.row]):
			text = sec.Rows[it.row][k]
			if c.Wrap {
				box.Min, box.Lines = 7, 2
			}
		}
		drawText(cv, r.fs, box, text, 0, 0, black)
		x += c.Width
	}
	cv.line(x, it.y, x, it.y+h, rule, black, false)
	cv.line(listLeft, it.y, listLeft+width, it.y, rule, black, false)
	cv.line(listLeft, it.y+h, listLeft+width, it.y+h, rule, black, false)
}
