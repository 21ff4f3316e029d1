package workbook

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// edit opens a workbook, lets fn change it, and saves it.
func edit(t testing.TB, data []byte, fn func(f *excelize.File) error) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// set puts values in cells, given as sheet, cell, value triples.
func set(cells ...any) func(f *excelize.File) error {
	return func(f *excelize.File) error {
		for i := 0; i+2 < len(cells); i += 3 {
			if err := f.SetCellValue(cells[i].(string), cells[i+1].(string), cells[i+2]); err != nil {
				return err
			}
		}
		return nil
	}
}

func exampleBytes(t testing.TB) []byte {
	t.Helper()
	data, err := Example()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// In the example workbook: 会议信息 B2–B6 hold id, name, name_en, timezone,
// first day; 场地 rows 2–5 hall, room1, canteen, hotel; 座区 rows 2–4 the
// hall's A, B, C; 座位 rows 2–3; 日程 rows 2–3; 用餐 row 2; 住宿 rows 2–5;
// 检查点 rows 2–4.
func TestCellErrors(t *testing.T) {
	long := strings.Repeat("长", maxCellRunes+1)
	tests := []struct {
		name string
		edit func(f *excelize.File) error
		want Error // Sheet, Row, Column, Header, Code
	}{
		{"capacity not a number", set(SheetVenues, "E3", "三百"), Error{SheetVenues, 3, "E", "容量", CodeBadNumber, "", ""}},
		{"capacity not whole", set(SheetVenues, "E3", 40.5), Error{SheetVenues, 3, "E", "容量", CodeBadNumber, "", ""}},
		{"venue kind", set(SheetVenues, "D3", "体育馆"), Error{SheetVenues, 3, "D", "类型", CodeUnknownValue, "", ""}},
		{"presidium row", set(SheetVenues, "G2", "15、十七"), Error{SheetVenues, 2, "G", "主席台", CodeBadNumber, "", ""}},
		{"tables", set(SheetVenues, "H4", "20×"), Error{SheetVenues, 4, "H", "餐桌", CodeBadTables, "", ""}},
		{"tables backwards", set(SheetVenues, "H4", "20-10×8"), Error{SheetVenues, 4, "H", "餐桌", CodeBadTables, "", ""}},
		{"section rows", set(SheetSections, "C3", "十二"), Error{SheetSections, 3, "C", "排数", CodeBadNumber, "", ""}},
		{"numbering", set(SheetSections, "E4", "随便"), Error{SheetSections, 4, "E", "编号方式", CodeUnknownValue, "", ""}},
		{"section of no venue", set(SheetSections, "A3", "hall2"), Error{SheetSections, 3, "A", "场地代码", CodeUnknownVenue, "", ""}},
		{"seat x", set(SheetSeats, "H3", "左边"), Error{SheetSeats, 3, "H", "X", CodeBadNumber, "", ""}},
		{"seat kind", set(SheetSeats, "F2", "贵宾"), Error{SheetSeats, 2, "F", "类型", CodeUnknownValue, "", ""}},
		{"seat number", set(SheetSeats, "E2", "1号半"), Error{SheetSeats, 2, "E", "号", CodeBadNumber, "", ""}},
		{"session kind", set(SheetSessions, "D3", "座谈"), Error{SheetSessions, 3, "D", "类型", CodeUnknownValue, "", ""}},
		{"session time words", set(SheetSessions, "H2", "明天上午"), Error{SheetSessions, 2, "H", "开始", CodeBadTime, "", ""}},
		{"session time no date", set(SheetSessions, "I3", "17:30"), Error{SheetSessions, 3, "I", "结束", CodeBadTime, "", ""}},
		{"session day 30 Feb", set(SheetSessions, "J2", "2026-02-30 12:00"), Error{SheetSessions, 2, "J", "关门", CodeBadTime, "", ""}},
		{"session time a bare number", set(SheetSessions, "H3", 2026), Error{SheetSessions, 3, "H", "开始", CodeBadTime, "", ""}},
		{"session hour 25", set(SheetSessions, "G3", "2026-03-05 25:00"), Error{SheetSessions, 3, "G", "开门", CodeBadTime, "", ""}},
		{"quorum base", set(SheetSessions, "N2", "大多数"), Error{SheetSessions, 2, "N", "法定人数基数", CodeUnknownValue, "", ""}},
		{"quorum strict", set(SheetSessions, "P2", "也许"), Error{SheetSessions, 2, "P", "超过/达到", CodeUnknownValue, "", ""}},
		{"presidium rule", set(SheetSessions, "R2", "三角"), Error{SheetSessions, 2, "R", "主席台规则", CodeUnknownValue, "", ""}},
		{"honour", set(SheetSessions, "S2", "中"), Error{SheetSessions, 2, "S", "尊位", CodeUnknownValue, "", ""}},
		{"meal date", set(SheetMeals, "C2", "3月5日"), Error{SheetMeals, 2, "C", "日期", CodeBadDate, "", ""}},
		{"meal slot", set(SheetMeals, "D2", "夜宵"), Error{SheetMeals, 2, "D", "餐次", CodeUnknownValue, "", ""}},
		{"meal time", set(SheetMeals, "F2", "一点半"), Error{SheetMeals, 2, "F", "结束", CodeBadTime, "", ""}},
		{"meal rows disagree", set(SheetMeals, "A3", "d1-lunch", SheetMeals, "B3", "另一个名字", SheetMeals, "G3", "canteen"),
			Error{SheetMeals, 3, "B", "名称", CodeConflict, "", ""}},
		{"room run", set(SheetRooms, "B3", "0802~07"), Error{SheetRooms, 3, "B", "房号", CodeBadRoomRun, "", ""}},
		{"beds", set(SheetRooms, "C4", "两张"), Error{SheetRooms, 4, "C", "床位", CodeBadNumber, "", ""}},
		{"room of no hotel", set(SheetRooms, "A2", "inn"), Error{SheetRooms, 2, "A", "酒店代码", CodeUnknownVenue, "", ""}},
		{"voting", set(SheetCategories, "E3", "不一定"), Error{SheetCategories, 3, "E", "表决", CodeUnknownValue, "", ""}},
		{"checkpoint kind", set(SheetCheckpoints, "D4", "门禁"), Error{SheetCheckpoints, 4, "D", "类型", CodeUnknownValue, "", ""}},
		{"timezone", set(SheetEvent, "B5", "Mars/Olympus"), Error{SheetEvent, 5, "B", "时区", CodeBadTimezone, "", ""}},
		{"first day", set(SheetEvent, "B6", "下周一"), Error{SheetEvent, 6, "B", "首日", CodeBadDate, "", ""}},
		{"event key twice", set(SheetEvent, "A7", "会议名称", SheetEvent, "B7", "又一个"), Error{SheetEvent, 7, "B", "会议名称", CodeDuplicateKey, "", ""}},
		{"cell too long", set(SheetCheckpoints, "B2", long), Error{SheetCheckpoints, 2, "B", "名称", CodeCellTooLong, "", ""}},
		{"header as typed", set(SheetVenues, "E1", "容量（人）", SheetVenues, "E2", "很多"), Error{SheetVenues, 2, "E", "容量（人）", CodeBadNumber, "", ""}},
		{"column twice", set(SheetVenues, "I1", "capacity"), Error{SheetVenues, 1, "I", "capacity", CodeDuplicateColumn, "", ""}},
		{"no key column", set(SheetSections, "A1", "会场名"), Error{SheetSections, 1, "", "", CodeMissingColumn, "", ""}},
		{"no event sheet", func(f *excelize.File) error { return f.DeleteSheet(SheetEvent) }, Error{SheetEvent, 0, "", "", CodeMissingSheet, "", ""}},
	}
	base := exampleBytes(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := edit(t, base, tt.edit)
			_, _, errs := Read(bytes.NewReader(data), int64(len(data)))
			if len(errs) != 1 {
				t.Fatalf("%d errors, want 1: %v", len(errs), errs)
			}
			e := errs[0]
			got := Error{e.Sheet, e.Row, e.Column, e.Header, e.Code, "", ""}
			if got != tt.want {
				t.Fatalf("error at %+v, want %+v: %s", got, tt.want, e.Zh)
			}
			if e.Zh == "" || e.En == "" {
				t.Fatalf("error without words: %+v", e)
			}
		})
	}
}

