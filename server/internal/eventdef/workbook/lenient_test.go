package workbook

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/eventdef"
)

// sheetRows builds a workbook from scratch: sheet name → rows, starting at
// row 1. A nil row is left empty.
func sheetRows(t testing.TB, sheets []string, rows map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A workbook typed by people rather than written by Write: English sheet
// and header names, a title above a header, remarks in headers, extra
// columns, empty rows, full-width digits, other separators and words,
// Excel date cells, merged-looking venue cells, bare meal times and room
// runs. It reads as the definition meant.
func TestLenientWorkbook(t *testing.T) {
	day := func(h, m int) time.Time { return time.Date(2026, 3, 5, h, m, 0, 0, time.UTC) }
	data := sheetRows(t, []string{"会议信息", "Venues", "座区", "Rooms", "日程", "用餐", "Checkpoints", "备忘"}, map[string][][]any{
		"会议信息": {
			{"会议基本信息"},
			{"会议代码", "ｎｐｃ２０２６"},
			{" 名称 ", " 大会 "},
			nil,
			{"Timezone", "北京时间"},
			{"首日", day(0, 0)},
		},
		"Venues": {
			{"场地表"},
			{"Code", "Name", "Kind", "Capacity", "Doors", "Presidium", "Tables", "备注"},
			nil,
			{"hall", "礼堂", "会场", "１，２００人", "东门,西门；南门", "１５、17", "", "无关的话"},
			{"canteen", "餐厅", "dining", "", "", "", "40x10、2*12、51-52 × 8、61号×12、10"},
			{"", "", "", "", "", "", "", "只有备注的行不算"},
			{"hotel", "宾馆", "宾馆"},
		},
		"座区": {
			{"场地代码*", "座区", "排数", "每排座位数", "编号方式（单双号/顺序）", "最近的门", "起始排"},
			{"hall", "Ａ", 10, 8, "单双", "西门"},
			{"", "B", "12", "12座", "center"},
			{"", "C", 5, 8, "顺序", "", "21"},
		},
		"Rooms": {
			{"酒店", "房号", "床位数"},
			{"hotel", "801~803", 2},
			{"", "0901", "１"},
		},
		"日程": {
			{"代码", "名称", "类型", "场地", "开门", "开始", "结束", "关门", "应到类别", "基数", "比例"},
			{"s1", "大会", "大会", "hall", day(8, 0), "2026/3/5 9:00", "2026-03-05T03:30:00Z", "2026年3月5日 12:00", "delegate,observer", "应到", "１/２"},
		},
		"用餐": {
			{"代码", "名称", "日期", "餐次", "开始", "结束", "餐厅", "类别"},
			{"lunch", "午餐", day(0, 0), "中餐", "11:30", 0.5625, "canteen", "staff"},
			{"", "", "", "", "", "", "canteen"},
		},
		"Checkpoints": {
			{"id", "name", "kind", "venue", "meal"},
			{"in", "入口", "签到", "hall"},
			{"eat", "餐厅", "就餐", "canteen", "lunch"},
		},
		"备忘": {{"这张表不是筹备表的一部分"}},
	})
	got, l, errs := Read(bytes.NewReader(data), int64(len(data)))
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	var tables []eventdef.Table
	for n := 1; n <= 40; n++ {
		tables = append(tables, eventdef.Table{Number: n, Seats: 10})
	}
	tables = append(tables, eventdef.Table{Number: 41, Seats: 12}, eventdef.Table{Number: 42, Seats: 12}, eventdef.Table{Number: 51, Seats: 8}, eventdef.Table{Number: 52, Seats: 8},
		eventdef.Table{Number: 61, Seats: 12}, eventdef.Table{Number: 62, Seats: 10})
	want := eventdef.Definition{
		Event:      eventdef.Event{ID: "npc2026", Name: "大会", Timezone: "Asia/Shanghai", StartsOn: "2026-03-05"},
		Categories: []eventdef.Category{},
		Venues: []eventdef.Venue{
			{Code: "hall", Name: "礼堂", Kind: eventdef.KindHall, Capacity: 1200, Doors: []string{"东门", "西门", "南门"}, Presidium: []int{15, 17},
				Sections: []eventdef.Section{
					{Code: "A", Rows: 10, Seats: 8, Numbering: eventdef.NumberCentre, Door: "西门"},
					{Code: "B", Rows: 12, Seats: 12, Numbering: eventdef.NumberCentre},
					{Code: "C", Rows: 5, Seats: 8, Numbering: eventdef.NumberLeftRight, FirstRow: 21},
				}},
			{Code: "canteen", Name: "餐厅", Kind: eventdef.KindDining, Tables: tables},
			{Code: "hotel", Name: "宾馆", Kind: eventdef.KindHotel, Rooms: []eventdef.Room{{Number: "801", Beds: 2}, {Number: "802", Beds: 2}, {Number: "803", Beds: 2}, {Number: "0901", Beds: 1}}},
		},
		Sessions: []eventdef.Session{{ID: "s1", Name: "大会", Kind: eventdef.SessionPlenary, Venue: "hall",
			OpensAt: "2026-03-05T08:00:00+08:00", StartsAt: "2026-03-05T09:00:00+08:00",
			EndsAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T12:00:00+08:00",
			Expected: &eventdef.Rule{Categories: []string{"delegate", "observer"}},
			Quorum:   &eventdef.Quorum{Base: "expected", Ratio: "1/2", Strict: true}}},
		Meals: []eventdef.Meal{{ID: "lunch", Name: "午餐", Date: "2026-03-05", Slot: eventdef.Lunch,
			OpensAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T13:30:00+08:00",
			Halls: []eventdef.MealHall{{Venue: "canteen", Rule: eventdef.Rule{Categories: []string{"staff"}}}, {Venue: "canteen"}}}},
		Checkpoints: []eventdef.Checkpoint{
			{ID: "in", Name: "入口", Kind: eventdef.CheckpointEntrance, Venue: "hall"},
			{ID: "eat", Name: "餐厅", Kind: eventdef.CheckpointMeal, Venue: "canteen", Meal: "lunch"},
		},
	}
	sameDefinition(t, got, want)
	if g := l.Given(); g[eventdef.PartCategories] || !g[eventdef.PartVenues] || !g[eventdef.PartMeals] {
		t.Errorf("given %v: categories has no sheet, venues and meals do", g)
	}
	// Rows are counted as the spreadsheet counts them, blank rows included.
	for path, want := range map[string]Position{
		"venues[2].kind":                  {Sheet: "Venues", Row: 7, Column: "C", Header: "Kind"},
		"venues[0].sections[2].first_row": {Sheet: "座区", Row: 4, Column: "G", Header: "起始排"},
		"venues[2].rooms[2]":              {Sheet: "Rooms", Row: 2},
		"venues[2].rooms[3].beds":         {Sheet: "Rooms", Row: 3, Column: "C", Header: "床位数"},
		"meals[0].halls[1].venue":         {Sheet: "用餐", Row: 3, Column: "G", Header: "餐厅"},
		"event.timezone":                  {Sheet: "会议信息", Row: 5, Column: "B", Header: "时区"},
	} {
		if got, ok := l.Position(path); !ok || got != want {
			t.Errorf("%s at %+v, want %+v", path, got, want)
		}
	}
}
