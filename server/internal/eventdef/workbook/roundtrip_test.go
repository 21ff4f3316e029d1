package workbook

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/eventdef"
)

// richDefinition uses every feature the workbook carries, in the form the
// store keeps a definition (times in the event's timezone, top-level lists
// and meal halls non-nil, other empty lists nil).
func richDefinition() eventdef.Definition {
	return eventdef.Definition{
		Event: eventdef.Event{ID: "npc-2026", Name: "第十四届全国人民代表大会第四次会议", NameEn: "Fourth Session of the 14th NPC",
			Timezone: "Asia/Shanghai", StartsOn: "2026-03-05", FaceVerification: true},
		Categories: []eventdef.Category{
			{Code: "delegate", Name: "代表", NameEn: "Delegate", Color: "#C00000", Voting: true},
			{Code: "observer", Name: "列席", Color: "#1F4E79"},
			{Code: "staff", Name: "工作人员", NameEn: "Staff"},
		},
		Venues: []eventdef.Venue{
			{Code: "hall", Name: "人民大会堂", NameEn: "Great Hall", Kind: eventdef.KindHall, Capacity: 3200,
				Doors: []string{"东门", "北门", "南门"}, Presidium: []int{15, 17},
				Sections: []eventdef.Section{
					{Code: "A", Rows: 20, Seats: 10, Numbering: eventdef.NumberCentre, Door: "北门"},
					{Code: "中区", Rows: 25, Seats: 30, Numbering: eventdef.NumberCentre, Door: "东门"},
					{Code: "楼座", Rows: 5, Seats: 40, Numbering: eventdef.NumberLeftRight, FirstRow: 21},
				},
				Seats: []eventdef.Seat{
					{Label: "A-1-1", Section: "A", Row: 1, Number: 1, Kind: "reserved", Door: "北门", X: 0.1, Y: 6.000000001},
					{Label: "中区-3-5", Section: "中区", Row: 3, Number: 5, Kind: "blocked", X: 12.345678901234567, Y: -0.5},
					{Label: "W-1", Section: "W", Row: 1, Number: 1, Kind: "wheelchair", Door: "南门", X: 1e-7, Y: 30},
					{Label: "P-1-01", Section: "presidium", Row: 1, Number: 1, Kind: "presidium", X: 15.5, Y: 3},
					{Label: "X-9-9", Section: "X", Row: 9, Number: 9, Kind: "normal"},
					{Label: "Y-0-0", Section: "Y"},
				}},
			{Code: "r101", Name: "101 会议室", Kind: eventdef.KindRoom, Capacity: 40, Doors: []string{"正门"}},
			{Code: "canteen", Name: "一号餐厅", NameEn: "Canteen 1", Kind: eventdef.KindDining, Doors: []string{"正门", "侧门"},
				Tables: []eventdef.Table{{Number: 1, Seats: 10}, {Number: 2, Seats: 10}, {Number: 3, Seats: 10}, {Number: 4, Seats: 12}, {Number: 5, Seats: 12}, {Number: 21, Seats: 8}, {Number: 22, Seats: 8}, {Number: 23, Seats: 8}, {Number: 40, Seats: 20}, {Number: 41, Seats: 6}}},
			{Code: "canteen2", Name: "二号餐厅", Kind: eventdef.KindDining, Tables: []eventdef.Table{{Number: 7, Seats: 10}}},
			{Code: "hotel", Name: "北京饭店", Kind: eventdef.KindHotel, Capacity: 10,
				Rooms: []eventdef.Room{{Number: "0801", Beds: 2}, {Number: "0802", Beds: 1}, {Number: "A-12", Beds: 3}, {Number: "1001", Beds: 2}}},
		},
		Sessions: []eventdef.Session{
			{ID: "opening", Name: "开幕会", NameEn: "Opening", Kind: eventdef.SessionPlenary, Venue: "hall",
				OpensAt: "2026-03-05T07:30:00+08:00", StartsAt: "2026-03-05T09:00:00+08:00",
				EndsAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T12:00:30+08:00",
				Expected:  &eventdef.Rule{Categories: []string{"delegate", "observer"}, Delegations: []string{"北京团", "上海团"}, Groups: []string{"第一组"}},
				Quorum:    &eventdef.Quorum{Base: "members", Ratio: "2/3", Strict: false, Categories: []string{"delegate"}},
				Presidium: &eventdef.Presidium{Rule: "even-a", Honour: "right"}},
			{ID: "g1", Name: "第一组讨论", Kind: eventdef.SessionGroup, Venue: "r101", Group: "第一组",
				OpensAt: "2026-03-05T14:00:00+08:00", StartsAt: "2026-03-05T14:30:00+08:00",
				EndsAt: "2026-03-05T17:30:00+08:00", ClosesAt: "2026-03-05T18:00:00+08:00",
				Expected:  &eventdef.Rule{Groups: []string{"第一组"}},
				Quorum:    &eventdef.Quorum{Base: "expected", Ratio: "1/2", Strict: true},
				Presidium: &eventdef.Presidium{Rule: "even-b", Honour: "left"}, AbsentFrom: eventdef.AbsentFromClose},
			{ID: "banquet", Name: "招待会", Kind: eventdef.SessionBanquet, Venue: "canteen",
				OpensAt: "2026-03-05T18:30:00+08:00", StartsAt: "2026-03-05T19:00:00+08:00",
				EndsAt: "2026-03-05T23:30:00+08:00", ClosesAt: "2026-03-06T00:30:00+08:00"},
			{ID: "odd", Name: "只有规则", Kind: eventdef.SessionPlenary, Venue: "hall",
				OpensAt: "2026-03-06T08:00:00+08:00", StartsAt: "2026-03-06T09:00:00+08:00",
				EndsAt: "2026-03-06T10:00:00+08:00", ClosesAt: "2026-03-06T10:30:00+08:00",
				Quorum: &eventdef.Quorum{}, Presidium: &eventdef.Presidium{Rule: "odd"}},
		},
		Meals: []eventdef.Meal{
			{ID: "d1-lunch", Name: "3月5日午餐", Date: "2026-03-05", Slot: eventdef.Lunch,
				OpensAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T13:30:00+08:00",
				Halls: []eventdef.MealHall{
					{Venue: "canteen2", Rule: eventdef.Rule{Categories: []string{"staff"}}},
					{Venue: "canteen", Rule: eventdef.Rule{Delegations: []string{"北京团", "上海团"}, Groups: []string{"第一组"}}},
					{Venue: "canteen"},
				}},
			{ID: "d1-dinner", Name: "3月5日晚餐", Date: "2026-03-05", Slot: eventdef.Dinner,
				OpensAt: "2026-03-05T17:30:00+08:00", ClosesAt: "2026-03-06T00:15:00+08:00",
				Halls: []eventdef.MealHall{{Venue: "canteen"}}},
			{ID: "d2-breakfast", Name: "3月6日早餐", Date: "2026-03-06", Slot: eventdef.Breakfast,
				OpensAt: "2026-03-06T06:30:00+08:00", ClosesAt: "2026-03-06T08:30:45+08:00",
				Halls: []eventdef.MealHall{}},
		},
		Checkpoints: []eventdef.Checkpoint{
			{ID: "hall-east", Name: "东门入口", NameEn: "East door", Kind: eventdef.CheckpointEntrance, Venue: "hall", Door: "东门", Session: "opening",
				PhotoCheck: true, Face: eventdef.FaceEnforce},
			{ID: "hall-out", Name: "北门出口", Kind: eventdef.CheckpointExit, Venue: "hall", Door: "北门"},
			{ID: "canteen", Name: "餐厅", Kind: eventdef.CheckpointMeal, Venue: "canteen", Meal: "d1-lunch", Face: eventdef.FaceAdvise},
			{ID: "hotel", Name: "酒店前台", Kind: eventdef.CheckpointLodging, Venue: "hotel"},
		},
	}
}

