package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestResolvedFaceAlerts: the desk's record lists the alerts dealt with,
// the latest resolved first, each with who resolved it and when; an open
// alert and a face check that matched are not in it, and the record is
// bounded.
func TestResolvedFaceAlerts(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	ctx := context.Background()
	db := env.DB
	who := env.AttendeeID(t, env.Event.Attendees[0].Key)
	at := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	check := func(scan, result string, refused bool, when time.Time) int64 {
		t.Helper()
		refusedFlag := 0
		if refused {
			refusedFlag = 1
		}
		var id int64
		if err := db.ForTest().W.QueryRow(`INSERT INTO face_checks (scan_id, attendee_id, checkpoint_id, result, distance, refused, at) VALUES (?, ?, 'door', ?, 0.5, ?, ?)
			RETURNING id`, scan, who, result, refusedFlag, store.FormatTime(when)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := check("a", "fail", false, at)
	second := check("b", "noface", true, at.Add(time.Minute))
	open := check("c", "fail", false, at.Add(2*time.Minute))
	check("d", "pass", false, at.Add(3*time.Minute))

	none, err := db.ResolvedFaceAlerts(ctx)
	if err != nil || len(none) != 0 {
		t.Fatalf("before any is resolved: %v %v", none, err)
	}
	// Resolved the other way round from when they were raised.
	if err := db.ResolveFaceAlert(ctx, second, "引导员甲", at.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.ResolveFaceAlert(ctx, first, "报到处乙", at.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := db.ResolvedFaceAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first || got[1].ID != second {
		t.Fatalf("resolved %+v, want %d then %d", got, first, second)
	}
	if got[0].ResolvedBy != "报到处乙" || got[0].ResolvedAt == nil || !got[0].ResolvedAt.Equal(at.Add(6*time.Minute)) {
		t.Errorf("who and when: %q %v", got[0].ResolvedBy, got[0].ResolvedAt)
	}
	if got[1].Result != "noface" || !got[1].Refused || got[1].Attendee != who || got[1].Name == "" {
		t.Errorf("the refused one: %+v", got[1])
	}
	for _, a := range got {
		if a.ID == open {
			t.Error("an open alert is in the record")
		}
	}

	for i := range store.MaxResolvedFaceAlerts + 5 {
		id := check(fmt.Sprint("m", i), "fail", false, at.Add(time.Hour))
		if err := db.ResolveFaceAlert(ctx, id, "desk", at.Add(2*time.Hour+time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	got, err = db.ResolvedFaceAlerts(ctx)
	if err != nil || len(got) != store.MaxResolvedFaceAlerts {
		t.Fatalf("%d listed, want %d: %v", len(got), store.MaxResolvedFaceAlerts, err)
	}
	if !got[0].ResolvedAt.After(*got[1].ResolvedAt) {
		t.Errorf("not the latest first: %v then %v", got[0].ResolvedAt, got[1].ResolvedAt)
	}
}
