package demo

import (
	"fmt"
	"slices"

	"huiwu/server/internal/domain"
)

// diningHall is where a person eats: each discussion group has its dining
// hall; guests and press eat in the first, staff in the second, which keeps
// the two halls about equally full.
func diningHall(p *person) string {
	switch {
	case p.group == 2 || p.cat == domain.CategoryStaff:
		return "dining2"
	default:
		return "dining1"
	}
}

// tableBlock is who sits together: a delegation, or a category.
func tableBlock(p *person) string {
	if p.deleg >= 0 {
		return fmt.Sprintf("deleg-%d", p.deleg)
	}
	return p.cat
}

func blockOrder(p *person) int {
	if p.deleg >= 0 {
		return p.deleg
	}
	return 1000
}

// assignMeals gives everybody the six meals (the few local people flagged
// "lunches" only the two lunches) at one table for the whole event: tables of
// ten filled in list order, a new table for each delegation or category.
func assignMeals(ps []*person, meals []domain.Meal) (map[*person][]domain.MealTicket, error) {
	type cursor struct {
		table, used int
		block       string
	}
	at := map[string]*cursor{"dining1": {}, "dining2": {}}
	out := map[*person][]domain.MealTicket{}
	// The presidium heads the list but eats with its delegations.
	byBlock := slices.Clone(ps)
	slices.SortStableFunc(byBlock, func(a, b *person) int { return blockOrder(a) - blockOrder(b) })
	for _, p := range byBlock {
		hall := diningHall(p)
		c := at[hall]
		if c.table == 0 || c.used == tableSeats || c.block != tableBlock(p) {
			c.table, c.used, c.block = c.table+1, 0, tableBlock(p)
		}
		if c.table > diningTables {
			return nil, fmt.Errorf("demo: %s has only %d tables", hall, diningTables)
		}
		c.used++
		for _, m := range meals {
			if p.flags == "lunches" && m.Slot != domain.Lunch {
				continue
			}
			out[p] = append(out[p], domain.MealTicket{Meal: m.ID, Venue: hall, Table: c.table})
		}
	}
	return out, nil
}

// assignLodging gives a hotel room to everybody not from the host city:
// staff and press two to a twin room (same gender), everybody else a single
// room, in list order. Companions (随行人员) sleep in their person's room,
// so whoever brings any has a twin or a family room to their party.
func assignLodging(ps []*person, hotel domain.Venue, t timeline, trips map[*person][2]*domain.Trip) (map[*person]*domain.Lodging, error) {
	free := map[int][]string{} // beds → rooms not yet given
	for _, r := range hotel.Rooms {
		free[r.Beds] = append(free[r.Beds], r.Number)
	}
	out := map[*person]*domain.Lodging{}
	take := func(p *person, beds int) error {
		if len(free[beds]) == 0 {
			return fmt.Errorf("demo: hotel is out of rooms with %d beds", beds)
		}
		out[p] = &domain.Lodging{Venue: hotel.Code, Room: free[beds][0], CheckIn: t.date(1), CheckOut: t.date(2)}
		free[beds] = free[beds][1:]
		return nil
	}
	waiting := map[string]*person{} // gender → staff or press member without a roommate yet
	for _, p := range ps {
		if p.local {
			continue
		}
		party := 1
		if tr := trips[p][0]; tr != nil {
			party += tr.Companions
		}
		shares := (p.cat == domain.CategoryStaff || p.cat == domain.CategoryPress) && p.flags != "single" && party == 1
		var err error
		switch {
		case !shares:
			err = take(p, party)
		case waiting[p.gender] != nil:
			shared := *out[waiting[p.gender]] // a copy: each attendee owns a Lodging
			out[p] = &shared
			waiting[p.gender] = nil
		default:
			err = take(p, 2)
			waiting[p.gender] = p
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// leaves: a few deputies excused from the opening meeting, one from a group
// discussion. Presidium members and people with accessibility needs are
// never drawn, so that those demo cases stay visible.
func leaves(ps []*person, keys map[*person]string) []domain.Leave {
	r := stream(streamLeaves)
	var out []domain.Leave
	taken := map[*person]bool{}
	draw := func(session, reason string, group int) {
		for {
			p := ps[r.IntN(len(ps))]
			if p.cat != domain.CategoryDeputy || p.presidium || p.access != "" || taken[p] ||
				(group != 0 && p.group != group) {
				continue
			}
			taken[p] = true
			out = append(out, domain.Leave{AttendeeKey: keys[p], Session: session, Reason: reason})
			return
		}
	}
	for _, reason := range []string{"因公", "因病", "因公", "因病"} {
		draw("opening", reason, 0)
	}
	draw("group-2", "因公", 2)
	return out
}

// checkpoints are the places the demo's kiosks stand. The east door shows
// the glance check and checks faces in advise mode (a mismatch calls the
// usher, nobody is turned away): the door a demo visitor tries 刷脸 at.
func checkpoints() []domain.Checkpoint {
	return []domain.Checkpoint{
		{ID: "hall-east", Name: "大会堂东门", NameEn: "Great Hall, East Door", Kind: domain.CheckpointEntrance, Venue: "hall", Door: "东门",
			PhotoCheck: true, Face: "advise"},
		{ID: "hall-west", Name: "大会堂西门", NameEn: "Great Hall, West Door", Kind: domain.CheckpointEntrance, Venue: "hall", Door: "西门"},
		{ID: "hall-exit", Name: "大会堂出口（正门）", NameEn: "Great Hall, Exit (Main Door)", Kind: domain.CheckpointExit, Venue: "hall", Door: "正门"},
		{ID: "room1-door", Name: "一号会议室门口", NameEn: "Meeting Room 1, Door", Kind: domain.CheckpointEntrance, Venue: "room1", Door: "正门"},
		{ID: "room2-door", Name: "二号会议室门口", NameEn: "Meeting Room 2, Door", Kind: domain.CheckpointEntrance, Venue: "room2", Door: "正门"},
		{ID: "dining1", Name: "一号餐厅", NameEn: "Dining Hall 1", Kind: domain.CheckpointMeal, Venue: "dining1", Door: "正门"},
		{ID: "dining2", Name: "二号餐厅", NameEn: "Dining Hall 2", Kind: domain.CheckpointMeal, Venue: "dining2", Door: "正门"},
		{ID: "hotel-desk", Name: "会议酒店前台", NameEn: "Conference Hotel, Front Desk", Kind: domain.CheckpointLodging, Venue: "hotel", Door: "大堂"},
	}
}
