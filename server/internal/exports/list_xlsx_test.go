package exports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render"
)

// TestListXLSX: a list as a workbook keeps the paper's layout — title,
// lines, the heads frozen under them and printed on every page, a shaded
// line per section, the rows — and takes a title Excel would refuse as a
// sheet's name (a slash, more than 31 characters).
func TestListXLSX(t *testing.T) {
	s := &render.ListSheet{Title: "北京南站/丰台站 送站一览表（第二天，含随行人员与车辆安排）", Lines: []string{"会议", "2026年3月4日"},
		Columns:   []render.ListColumn{{Head: "序号", Width: 10}, {Head: "姓名", Width: 30}},
		Sections:  []render.ListSection{{Heading: "09:00", Note: "京A12345", Rows: [][]string{{"1", "阿卜杜拉·买买提"}}}, {Heading: "10:00"}},
		Landscape: true}
	var buf bytes.Buffer
	if err := WriteListXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	if strings.ContainsAny(sheet, `/\:?*[]`) || len([]rune(sheet)) > 31 {
		t.Errorf("sheet name %q", sheet)
	}
	rows, _ := f.GetRows(sheet)
	got := make([]string, len(rows))
	for i, r := range rows {
		got[i] = strings.Join(r, "|")
	}
	want := []string{s.Title, "会议", "2026年3月4日", "", "序号|姓名", "09:00　　京A12345", "1|阿卜杜拉·买买提", "10:00"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != 5 {
		t.Errorf("panes %+v %v", p, err)
	}
	if o, err := f.GetPageLayout(sheet); err != nil || o.Orientation == nil || *o.Orientation != "landscape" {
		t.Errorf("page layout %+v %v", o, err)
	}
}
