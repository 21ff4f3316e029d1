// Package exports writes what the desk hands to others as spreadsheets: the
// 签到表 per session, meal counts for the kitchen and for settling
// accounts, the room list, the absentees, and the archive bundle (立卷归档)
// with its summary. Each export is two steps, loading the figures from
// committed data and writing them, so that the figures can be tested apart
// from the file and reused by the PDF 签到表. Every workbook is written
// through package xlsxout: it prints on A4 with its header on every page,
// and its counts, rates and times are numbers and dates.
package exports

import (
	"io"
	"time"

	"huiwu/server/internal/xlsxout"
)

// book is a workbook being written sheet by sheet, in the words the
// sheets of this package use: rows in a style (title, head, cell, foot).
type book struct {
	f *xlsxout.Book
	s *xlsxout.Sheet
	// The row styles.
	title, head, cell, foot, band int
}

// The row styles of book.line and book.titleRow.
const (
	styleLine = iota
	styleTitle
	styleHead
	styleCell
	styleFoot
	styleBand
)

func newBook() (*book, error) {
	return &book{f: xlsxout.New(), title: styleTitle, head: styleHead, cell: styleCell, foot: styleFoot, band: styleBand}, nil
}

// sheet starts a new sheet; its columns are at least widths characters
// wide, and as wide as their longest cells.
func (b *book) sheet(name string, widths ...float64) error {
	cols := make([]xlsxout.Column, len(widths))
	for i, w := range widths {
		cols[i] = xlsxout.Column{Min: w}
	}
	b.s = b.f.Sheet(name, xlsxout.Page{}, cols...)
	return nil
}

// titleRow writes a line across the columns: the sheet's title (style
// b.title), a shaded section line (b.band) or plain text.
func (b *book) titleRow(text string, _ int, style int) error {
	switch style {
	case styleTitle:
		b.s.Title(text)
	case styleBand:
		b.s.Band(text)
	default:
		b.s.Line(text)
	}
	return nil
}

// line writes one row of values in style: the header (b.head, frozen and
// printed on every page), a body row (b.cell) or a total (b.foot).
func (b *book) line(style int, values ...any) error {
	switch style {
	case styleHead:
		b.s.Head(values...)
	case styleFoot:
		b.s.Foot(values...)
	default:
		b.s.Row(values...)
	}
	return nil
}

// writeTo finishes the workbook into w.
func (b *book) writeTo(w io.Writer) error {
	_, err := b.f.WriteTo(w)
	return err
}

// day is a stored date (2026-03-05) as a date cell; text that is not a
// date stays as it is.
func day(d string, loc *time.Location) any {
	t, err := time.ParseInLocation(time.DateOnly, d, loc)
	if err != nil {
		return d
	}
	return xlsxout.Date(t)
}
