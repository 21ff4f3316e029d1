package store_test

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestImportTravel (issue 12.1): a list's trips become the attendees' live
// legs at stations found by any of their spellings (or made, for a name
// never seen); importing the same list again changes no leg, not even its
// time of change; a dry run stores none; the desk's edit keeps the leg's
// id and a cleared direction leaves the leg on record, cancelled.
func TestImportTravel(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	ctx := context.Background()
	db := env.DB
	legs := func() map[string]string {
		out := map[string]string{}
		for k, v := range state(t, db.ForTest().R) {
			if len(k) > 4 && (k[:4] == "leg " || k[:8] == "station ") {
				out[k] = v
			}
		}
		return out
	}
	demoLegs, err := db.Legs(ctx, store.LegFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(demoLegs) < 600 {
		t.Errorf("the demo has %d legs", len(demoLegs))
	}

	// The demo's own list, imported again (its first 150, stored in
	// chunks as a long list is): nothing moves.
	rows := make([]store.ImportRow, 150)
	for i, a := range env.Event.Attendees[:len(rows)] {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: a}
	}
	travelling := 0
	for _, r := range rows {
		if r.Attendee.ArrivalTrip != nil {
			travelling++
		}
	}
	if travelling < 20 {
		t.Fatalf("only %d of the rows travel", travelling)
	}
	before := legs()
	if _, err := db.ImportAttendees(ctx, rows, nil, false, "test"); err != nil {
		t.Fatal(err)
	}
	sameState(t, "the same list again", before, legs())

	// New trips: a known station under another spelling, a new one, a
	// time without a date.
	newcomer := func(key string, arr, dep *domain.Trip) store.ImportRow {
		return store.ImportRow{Line: 2, Attendee: domain.Attendee{Key: key, Name: "行程" + key, Category: domain.CategoryGuest,
			ArrivalTrip: arr, DepartureTrip: dep}}
	}
	list := []store.ImportRow{
		newcomer("t1", &domain.Trip{Mode: "flight", Number: "CA1234", Station: "云州 机场", StationKind: "airport", Date: "2026-03-05", Time: "14:05", Companions: 1},
			&domain.Trip{Mode: "flight", Number: "CA1235", Station: "YZA", Date: "2026-03-06", Ticket: "booked", TicketNo: "999-0000000001"}),
		newcomer("t2", &domain.Trip{Mode: "train", Number: "D2345", Station: "江阳东站", StationKind: "rail", Date: "2026-03-05"}, nil),
		newcomer("t3", &domain.Trip{Mode: "car", Time: "09:30"}, nil),
	}
	if _, err := db.ImportAttendees(ctx, list, nil, true, "test"); err != nil {
		t.Fatal(err)
	}
	sameState(t, "a dry run", before, legs())
	if _, err := db.ImportAttendees(ctx, list, nil, false, "test"); err != nil {
		t.Fatal(err)
	}
	ids, _ := db.AttendeeIDsByKey(ctx)
	stations, _ := db.Stations(ctx)
	name := map[int64]string{}
	for _, s := range stations {
		name[s.ID] = s.Name
	}
	leg := func(key, dir string) store.Leg {
		t.Helper()
		ls, err := db.Legs(ctx, store.LegFilter{Attendee: ids[key], Direction: dir})
		if err != nil || len(ls) != 1 {
			t.Fatalf("%s %s: %v %+v", key, dir, err, ls)
		}
		return ls[0]
	}
	a1, d1 := leg("t1", store.Arrival), leg("t1", store.Departure)
	if name[a1.StationID] != "云州国际机场" || name[d1.StationID] != "云州国际机场" || a1.At == nil ||
		a1.At.In(env.Catalog.Location).Format("2006-01-02 15:04") != "2026-03-05 14:05" || a1.Companions != 1 || a1.Source != "import" ||
		d1.Ticket != "booked" || d1.TicketNo != "999-0000000001" || d1.At != nil || d1.OnDate != "2026-03-06" {
		t.Errorf("t1: %+v at %s, %+v at %s", a1, name[a1.StationID], d1, name[d1.StationID])
	}
	if a2 := leg("t2", store.Arrival); name[a2.StationID] != "江阳东站" {
		t.Errorf("t2 at %q", name[a2.StationID])
	}
	if a3 := leg("t3", store.Arrival); a3.Mode != "car" || a3.At != nil || a3.Notes != "09:30" {
		t.Errorf("t3: %+v", a3)
	}
	if len(stations) != 3 {
		t.Errorf("stations %+v, want the demo's two and 江阳东站", stations)
	}

	// The desk changes the arrival: same leg; clears the departure.
	err = db.SaveTravel(ctx, ids["t1"], map[string]*domain.Trip{
		store.Arrival:   {Mode: "flight", Number: "CA1236", Station: "云州国际机场", Date: "2026-03-05", Time: "18:00"},
		store.Departure: nil,
	}, env.Catalog.Location, "desk")
	if err != nil {
		t.Fatal(err)
	}
	if a := leg("t1", store.Arrival); a.ID != a1.ID || a.Number != "CA1236" || a.Source != "desk" {
		t.Errorf("after the desk's edit: %+v", a)
	}
	if ls, _ := db.Legs(ctx, store.LegFilter{Attendee: ids["t1"], Direction: store.Departure}); len(ls) != 0 {
		t.Errorf("the cleared departure is live: %+v", ls)
	}
	if ls, _ := db.Legs(ctx, store.LegFilter{Attendee: ids["t1"], Direction: store.Departure, Cancelled: true}); len(ls) != 1 || ls[0].Cancelled == nil {
		t.Errorf("the cleared departure is not on record: %+v", ls)
	}
	if err := db.SaveTravel(ctx, 999999, map[string]*domain.Trip{store.Arrival: {Mode: "car"}}, env.Catalog.Location, "desk"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown attendee: %v", err)
	}
}

// TestImportTravelUndone: an import that changed people's travel and fails
// midway gives every leg back as it was (the people changed come first
// here, so that their legs are stored before it fails).
func TestImportTravelUndone(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	defer store.SetImportChunkRows(env.DB, 40)()
	rows := lateList(env.Event, 60)
	late := func(r store.ImportRow) int {
		if strings.HasPrefix(r.Attendee.Key, "late-") {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b store.ImportRow) int { return cmp.Compare(late(a), late(b)) })
	changed := 0
	for i := range rows {
		rows[i].Line = i + 2
		if rows[i].Attendee.ArrivalTrip != nil && !strings.HasPrefix(rows[i].Attendee.Key, "late-") {
			changed++
		}
	}
	before := state(t, env.DB.ForTest().R)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := midway(t, ctx, env.DB, rows, func(int) { cancel() })
	if err == nil {
		t.Skip("the import finished before it could be stopped")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("import: %v, want context.Canceled", err)
	}
	t.Logf("the list changes %d people's arrivals", changed)
	sameState(t, "after a failed import", before, state(t, env.DB.ForTest().R))
}
