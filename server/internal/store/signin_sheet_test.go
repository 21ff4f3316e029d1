package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/store"
)

// TestSigninSheet: both 签到表 read one list — everyone the session
// expects in list order, a cancelled person marked so, a held leave with
// its reason and a withdrawn one not at all.
func TestSigninSheet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	if _, err := demo.Load(ctx, db, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	before, err := db.SigninSheet(ctx, "opening")
	if err != nil {
		t.Fatal(err)
	}
	var free []int64 // people holding no leave yet, the demo's own leaves aside
	for _, l := range before {
		if !l.OnLeave && l.Active {
			free = append(free, l.AttendeeID)
		}
	}
	if len(free) < 3 {
		t.Fatalf("the demo's opening has %d people free of leave", len(free))
	}
	onLeave, withdrawn, cancelled := free[0], free[1], free[2]
	if err := db.CreateLeave(ctx, "opening", onLeave, "出差", "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateLeave(ctx, "opening", withdrawn, "生病", "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawLeave(ctx, "opening", withdrawn, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ForTest().W.Exec(`UPDATE attendees SET status = 'cancelled' WHERE id = ?`, cancelled); err != nil {
		t.Fatal(err)
	}
	lines, err := db.SigninSheet(ctx, "opening")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(before) {
		t.Fatalf("%d lines after the changes, %d before: a cancelled person stays on the list", len(lines), len(before))
	}
	for i, l := range lines {
		if l.AttendeeID != before[i].AttendeeID {
			t.Fatalf("line %d is %d, was %d: the order moved", i, l.AttendeeID, before[i].AttendeeID)
		}
		want := before[i]
		switch l.AttendeeID {
		case onLeave:
			want.OnLeave, want.LeaveReason = true, "出差"
		case cancelled:
			want.Active = false
		}
		if l.OnLeave != want.OnLeave || l.LeaveReason != want.LeaveReason || l.Active != want.Active {
			t.Errorf("%s: on leave %v (%q), active %v; want %v (%q), %v", l.Name, l.OnLeave, l.LeaveReason, l.Active,
				want.OnLeave, want.LeaveReason, want.Active)
		}
	}
	if _, err := db.SigninSheet(ctx, "no-such-session"); err != nil {
		t.Errorf("an unknown session: %v, want an empty list", err)
	}
	if _, err := db.RoomSlip(ctx, -1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("room slip of nobody: %v, want ErrNotFound", err)
	}
}
