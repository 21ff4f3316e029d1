package exports

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render"
)

// WriteListXLSX writes a printed list (render.ListSheet: the 接站一览表, a
// driver's sheet) as a workbook of one sheet laid out like the paper: the
// title and its lines, the column heads frozen under them and repeated on
// every printed page, each section's heading on a shaded line across the
// columns, then its rows. Columns are as wide as on paper.
func WriteListXLSX(w io.Writer, s *render.ListSheet) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	if err := b.listSheet(s); err != nil {
		b.f.Close()
		return err
	}
	return b.writeTo(w)
}

func (b *book) listSheet(s *render.ListSheet) error {
	band, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DEDEDE"}}})
	if err != nil {
		return err
	}
	widths := make([]float64, len(s.Columns))
	for i, c := range s.Columns {
		widths[i] = c.Width / 2 // mm to Excel's character widths, roughly
	}
	head := 3 + len(s.Lines) // the column heads: under the title, its lines and a blank line
	// Excel's rules for a sheet's name: at most 31 characters, none of
	// : \ / ? * [ ] (a station may be called 北京南站/丰台站).
	name := []rune(strings.NewReplacer(":", "_", "\\", "_", "/", "_", "?", "_", "*", "_", "[", "(", "]", ")").Replace(s.Title))
	if len(name) > 31 {
		name = name[:31]
	}
	if err := b.printedSheet(string(name), &printing{landscape: s.Landscape, titleRow: head}, widths...); err != nil {
		return err
	}
	if err := b.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: head, TopLeftCell: cellName(1, head+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	n := len(s.Columns)
	if err := b.titleRow(s.Title, n, b.title); err != nil {
		return err
	}
	for _, l := range s.Lines {
		if err := b.titleRow(l, n, 0); err != nil {
			return err
		}
	}
	b.row++ // a blank line before the heads
	heads := make([]any, n)
	for i, c := range s.Columns {
		heads[i] = c.Head
	}
	if err := b.line(b.head, heads...); err != nil {
		return err
	}
	for _, sec := range s.Sections {
		text := sec.Heading
		if sec.Note != "" {
			text += "　　" + sec.Note
		}
		if err := b.titleRow(text, n, band); err != nil {
			return err
		}
		for _, r := range sec.Rows {
			cells := make([]any, n)
			for i := range cells {
				if i < len(r) {
					cells[i] = r[i]
				}
			}
			if err := b.line(b.cell, cells...); err != nil {
				return err
			}
		}
	}
	return nil
}
