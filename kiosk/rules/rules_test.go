package rules

import (
	"testing"
	"time"
)

var (
	cst  = time.FixedZone("CST", 8*3600)
	nine = time.Date(2026, 11, 26, 9, 0, 0, 0, cst)
)

func at(h, m int) time.Time { return time.Date(2026, 11, 26, h, m, 0, 0, cst) }

// door is the facts at a hall door with one session, 08:00–12:00, starting
// at 09:00, for a person expected there in seat A-1-2.
func door(kind Kind, scan time.Time) *Facts {
	return &Facts{
		Checkpoint: Checkpoint{ID: "east", Kind: kind, Venue: "hall", Door: "东门"},
		Openings:   []Opening{{ID: "s1", Name: "开幕", Opens: at(8, 0), Starts: nine, Closes: at(12, 0), Venue: "大会堂", VenueEn: "Great Hall"}},
		Location:   cst, At: scan,
		Holder: Holder{Attendee: Person{ID: 7, DisplayName: "张三"},
			Sessions: map[string]Seat{"s1": {Label: "A-1-2", Section: "A", Row: 1, Number: 2, Door: "南门"}}},
	}
}

// Cases the demo event cannot make and the agreement test therefore does
// not reach: another hotel, a badge the kiosk has no record of, passes the
// kiosk saw against the cache it holds.
func TestDecide(t *testing.T) {
	hotel := func(room *Room, known time.Time) *Facts {
		return &Facts{Checkpoint: Checkpoint{Kind: Lodging, Venue: "h1"}, Location: cst, At: nine,
			Holder: Holder{Lodging: room, Known: Known{Hotel: known}}}
	}
	unknown := func(f *Facts) *Facts { f.Holder = Holder{Unknown: true}; return f }
	passes := func(f *Facts, asOf time.Time, p ...Pass) *Facts { f.Holder.Known.Merge(p, asOf); return f }
	cached := func(f *Facts, first time.Time, inside bool) *Facts {
		f.Holder.Known.Sessions = map[string]Presence{"s1": {FirstIn: first, Inside: inside}}
		return f
	}
	for _, tc := range []struct {
		name   string
		f      *Facts
		status Status
		code   Code
		zh     string
		change Change
	}{
		{"seat by another door", door(Entrance, at(8, 30)), StatusOK, "ok", "签到成功", Enter},
		{"other hotel", hotel(&Room{Hotel: "h2", Name: "北京饭店"}, time.Time{}), StatusNotEntitled, "wrong_hotel", "请到北京饭店办理入住", NoChange},
		{"hotel, checked in", hotel(&Room{Hotel: "h1", Name: "会议酒店", Room: "0301"}, at(8, 5)), StatusAlready, "already_checked_in", "已于 08:05 办理入住", NoChange},
		{"unknown badge, open door", unknown(door(Entrance, at(9, 30))), StatusOK, "ok", "签到成功（迟到）", Enter},
		{"unknown badge, closed door", unknown(door(Entrance, at(13, 0))), StatusOutsideWindow, "session_closed", "开幕 签到时间为 08:00–12:00", NoChange},
		{"unknown badge, hotel", unknown(hotel(nil, time.Time{})), StatusOK, "hotel_ok", "入住登记成功", CheckIn},
		{"own entry, cache knew nothing", passes(door(Entrance, at(8, 40)), at(8, 0),
			Pass{Attendee: 7, Kind: PassSession, Window: "s1", At: at(8, 30), First: at(8, 30), Inside: true}),
			StatusAlready, "already", "已签到（08:30）", NoChange},
		{"own exit after the cache", passes(cached(door(Entrance, at(10, 40)), at(8, 20), true), at(9, 0),
			Pass{Attendee: 7, Kind: PassSession, Window: "s1", At: at(10, 0), First: at(8, 20)}),
			StatusReentry, "reentry", "再次入场", Inside},
		{"cache newer than own entry", passes(cached(door(Entrance, at(10, 40)), at(8, 20), false), at(10, 0),
			Pass{Attendee: 7, Kind: PassSession, Window: "s1", At: at(8, 20), First: at(8, 20), Inside: true}),
			StatusReentry, "reentry", "再次入场", Inside},
		{"own entry earlier than the cache's", passes(cached(door(Exit, at(10, 40)), at(8, 20), true), at(10, 0),
			Pass{Attendee: 7, Kind: PassSession, Window: "s1", At: at(8, 10), First: at(8, 10), Inside: true}),
			StatusExit, "exit", "离场已记录", Leave},
		{"own meal", passes(&Facts{Checkpoint: Checkpoint{Kind: Meal, Venue: "d1"}, Location: cst, At: at(7, 30),
			Openings: []Opening{{ID: "m1", Name: "早餐", Opens: at(6, 30), Starts: at(6, 30), Closes: at(9, 0)}},
			Holder:   Holder{Meals: map[string]Ticket{"m1": {Hall: "d1", Name: "一号餐厅", Table: 3}}}}, at(6, 0),
			Pass{Attendee: 7, Kind: PassMeal, Window: "m1", At: at(7, 0), First: at(7, 0)}),
			StatusMealUsed, "meal_used", "本餐已于 07:00 使用", NoChange},
	} {
		res, change := Decide(tc.f)
		if res.Status != tc.status || res.Code != tc.code || res.Message.Zh != tc.zh || change != tc.change {
			t.Errorf("%s: %s/%s %q change %d; want %s/%s %q change %d", tc.name, res.Status, res.Code, res.Message.Zh, change,
				tc.status, tc.code, tc.zh, tc.change)
		}
	}
}

