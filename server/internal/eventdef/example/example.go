// Package example is a small meeting as an event definition, the kind a
// registration office sets up by hand: what `huiwu event -example` prints
// for the README's walk-through, and what tests set up.
package example

import (
	"time"

	"huiwu/server/internal/eventdef"
)

// Small is a one-day meeting laid around now: a hall with a presidium row
// of 5 and a floor of 3 rows × 10 seats, a meeting room, a canteen with
// tables, a hotel; the plenary's doors opened a quarter of an hour ago, a
// group discussion in the afternoon, lunch, and three checkpoints (the
// hall's east door, the canteen, the hotel desk).
func Small(now time.Time) eventdef.Definition {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	base := now.In(loc).Truncate(time.Minute).Add(-15 * time.Minute)
	at := func(d time.Duration) string { return base.Add(d).Format(time.RFC3339) }
	return eventdef.Definition{
		Event: eventdef.Event{ID: "xiehui-2026", Name: "市工商业联合会第三次会员代表大会", NameEn: "City Federation Congress",
			Timezone: "Asia/Shanghai", StartsOn: base.Format(time.DateOnly)},
		Categories: []eventdef.Category{
			{Code: "deputy", Name: "代表", NameEn: "Deputy", Color: "#C8102E", Voting: true},
			{Code: "observer", Name: "列席", NameEn: "Observer", Color: "#1F5FAF"},
			{Code: "staff", Name: "工作人员", NameEn: "Staff", Color: "#2E7D32"},
		},
		Venues: []eventdef.Venue{
			{Code: "hall", Name: "大礼堂", NameEn: "Auditorium", Kind: eventdef.KindHall, Doors: []string{"东门", "西门"},
				Presidium: []int{5}, Sections: []eventdef.Section{{Code: "A", Rows: 3, Seats: 10, Numbering: eventdef.NumberCentre, Door: "东门"}}},
			{Code: "room1", Name: "第一会议室", Kind: eventdef.KindRoom, Capacity: 40, Doors: []string{"正门"}},
			{Code: "canteen", Name: "职工餐厅", Kind: eventdef.KindDining, Doors: []string{"正门"},
				Tables: []eventdef.Table{{Number: 1, Seats: 10}, {Number: 2, Seats: 10}, {Number: 3, Seats: 10}}},
			{Code: "hotel", Name: "会议宾馆", Kind: eventdef.KindHotel, Doors: []string{"大堂"},
				Rooms: []eventdef.Room{{Number: "301", Beds: 1}, {Number: "302", Beds: 2}}},
		},
		Sessions: []eventdef.Session{
			{ID: "plenary", Name: "开幕大会", NameEn: "Opening Plenary", Kind: eventdef.SessionPlenary, Venue: "hall",
				OpensAt: at(0), StartsAt: at(75 * time.Minute), EndsAt: at(3 * time.Hour), ClosesAt: at(3*time.Hour + 30*time.Minute),
				Expected: &eventdef.Rule{Categories: []string{"deputy", "observer"}}},
			{ID: "group", Name: "分组讨论", Kind: eventdef.SessionGroup, Venue: "room1",
				OpensAt: at(5 * time.Hour), StartsAt: at(5*time.Hour + 30*time.Minute), EndsAt: at(7 * time.Hour), ClosesAt: at(7*time.Hour + 30*time.Minute),
				Expected: &eventdef.Rule{Categories: []string{"deputy"}}},
		},
		Meals: []eventdef.Meal{
			{ID: "lunch", Name: "午餐", Date: base.Format(time.DateOnly), Slot: eventdef.Lunch,
				OpensAt: at(-time.Hour), ClosesAt: at(2 * time.Hour), Halls: []eventdef.MealHall{{Venue: "canteen"}}},
		},
		Checkpoints: []eventdef.Checkpoint{
			{ID: "hall-east", Name: "大礼堂东门", Kind: eventdef.CheckpointEntrance, Venue: "hall", Door: "东门"},
			{ID: "canteen", Name: "职工餐厅", Kind: eventdef.CheckpointMeal, Venue: "canteen", Door: "正门"},
			{ID: "hotel-desk", Name: "宾馆前台", Kind: eventdef.CheckpointLodging, Venue: "hotel", Door: "大堂"},
		},
	}
}
