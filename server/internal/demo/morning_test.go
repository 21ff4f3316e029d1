package demo

import (
	"context"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestTheMorningWasMet: loaded at some moment of its first day, the demo
// has met most arrivals due over half an hour before, a few are still
// waited for, and none due later is marked: the logistics board shows a
// day under way.
func TestTheMorningWasMet(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := fixedNow
	if _, err := Load(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	legs, err := db.Legs(ctx, store.LegFilter{Direction: store.Arrival})
	if err != nil {
		t.Fatal(err)
	}
	var met, waiting, early int
	for _, l := range legs {
		if l.At == nil || l.StationID == 0 {
			continue
		}
		due := l.At.Before(now.Add(-30 * time.Minute))
		switch {
		case due && l.State == "picked_up":
			met++
			if l.StateAt == nil || l.StateAt.Before(*l.At) || l.StateAt.After(now) {
				t.Errorf("leg %d met at %v, landed %v", l.ID, l.StateAt, l.At)
			}
		case due:
			waiting++
		case l.State != "expected":
			early++
		}
	}
	if met == 0 || waiting == 0 || waiting*10 > met || early != 0 {
		t.Errorf("met %d, still waited for %d, marked before due %d: want most met, a few waiting, none early", met, waiting, early)
	}
}