func TestGuidance(t *testing.T) {
	res, _ := Decide(door(Entrance, at(8, 30)))
	if g := res.Guidance; g == nil || g.Door != "东门" || g.SeatDoor != "南门" || g.Seat != "A-1-2" || g.Venue != "大会堂" || g.GroupRoom != "" {
		t.Fatalf("guidance %+v", g)
	}
	if res.Attendee == nil || res.Attendee.ID != 7 || res.FirstAt == nil || !res.FirstAt.Equal(at(8, 30)) {
		t.Fatalf("attendee %+v first_at %v", res.Attendee, res.FirstAt)
	}
	f := door(Entrance, at(8, 30))
	f.Holder = Holder{Unknown: true}
	if res, _ := Decide(f); res.Attendee != nil || res.Guidance == nil || res.Guidance.Seat != "" || res.Guidance.Door != "东门" {
		t.Fatalf("a badge without a record: attendee %+v guidance %+v", res.Attendee, res.Guidance)
	}
}

func TestPassOf(t *testing.T) {
	first := at(8, 30)
	for _, tc := range []struct {
		res  Result
		want *Pass
	}{
		{Result{Status: StatusAlready, Code: "already", Session: "s1", FirstAt: &first, ScannedAt: nine, Attendee: &Person{ID: 7}},
			&Pass{Attendee: 7, Kind: PassSession, Window: "s1", At: nine, First: first, Inside: true}},
		{Result{Status: StatusExit, Code: "exit", Session: "s1", FirstAt: &first, ScannedAt: nine},
			&Pass{Kind: PassSession, Window: "s1", At: nine, First: first}},
		{Result{Status: StatusMealUsed, Code: "meal_used", Meal: "m1", FirstAt: &first, ScannedAt: nine},
			&Pass{Kind: PassMeal, Window: "m1", At: nine, First: first}},
		{Result{Status: StatusOK, Code: "hotel_ok", FirstAt: &nine, ScannedAt: nine},
			&Pass{Kind: PassHotel, At: nine, First: nine}},
		{Result{Status: StatusNotEntitled, Code: "not_on_list", Session: "s1", ScannedAt: nine}, nil},
		{Result{Status: StatusOutsideWindow, Code: "session_closed", Session: "s2", ScannedAt: nine}, nil},
	} {
		p, ok := PassOf(&tc.res)
		if ok != (tc.want != nil) || ok && p != *tc.want {
			t.Errorf("%s: pass %+v (%v), want %+v", tc.res.Code, p, ok, tc.want)
		}
	}
}
