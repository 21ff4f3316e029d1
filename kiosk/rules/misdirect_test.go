package rules

import (
	"slices"
	"strings"
	"testing"
)

// TestSentToTheirPlace (issue 11.7): an entitled person at the wrong dining
// hall, hotel, room or door is told where to go — a not_entitled status
// (old kiosks keep working) with a code of its own — and not that they
// are not on the list.
func TestSentToTheirPlace(t *testing.T) {
	meal := &Facts{Checkpoint: Checkpoint{Kind: Meal, Venue: "dining1"}, Location: cst, At: at(7, 30),
		Openings: []Opening{{ID: "m1", Name: "早餐", Opens: at(6, 30), Starts: at(6, 30), Closes: at(9, 0)}},
		Holder:   Holder{Meals: map[string]Ticket{"m1": {Hall: "dining2", Name: "二号餐厅", NameEn: "Dining Hall 2", Table: 13}}}}
	hotel := &Facts{Checkpoint: Checkpoint{Kind: Lodging, Venue: "h1"}, Location: cst, At: nine,
		Holder: Holder{Lodging: &Room{Hotel: "h2", Name: "北京饭店", NameEn: "Beijing Hotel"}}}
	// A group room's door while two groups meet: the person is in the
	// other group, or (at a door pinned to one group in a shared hall) at
	// the wrong door of the right hall.
	group := func(hall string, opens int) *Facts {
		return &Facts{Checkpoint: Checkpoint{ID: "room1-door", Kind: Entrance, Venue: "room1", Door: "正门"},
			Openings:  []Opening{{ID: "g1", Name: "第一组", Opens: at(14, 0), Starts: at(14, 30), Closes: at(18, 0), Venue: "一号会议室", Hall: "room1", Group: true}},
			Elsewhere: []Opening{{ID: "g2", Name: "第二组", Opens: at(opens, 0), Starts: at(14, 30), Closes: at(18, 0), Venue: "二号会议室", VenueEn: "Meeting Room 2", Hall: hall, Group: true}},
			Location:  cst, At: at(14, 10),
			Holder: Holder{Attendee: Person{ID: 7}, Elsewhere: []string{"g2"}}}
	}
	notThere := group("room2", 14)
	notThere.Holder.Elsewhere = nil
	for _, tc := range []struct {
		name   string
		f      *Facts
		code   Code
		zh, en string
	}{
		{"dining hall", meal, "wrong_hall", "请到二号餐厅", "Please go to Dining Hall 2"},
		{"hotel", hotel, "wrong_hotel", "请到北京饭店办理入住", "Please check in at Beijing Hotel"},
		{"group room", group("room2", 14), "wrong_venue", "请到二号会议室", "Please go to Meeting Room 2"},
		{"door of the same hall", group("room1", 14), "wrong_door", "「第二组」请走其他入口", "Please use another entrance for your session"},
		{"not expected anywhere open", notThere, "not_on_list", "不在本场次名单中，请到报到处", "Not on the list for this session, please see the desk"},
		{"their room opens later", group("room2", 15), "not_on_list", "不在本场次名单中，请到报到处", "Not on the list for this session, please see the desk"},
	} {
		res, change := Decide(tc.f)
		if res.Status != StatusNotEntitled || res.Code != tc.code || res.Message != (Message{tc.zh, tc.en}) || change != NoChange {
			t.Errorf("%s: %s/%s %q change %d; want not_entitled/%s %q", tc.name, res.Status, res.Code, res.Message, change, tc.code, tc.zh)
		}
	}
	if res, _ := Decide(meal); res.Guidance == nil || res.Guidance.MealTable != 13 || res.Guidance.VenueEn != "Dining Hall 2" {
		t.Errorf("wrong hall guidance %+v", res.Guidance)
	}
	if res, _ := Decide(group("room2", 14)); res.Guidance == nil || res.Guidance.Venue != "二号会议室" || res.Guidance.VenueEn != "Meeting Room 2" {
		t.Errorf("wrong room guidance %+v", res.Guidance)
	}
	if res, _ := Decide(hotel); res.Guidance == nil || res.Guidance.HotelEn != "Beijing Hotel" || res.Guidance.Room != "" {
		t.Errorf("wrong hotel guidance %+v", res.Guidance)
	}
}

