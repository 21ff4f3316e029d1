package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

func open(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestPragmas(t *testing.T) {
	db := open(t, t.TempDir())
	for _, tc := range []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL: an answered check-in survives power loss
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
	} {
		var got string
		if err := db.W.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil || got != tc.want {
			t.Errorf("writer PRAGMA %s = %q (%v), want %q", tc.pragma, got, err, tc.want)
		}
		if err := db.R.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil || got != tc.want {
			t.Errorf("reader PRAGMA %s = %q (%v), want %q", tc.pragma, got, err, tc.want)
		}
	}
	if _, err := db.R.Exec(`INSERT INTO categories (code, name) VALUES ('x', 'x')`); err == nil {
		t.Error("the read pool accepted a write")
	}
	if _, err := db.W.Exec(`INSERT INTO attendees (key, name, category, created_at, updated_at) VALUES ('k', 'n', 'nope', '', '')`); err == nil {
		t.Error("a foreign key was not enforced")
	}
}

func TestRefusesNewerDatabase(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	if _, err := db.W.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := store.Open(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a newer database: %v", err)
	}
}

func TestLoadEventIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	ev := demo.Generate(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	broken := ev
	broken.Attendees = append([]domain.Attendee(nil), ev.Attendees...)
	broken.Attendees[len(broken.Attendees)-1].Sessions = []string{"no-such-session"}
	if err := db.LoadEvent(ctx, &broken); err == nil {
		t.Fatal("a broken event loaded")
	}
	if has, _ := db.HasEvent(ctx); has {
		t.Fatal("a failed load left an event behind")
	}
	var n int
	db.R.QueryRow(`SELECT count(*) FROM attendees`).Scan(&n)
	if n != 0 {
		t.Fatalf("a failed load left %d attendees", n)
	}
	if err := db.LoadEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	if err := db.LoadEvent(ctx, &ev); !errors.Is(err, store.ErrHasEvent) {
		t.Fatalf("second load: %v", err)
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
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	ev := demo.Generate(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err := db.LoadEvent(ctx, &ev); err != nil {
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
		list, err := db.SearchAttendees(ctx, tc.q, 600)
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
	list, _ := db.SearchAttendees(ctx, a.Phone[7:], 10)
	if len(list) == 0 || list[0].Phone != a.Phone {
		t.Errorf("phone tail %s: %v", a.Phone[7:], list)
	}
	if list, _ := db.SearchAttendees(ctx, "%", 10); len(list) != 0 {
		t.Errorf("%% matched %d attendees", len(list))
	}
}