func write(t testing.TB, d eventdef.Definition) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(d, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readOK(t testing.TB, data []byte) (eventdef.Definition, *Locator) {
	t.Helper()
	d, l, errs := Read(bytes.NewReader(data), int64(len(data)))
	if len(errs) > 0 {
		t.Fatalf("read errors: %v", errs)
	}
	return d, l
}

func sameDefinition(t *testing.T, got, want eventdef.Definition) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if bytes.Equal(g, w) {
		t.Fatalf("definitions differ only in nil against empty lists:\n%s", g)
	}
	t.Fatalf("read back\n%s\nwant\n%s", g, w)
}

func stored(d eventdef.Definition) eventdef.Definition {
	eventdef.Normalize(&d)
	for i := range d.Meals {
		if d.Meals[i].Halls == nil {
			d.Meals[i].Halls = []eventdef.MealHall{}
		}
	}
	return d
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		def  eventdef.Definition
	}{
		{"rich", richDefinition()},
		{"rich as stored", stored(richDefinition())},
		{"example", ExampleDefinition()},
		{"example as stored", stored(ExampleDefinition())},
		{"nothing but the event", eventdef.Definition{Event: eventdef.Event{ID: "e", Name: "会", Timezone: "UTC", StartsOn: "2026-01-01"},
			Categories: []eventdef.Category{}, Venues: []eventdef.Venue{}, Sessions: []eventdef.Session{},
			Meals: []eventdef.Meal{}, Checkpoints: []eventdef.Checkpoint{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, l := readOK(t, write(t, tt.def))
			sameDefinition(t, got, tt.def)
			if g := l.Given(); !reflect.DeepEqual(g, eventdef.All()) {
				t.Errorf("given %v, want every part", g)
			}
		})
	}
}

