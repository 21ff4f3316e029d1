// Package exports writes what the desk hands to others as spreadsheets: the
// 签到表 per session, meal counts for the kitchen and for settling
// accounts, the room list, the absentees without leave, and the archive
// bundle (立卷归档) with its summary. Each export is two steps, loading the
// figures from committed data and writing them, so that the figures can be
// tested apart from the file and reused by the PDF 签到表.
package exports

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/store"
)

// book is an XLSX being written sheet by sheet through excelize's stream
// writer, so that a 3,000-row 签到表 never holds every cell in memory.
type book struct {
	f                       *excelize.File
	title, head, cell, foot int
	first                   bool
	sw                      *excelize.StreamWriter
	row                     int
}

func newBook() (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, first: true}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	styles := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&b.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&b.head, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.cell, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&b.foot, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border}},
	}
	for _, st := range styles {
		id, err := f.NewStyle(st.s)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("exports: style: %w", err)
		}
		*st.dst = id
	}
	return b, nil
}

// sheet starts a new sheet with the given column widths (in characters).
// The first call renames excelize's default sheet.
func (b *book) sheet(name string, widths ...float64) error {
	return b.printedSheet(name, nil, widths...)
}

// printing is how a sheet meant for paper prints: A4, landscape or
// portrait, 1 cm side margins, and row titleRow (from 1) repeated at the
// top of every page.
type printing struct {
	landscape bool
	titleRow  int
}

// printedSheet is sheet with its print set-up (none when p is nil). The
// set-up goes in before the stream writer starts: excelize writes a
// streamed sheet's page settings from what the sheet held then.
func (b *book) printedSheet(name string, p *printing, widths ...float64) error {
	if err := b.flush(); err != nil {
		return err
	}
	if b.first {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
		b.first = false
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	if p != nil {
		if err := b.printSetup(name, *p); err != nil {
			return err
		}
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	b.sw, b.row = sw, 0
	return nil
}

func (b *book) printSetup(sheet string, p printing) error {
	a4, orient := 9, "portrait"
	if p.landscape {
		orient = "landscape"
	}
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient}); err != nil {
		return err
	}
	side, ends := 0.4, 0.5 // inches
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &ends, Bottom: &ends}); err != nil {
		return err
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, p.titleRow, p.titleRow)})
}

// titleRow writes a line merged across ncols columns.
func (b *book) titleRow(text string, ncols int, style int) error {
	b.row++
	if err := b.sw.SetRow(cellName(1, b.row), []any{excelize.Cell{StyleID: style, Value: text}},
		excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	if ncols > 1 {
		return b.sw.MergeCell(cellName(1, b.row), cellName(ncols, b.row))
	}
	return nil
}

// line writes one row of values in style.
func (b *book) line(style int, values ...any) error { return b.tallLine(style, 0, values...) }

// tallLine writes one row of values in style, height points tall (0 for
// the default).
func (b *book) tallLine(style int, height float64, values ...any) error {
	b.row++
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = excelize.Cell{StyleID: style, Value: v}
	}
	var opts []excelize.RowOpts
	if height > 0 {
		opts = append(opts, excelize.RowOpts{Height: height})
	}
	return b.sw.SetRow(cellName(1, b.row), cells, opts...)
}

func (b *book) flush() error {
	if b.sw == nil {
		return nil
	}
	err := b.sw.Flush()
	b.sw = nil
	return err
}

// writeTo finishes the workbook into w.
func (b *book) writeTo(w io.Writer) error {
	defer b.f.Close()
	if err := b.flush(); err != nil {
		return err
	}
	_, err := b.f.WriteTo(w)
	return err
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// clock formats a stored time as the venue's wall clock, "" for none.
func clock(stored string, loc *time.Location, layout string) string {
	if stored == "" {
		return ""
	}
	return store.MustTime(stored).In(loc).Format(layout)
}
