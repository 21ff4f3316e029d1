package exports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/checkin"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/testkit"
	"huiwu/server/internal/xlsxout"
	"huiwu/server/internal/xlsxout/xlsxcheck"
)

// demoExports are every workbook of package exports for the demo, two
// hours after two people signed in to the opening: the 签到表, the meal
// counts, the room list, the absentees and each workbook of the archive.
func demoExports(t *testing.T) map[string][]byte {
	t.Helper()
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	for i, id := range expected(t, env, "opening", 2) {
		if _, err := env.Engine.Scan(ctx, checkin.Request{AttendeeID: id, Checkpoint: "hall-east",
			ScanID: "p" + string(rune('0'+i)), Actor: "desk"}); err != nil {
			t.Fatal(err)
		}
	}
	later := demoNow.Add(2 * time.Hour)
	env.SetNow(later)
	out := map[string][]byte{}
	write := func(name string, fn func(w io.Writer) error) {
		var buf bytes.Buffer
		if err := fn(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = buf.Bytes()
	}
	sheet, err := exports.LoadSigninAt(ctx, env.DB, env.Catalog, "opening", later)
	if err != nil {
		t.Fatal(err)
	}
	write("signin", func(w io.Writer) error { return exports.WriteSigninXLSX(w, sheet) })
	write("absentees", func(w io.Writer) error { return exports.WriteAbsenteesXLSX(w, []*exports.Signin{sheet}) })
	meals, err := exports.LoadMeals(ctx, env.DB, env.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	write("meals", func(w io.Writer) error { return exports.WriteMealsXLSX(w, meals) })
	rooms, err := exports.LoadRooms(ctx, env.DB, env.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	write("rooms", func(w io.Writer) error { return exports.WriteRoomsXLSX(w, rooms) })
	a, err := exports.LoadArchive(ctx, env.DB, env.Catalog, later, "测试")
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	if err := a.WriteZIP(&zipped); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".xlsx") {
			continue
		}
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		out["archive/"+f.Name] = b
	}
	return out
}

// TestEveryExportPrints reads every workbook back as a printer would: A4
// fit to one page wide, the header rows frozen and repeated on every page,
// the title and 第 N 页 / 共 M 页 in the page header and footer, landscape
// where the columns need it, and no cell cut off by its column. With
// $HUIWU_SHOTS set it leaves the workbooks there, to open and look at.
func TestEveryExportPrints(t *testing.T) {
	dir := os.Getenv("HUIWU_SHOTS")
	for name, data := range demoExports(t) {
		if dir != "" {
			path := filepath.Join(dir, strings.TrimSuffix(strings.ReplaceAll(name, "/", "_"), ".xlsx")+".xlsx")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(name, func(t *testing.T) { xlsxcheck.Printed(t, data) })
	}
}

// TestExportCellTypes: counts, percentages and times are numbers with a
// number format, so that a desk can sort and sum them; phones, rooms and
// names stay text.
func TestExportCellTypes(t *testing.T) {
	files := demoExports(t)
	type want struct {
		file, sheet string
		col         int    // from 1; 0: wherever the heading is
		head        string // the column's heading, to find the column and its rows
		kind        string // number or text
		format      string // the number format ("49" is text)
	}
	for _, w := range []want{
		{"signin", "签到表", 1, "序号", "number", xlsxout.FormatCount},
		{"signin", "签到表", 7, "签到时间", "number", xlsxout.FormatClock},
		{"signin", "签到表", 2, "姓名", "text", "49"},
		{"absentees", "", 1, "序号", "number", xlsxout.FormatCount},
		{"absentees", "", 6, "手机", "text", "49"},
		{"meals", "用餐统计", 1, "日期", "number", xlsxout.FormatDate},
		{"meals", "用餐统计", 6, "应用餐", "number", xlsxout.FormatCount},
		{"rooms", "住宿名单", 3, "房号", "text", "49"},
		{"rooms", "住宿名单", 7, "入住日期", "number", xlsxout.FormatDate},
		{"archive/汇总.xlsx", "出席率", 0, "出席率", "number", xlsxout.FormatPercent},
		{"archive/汇总.xlsx", "出席率", 0, "应到", "number", xlsxout.FormatCount},
		{"archive/汇总.xlsx", "到场曲线", 2, "时段（每10分钟）", "number", xlsxout.FormatDateTime},
		{"archive/汇总.xlsx", "用餐", 4, "用餐率", "number", xlsxout.FormatPercent},
	} {
		f := xlsxcheck.Open(t, files[w.file])
		sheet := w.sheet
		if sheet == "" {
			sheet = f.GetSheetName(0)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("%s %s: %v", w.file, sheet, err)
		}
		head, col := -1, w.col
		for i, r := range rows {
			for c, v := range r {
				if v == w.head && (w.col == 0 || c == w.col-1) {
					head, col = i, c+1
				}
			}
			if head >= 0 {
				break
			}
		}
		if head < 0 {
			t.Errorf("%s %s: no column %q", w.file, sheet, w.head)
			continue
		}
		checked, failed := 0, false
		for r := head + 1; r < len(rows) && checked < 20; r++ {
			if slices.Contains(rows[r], "合计") {
				break // the totals, then notes
			}
			if len(rows[r]) < col || rows[r][col-1] == "" || rows[r][0] == "小计" {
				continue
			}
			at, _ := excelize.CoordinatesToCellName(col, r+1)
			kind, format := xlsxcheck.Kind(t, f, sheet, at), xlsxcheck.Format(f, sheet, at)
			if kind != w.kind || format != w.format {
				t.Errorf("%s %s!%s (%s) %q: %s with format %q, want %s with %q", w.file, sheet, at, w.head,
					rows[r][col-1], kind, format, w.kind, w.format)
				failed = true
				break
			}
			checked++
		}
		if checked == 0 && !failed {
			t.Errorf("%s %s: no %s cells to check", w.file, sheet, w.head)
		}
	}
}
