package workbook

import (
	"bytes"

	"huiwu/server/internal/eventdef"
)

// Template is the empty 会议筹备表 for the desk to download: every sheet
// with its header, the 填写说明 sheet, and only the timezone filled in.
func Template() ([]byte, error) {
	var b bytes.Buffer
	err := Write(eventdef.Definition{Event: eventdef.Event{Timezone: "Asia/Shanghai"}}, &b)
	return b.Bytes(), err
}

// Example is the 会议筹备表 filled in with ExampleDefinition, to show how
// each sheet is written.
func Example() ([]byte, error) {
	var b bytes.Buffer
	err := Write(ExampleDefinition(), &b)
	return b.Bytes(), err
}

// ExampleDefinition is a small meeting that uses each sheet: a hall with a
// presidium row and three sections (one seat reserved, a wheelchair place
// added), a meeting room, a canteen, a hotel with a few rooms, a plenary
// and a group discussion, a lunch, and three checkpoints. It passes
// eventdef.Validate.
func ExampleDefinition() eventdef.Definition {
	hall := eventdef.Venue{Code: "hall", Name: "大会堂", NameEn: "Great Hall", Kind: eventdef.KindHall,
		Doors: []string{"东门", "南门", "西门"}, Presidium: []int{9},
		Sections: []eventdef.Section{
			{Code: "A", Rows: 10, Seats: 8, Numbering: eventdef.NumberCentre, Door: "西门"},
			{Code: "B", Rows: 12, Seats: 12, Numbering: eventdef.NumberCentre, Door: "南门"},
			{Code: "C", Rows: 10, Seats: 8, Numbering: eventdef.NumberCentre, Door: "东门"},
		}}
	var back float64
	for _, s := range eventdef.Layout(hall) {
		back = max(back, s.Y)
		if s.Label == "B-1-1" {
			s.Kind = "reserved"
			hall.Seats = append(hall.Seats, s)
		}
	}
	hall.Seats = append(hall.Seats, eventdef.Seat{Label: "W-1", Section: "W", Row: 1, Number: 1, Kind: "wheelchair",
		Door: "西门", X: 1.5, Y: back + 1.5})
	return eventdef.Definition{
		Event: eventdef.Event{ID: "example-2026", Name: "示例会议", NameEn: "Example Meeting",
			Timezone: "Asia/Shanghai", StartsOn: "2026-03-05"},
		Categories: []eventdef.Category{
			{Code: "delegate", Name: "代表", NameEn: "Delegate", Color: "#C00000", Voting: true},
			{Code: "observer", Name: "列席", NameEn: "Observer", Color: "#1F4E79"},
			{Code: "staff", Name: "工作人员", NameEn: "Staff", Color: "#548235"},
		},
		Venues: []eventdef.Venue{
			hall,
			{Code: "room1", Name: "第一会议室", NameEn: "Meeting Room 1", Kind: eventdef.KindRoom, Capacity: 40, Doors: []string{"正门"}},
			{Code: "canteen", Name: "餐厅", NameEn: "Canteen", Kind: eventdef.KindDining, Doors: []string{"正门"},
				Tables: tablesOf(20, 10)},
			{Code: "hotel", Name: "会议酒店", NameEn: "Conference Hotel", Kind: eventdef.KindHotel,
				Rooms: []eventdef.Room{{Number: "0801", Beds: 2}, {Number: "0802", Beds: 2}, {Number: "0803", Beds: 1}, {Number: "0805", Beds: 2}}},
		},
		Sessions: []eventdef.Session{
			{ID: "opening", Name: "开幕大会", NameEn: "Opening Plenary", Kind: eventdef.SessionPlenary, Venue: "hall",
				OpensAt: "2026-03-05T08:00:00+08:00", StartsAt: "2026-03-05T09:00:00+08:00",
				EndsAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T12:00:00+08:00",
				Expected:  &eventdef.Rule{Categories: []string{"delegate", "observer"}},
				Quorum:    &eventdef.Quorum{Base: "expected", Ratio: "1/2", Strict: true, Categories: []string{"delegate"}},
				Presidium: &eventdef.Presidium{Rule: "odd", Honour: "left"}},
			{ID: "group1", Name: "第一组讨论", NameEn: "Group 1 Discussion", Kind: eventdef.SessionGroup, Venue: "room1", Group: "第一组",
				OpensAt: "2026-03-05T14:00:00+08:00", StartsAt: "2026-03-05T14:30:00+08:00",
				EndsAt: "2026-03-05T17:30:00+08:00", ClosesAt: "2026-03-05T18:00:00+08:00",
				Expected: &eventdef.Rule{Groups: []string{"第一组"}},
				Quorum:   &eventdef.Quorum{Base: "members", Ratio: "2/3"}},
		},
		Meals: []eventdef.Meal{
			{ID: "d1-lunch", Name: "3月5日午餐", Date: "2026-03-05", Slot: eventdef.Lunch,
				OpensAt: "2026-03-05T11:30:00+08:00", ClosesAt: "2026-03-05T13:30:00+08:00",
				Halls: []eventdef.MealHall{{Venue: "canteen"}}},
		},
		Checkpoints: []eventdef.Checkpoint{
			{ID: "hall-east", Name: "大会堂东门入口", NameEn: "Great Hall east door", Kind: eventdef.CheckpointEntrance, Venue: "hall", Door: "东门"},
			{ID: "canteen-in", Name: "餐厅入口", NameEn: "Canteen entrance", Kind: eventdef.CheckpointMeal, Venue: "canteen", Door: "正门", Meal: "d1-lunch"},
			{ID: "hotel-desk", Name: "酒店前台", NameEn: "Hotel front desk", Kind: eventdef.CheckpointLodging, Venue: "hotel"},
		},
	}
}

// tablesOf is n tables numbered from 1, seats each.
func tablesOf(n, seats int) []eventdef.Table {
	out := make([]eventdef.Table, n)
	for i := range out {
		out[i] = eventdef.Table{Number: i + 1, Seats: seats}
	}
	return out
}
