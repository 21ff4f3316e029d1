package importer

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/domain"
)

// The fixtures under testdata are lists as the desk receives them. They are
// generated here (go test -update) so that what they contain is readable,
// and committed so that the bytes, GB18030 included, are fixed.

const deskCSV = "2026年全省工作会议参会人员名单,,,,,,,,\r\n" +
	"序号,姓  名,性别,工作单位,职务,人员类别,手机号码,身份证号码,房间号\r\n" +
	"1,张　三,男,省发展和改革委员会,主任,代表,138 0013 8000,11010519491231002x,1203\r\n" +
	"2,阿依古丽・买买提,女,省民族宗教事务委员会,副主任,代表,１３９００１３９０００," + id2 + ",1204\r\n" +
	"3,李四,男,省财政厅,厅长,列席,010-65123456,1.10101E+17,\r\n" +
	",,,,,,,,\r\n" +
	"4,王五,男,省教育厅,副厅长,嘉宾,,110101199003071234,\r\n" +
	"合计：4人,,,,,,,,\r\n"

func deskXLSX(t testing.TB) []byte {
	rows := [][]any{
		{"2026年全省人民代表大会代表名单"},
		{"编号", "姓名", "代表团", "类别", "身份证号", "排序", "抵达时间"},
		{"D001", "赵一", "长沙市代表团", "代表", id3, 1, time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)},
		{"D002", "钱二", nil, "代表", 320102198511201234, 2},
		{"D003", "孙三", nil, "代表", id4, nil},
		{"D004", "李四", "岳阳市代表团", "代表", "", nil},
	}
	return xlsxOf(t, rows, func(f *excelize.File) {
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(f.MergeCell("Sheet1", "A1", "G1"))
		must(f.MergeCell("Sheet1", "C3", "C5"))
		must(f.SetRowVisible("Sheet1", 5, false))
		style, err := f.NewStyle(&excelize.Style{NumFmt: 22})
		must(err)
		must(f.SetCellStyle("Sheet1", "G3", "G3", style))
		_, err = f.NewSheet("填表说明")
		must(err)
		must(f.SetCellValue("填表说明", "A1", "身份证号请设为文本格式"))
	})
}

// fixture reads a file under testdata, writing it first with -update.
func fixture(t *testing.T, name string, make func() []byte) []byte {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, make(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	return data
}

func TestFixtureDeskGBK(t *testing.T) {
	data := fixture(t, "desk_gbk.csv", func() []byte { return gb18030(t, deskCSV) })
	res := mustParse(t, "来宾登记表.csv", data, Options{HotelVenue: "hotel"})
	if res.Format != "csv-gb18030" || res.HeaderRow != 2 {
		t.Fatalf("format %s header %d", res.Format, res.HeaderRow)
	}
	issueAt(t, res.Warnings, CodeUnknownColumn, 2, "A")
	issueAt(t, res.Errors, CodeIDScientific, 5, "H")
	issueAt(t, res.Errors, CodeIDChecksum, 7, "H")
	issueAt(t, res.Warnings, CodeIgnoredRow, 8, "B")
	if res.ErrorCount != 2 || res.WarningCount != 2 || len(res.Rows) != 2 {
		t.Fatalf("errors %s warnings %s rows %d", dump(res.Errors), dump(res.Warnings), len(res.Rows))
	}
	rows := byName(res)
	zs, ay := rows["张三"], rows["阿依古丽·买买提"]
	if zs.Line != 3 || zs.Attendee.IDNumber != id1 || zs.Attendee.Phone != "13800138000" ||
		zs.Attendee.Organization != "省发展和改革委员会" || *zs.Attendee.Lodging != (domain.Lodging{Venue: "hotel", Room: "1203"}) {
		t.Errorf("张三 %+v", zs)
	}
	if ay.Line != 4 || ay.Attendee.Phone != "13900139000" || ay.Attendee.Gender != "女" || ay.Attendee.Rank != 2 {
		t.Errorf("阿依古丽 %+v", ay)
	}
}

func TestFixtureDeskXLSX(t *testing.T) {
	data := fixture(t, "desk.xlsx", func() []byte { return deskXLSX(t) })
	res := mustParse(t, "代表名单.xlsx", data, Options{})
	if res.Sheet != "Sheet1" || strings.Join(res.OtherSheets, ",") != "填表说明" || res.HeaderRow != 2 {
		t.Fatalf("sheet %q others %q header %d", res.Sheet, res.OtherSheets, res.HeaderRow)
	}
	issueAt(t, res.Errors, CodeIDNumeric, 4, "E")
	issueAt(t, res.Warnings, CodeHiddenRow, 5, "B")
	if res.ErrorCount != 1 || len(res.Rows) != 3 {
		t.Fatalf("errors %s rows %+v", dump(res.Errors), res.Rows)
	}
	rows := byName(res)
	if a := rows["孙三"].Attendee; a.Delegation != "长沙市代表团" || a.Key != "D003" || a.Rank != 2 {
		t.Errorf("孙三 %+v", a)
	}
	if a := rows["赵一"].Attendee; a.Arrival != "2026-01-10 09:00" || a.Rank != 1 {
		t.Errorf("赵一 %+v", a)
	}
	if a := rows["李四"].Attendee; a.Delegation != "岳阳市代表团" || a.Rank != 3 || a.Key != "D004" {
		t.Errorf("李四 %+v", a)
	}
}