// Every header word, alias included, names one column of its sheet.
func TestHeadersUnambiguous(t *testing.T) {
	for _, s := range dataSheets {
		owner := map[string]string{}
		for _, c := range s.cols {
			for _, w := range append([]string{c.name, c.en}, c.aliases...) {
				k := foldHeader(w)
				if o, dup := owner[k]; dup && o != c.name {
					t.Errorf("%s: %q names both %s and %s", s.name, w, o, c.name)
				}
				owner[k] = c.name
			}
		}
	}
	keys := map[string]int{}
	for i, k := range eventKeys {
		for _, w := range append([]string{k.name, k.en}, k.aliases...) {
			if o, dup := keys[foldHeader(w)]; dup && o != i {
				t.Errorf("会议信息: %q names two keys", w)
			}
			keys[foldHeader(w)] = i
		}
	}
}

func TestErrorCap(t *testing.T) {
	data := edit(t, exampleBytes(t), func(f *excelize.File) error {
		for r := 2; r < MaxErrors+50; r++ {
			if err := f.SetSheetRow(SheetCategories, "A"+strconv.Itoa(r), &[]any{"c" + strconv.Itoa(r), "类别", "", "", "也许"}); err != nil {
				return err
			}
		}
		return nil
	})
	_, _, errs := Read(bytes.NewReader(data), -1)
	if len(errs) != MaxErrors+1 || errs[MaxErrors].Code != CodeTooManyErrors || !strings.Contains(errs[MaxErrors].Zh, "48") {
		t.Fatalf("%d errors, last %+v", len(errs), errs[len(errs)-1])
	}
}
