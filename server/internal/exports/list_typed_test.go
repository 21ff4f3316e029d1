package exports

import (
	"bytes"
	"testing"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/xlsxout"
	"huiwu/server/internal/xlsxout/xlsxcheck"
)

// TestListXLSXTypedCells: a printed list's 序号 and its dates and times
// become numbers and dates in the workbook — with the year the paper
// leaves out, taken from when the list was printed (a list printed on New
// Year's morning about last night) — while a room number that looks like
// a date, and a time without a date, stay as printed.
func TestListXLSXTypedCells(t *testing.T) {
	s := &render.ListSheet{Title: "清退客房名单", Printed: "2027-01-01 08:00",
		Columns: []render.ListColumn{{Head: "序号", Width: 10}, {Head: "房号", Width: 16}, {Head: "离店日期", Width: 18},
			{Head: "入住时间", Width: 20}, {Head: "时间", Width: 16}, {Head: "登记日期", Width: 20}},
		Sections: []render.ListSection{{Heading: "会议酒店", Rows: [][]string{
			{"1", "12-03", "01-02", "12-31 23:30", "08:00", "2026-12-30"},
			{"2", "0801", "", "未登记", "", "2026-12-31 09:15"},
		}}}}
	var buf bytes.Buffer
	if err := WriteListXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, heads := xlsxcheck.Printed(t, buf.Bytes())
	sheet := f.GetSheetName(0)
	row := heads[sheet] + 2 // after the hotel's band
	at := func(col string, r int) string { return col + itoa(r) }
	day := func(y int, m time.Month, d, h, min int) string {
		return trimFloat(excelSerial(time.Date(y, m, d, h, min, 0, 0, time.UTC)))
	}
	for _, c := range []struct{ cell, kind, format, raw string }{
		{at("A", row), "number", xlsxout.FormatCount, "1"},
		{at("B", row), "text", "49", "12-03"},
		{at("C", row), "number", xlsxout.FormatDate, day(2027, 1, 2, 0, 0)},
		{at("D", row), "number", xlsxout.FormatDateTime, day(2026, 12, 31, 23, 30)},
		{at("E", row), "text", "49", "08:00"},
		{at("F", row), "number", xlsxout.FormatDate, day(2026, 12, 30, 0, 0)},
		{at("D", row+1), "text", "49", "未登记"},
		{at("F", row+1), "number", xlsxout.FormatDateTime, day(2026, 12, 31, 9, 15)},
	} {
		kind, format, raw := xlsxcheck.Kind(t, f, sheet, c.cell), xlsxcheck.Format(f, sheet, c.cell), xlsxcheck.Raw(f, sheet, c.cell)
		if kind != c.kind || format != c.format || (raw != c.raw && trimFloat(raw) != c.raw) {
			t.Errorf("%s: %s %q %q, want %s %q %q", c.cell, kind, format, raw, c.kind, c.format, c.raw)
		}
	}
}
