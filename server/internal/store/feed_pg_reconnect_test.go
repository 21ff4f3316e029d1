package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// The feed between servers when things go wrong: a dropped listening
// connection, rows pruned before a server applied them, a server behind.

// dropListener ends db's listening connection from the database's side,
// as a restart of PostgreSQL or a network cut would, and answers once
// it is gone.
func dropListener(t *testing.T, db *DB) {
	t.Helper()
	name := "huiwu-feed-" + db.feed.pg.origin
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		err := db.w.QueryRow(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?) k`, name).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening connection named %s", name)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFeedCatchesUpAfterDroppedConnection: changes committed while B's
// listening connection is gone (their notices lost with it) reach B
// once it reconnects, in order.
func TestFeedCatchesUpAfterDroppedConnection(t *testing.T) {
	t.Parallel()
	a, cfg := openPG(t)
	b := second(t, cfg)
	hb := listen(b)
	if err := b.Listen(context.Background()); err != nil {
		t.Fatal(err)
	}
	write(t, a, Recount("before"))
	hb.wait(t, 1)
	dropListener(t, b)
	var want []Change
	want = append(want, Recount("before"))
	for i := range 3 {
		c := Recount(fmt.Sprint("while-gone-", i))
		write(t, a, c)
		want = append(want, c)
	}
	start := time.Now()
	got := hb.wait(t, 4)
	t.Logf("B caught up %v after the last write", time.Since(start))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("B heard %+v, want %+v", got, want)
	}
	// And it listens again: a new change comes by notice, well before
	// the safety net's next read.
	write(t, a, Recount("after"))
	start = time.Now()
	hb.wait(t, 5)
	if d := time.Since(start); d > feedSafety/2 {
		t.Fatalf("a change after the reconnect took %v: not by notice", d)
	}
}

// TestFeedPrunedRowsResync: a server that had not applied rows before
// they were pruned reads everything again (a change that says so),
// then goes on with the rows after them.
func TestFeedPrunedRowsResync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, cfg := openPG(t)
	b := second(t, cfg) // opened, not listening yet: A's rows are B's to apply
	hb := listen(b)
	write(t, a, Recount("old"))
	if _, err := a.w.Exec(`UPDATE live_feed SET at_us = at_us - ?`, (2 * feedRetention).Microseconds()); err != nil {
		t.Fatal(err)
	}
	if err := a.pruneFeed(ctx); err != nil {
		t.Fatal(err)
	}
	var rows, through int64
	if err := a.r.QueryRow(`SELECT (SELECT count(*) FROM live_feed), (SELECT through FROM live_feed_pruned)`).Scan(&rows, &through); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || through == 0 {
		t.Fatalf("after the prune: %d rows, pruned through %d", rows, through)
	}
	write(t, a, Recount("new"))
	if err := b.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	got := hb.wait(t, 2)
	if len(got) != 2 || !got[0].Definition || !got[0].Catalog || !got[0].Logistics || !reflect.DeepEqual(got[1], Recount("new")) {
		t.Fatalf("B heard %+v, want a resync then the new change", got)
	}
	b.feed.pg.mu.Lock()
	resyncs := b.feed.pg.resyncs
	b.feed.pg.mu.Unlock()
	if resyncs != 1 {
		t.Fatalf("%d resyncs, want 1", resyncs)
	}
	// A, which wrote the pruned row, has nothing to make up for.
	c := second(t, cfg)
	if c.feed.pg.applied < through {
		t.Fatalf("a server opened after the prune starts at %d, before the pruned %d", c.feed.pg.applied, through)
	}
}

// TestFeedLag: a server that has not applied the others' rows is behind
// by the age of the oldest; once it has applied them, by nothing.
func TestFeedLag(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, cfg := openPG(t)
	write(t, a, Recount("first"))
	b := second(t, cfg) // starts after "first"
	hb := listen(b)
	write(t, a, Recount("second"))
	time.Sleep(60 * time.Millisecond)
	write(t, a, Recount("third")) // younger: the oldest not applied counts
	lag, ok, err := b.FeedLag(ctx)
	if !ok || err != nil || lag < 60*time.Millisecond || lag > 10*time.Second {
		t.Fatalf("B's lag before it listens: %v (ok %v, err %v), want from 60 ms", lag, ok, err)
	}
	if err := b.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	hb.wait(t, 2)
	if lag, ok, err := b.FeedLag(ctx); !ok || err != nil || lag != 0 {
		t.Fatalf("B's lag once caught up: %v (ok %v, err %v)", lag, ok, err)
	}
}
