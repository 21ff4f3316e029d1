package demo

import (
	"fmt"
	"slices"
	"testing"

	"huiwu/server/internal/domain"
)

// TestReferencesResolve: every code an attendee, session, checkpoint or leave
// names exists, so the store can load the event with foreign keys on.
func TestReferencesResolve(t *testing.T) {
	ev := Generate(fixedNow)
	venues := map[string]domain.Venue{}
	for _, v := range ev.Venues {
		if _, dup := venues[v.Code]; dup {
			t.Errorf("venue %s twice", v.Code)
		}
		venues[v.Code] = v
	}
	sessions := map[string]domain.Session{}
	for _, s := range ev.Sessions {
		sessions[s.ID] = s
		if _, ok := venues[s.Venue]; !ok {
			t.Errorf("session %s in unknown venue %s", s.ID, s.Venue)
		}
		if s.Group != "" && !slices.ContainsFunc(ev.Groups, func(g domain.Group) bool { return g.Name == s.Group && g.Venue == s.Venue }) {
			t.Errorf("session %s: group %s does not meet in %s", s.ID, s.Group, s.Venue)
		}
	}
	meals := map[string]bool{}
	for _, m := range ev.Meals {
		meals[m.ID] = true
	}
	if len(meals) != 6 || !meals["d1-breakfast"] || !meals["d2-dinner"] {
		t.Errorf("meals %v", meals)
	}
	for _, c := range ev.Checkpoints {
		v, ok := venues[c.Venue]
		switch {
		case !ok:
			t.Errorf("checkpoint %s: unknown venue %s", c.ID, c.Venue)
		case c.Door != "" && !slices.Contains(v.Doors, c.Door):
			t.Errorf("checkpoint %s: %s has no door %s", c.ID, c.Venue, c.Door)
		case c.Session != "" && sessions[c.Session].ID == "":
			t.Errorf("checkpoint %s: unknown session %s", c.ID, c.Session)
		case c.Meal != "" && !meals[c.Meal]:
			t.Errorf("checkpoint %s: unknown meal %s", c.ID, c.Meal)
		case c.Kind == domain.CheckpointMeal && v.Kind != domain.VenueDining,
			c.Kind == domain.CheckpointLodging && v.Kind != domain.VenueHotel:
			t.Errorf("checkpoint %s (%s) at a %s", c.ID, c.Kind, v.Kind)
		}
	}
	for _, id := range []string{"hall-east", "hall-west", "hall-exit", "room1-door", "room2-door", "dining1", "dining2", "hotel-desk"} {
		if !slices.ContainsFunc(ev.Checkpoints, func(c domain.Checkpoint) bool { return c.ID == id }) {
			t.Errorf("no checkpoint %s", id)
		}
	}

	cats, delegs, groups := map[string]bool{}, map[string]bool{}, map[string]bool{"": true}
	for _, c := range ev.Categories {
		cats[c.Code] = true
	}
	for _, d := range ev.Delegations {
		delegs[d.Name] = true
	}
	for _, g := range ev.Groups {
		groups[g.Name] = true
	}
	keys := map[string]domain.Attendee{}
	for i, a := range ev.Attendees {
		if _, dup := keys[a.Key]; dup || a.Key == "" {
			t.Errorf("key %q repeated or empty", a.Key)
		}
		keys[a.Key] = a
		if a.Rank != i+1 {
			t.Errorf("%s has rank %d at position %d", a.Key, a.Rank, i+1)
		}
		if !cats[a.Category] || (a.Delegation != "" && !delegs[a.Delegation]) || !groups[a.Group] {
			t.Errorf("%s: category %q, delegation %q or group %q unknown", a.Key, a.Category, a.Delegation, a.Group)
		}
		for _, s := range a.Sessions {
			if sessions[s].Group != "" && sessions[s].Group != a.Group {
				t.Errorf("%s (group %q) expected at %s", a.Key, a.Group, s)
			}
		}
		for _, m := range a.Meals {
			v := venues[m.Venue]
			if !meals[m.Meal] || v.Kind != domain.VenueDining || m.Table < 1 || m.Table > len(v.Tables) {
				t.Errorf("%s: meal ticket %+v does not resolve", a.Key, m)
			}
		}
		if l := a.Lodging; l != nil {
			if v := venues[l.Venue]; v.Kind != domain.VenueHotel ||
				!slices.ContainsFunc(v.Rooms, func(r domain.HotelRoom) bool { return r.Number == l.Room }) {
				t.Errorf("%s: room %s/%s does not exist", a.Key, l.Venue, l.Room)
			}
			if l.CheckIn != ev.Event.StartsOn || l.CheckOut <= l.CheckIn {
				t.Errorf("%s: stays %s–%s", a.Key, l.CheckIn, l.CheckOut)
			}
		}
	}
	onLeave := map[string]int{}
	for _, l := range ev.Leaves {
		a, ok := keys[l.AttendeeKey]
		if !ok || !slices.Contains(a.Sessions, l.Session) || (l.Reason != "因公" && l.Reason != "因病") {
			t.Errorf("leave %+v: unknown attendee, not expected there, or odd reason", l)
		}
		onLeave[l.Session]++
	}
	if onLeave["opening"] < 3 || onLeave["opening"] > 5 || onLeave["group-1"]+onLeave["group-2"] != 1 {
		t.Errorf("leaves per session %v", onLeave)
	}
}

