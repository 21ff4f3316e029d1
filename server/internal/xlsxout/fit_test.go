package xlsxout_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/xlsxout"
	"huiwu/server/internal/xlsxout/xlsxcheck"
)

// TestPrepare: a sheet written cell by cell, without Book, prints like the
// others after one call: its header row frozen and on every page, its
// narrow columns widened to their cells, a unit over the cap wrapped in a
// taller row, and the page turned landscape for its width.
func TestPrepare(t *testing.T) {
	f := excelize.NewFile()
	const sheet = "Sheet1"
	rows := [][]any{
		{"资料发放统计"},
		{"物品 Item", "应发 Due", "单位", "备注", "备注二", "备注三"},
		{"会议文件袋（含代表证、议程、住宿指南）", 430, "大会秘书处医疗组（云江省第一人民医院）大会秘书处医疗组（云江省第一人民医院）", "某某某某某某某某某某", "某某某某某某某某某某", "某某某某某某某某某某"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := xlsxout.Prepare(f, sheet, xlsxout.Page{Title: "资料发放统计", HeadFrom: 2, HeadTo: 2}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g, heads := xlsxcheck.Printed(t, buf.Bytes())
	if heads[sheet] != 2 {
		t.Errorf("header rows to %d, want 2", heads[sheet])
	}
	if w, _ := g.GetColWidth(sheet, "C"); w != xlsxout.DefaultMax {
		t.Errorf("the long unit's column is %v wide, want the cap %v", w, xlsxout.DefaultMax)
	}
	if pl, _ := g.GetPageLayout(sheet); pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("orientation %v, want landscape", pl.Orientation)
	}
}
