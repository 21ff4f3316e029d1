package exports

import (
	"io"
	"strconv"
	"strings"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/xlsxout"
)

// WriteListXLSX writes a printed list (render.ListSheet: the 接站一览表, a
// driver's sheet, the 住宿登记表) as a workbook of one sheet laid out like
// the paper: the title and its lines, the column heads frozen under them
// and repeated on every printed page, each section's heading on a shaded
// line across the columns, then its rows. Columns are at least as wide as
// on paper and as wide as their longest cell, up to a cap. The rows are
// the paper's text, but a 序号 is a number and a date a date (listCell),
// so that the list sorts.
func WriteListXLSX(w io.Writer, s *render.ListSheet) error {
	b := xlsxout.New()
	listSheet(b, s)
	_, err := b.WriteTo(w)
	return err
}

func listSheet(b *xlsxout.Book, s *render.ListSheet) {
	cols := make([]xlsxout.Column, len(s.Columns))
	for i, c := range s.Columns {
		cols[i] = xlsxout.Column{Min: c.Width / 2} // mm to Excel's character widths, roughly
	}
	sh := b.Sheet(s.Title, xlsxout.Page{Landscape: s.Landscape}, cols...)
	// The wall clock the list was printed at, for the year its dates leave out.
	printed, _ := time.Parse("2006-01-02 15:04", s.Printed)
	sh.Title(s.Title)
	for _, l := range s.Lines {
		sh.Line(l)
	}
	sh.Blank() // a blank line before the heads
	n := len(s.Columns)
	heads := make([]any, n)
	for i, c := range s.Columns {
		heads[i] = c.Head
	}
	sh.Head(heads...)
	for _, sec := range s.Sections {
		text := sec.Heading
		if sec.Note != "" {
			text += "　　" + sec.Note
		}
		sh.Band(text)
		for _, r := range sec.Rows {
			cells := make([]any, n)
			for i := range cells {
				if i < len(r) {
					cells[i] = listCell(s.Columns[i].Head, r[i], printed)
				}
			}
			sh.Row(cells...)
		}
	}
}

// listCell is a list's cell as a workbook keeps it: a 序号 of plain digits
// as a number; in a column of dates or times (its head says 日期 or 时间)
// a date, or a date and time, as such — with the year the paper leaves
// out, the one that puts it nearest to when the list was printed; anything
// else, a time without its date among them, as the text printed.
func listCell(head, text string, printed time.Time) any {
	if head == "序号" && text != "" && text[0] != '0' {
		if n, err := strconv.Atoi(text); err == nil {
			return n
		}
	}
	if !strings.Contains(head, "日期") && !strings.Contains(head, "时间") {
		return text
	}
	for _, l := range []struct {
		layout string
		date   bool
	}{{"2006-01-02 15:04", false}, {"2006-01-02", true}, {"01-02 15:04", false}, {"01-02", true}} {
		t, err := time.Parse(l.layout, text)
		if err != nil {
			continue
		}
		if !strings.HasPrefix(l.layout, "2006") {
			if printed.IsZero() {
				return text
			}
			t = nearestYear(t, printed)
		}
		if l.date {
			return xlsxout.Date(t)
		}
		return t
	}
	return text
}

// nearestYear is t (a day of no year) in the year that puts it nearest to
// printed.
func nearestYear(t, printed time.Time) time.Time {
	best := t
	for y := printed.Year() - 1; y <= printed.Year()+1; y++ {
		c := time.Date(y, t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
		if best.Year() == t.Year() || absDuration(c.Sub(printed)) < absDuration(best.Sub(printed)) {
			best = c
		}
	}
	return best
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
