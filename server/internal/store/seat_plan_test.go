package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestSeatEdits (issue 16.1): the hand edits refuse what the desk must not
// do, a swap announces both people it moved, and the seat map shows a
// leave only until it is withdrawn (active_leaves).
func TestSeatEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := testkit.New(t, time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC))
	db := env.DB
	const session = "opening"
	seats, err := db.SessionSeats(ctx, session, nil)
	if err != nil {
		t.Fatal(err)
	}
	var held []store.MapSeat
	var vacant string
	for _, s := range seats {
		switch {
		case s.AttendeeID != 0 && s.Kind == "normal":
			held = append(held, s)
		case s.AttendeeID == 0 && s.Kind == "normal" && vacant == "":
			vacant = s.Label
		}
	}
	if len(held) < 2 || vacant == "" {
		t.Fatalf("demo opening: %d seats held, vacant %q", len(held), vacant)
	}
	a, b := held[0], held[1]
	var stranger int64
	if err := db.ForTest().W.QueryRow(`SELECT id FROM attendees WHERE id NOT IN
		(SELECT attendee_id FROM session_attendees WHERE session_id = ?) LIMIT 1`, session).Scan(&stranger); err != nil {
		t.Fatalf("someone not expected at %s: %v", session, err)
	}

	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"pin on a seat held by another", db.PinSeat(ctx, session, a.Label, b.AttendeeID, "t"), store.ErrSeatTaken},
		{"pin on no such seat", db.PinSeat(ctx, session, "no-such-seat", a.AttendeeID, "t"), store.ErrUnknownSeat},
		{"pin of someone not expected", db.PinSeat(ctx, session, vacant, stranger, "t"), store.ErrNotExpected},
		{"unpin of an empty seat", db.UnpinSeat(ctx, session, vacant, "t"), store.ErrSeatEmpty},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}

	changes := make(chan store.Change, 4)
	db.OnChange(func(c store.Change) { changes <- c })
	if err := db.SwapSeats(ctx, session, a.Label, b.Label, "t"); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-changes:
		if got := c.Seated[session]; len(got) != 2 || got[0] != a.AttendeeID || got[1] != b.AttendeeID {
			t.Errorf("swap announced %v, want [%d %d]", got, a.AttendeeID, b.AttendeeID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the swap announced nothing")
	}
	after, err := db.SessionSeats(ctx, session, []int64{a.AttendeeID})
	if err != nil || len(after) != 1 || after[0].Label != b.Label || !after[0].Pinned {
		t.Fatalf("after the swap %d holds %+v (%v), want %s pinned", a.AttendeeID, after, err, b.Label)
	}

	now := store.FormatTime(time.Now())
	if _, err := db.ForTest().W.Exec(`INSERT INTO leaves (session_id, attendee_id, created_at) VALUES (?, ?, ?)`, session, a.AttendeeID, now); err != nil {
		t.Fatal(err)
	}
	lookup, err := db.NewSeatLookup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := lookup.Held(ctx, session, []int64{a.AttendeeID}); err != nil || len(got) != 1 || !got[0].Leave {
		t.Errorf("with a leave: %+v (%v), want a leave shown", got, err)
	}
	if _, err := db.ForTest().W.Exec(`UPDATE leaves SET revoked_at = ? WHERE session_id = ? AND attendee_id = ?`, now, session, a.AttendeeID); err != nil {
		t.Fatal(err)
	}
	if got, err := lookup.Held(ctx, session, []int64{a.AttendeeID}); err != nil || len(got) != 1 || got[0].Leave {
		t.Errorf("leave withdrawn: %+v (%v), want no leave shown", got, err)
	}
}
