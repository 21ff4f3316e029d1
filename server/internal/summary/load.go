package summary

import (
	"context"
	"slices"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/store"
)

// Load reads everything the summary reports as it stands at now.
func Load(ctx context.Context, db *store.DB, cat *store.Catalog, now time.Time, actor string) (*Report, error) {
	a, err := exports.LoadArchive(ctx, db, cat, now, actor)
	if err != nil {
		return nil, err
	}
	return LoadFor(ctx, db, cat, a)
}

// LoadFor reads the summary beside an archive already read (the 立卷归档
// ZIP carries both): the sign-in sheets, curves and meals come from it,
// the rest from the store.
func LoadFor(ctx context.Context, db *store.DB, cat *store.Catalog, a *exports.Archive) (*Report, error) {
	r := &Report{Event: cat.Event.Name, EventEn: cat.Event.NameEn, Made: a.Made, Actor: a.Actor}
	r.First, r.Last = dates(cat)
	for _, sheet := range a.Sessions {
		s, err := session(ctx, db, cat, sheet, a.Made)
		if err != nil {
			return nil, err
		}
		r.Sessions = append(r.Sessions, s)
	}
	r.Meals = meals(a.Meals)
	var err error
	if r.Logistics, err = logistics(ctx, db, cat); err != nil {
		return nil, err
	}
	if r.Incidents, err = incidents(ctx, db); err != nil {
		return nil, err
	}
	if err := parts(ctx, db, r); err != nil {
		return nil, err
	}
	return r, nil
}

// dates are the meeting's first and last days: its start day and the
// latest day a session or meal falls on.
func dates(cat *store.Catalog) (first, last time.Time) {
	first, _ = time.ParseInLocation(time.DateOnly, cat.Event.StartsOn, cat.Location)
	last = first
	for _, s := range cat.SessionList {
		if d := s.StartsAt.In(cat.Location); d.After(last) {
			last = d
		}
	}
	for _, m := range cat.MealList {
		if d, err := time.ParseInLocation(time.DateOnly, m.Date, cat.Location); err == nil && d.After(last) {
			last = d
		}
	}
	if first.IsZero() {
		return time.Time{}, time.Time{}
	}
	return first, last
}

// session is one session's figures: the counts and the chair's sentence
// from attendance (the /chair page's computation), the curve from the
// sign-in sheet.
func session(ctx context.Context, db *store.DB, cat *store.Catalog, sheet *exports.Signin, now time.Time) (Session, error) {
	c, err := attendance.OfAt(ctx, db, cat, sheet.Session.ID, now)
	if err != nil {
		return Session{}, err
	}
	s := Session{Name: sheet.Session.Name, NameEn: sheet.Session.NameEn, Plenary: sheet.Session.Kind == domain.SessionPlenary,
		Venue: sheet.Venue, Starts: sheet.Session.StartsAt.In(cat.Location), Started: c.Started,
		Expected: c.Expected, Present: c.Present, OnLeave: c.OnLeave, NotYet: c.NotYet, Absent: c.Absent,
		Left: c.Left, Entered: c.Entered, Late: c.Late,
		Basis: c.Basis.Zh, BasisShort: c.Basis.Short, Statement: c.Statement, StatementEn: c.StatementEn,
		QuorumMet: c.Quorum.Met, QuorumRequired: c.Quorum.Required,
		CurveExpected: sheet.Expected}
	for _, b := range sheet.Curve() {
		s.Curve = append(s.Curve, Point{At: b.From, Arrived: b.Arrived, Cumulative: b.Cumulative})
	}
	return s, nil
}

// meals sums the tables of each meal's dining halls, in meal order.
func meals(counts []exports.MealCount) []Meal {
	var out []Meal
	at := map[[2]string]int{}
	for _, m := range counts {
		k := [2]string{m.Meal.ID, m.Venue}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, Meal{Meal: m.Meal.Name, Hall: m.Venue})
		}
		out[i].Entitled += m.Entitled
		out[i].Served += m.Served
	}
	return out
}

// logistics reads the travel legs, vehicles, runs and hotel nights.
func logistics(ctx context.Context, db *store.DB, cat *store.Catalog) (Logistics, error) {
	l := Logistics{Tickets: map[string]int{}}
	legs, err := db.Legs(ctx, store.LegFilter{})
	if err != nil {
		return l, err
	}
	byHour := map[time.Time]int{}
	for _, leg := range legs {
		st := &l.Arrivals
		if leg.Direction == store.Departure {
			st = &l.Departures
			if leg.Ticket != "" {
				l.Tickets[leg.Ticket]++
			}
		} else if leg.At != nil {
			t := leg.At.In(cat.Location)
			byHour[time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, cat.Location)]++
		}
		st.Total++
		switch leg.State {
		case "picked_up":
			st.PickedUp++
		case "missed":
			st.Missed++
		case "changed":
			st.Changed++
		case "departed":
			st.Out++
		default:
			st.Expected++
		}
	}
	for at, n := range byHour {
		l.ArrivalsByHour = append(l.ArrivalsByHour, Hour{At: at, N: n})
	}
	slices.SortFunc(l.ArrivalsByHour, func(a, b Hour) int { return a.At.Compare(b.At) })
	vehicles, err := db.Vehicles(ctx)
	if err != nil {
		return l, err
	}
	l.Vehicles = len(vehicles)
	runs, err := db.Runs(ctx, store.RunFilter{})
	if err != nil {
		return l, err
	}
	l.Runs = len(runs)
	for _, run := range runs {
		if run.State == "done" {
			l.RunsDone++
		}
	}
	if l.Stranded, err = db.StrandedCount(ctx); err != nil {
		return l, err
	}
	var hotels []string
	for code, v := range cat.Venues {
		if v.Kind == domain.VenueHotel {
			hotels = append(hotels, code)
		}
	}
	slices.Sort(hotels)
	for _, code := range hotels {
		b, err := db.RoomBoard(ctx, cat, code, "", "")
		if err != nil {
			return l, err
		}
		for _, t := range b.Totals {
			if t.Heads == 0 && t.Occupied == 0 {
				continue
			}
			l.Nights = append(l.Nights, Night{Hotel: b.Name, Night: t.Night, Rooms: t.Rooms, Occupied: t.Occupied,
				Heads: t.Heads, CheckedIn: t.CheckedIn})
		}
	}
	return l, nil
}

// incidents reads the scan tally and what was revoked.
func incidents(ctx context.Context, db *store.DB) (Incidents, error) {
	var in Incidents
	var err error
	if in.Scans, err = db.ScanTally(ctx); err != nil {
		return in, err
	}
	rv, err := db.Revocations(ctx)
	if err != nil {
		return in, err
	}
	in.Badges, in.Accounts = rv.Badges, rv.Accounts
	for _, d := range rv.Devices {
		in.Devices = append(in.Devices, Device{Name: d.Name, Kind: d.Kind, At: d.At})
	}
	return in, nil
}
