package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

func open(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), testkit.StoreConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPragmas: SQLite's settings on both pools, a read pool that refuses
// writes and enforced foreign keys. On PostgreSQL the two last hold too;
// the PRAGMAs have no counterpart (fsync and the lock wait are the
// cluster's; TestPGOneWriterAcrossServers covers the writers).
func TestPragmas(t *testing.T) {
	t.Parallel()
	db := open(t, t.TempDir())
	pragmas := []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL: an answered check-in survives power loss
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
	}
	if db.Dialect() != store.SQLite {
		pragmas = nil
	}
	for _, tc := range pragmas {
		var got string
		if err := db.ForTest().W.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil || got != tc.want {
			t.Errorf("writer PRAGMA %s = %q (%v), want %q", tc.pragma, got, err, tc.want)
		}
		if err := db.ForTest().R.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil || got != tc.want {
			t.Errorf("reader PRAGMA %s = %q (%v), want %q", tc.pragma, got, err, tc.want)
		}
	}
	if _, err := db.ForTest().R.Exec(`INSERT INTO categories (code, name) VALUES ('x', 'x')`); err == nil {
		t.Error("the read pool accepted a write")
	}
	if _, err := db.ForTest().W.Exec(`INSERT INTO attendees (key, name, category, created_at, updated_at) VALUES ('k', 'n', 'nope', '', '')`); err == nil {
		t.Error("a foreign key was not enforced")
	}
}

func TestRefusesNewerDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := open(t, dir)
	if db.Dialect() != store.SQLite {
		t.Skip("SQLite's PRAGMA user_version; TestPGRefusesNewerDatabase (pgdriver_test.go) is PostgreSQL's")
	}
	if _, err := db.ForTest().W.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := store.Open(context.Background(), testkit.StoreConfig(t, dir))
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a newer database: %v", err)
	}
}

func TestDemoLoadsThroughTheDefinition(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	ev, err := demo.Load(ctx, db, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.SessionList) != len(ev.Sessions) || len(cat.Checkpoints) != len(ev.Checkpoints) || len(cat.MealList) != len(ev.Meals) {
		t.Errorf("catalog has %d sessions, %d checkpoints, %d meals", len(cat.SessionList), len(cat.Checkpoints), len(cat.MealList))
	}
	if !cat.Sessions["opening"].OpensAt.Equal(ev.Sessions[0].OpensAt) {
		t.Error("session times do not round-trip")
	}
	// The rules give every person exactly the sessions and meals the
	// generator meant them to have.
	ids, _ := db.AttendeeIDsByKey(ctx)
	for _, a := range ev.Attendees {
		var sessions []string
		rows, _ := db.ForTest().R.Query(`SELECT session_id FROM session_attendees WHERE attendee_id = ? ORDER BY session_id`, ids[a.Key])
		for rows.Next() {
			var s string
			rows.Scan(&s)
			sessions = append(sessions, s)
		}
		rows.Close()
		want := slices.Sorted(slices.Values(a.Sessions))
		if !slices.Equal(sessions, want) {
			t.Fatalf("%s %s is expected at %v, the generator meant %v", a.Key, a.Name, sessions, want)
		}
		var meals int
		var hall string
		db.ForTest().R.QueryRow(`SELECT count(*), coalesce(max(v.code), '') FROM meal_tickets t JOIN venues v ON v.id = t.venue_id WHERE attendee_id = ?`, ids[a.Key]).Scan(&meals, &hall)
		if meals != len(a.Meals) || (meals > 0 && hall != a.Meals[0].Venue) {
			t.Fatalf("%s %s has %d meals in %s, the generator meant %d in %s", a.Key, a.Name, meals, hall, len(a.Meals), a.Meals[0].Venue)
		}
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	ev, err := demo.Load(ctx, db, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want string }{
		{"张堃", "张堃"},
		{"zk", "张堃"},
		{"wangzhe", "王喆"},
		{"买买提", "阿卜杜拉·买买提"},
		{"am", "Anna Müller"},
		{"Anna", "Anna Müller"},
	} {
		list, err := db.SearchAttendees(ctx, tc.q, 600, true)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range list {
			found = found || a.Name == tc.want
		}
		if !found {
			t.Errorf("search %q does not find %s", tc.q, tc.want)
		}
	}
	// A phone tail finds its owner; % and _ are not wildcards.
	a := ev.Attendees[10]
	list, _ := db.SearchAttendees(ctx, a.Phone[7:], 10, true)
	if len(list) == 0 || list[0].Phone != a.Phone {
		t.Errorf("phone tail %s: %v", a.Phone[7:], list)
	}
	if list, _ := db.SearchAttendees(ctx, "%", 10, true); len(list) != 0 {
		t.Errorf("%% matched %d attendees", len(list))
	}
}
