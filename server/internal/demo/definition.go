package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/store"
)

// The demo takes the road a real meeting takes (issue: "the demo takes the
// same road"): Generate's event becomes a definition whose rules say who is
// expected where and which hall feeds whom, stored through the same
// ApplyDefinition that PUT /api/v1/event calls; the people go through the
// same ImportAttendees that POST /import calls; what rules cannot say (a few
// local people eat only lunch) becomes per-person exceptions, as the desk
// would make them; the advance seating and the leaves come last.

// Definition is the demo event's set-up as rules.
func Definition(ev domain.EventData) eventdef.Definition {
	d := eventdef.Definition{Event: eventdef.Event{ID: ev.Event.ID, Name: ev.Event.Name, NameEn: ev.Event.NameEn,
		Timezone: ev.Event.Timezone, StartsOn: ev.Event.StartsOn, FaceVerification: ev.Event.FaceVerification}}
	var notPress []string
	for _, c := range ev.Categories {
		d.Categories = append(d.Categories, eventdef.Category{Code: c.Code, Name: c.Name, NameEn: c.NameEn, Color: c.Color, Voting: c.Voting})
		if c.Code != domain.CategoryPress {
			notPress = append(notPress, c.Code)
		}
	}
	for _, v := range ev.Venues {
		d.Venues = append(d.Venues, venueDef(v))
	}
	at := func(t time.Time) string { return t.In(shanghai).Format(time.RFC3339) }
	for _, s := range ev.Sessions {
		rule := &eventdef.Rule{Categories: notPress}
		if s.Group != "" {
			rule.Groups = []string{s.Group}
		}
		q := s.Quorum
		d.Sessions = append(d.Sessions, eventdef.Session{ID: s.ID, Name: s.Name, NameEn: s.NameEn, Kind: string(s.Kind),
			Venue: s.Venue, Group: s.Group, OpensAt: at(s.OpensAt), StartsAt: at(s.StartsAt), EndsAt: at(s.EndsAt), ClosesAt: at(s.ClosesAt),
			Expected: rule,
			Quorum:   &eventdef.Quorum{Base: q.Base, Ratio: fmt.Sprintf("%d/%d", q.Num, q.Den), Strict: q.Strict, Categories: q.Categories},
			Presidium: &eventdef.Presidium{Rule: cmp.Or(s.PresidiumRule, eventdef.DefaultRule),
				Honour: cmp.Or(s.Honour, eventdef.DefaultHonour)}})
	}
	// diningHall's rule: group 2 and the staff eat in hall 2, everyone else
	// in hall 1.
	halls := []eventdef.MealHall{
		{Venue: "dining2", Rule: eventdef.Rule{Groups: []string{groupNames[2]}}},
		{Venue: "dining2", Rule: eventdef.Rule{Categories: []string{domain.CategoryStaff}}},
		{Venue: "dining1"},
	}
	for _, m := range ev.Meals {
		d.Meals = append(d.Meals, eventdef.Meal{ID: m.ID, Name: m.Name, Date: m.Date, Slot: string(m.Slot),
			OpensAt: at(m.OpensAt), ClosesAt: at(m.ClosesAt), Halls: slices.Clone(halls)})
	}
	for _, c := range ev.Checkpoints {
		d.Checkpoints = append(d.Checkpoints, eventdef.Checkpoint{ID: c.ID, Name: c.Name, NameEn: c.NameEn, Kind: string(c.Kind),
			Venue: c.Venue, Door: c.Door, Session: c.Session, Meal: c.Meal, PhotoCheck: c.PhotoCheck, Face: c.Face})
	}
	return d
}

func venueDef(v domain.Venue) eventdef.Venue {
	out := eventdef.Venue{Code: v.Code, Name: v.Name, NameEn: v.NameEn, Kind: string(v.Kind), Capacity: v.Capacity, Doors: v.Doors}
	out.Seats = append(out.Seats, v.Seats...) // the definition's seat is domain.Seat
	for _, t := range v.Tables {
		out.Tables = append(out.Tables, eventdef.Table{Number: t.Number, Seats: t.Seats})
	}
	for _, r := range v.Rooms {
		out.Rooms = append(out.Rooms, eventdef.Room{Number: r.Number, Beds: r.Beds})
	}
	return out
}

// mealExceptions are the meals a person would get by the rules but the
// demo does not give them (the few local people who eat only lunch).
func mealExceptions(ev domain.EventData, ids map[string]int64) []store.Exception {
	var out []store.Exception
	for _, a := range ev.Attendees {
		for _, m := range ev.Meals {
			if !slices.ContainsFunc(a.Meals, func(t domain.MealTicket) bool { return t.Meal == m.ID }) {
				out = append(out, store.Exception{Attendee: ids[a.Key], Kind: "meal", Ref: m.ID, Mode: "exclude", Reason: "本地人员，仅午餐"})
			}
		}
	}
	return out
}

// Load generates the demo event for now and stores it into an empty
// database the way a registration desk would set up its own meeting.
func Load(ctx context.Context, db *store.DB, now time.Time) (domain.EventData, error) {
	ev := Generate(now)
	if _, err := db.ApplyDefinition(ctx, Definition(ev), eventdef.All(), store.ApplyOptions{Actor: "demo"}); err != nil {
		return ev, fmt.Errorf("demo: definition: %w", err)
	}
	if err := loadStations(ctx, db); err != nil {
		return ev, err
	}
	rows := make([]store.ImportRow, len(ev.Attendees))
	for i, a := range ev.Attendees {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: a}
	}
	if _, err := db.ImportAttendees(ctx, rows, nil, false, "demo"); err != nil {
		return ev, fmt.Errorf("demo: attendees: %w", err)
	}
	ids, err := db.AttendeeIDsByKey(ctx)
	if err != nil {
		return ev, err
	}
	if err := db.SetExceptions(ctx, mealExceptions(ev, ids), "demo"); err != nil {
		return ev, fmt.Errorf("demo: exceptions: %w", err)
	}
	if err := db.LoadPlacements(ctx, ev.Attendees, ev.Leaves, "demo"); err != nil {
		return ev, fmt.Errorf("demo: seats and leaves: %w", err)
	}
	if err := meetTheMorning(ctx, db, now); err != nil {
		return ev, err
	}
	if err := loadMaterials(ctx, db, ev, ids, now); err != nil {
		return ev, err
	}
	if err := loadDuty(ctx, db, ev, now); err != nil {
		return ev, err
	}
	if err := loadDocuments(ctx, db, ev, ids, now); err != nil {
		return ev, err
	}
	if err := loadNotices(ctx, db); err != nil {
		return ev, err
	}
	return ev, loadVehicles(ctx, db)
}
