package xlsxout

import (
	"github.com/xuri/excelize/v2"
)

// Fit sizes the columns of a sheet written without Book to their longest
// cells: each column at least as wide as it is and as its longest cell
// (lines across merged cells aside), up to limit characters (DefaultMax
// when 0); a cell wider than that wraps, and its row grows to show it.
func Fit(f *excelize.File, sheet string, limit float64) error {
	if limit <= 0 {
		limit = DefaultMax
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return err
	}
	merged := map[string]bool{}
	ms, err := f.GetMergeCells(sheet)
	if err != nil {
		return err
	}
	for _, m := range ms {
		merged[m.GetStartAxis()] = true
	}
	var longest []float64
	for i, r := range rows {
		for c, v := range r {
			if v == "" || merged[cell(c+1, i+1)] {
				continue
			}
			for len(longest) <= c {
				longest = append(longest, 0)
			}
			longest[c] = max(longest[c], Width(v)+2)
		}
	}
	widths := make([]float64, len(longest))
	for c, w := range longest {
		name, _ := excelize.ColumnNumberToName(c + 1)
		now, err := f.GetColWidth(sheet, name)
		if err != nil {
			return err
		}
		widths[c] = max(now, min(w, limit))
		if widths[c] != now {
			if err := f.SetColWidth(sheet, name, name, widths[c]); err != nil {
				return err
			}
		}
	}
	wrapped := map[int]int{} // style → the same style wrapping
	for i, r := range rows {
		lines := 1
		for c, v := range r {
			at := cell(c+1, i+1)
			if v == "" || merged[at] || Width(v) <= widths[c] {
				continue
			}
			lines = max(lines, Lines(v, widths[c]))
			id, err := f.GetCellStyle(sheet, at)
			if err != nil {
				return err
			}
			w, ok := wrapped[id]
			if !ok {
				st, err := f.GetStyle(id)
				if err != nil {
					return err
				}
				if st.Alignment == nil {
					st.Alignment = &excelize.Alignment{}
				}
				st.Alignment.WrapText, st.Alignment.Vertical = true, "top"
				if w, err = f.NewStyle(st); err != nil {
					return err
				}
				wrapped[id] = w
			}
			if err := f.SetCellStyle(sheet, at, at, w); err != nil {
				return err
			}
		}
		if lines > 1 {
			h, err := f.GetRowHeight(sheet, i+1)
			if err != nil {
				return err
			}
			if need := float64(lines)*lineHeight + 3; need > h {
				if err := f.SetRowHeight(sheet, i+1, need); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Prepare readies a sheet written without Book for the desk, in one call
// before the workbook is written: columns fitted (Fit, DefaultMax), the
// header rows p.HeadFrom–p.HeadTo frozen, the page turned landscape when
// the columns are wider than portrait, and the page set (Print).
func Prepare(f *excelize.File, sheet string, p Page) error {
	if err := Fit(f, sheet, 0); err != nil {
		return err
	}
	if p.HeadTo > 0 {
		if err := Freeze(f, sheet, p.HeadTo); err != nil {
			return err
		}
	}
	cols, err := f.GetCols(sheet)
	if err != nil {
		return err
	}
	total := 0.0
	for i := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		w, err := f.GetColWidth(sheet, name)
		if err != nil {
			return err
		}
		total += Millimetres(w)
	}
	p.Landscape = p.Landscape || total > Printable(false)
	return Print(f, sheet, p)
}
