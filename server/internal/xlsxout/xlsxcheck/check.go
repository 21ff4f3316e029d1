// Package xlsxcheck reads a workbook back the way a desk's spreadsheet
// program and printer would, for tests: every sheet on A4 fit to one page
// wide, the header rows frozen and repeated on every page, the title and
// the page number in the page header and footer, landscape when the
// columns need it, and no cell cut off by its column. It also reads a
// cell's type and number format.
package xlsxcheck

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/xlsxout"
)

// Open opens a workbook for reading back; it is closed when the test ends.
func Open(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

var titles = regexp.MustCompile(`\$(\d+):\$(\d+)$`)

// Printed checks every sheet of the workbook as it prints and returns the
// workbook with, per sheet, its last header row.
func Printed(t testing.TB, data []byte) (*excelize.File, map[string]int) {
	t.Helper()
	f := Open(t, data)
	colsInOrder(t, data)
	heads := map[string]int{}
	for _, sheet := range f.GetSheetList() {
		heads[sheet] = Sheet(t, f, sheet)
	}
	return f, heads
}

var colStart = regexp.MustCompile(`<col min="(\d+)"`)

// colsInOrder checks that every sheet lists its column widths in column
// order, as spreadsheet programs expect.
func colsInOrder(t testing.TB, data []byte) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range z.File {
		if !strings.HasPrefix(part.Name, "xl/worksheets/") {
			continue
		}
		r, err := part.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, _ := io.ReadAll(r)
		r.Close()
		last := 0
		for _, m := range colStart.FindAllSubmatch(xml, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if n <= last {
				t.Errorf("%s: column widths out of order (%d after %d)", part.Name, n, last)
				break
			}
			last = n
		}
	}
}

// Sheet checks one sheet as it prints and returns its last header row.
func Sheet(t testing.TB, f *excelize.File, sheet string) int {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 {
		t.Errorf("%s: paper %v, want A4 (9)", sheet, deref(pl.Size))
	}
	if pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("%s: fit to %v wide × %v tall, want 1 × any (0)", sheet, deref(pl.FitToWidth), deref(pl.FitToHeight))
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("%s: fit to page is off, so the fit to width is ignored (%v)", sheet, err)
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if hf == nil || !regexp.MustCompile(`&P.*&N`).MatchString(hf.OddFooter+hf.OddHeader) || len(hf.OddHeader) < 8 {
		t.Errorf("%s: page header/footer %+v, want a title and 第 &P 页 / 共 &N 页", sheet, hf)
	}
	head := 0
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == sheet {
			if m := titles.FindStringSubmatch(d.RefersTo); m != nil {
				head, _ = strconv.Atoi(m[2])
			}
		}
	}
	if head == 0 {
		t.Errorf("%s: no header rows printed on every page", sheet)
	} else if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != head {
		t.Errorf("%s: panes %+v (%v), want rows 1–%d frozen", sheet, p, err, head)
	}
	Columns(t, f, sheet, pl.Orientation != nil && *pl.Orientation == "landscape")
	return head
}

// Columns checks that no cell outside a merged line is wider than its
// column unless it wraps in a row tall enough for its lines, and that a
// sheet whose columns are wider than portrait prints landscape.
func Columns(t testing.TB, f *excelize.File, sheet string, landscape bool) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string]bool{}
	if ms, err := f.GetMergeCells(sheet); err == nil {
		for _, m := range ms {
			merged[m.GetStartAxis()] = true
		}
	}
	widest := 0
	for _, r := range rows {
		widest = max(widest, len(r))
	}
	widths := make([]float64, widest)
	total := 0.0
	for c := range widths {
		name, _ := excelize.ColumnNumberToName(c + 1)
		widths[c], _ = f.GetColWidth(sheet, name)
		total += xlsxout.Millimetres(widths[c])
	}
	if total > xlsxout.Printable(false)+0.5 && !landscape {
		t.Errorf("%s: columns %.0f mm wide print portrait (%.0f mm)", sheet, total, xlsxout.Printable(false))
	}
	bad := 0
	for i, r := range rows {
		for c, v := range r {
			at, _ := excelize.CoordinatesToCellName(c+1, i+1)
			if v == "" || merged[at] {
				continue
			}
			w := xlsxout.Width(v)
			if w <= widths[c] {
				continue
			}
			lines := xlsxout.Lines(v, widths[c])
			h, _ := f.GetRowHeight(sheet, i+1)
			if !Wraps(f, sheet, at) || h < float64(lines)*13 {
				if bad++; bad <= 5 {
					t.Errorf("%s!%s: %q is %.0f wide in a column of %.1f, %d lines in a row of %.0f pt (wraps: %v)",
						sheet, at, v, w, widths[c], lines, h, Wraps(f, sheet, at))
				}
			}
		}
	}
}

// Wraps says whether the cell's text wraps.
func Wraps(f *excelize.File, sheet, at string) bool {
	st := style(f, sheet, at)
	return st != nil && st.Alignment != nil && st.Alignment.WrapText
}

// Format is the cell's number format: its custom format, or the built-in
// format's number as text ("49" is text, "0" general).
func Format(f *excelize.File, sheet, at string) string {
	st := style(f, sheet, at)
	switch {
	case st == nil:
		return "0"
	case st.CustomNumFmt != nil:
		return *st.CustomNumFmt
	}
	return strconv.Itoa(st.NumFmt)
}

// Kind is how the cell is stored: "number" (counts, percentages, dates
// and times alike), "text" or "empty".
func Kind(t testing.TB, f *excelize.File, sheet, at string) string {
	t.Helper()
	ct, err := f.GetCellType(sheet, at)
	if err != nil {
		t.Fatal(err)
	}
	switch ct {
	case excelize.CellTypeUnset:
		v, _ := f.GetCellValue(sheet, at, excelize.Options{RawCellValue: true})
		if v == "" {
			return "empty"
		}
		return "number"
	case excelize.CellTypeNumber:
		return "number"
	case excelize.CellTypeInlineString, excelize.CellTypeSharedString, excelize.CellTypeFormula:
		if formula, _ := f.GetCellFormula(sheet, at); formula != "" {
			return "formula"
		}
		return "text"
	}
	return "other"
}

// Raw is the cell's stored value: a number as Excel keeps it (a date as
// its serial number).
func Raw(f *excelize.File, sheet, at string) string {
	v, _ := f.GetCellValue(sheet, at, excelize.Options{RawCellValue: true})
	return v
}

func style(f *excelize.File, sheet, at string) *excelize.Style {
	id, err := f.GetCellStyle(sheet, at)
	if err != nil || id == 0 {
		return nil
	}
	st, err := f.GetStyle(id)
	if err != nil {
		return nil
	}
	return st
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
