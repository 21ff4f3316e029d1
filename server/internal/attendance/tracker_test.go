package attendance_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestTrackerMatchesSQL drives a random mix of entries, exits, re-entries,
// offline scans, leaves and cancellations, and after each step compares the
// in-memory tracker with the SQL reference for every session.
func TestTrackerMatchesSQL(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	ctx := context.Background()
	tr, err := attendance.NewTracker(ctx, env.DB, env.Engine.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	tr.SetClock(env.Now)
	// A small pool, so that the same people come back: exits, re-entries,
	// duplicates, leave for someone already present.
	people := ids(t, env, `SELECT id FROM attendees ORDER BY id LIMIT 40`)
	rng := rand.New(rand.NewPCG(1, 2))
	checkpoints := []string{"hall-east", "hall-west", "hall-exit", "room1-door", "room2-door"}
	compare := func(step int) {
		t.Helper()
		for _, s := range env.Catalog.SessionList {
			want, err := attendance.OfAt(ctx, env.DB, env.Catalog, s.ID, env.Now())
			if err != nil {
				t.Fatal(err)
			}
			got, err := tr.Counts(s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("step %d, session %s:\ntracker %+v\nSQL     %+v", step, s.ID, got, want)
			}
		}
	}
	compare(0)
	for step := 1; step <= 200; step++ {
		id := people[rng.IntN(len(people))]
		switch op := rng.IntN(20); {
		case op < 14:
			r := checkin.Request{Token: env.Token(t, id), Checkpoint: checkpoints[rng.IntN(len(checkpoints))], ScanID: fmt.Sprint("s", step)}
			if op == 13 {
				r.Offline, r.ScannedAt = true, env.Now().Add(-time.Duration(rng.IntN(600))*time.Second)
			}
			if _, err := env.Engine.Scan(ctx, r); err != nil {
				t.Fatal(err)
			}
		case op < 17:
			leave(t, env, "opening", id, op == 16)
		case op < 18:
			setStatus(t, env, id, "cancelled")
		default:
			// Move the clock across the sessions' windows.
			env.SetNow(env.Now().Add(time.Duration(rng.IntN(90)) * time.Minute))
		}
		compare(step)
	}
}

func leave(t *testing.T, env *testkit.Env, session string, id int64, revoke bool) {
	err := env.DB.Write(context.Background(), func(tx *sql.Tx) (store.Change, error) {
		var err error
		if revoke {
			_, err = tx.Exec(`UPDATE leaves SET revoked_at = 'x' WHERE session_id = ? AND attendee_id = ? AND revoked_at IS NULL`, session, id)
		} else {
			_, err = tx.Exec(`INSERT INTO leaves (session_id, attendee_id, created_at)
				SELECT ?, ?, 'x' WHERE EXISTS (SELECT 1 FROM session_attendees WHERE session_id = ?1 AND attendee_id = ?2)
				ON CONFLICT DO NOTHING`, session, id)
		}
		return store.Recount(session), err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func setStatus(t *testing.T, env *testkit.Env, id int64, status string) {
	err := env.DB.Write(context.Background(), func(tx *sql.Tx) (store.Change, error) {
		_, err := tx.Exec(`UPDATE attendees SET status = ? WHERE id = ?`, status, id)
		return store.Change{Attendees: []int64{id}, Recount: []string{"opening", "group-1", "group-2", "plenary-2", "closing"}}, err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkCounts compares one recount from memory with the SQL reference.
func BenchmarkCounts(b *testing.B) {
	env := testkit.New(b, start)
	ctx := context.Background()
	tr, err := attendance.NewTracker(ctx, env.DB, env.Engine.Catalog)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tracker", func(b *testing.B) {
		for range b.N {
			tr.Counts("opening")
		}
	})
	b.Run("sql", func(b *testing.B) {
		for range b.N {
			attendance.OfAt(ctx, env.DB, env.Catalog, "opening", env.Now())
		}
	})
}
