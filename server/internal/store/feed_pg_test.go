package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// The feed between servers (feed_pg.go): two store handles on one
// PostgreSQL database stand for two servers.

// heard collects the changes a handle's listeners hear, in order.
type heard struct {
	mu  sync.Mutex
	got []Change
}

func listen(db *DB) *heard {
	h := &heard{}
	db.OnChange(func(c Change) {
		h.mu.Lock()
		h.got = append(h.got, c)
		h.mu.Unlock()
	})
	return h
}

// wait waits until n changes were heard, and answers them.
func (h *heard) wait(t *testing.T, n int) []Change {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.mu.Lock()
		got := append([]Change(nil), h.got...)
		h.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("heard %d changes, want %d: %+v", len(got), n, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// second opens another handle on cfg's database, listening, as a second
// server would.
func second(t *testing.T, cfg Config) *DB {
	t.Helper()
	db, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func write(t *testing.T, db *DB, ch Change) {
	t.Helper()
	if err := db.Write(context.Background(), func(*sql.Tx) (Change, error) { return ch, nil }); err != nil {
		t.Fatal(err)
	}
}

// sample is a change with every kind of news in it.
func sample(at time.Time) Change {
	return Change{
		Presence:   []Presence{{Session: "opening", Attendee: 7, Inside: true, At: at}, {Session: "opening", Attendee: 8, At: at.Add(time.Second)}},
		Recount:    []string{"plenary"},
		Seated:     map[string][]int64{"opening": {7, 9}, "dinner": nil},
		Meals:      []string{"lunch-1"},
		Attendees:  []int64{3},
		Catalog:    true,
		Definition: true,
		Logistics:  true,
		FaceAlerts: []int64{11},
	}
}

// TestChangeJSONRoundTrip: a Change crosses servers as JSON and must come
// back whole, a field added later included (the sample sets every field).
func TestChangeJSONRoundTrip(t *testing.T) {
	t.Parallel()
	c := sample(time.Date(2026, 3, 5, 8, 30, 0, 123456789, time.UTC))
	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("the sample leaves %s empty: set it, so that the round trip covers it", v.Type().Field(i).Name)
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Change
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, c)
	}
}

// TestFeedSQLiteStaysLocal: on SQLite there is one server; Listen does
// nothing, the health page has no lag, and the feed's table stays empty.
func TestFeedSQLiteStaysLocal(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := listen(db)
	if err := db.Listen(context.Background()); err != nil {
		t.Fatal(err)
	}
	write(t, db, Recount("opening"))
	if got := h.wait(t, 1); !reflect.DeepEqual(got, []Change{Recount("opening")}) {
		t.Fatalf("heard %+v", got)
	}
	if _, ok, err := db.FeedLag(context.Background()); ok || err != nil {
		t.Fatalf("FeedLag on SQLite: ok %v, err %v", ok, err)
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM live_feed`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("live_feed on SQLite: %d rows, %v", n, err)
	}
}

// TestFeedWriteReachesOtherServer: a Write on A reaches B's listeners with
// the same Change, once; A hears it once too, and not from the feed.
func TestFeedWriteReachesOtherServer(t *testing.T) {
	t.Parallel()
	a, cfg := openPG(t)
	b := second(t, cfg)
	ha, hb := listen(a), listen(b)
	for _, db := range []*DB{a, b} {
		if err := db.Listen(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	c := sample(time.Now().UTC().Round(0))
	write(t, a, c)
	if got := hb.wait(t, 1); !reflect.DeepEqual(got, []Change{c}) {
		t.Fatalf("B heard:\n %+v\nwant\n %+v", got, c)
	}
	time.Sleep(200 * time.Millisecond) // time for a wrong second copy to come
	if got := ha.wait(t, 1); len(got) != 1 {
		t.Fatalf("A heard its own change %d times", len(got))
	}
	if got := hb.wait(t, 1); len(got) != 1 {
		t.Fatalf("B heard A's change %d times", len(got))
	}
	if lag, ok, err := b.FeedLag(context.Background()); !ok || err != nil || lag != 0 {
		t.Fatalf("B's feed lag after applying everything: %v (ok %v, err %v)", lag, ok, err)
	}
}

// TestFeedScanBatchReachesFollowers: the scan engine's batch, committed
// on A with its change, reaches B's followers.
func TestFeedScanBatchReachesFollowers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, cfg := openPG(t)
	b := second(t, cfg)
	got := make(chan Change, 4)
	b.Follow(func(c Change) bool { return len(c.Presence) > 0 }, func(c Change) { got <- c })
	if err := b.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := a.PrepareScanStatements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tx, err := a.BeginScans(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	c := Change{Presence: []Presence{{Session: "opening", Attendee: 1, Inside: true, At: time.Now().UTC().Round(0)}}}
	if err := tx.CommitAnnounce(c); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-got:
		if !reflect.DeepEqual(g, c) {
			t.Fatalf("B's follower got %+v, want %+v", g, c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("B's follower never heard A's scan batch")
	}
	var rows int
	if err := a.r.QueryRow(`SELECT count(*) FROM live_feed`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("the batch left %d rows in live_feed (%v), want 1", rows, err)
	}
}

// TestFeedOneOrderEverywhere: changes written on both servers are heard
// once each, on both, in one order (commit order): the tracker applies
// transitions in the order it hears them.
func TestFeedOneOrderEverywhere(t *testing.T) {
	t.Parallel()
	a, cfg := openPG(t)
	b := second(t, cfg)
	ha, hb := listen(a), listen(b)
	for _, db := range []*DB{a, b} {
		if err := db.Listen(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Write(context.Background(), func(*sql.Tx) (Change, error) { return Recount(fmt.Sprint("s", i)), nil }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	ga, gb := ha.wait(t, n), hb.wait(t, n)
	time.Sleep(200 * time.Millisecond)
	ga, gb = ha.wait(t, n), hb.wait(t, n)
	if len(ga) != n || len(gb) != n {
		t.Fatalf("A heard %d changes, B %d, want %d each", len(ga), len(gb), n)
	}
	if !reflect.DeepEqual(ga, gb) {
		t.Fatalf("A and B heard different orders:\nA %v\nB %v", ga, gb)
	}
	var order []string
	rows, err := a.r.Query(`SELECT body FROM live_feed ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		var c Change
		if err := rows.Scan(&body); err != nil || json.Unmarshal([]byte(body), &c) != nil {
			t.Fatal(err)
		}
		order = append(order, c.Recount[0])
	}
	for i, c := range ga {
		if c.Recount[0] != order[i] {
			t.Fatalf("heard %s at %d, committed %s there", c.Recount[0], i, order[i])
		}
	}
}