// TestRoomsAndTablesHoldEveryone: group rooms seat their 应到, no table or
// hotel room is over-full, and the right people get rooms and meals.
func TestRoomsAndTablesHoldEveryone(t *testing.T) {
	ev := Generate(fixedNow)
	venues := map[string]domain.Venue{}
	for _, v := range ev.Venues {
		venues[v.Code] = v
	}
	expected := map[string]int{}
	atTable := map[string]map[int]int{}
	inRoom := map[string]int{}
	allMeals, lunchOnly, lodged := 0, 0, 0
	for _, a := range ev.Attendees {
		for _, s := range a.Sessions {
			expected[s]++
		}
		if a.Category == domain.CategoryPress && len(a.Sessions) > 0 {
			t.Errorf("press %s expected at %v", a.Key, a.Sessions)
		}
		if (a.Category == domain.CategoryDeputy || a.Category == domain.CategoryObserver) && a.Group == "" {
			t.Errorf("%s %s has no discussion group", a.Key, a.Category)
		}
		tables := map[string]bool{}
		for _, m := range a.Meals {
			tables[fmt.Sprintf("%s/%d", m.Venue, m.Table)] = true
		}
		if len(tables) > 1 {
			t.Errorf("%s moves between tables %v", a.Key, tables)
		}
		if len(a.Meals) > 0 {
			m := a.Meals[0]
			if atTable[m.Venue] == nil {
				atTable[m.Venue] = map[int]int{}
			}
			atTable[m.Venue][m.Table]++
		}
		switch len(a.Meals) {
		case 6:
			allMeals++
		case 2:
			lunchOnly++
		default:
			t.Errorf("%s has %d meals", a.Key, len(a.Meals))
		}
		if a.Lodging != nil {
			lodged++
			inRoom[a.Lodging.Room] += 1 + companions(a) // 随行人员 share the room
		}
	}
	for _, s := range ev.Sessions {
		if v := venues[s.Venue]; expected[s.ID] > v.Capacity || expected[s.ID] == 0 {
			t.Errorf("%s: %d expected in %s (capacity %d)", s.ID, expected[s.ID], v.Code, v.Capacity)
		}
	}
	for hall, tables := range atTable {
		for n, c := range tables {
			if c > tableSeats {
				t.Errorf("%s table %d seats %d", hall, n, c)
			}
		}
	}
	beds := map[string]int{}
	for _, r := range venues["hotel"].Rooms {
		beds[r.Number] = r.Beds
	}
	for room, n := range inRoom {
		if n > beds[room] {
			t.Errorf("room %s: %d people with companions, %d beds", room, n, beds[room])
		}
	}
	if lunchOnly == 0 || lunchOnly > 15 || allMeals < len(ev.Attendees)-15 {
		t.Errorf("%d with all meals, %d lunches only: want all but a few", allMeals, lunchOnly)
	}
	if lodged < 300 || lodged > 450 {
		t.Errorf("%d lodged, want the out-of-town majority", lodged)
	}
}

// companions is the most companions either of a's journeys names, as the
// store counts them in a room.
func companions(a domain.Attendee) int {
	n := 0
	for _, tr := range []*domain.Trip{a.ArrivalTrip, a.DepartureTrip} {
		if tr != nil {
			n = max(n, tr.Companions)
		}
	}
	return n
}