// A definition not in stored form comes back in it, as the package
// documentation lists.
func TestRoundTripNormalises(t *testing.T) {
	in := eventdef.Definition{
		Event: eventdef.Event{ID: "e1", Name: " 会议 ", Timezone: "Asia/Shanghai", StartsOn: "2026-03-05"},
		Venues: []eventdef.Venue{{Code: "hall", Name: "会场", Kind: eventdef.KindHall, Doors: []string{}, Presidium: []int{},
			Sections: []eventdef.Section{}, Seats: []eventdef.Seat{}}},
		Sessions: []eventdef.Session{{ID: "s1", Name: "大会", Kind: eventdef.SessionPlenary, Venue: "hall",
			OpensAt: "2026-03-05T00:00:00Z", StartsAt: "2026-03-05T01:00:00.5Z", EndsAt: "2026-03-05T12:00:00+08:00", ClosesAt: "2026-03-05T04:30:00-00:00",
			Expected: &eventdef.Rule{Categories: []string{}}, Presidium: &eventdef.Presidium{}}},
		Meals: []eventdef.Meal{{ID: "m1", Name: "午餐", Date: "2026-03-05", Slot: eventdef.Lunch,
			OpensAt: "2026-03-05T03:30:00Z", ClosesAt: "2026-03-05T05:30:00Z",
			Halls: []eventdef.MealHall{{Venue: "", Rule: eventdef.Rule{Categories: []string{}}}, {Venue: "canteen"}}}},
	}
	want := eventdef.Definition{
		Event:      eventdef.Event{ID: "e1", Name: "会议", Timezone: "Asia/Shanghai", StartsOn: "2026-03-05"},
		Categories: []eventdef.Category{},
		Venues:     []eventdef.Venue{{Code: "hall", Name: "会场", Kind: eventdef.KindHall}},
		Sessions: []eventdef.Session{{ID: "s1", Name: "大会", Kind: eventdef.SessionPlenary, Venue: "hall",
			OpensAt: "2026-03-05T08:00:00+08:00", StartsAt: "2026-03-05T09:00:00+08:00", EndsAt: "2026-03-05T12:00:00+08:00", ClosesAt: "2026-03-05T12:30:00+08:00"}},
		Meals: []eventdef.Meal{{ID: "m1", Name: "午餐", Date: "2026-03-05", Slot: eventdef.Lunch,
			OpensAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T13:30:00+08:00",
			Halls: []eventdef.MealHall{{Venue: "canteen"}}}},
		Checkpoints: []eventdef.Checkpoint{},
	}
	got, _ := readOK(t, write(t, in))
	sameDefinition(t, got, want)
}

func TestExample(t *testing.T) {
	if errs := eventdef.Validate(ExampleDefinition()); len(errs) > 0 {
		t.Fatalf("the example does not validate: %v", errs)
	}
	data, err := Example()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := readOK(t, data)
	if errs := eventdef.Validate(got); len(errs) > 0 {
		t.Fatalf("the example read back does not validate: %v", errs)
	}
	sameDefinition(t, got, ExampleDefinition())
}

func TestTemplate(t *testing.T) {
	data, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	got, l := readOK(t, data)
	want := eventdef.Definition{Event: eventdef.Event{Timezone: "Asia/Shanghai"}, Categories: []eventdef.Category{},
		Venues: []eventdef.Venue{}, Sessions: []eventdef.Session{}, Meals: []eventdef.Meal{}, Checkpoints: []eventdef.Checkpoint{}}
	sameDefinition(t, got, want)
	if !reflect.DeepEqual(l.Given(), eventdef.All()) {
		t.Errorf("given %v", l.Given())
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	order := []string{SheetHelp, SheetEvent, SheetCategories, SheetVenues, SheetSections, SheetSeats, SheetSessions, SheetMeals, SheetRooms, SheetCheckpoints}
	if got := f.GetSheetList(); !slices.Equal(got, order) {
		t.Fatalf("sheets %v, want %v", got, order)
	}
	for _, s := range dataSheets {
		rows, err := f.GetRows(s.name)
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s: %d rows, %v", s.name, len(rows), err)
		}
		for i, c := range s.cols {
			if rows[0][i] != c.name {
				t.Errorf("%s column %s is %q, want %q", s.name, letter(i), rows[0][i], c.name)
			}
		}
	}
	// The instructions name every column of every sheet.
	help, _ := f.GetRows(SheetHelp)
	named := map[string]bool{}
	for _, r := range help {
		if len(r) > 1 {
			named[r[1]] = true
		}
	}
	for _, s := range dataSheets {
		for _, c := range s.cols {
			if !named[c.name] {
				t.Errorf("填写说明 does not explain %s.%s", s.name, c.name)
			}
		}
	}
}
