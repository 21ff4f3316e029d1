package importer

import (
	"archive/zip"
	"bytes"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/domain"
)

func TestXLSXTitleRowAndNumericID(t *testing.T) {
	rows := [][]any{
		{"2026年全省工作会议参会人员名单"},
		{"姓名", "性别", "单位", "职务", "类别", "手机", "身份证号", "排序"},
		{"张三", "男", "省发改委", "主任", "代表", 13800138000, id1, 1},
		{"李四", "女", "省财政厅", "副厅长", "代表", nil, 110101199003071233, 2},
		{"王五", "男", "省教育厅", "厅长", "列席", nil, 1.10101199003071e17, 3},
		{"赵六", "男", "省科技厅", "厅长", "列席", nil, "1.10101E+17", 4},
		{"钱七", "女", "省民政厅", "厅长", "嘉宾", nil, "110101199003071234", "５"},
	}
	data := xlsxOf(t, rows, func(f *excelize.File) {
		if err := f.MergeCell("Sheet1", "A1", "H1"); err != nil {
			t.Fatal(err)
		}
	})
	res := mustParse(t, "名单.xlsx", data, Options{})
	if res.Format != "xlsx" || res.HeaderRow != 2 || res.Sheet != "Sheet1" {
		t.Fatalf("format %s header %d sheet %q", res.Format, res.HeaderRow, res.Sheet)
	}
	issueAt(t, res.Errors, CodeIDNumeric, 4, "G")
	issueAt(t, res.Errors, CodeIDNumeric, 5, "G")
	issueAt(t, res.Errors, CodeIDScientific, 6, "G")
	issueAt(t, res.Errors, CodeIDChecksum, 7, "G")
	if res.ErrorCount != 4 || len(res.Rows) != 1 {
		t.Fatalf("errors %s rows %+v", dump(res.Errors), res.Rows)
	}
	a := res.Rows[0].Attendee
	if res.Rows[0].Line != 3 || a.Phone != "13800138000" || a.IDNumber != id1 || a.Rank != 1 {
		t.Fatalf("row %+v", res.Rows[0])
	}
}

func TestXLSXSheetChoice(t *testing.T) {
	people := [][]any{{"姓名", "类别"}, {"张三", "代表"}}
	tests := []struct {
		name   string
		sheets []string // Sheet1 is renamed to the first
		hidden string
		want   string
		others []string
	}{
		{"first visible", []string{"说明", "Sheet2"}, "说明", "Sheet2", nil},
		{"named list wins", []string{"封面", "参会人员名单", "汇总"}, "", "参会人员名单", []string{"封面", "汇总"}},
		{"hidden list ignored", []string{"Sheet1", "名单"}, "名单", "Sheet1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := xlsxOf(t, nil, func(f *excelize.File) {
				if err := f.SetSheetName("Sheet1", tt.sheets[0]); err != nil {
					t.Fatal(err)
				}
				for i, s := range tt.sheets {
					if i > 0 {
						if _, err := f.NewSheet(s); err != nil {
							t.Fatal(err)
						}
					}
					for r, row := range people {
						cell, _ := excelize.CoordinatesToCellName(1, r+1)
						if err := f.SetSheetRow(s, cell, &row); err != nil {
							t.Fatal(err)
						}
					}
				}
				if tt.hidden != "" {
					f.SetActiveSheet(slices.Index(tt.sheets, tt.want))
					if err := f.SetSheetVisible(tt.hidden, false); err != nil {
						t.Fatal(err)
					}
				}
			})
			res := mustParse(t, "x.xlsx", data, Options{})
			if res.Sheet != tt.want || !slices.Equal(res.OtherSheets, tt.others) {
				t.Fatalf("sheet %q others %q; want %q %q", res.Sheet, res.OtherSheets, tt.want, tt.others)
			}
		})
	}
}

