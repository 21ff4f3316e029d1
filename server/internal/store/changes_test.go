package store_test

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestMerge: transitions and alerts keep their order, sessions to recount
// come once each, a seat change keeps its session even with no one in it,
// and the flags add up.
func TestMerge(t *testing.T) {
	t.Parallel()
	a := store.Change{Presence: []store.Presence{{Session: "s1", Attendee: 1}}, Recount: []string{"s2"}, FaceAlerts: []int64{7}}
	b := store.Change{Presence: []store.Presence{{Session: "s3", Attendee: 2}}, Recount: []string{"s2", "s4"},
		Seated: map[string][]int64{"s5": nil}, Catalog: true, FaceAlerts: []int64{8}}
	m := store.Change{}.Merge(a).Merge(b)
	if len(m.Presence) != 2 || m.Presence[0].Attendee != 1 || m.Presence[1].Attendee != 2 {
		t.Errorf("presence %+v", m.Presence)
	}
	if !slices.Equal(m.Recount, []string{"s2", "s4"}) || !slices.Equal(m.FaceAlerts, []int64{7, 8}) {
		t.Errorf("recount %v, alerts %v", m.Recount, m.FaceAlerts)
	}
	if _, ok := m.Seated["s5"]; !ok || !m.Catalog || m.Definition || !m.ReadsCatalog() {
		t.Errorf("seated %v, catalog %v, definition %v", m.Seated, m.Catalog, m.Definition)
	}
	if got := m.Sessions(); !slices.Equal(got, []string{"s1", "s3", "s2", "s4"}) {
		t.Errorf("sessions %v", got)
	}
	if len(a.Recount) != 1 || len(b.Presence) != 1 {
		t.Error("merging changed what was merged in")
	}
}

func write(t *testing.T, db *store.DB, c store.Change) {
	t.Helper()
	if err := db.Write(context.Background(), func(*sql.Tx) (store.Change, error) { return c, nil }); err != nil {
		t.Fatal(err)
	}
}

// TestFollowers: a follower runs off the committing goroutine, after the
// followers registered before it have handled the same change, with the
// changes that came meanwhile merged; Write returns once they all have,
// Announce without waiting.
func TestFollowers(t *testing.T) {
	t.Parallel()
	db := open(t, t.TempDir())
	var mu sync.Mutex
	var log []string
	note := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	release := make(chan struct{})
	first := make(chan struct{}, 8)
	db.OnChange(func(c store.Change) { note("listener") })
	db.Follow(store.Change.ReadsCatalog, func(c store.Change) {
		first <- struct{}{}
		<-release
		note("catalog")
	})
	var recounted [][]string
	db.Follow(func(c store.Change) bool { return len(c.Recount) > 0 }, func(c store.Change) {
		note("recount")
		recounted = append(recounted, c.Recount)
	})

	// Announce does not wait: the catalog follower is held.
	db.Announce(store.Change{Definition: true, Recount: []string{"a"}})
	<-first
	db.Announce(store.Recount("b"))
	db.Announce(store.Recount("c"))
	mu.Lock()
	if !slices.Equal(log, []string{"listener", "listener", "listener"}) {
		t.Errorf("before the catalog is read: %v", log)
	}
	mu.Unlock()

	// A Write waits for the catalog, then the recount of all three.
	done := make(chan struct{})
	go func() {
		write(t, db, store.Recount("d"))
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("Write returned before the followers handled its change")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-done
	mu.Lock()
	defer mu.Unlock()
	if i, j := slices.Index(log, "catalog"), slices.Index(log, "recount"); i < 0 || j < i {
		t.Errorf("order %v: the recount ran before the catalog was read", log)
	}
	var all []string
	for _, r := range recounted {
		all = append(all, r...)
	}
	if !slices.Equal(all, []string{"a", "b", "c", "d"}) || len(recounted) > 3 {
		t.Errorf("recounted %v", recounted)
	}
}

// TestWriteUntaken: a Write whose change no follower takes does not wait
// for a follower busy with another; one it takes waits for it.
func TestWriteUntaken(t *testing.T) {
	t.Parallel()
	db := open(t, t.TempDir())
	busy, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	db.Follow(func(c store.Change) bool { return c.Logistics }, func(store.Change) {
		once.Do(func() { close(busy) })
		<-release
	})
	db.Announce(store.Change{Logistics: true})
	<-busy
	write(t, db, store.Change{Attendees: []int64{1}})
	done := make(chan struct{})
	go func() {
		write(t, db, store.Change{Logistics: true})
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	close(release)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Write still waits after the follower ended")
	}
}
