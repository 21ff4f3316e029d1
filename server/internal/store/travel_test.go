package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestTravelLegs: stations are matched by any spelling of their name and
// made when new; a leg saved again keeps its id (so a vehicle keeps its
// passenger); a state is recorded with who said it; a rebooking keeps the
// old leg, cancelled, drops it from its vehicle and names it in the new.
func TestTravelLegs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ids := small(t)
	pek, err := db.SaveStation(ctx, store.Station{Code: "pek", Name: "首都机场", NameEn: "Capital Airport", Kind: "airport"},
		[]string{"北京首都国际机场"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var found, made, again int64
	err = db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		var err error
		if found, err = store.StationFor(ctx, tx, " ｐｅｋ ", "airport"); err != nil {
			return store.Change{}, err
		}
		if made, err = store.StationFor(ctx, tx, "北京南站", "rail"); err != nil {
			return store.Change{}, err
		}
		again, err = store.StationFor(ctx, tx, "北京 南站", "rail")
		return store.Change{}, err
	})
	if err != nil || found != pek.ID || made == pek.ID || again != made {
		t.Fatalf("stations: pek=%d found=%d made=%d again=%d (%v)", pek.ID, found, made, again, err)
	}

	at := time.Date(2026, 3, 4, 6, 5, 0, 0, time.UTC)
	leg := store.Leg{AttendeeID: ids["d1"], Direction: store.Arrival, Mode: "flight", Number: "CA1234",
		StationID: pek.ID, OnDate: "2026-03-04", At: &at, Companions: 1}
	first, err := db.SaveLeg(ctx, leg, "test")
	if err != nil {
		t.Fatal(err)
	}
	leg.Number = "CA1236"
	second, err := db.SaveLeg(ctx, leg, "test")
	if err != nil || second.ID != first.ID || second.Number != "CA1236" || second.State != "expected" {
		t.Fatalf("saved again: %+v (first %d) %v", second, first.ID, err)
	}
	got, err := db.SetLegState(ctx, first.ID, "picked_up", "", "接站员甲")
	if err != nil || got.State != "picked_up" || got.StateBy != "接站员甲" || got.StateAt == nil {
		t.Fatalf("state: %+v %v", got, err)
	}
	if _, err := db.SetLegState(ctx, first.ID, "lost", "", "x"); err == nil {
		t.Error("an unknown state was stored")
	}

	later := at.Add(3 * time.Hour)
	next, err := db.Rebook(ctx, first.ID, store.Leg{Mode: "flight", Number: "MU5100", StationID: pek.ID, OnDate: "2026-03-04", At: &later},
		"航班取消", "test")
	if err != nil || next.ID == first.ID || next.Replaces != first.ID || next.AttendeeID != ids["d1"] || next.State != "expected" {
		t.Fatalf("rebooked: %+v %v", next, err)
	}
	live, err := db.Legs(ctx, store.LegFilter{Attendee: ids["d1"]})
	if err != nil || len(live) != 1 || live[0].ID != next.ID {
		t.Fatalf("live legs after the rebooking: %+v %v", live, err)
	}
	all, _ := db.Legs(ctx, store.LegFilter{Attendee: ids["d1"], Cancelled: true})
	if len(all) != 2 || all[0].Cancelled == nil {
		t.Fatalf("all legs: %+v", all)
	}
}