// TestInvalidSaysWhatToDo (issue 11.8): every invalid badge is told to go
// to the registration desk, in both languages.
func TestInvalidSaysWhatToDo(t *testing.T) {
	for _, code := range []Code{"bad_signature", "unknown_key", "token_version", "malformed_token", "token_too_long",
		"other_event", "unknown_serial", "unknown_attendee"} {
		f := door(Entrance, at(8, 30))
		f.Badge.Invalid = code
		res, _ := Decide(f)
		if res.Status != StatusInvalid || res.Code != code || !strings.Contains(res.Message.Zh, "请到报到处") ||
			!strings.Contains(res.Message.En, "registration desk") {
			t.Errorf("%s: %s/%s %q", code, res.Status, res.Code, res.Message)
		}
	}
}

// TestRouteFromThisDoor (issue 11.9): the door in the guidance is the one
// the person stands at; a seat nearer another door gets directions from
// here instead of that door's name alone.
func TestRouteFromThisDoor(t *testing.T) {
	res, _ := Decide(door(Entrance, at(8, 30))) // at 东门, seat nearest 南门
	g := res.Guidance
	if g == nil || g.Door != "东门" || g.SeatDoor != "南门" || g.Route == nil ||
		g.Route.Zh != "进门后请穿过会场，到南门一侧的A区" || g.Route.En != "Inside, cross the hall to Section A on the South Door side" {
		t.Fatalf("seat by another door: guidance %+v route %+v", g, g.Route)
	}
	f := door(Entrance, at(8, 30))
	seat := f.Holder.Sessions["s1"]
	seat.Door = "东门"
	f.Holder.Sessions["s1"] = seat
	res, _ = Decide(f)
	if g := res.Guidance; g == nil || g.Door != "东门" || g.SeatDoor != "" || g.Route == nil ||
		g.Route.Zh != "座位在本入口一侧的A区" || g.Route.En != "Your seat is on this door's side, Section A" {
		t.Fatalf("seat by this door: guidance %+v", g)
	}
	f.Holder.Sessions["s1"] = Seat{}
	if res, _ := Decide(f); res.Guidance == nil || res.Guidance.Route != nil || res.Guidance.Door != "东门" {
		t.Fatalf("unseated: guidance %+v", res.Guidance)
	}
}

// TestLeaveWithdrawn (issue 11.10): a person on leave who comes in is let
// in and told that the leave is withdrawn; the answer carries a flag for
// the desk. Only the entry that withdraws it says so.
func TestLeaveWithdrawn(t *testing.T) {
	f := door(Entrance, at(9, 10))
	f.Holder.Leaves = []string{"s1"}
	res, change := Decide(f)
	if res.Status != StatusOK || res.Code != "ok" || !res.Late || change != Enter || !slices.Contains(res.Flags, "leave_withdrawn") ||
		res.Message != (Message{"签到成功（迟到），请假已撤销", "Checked in (late); your leave is withdrawn"}) {
		t.Fatalf("on leave, first entry: %+v change %d", res, change)
	}
	f.Holder.Known.Sessions = map[string]Presence{"s1": {FirstIn: at(9, 10), Inside: true}}
	f.At = at(9, 20)
	if res, _ := Decide(f); res.Status != StatusAlready || slices.Contains(res.Flags, "leave_withdrawn") {
		t.Fatalf("on leave, second scan: %+v", res)
	}
	f = door(Exit, at(9, 10))
	f.Holder.Leaves = []string{"s1"}
	if res, _ := Decide(f); slices.Contains(res.Flags, "leave_withdrawn") {
		t.Fatalf("on leave, exit: %+v", res)
	}
}
