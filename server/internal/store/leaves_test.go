package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/store"
)

// A leave is held once, listed while held, withdrawn once, and each write
// leaves its audit row.
func TestLeaveLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	ev, err := demo.Load(ctx, db, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.SessionLeaves(ctx, "opening") // the demo's own
	if err != nil {
		t.Fatal(err)
	}
	held := func(list []store.Leave, id int64) int {
		return slices.IndexFunc(list, func(l store.Leave) bool { return l.AttendeeID == id })
	}
	ids, _ := db.AttendeeIDsByKey(ctx)
	var expected, other int64
	for _, a := range ev.Attendees {
		if !slices.Contains(a.Sessions, "opening") {
			other = ids[a.Key]
		} else if held(before, ids[a.Key]) < 0 {
			expected = ids[a.Key]
		}
	}
	if expected == 0 || other == 0 {
		t.Fatal("the demo has no one expected, or no one not expected, at the opening")
	}
	if err := db.CreateLeave(ctx, "opening", other, "因病", "desk1"); !errors.Is(err, store.ErrNotExpected) {
		t.Fatalf("leave for someone not expected: %v, want ErrNotExpected", err)
	}
	if err := db.CreateLeave(ctx, "opening", expected, "因病", "desk1"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateLeave(ctx, "opening", expected, "公务", "desk2"); !errors.Is(err, store.ErrLeaveExists) {
		t.Fatalf("second leave: %v, want ErrLeaveExists", err)
	}
	list, err := db.SessionLeaves(ctx, "opening")
	if err != nil {
		t.Fatal(err)
	}
	i := held(list, expected)
	if len(list) != len(before)+1 || i < 0 || list[i].Reason != "因病" || list[i].CreatedBy != "desk1" || list[i].CreatedAt.IsZero() {
		t.Fatalf("leaves = %+v", list)
	}
	if err := db.WithdrawLeave(ctx, "opening", expected, "desk2"); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawLeave(ctx, "opening", expected, "desk2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("withdrawing again: %v, want ErrNotFound", err)
	}
	if list, _ := db.SessionLeaves(ctx, "opening"); len(list) != len(before) || held(list, expected) >= 0 {
		t.Fatalf("withdrawn leave still listed: %+v", list)
	}
	var audits int
	if err := db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE subject = 'opening' AND action IN ('leave.create', 'leave.revoke')`).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	if audits != 2 {
		t.Fatalf("%d audit rows for the leave, want 2", audits)
	}
}