func TestXLSXMergedHiddenAndDates(t *testing.T) {
	arrive := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	rows := [][]any{
		{"姓名", "代表团", "类别", "抵达时间", "房号"},
		{"张三", "长沙市代表团", "代表", arrive, 1203},
		{"李四", nil, "代表", nil, "１２０４"},
		{"王五", nil, "代表"},
		{"赵六", "岳阳市代表团", "代表"},
	}
	data := xlsxOf(t, rows, func(f *excelize.File) {
		for _, err := range []error{
			f.MergeCell("Sheet1", "B2", "B4"),
			f.SetRowVisible("Sheet1", 4, false),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
		if err := f.SetCellStyle("Sheet1", "D2", "D2", style); err != nil {
			t.Fatal(err)
		}
	})
	res := mustParse(t, "x.xlsx", data, Options{HotelVenue: "hotel"})
	got := byName(res)
	for name, want := range map[string]string{"张三": "长沙市代表团", "李四": "长沙市代表团", "王五": "长沙市代表团", "赵六": "岳阳市代表团"} {
		if got[name].Attendee.Delegation != want {
			t.Errorf("%s: delegation %q, want %q", name, got[name].Attendee.Delegation, want)
		}
	}
	issueAt(t, res.Warnings, CodeHiddenRow, 4, "A")
	if a := got["张三"].Attendee; a.Arrival != "2026-03-01 09:30" || a.Lodging == nil || a.Lodging.Room != "1203" {
		t.Errorf("张三: %+v %+v", a, a.Lodging)
	}
	if l := got["李四"].Attendee.Lodging; l == nil || *l != (domain.Lodging{Venue: "hotel", Room: "1204"}) {
		t.Errorf("李四 lodging %+v", l)
	}
}

func TestXLSXEnglishHeadersAndBlankRows(t *testing.T) {
	rows := [][]any{
		{},
		{"Name", "Category", "Phone", "Notes"},
		{},
		{"Anna Müller", "Guest", "+86 139 0013 9000", "vegetarian"},
		{nil, nil, nil, nil},
		{"Li Wei", "press", "021-6666 8888"},
	}
	res := mustParse(t, "x.xlsx", xlsxOf(t, rows), Options{})
	got := byName(res)
	if res.HeaderRow != 2 || got["Anna Müller"].Line != 4 || got["Li Wei"].Line != 6 {
		t.Fatalf("header %d rows %+v errors %s", res.HeaderRow, res.Rows, dump(res.Errors))
	}
	if got["Li Wei"].Attendee.Phone != "021-66668888" || got["Li Wei"].Attendee.Key != "tel:Li Wei|021-66668888" {
		t.Fatalf("Li Wei %+v", got["Li Wei"].Attendee)
	}
}

// inline is an inline-string cell as some exporters write it.
func inline(ref, s string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
}

// TestXLSXAsExcelWritesIt uses XML written the way Excel writes it: a long
// number as <v>1.10101199003071E+17</v>, cells without r attributes.
func TestXLSXAsExcelWritesIt(t *testing.T) {
	rows := `<row r="1">` + inline("A1", "姓名") + inline("B1", "类别") + inline("C1", "身份证号") + `</row>` +
		`<row r="2">` + inline("A2", "张三") + inline("B2", "代表") + `<c r="C2"><v>1.10101199003071E+17</v></c></row>` +
		`<row r="4"><c t="inlineStr"><is><t>李四</t></is></c><c t="inlineStr"><is><t>代表</t></is></c><c t="n"><v>110101199003071000</v></c></row>` +
		`<row r="5">` + inline("A5", "王五") + inline("B5", "代表") + inline("C5", id3) + `</row>`
	res := mustParse(t, "x.xlsx", zipWith(t, minimalXLSX(sheetXML(rows))), Options{})
	if res.Sheet != "参会人员" {
		t.Fatalf("sheet %q", res.Sheet)
	}
	issueAt(t, res.Errors, CodeIDNumeric, 2, "C")
	issueAt(t, res.Errors, CodeIDNumeric, 4, "C")
	if res.ErrorCount != 2 || len(res.Rows) != 1 || res.Rows[0].Line != 5 {
		t.Fatalf("errors %s rows %+v", dump(res.Errors), res.Rows)
	}
}

// TestXLSXDamagedSheet: excelize's iterator stops quietly at broken XML;
// the import must not pass off the rows above the damage as the whole list.
func TestXLSXDamagedSheet(t *testing.T) {
	rows := `<row r="1">` + inline("A1", "姓名") + inline("B1", "类别") + `</row>` +
		`<row r="2">` + inline("A2", "张三") + inline("B2", "代表") + `</row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c><c r="B3" <<<`
	_, err := Parse("x.xlsx", bytes.NewReader(zipWith(t, minimalXLSX(sheetXML(rows)))), Options{})
	wantFileError(t, err, CodeUnsupportedFormat)
}

func TestScanSheet(t *testing.T) {
	const open = `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>`
	tests := []struct {
		name, xml string
		numeric   map[int]uint64
		merges    []mergeRange
		lastRow   int
		bad       bool
	}{
		{name: "prefixed, comment, no r",
			xml: open + `<!-- <c r="Z9"> a > b --><x:row r="2"><x:c r="C2"><x:v>1</x:v></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c t='n'><x:v>2</x:v></x:c></x:row>` +
				`<x:row><x:c><x:v>3</x:v></x:c></x:row></x:sheetData><x:mergeCells><x:mergeCell ref="B3:B9"/></x:mergeCells></x:worksheet>`,
			numeric: map[int]uint64{2: 1<<2 | 1<<4, 3: 1}, merges: []mergeRange{{col: 1, row1: 3, row2: 5}}, lastRow: 3},
		{name: "cut short", xml: open + `<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>`, bad: true},
		{name: "inside a tag", xml: open + `<x:row r="1"><x:c r="A1"`, bad: true},
		{name: "malformed", xml: open + `<x:row r="1"><x:c r="A1" <x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := zipWith(t, map[string]string{"s.xml": tt.xml})
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			numeric, merges, lastRow, err := scanSheet(zr, "s.xml", 5)
			if tt.bad {
				if err == nil {
					t.Fatal("damage not detected")
				}
				return
			}
			if err != nil || !maps.Equal(numeric, tt.numeric) || !slices.Equal(merges, tt.merges) || lastRow != tt.lastRow {
				t.Fatalf("got %v %v %d %v", numeric, merges, lastRow, err)
			}
		})
	}
}
