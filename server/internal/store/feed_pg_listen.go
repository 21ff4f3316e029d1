package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The listener: one connection of its own (pgx, outside the pools, which
// would hand a LISTENing connection to anyone) waits for notices on
// pgChannel and applies the rows after the last one applied (feed_pg.go).
// A notice lost with a dropped connection costs nothing: on reconnecting
// the listener reads the rows it missed, and every feedSafety it reads
// again whatever it heard.

const (
	// feedSafety is how often the listener reads the feed with no notice.
	feedSafety = 3 * time.Second
	// feedRetention is how long rows stay in live_feed. A server out of
	// touch for longer reads everything again (resync).
	feedRetention = 10 * time.Minute
	// feedPruneEvery is how often a server prunes the feed.
	feedPruneEvery = time.Minute
	// feedRetryMax bounds the wait between reconnections.
	feedRetryMax = 5 * time.Second
)

// Listen starts applying the changes other servers commit to this one's
// listeners and followers, until ctx ends or the store is closed. Call it
// once every listener and follower is registered: the changes committed
// since Open are applied first. On SQLite it does nothing.
func (db *DB) Listen(ctx context.Context) error {
	p := db.feed.pg
	if p == nil {
		return nil
	}
	cfg, err := pgx.ParseConfig(p.url)
	if err != nil {
		return fmt.Errorf("store: live feed: the PostgreSQL URL: %w", err)
	}
	// Named by origin, so that an operator (or a test) can tell the
	// servers' listeners apart in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = "huiwu-feed-" + p.origin
	ctx, stop := context.WithCancel(ctx)
	p.mu.Lock()
	if p.stop != nil {
		p.mu.Unlock()
		stop()
		return errors.New("store: live feed: already listening")
	}
	p.stop, p.stopped = stop, make(chan struct{})
	p.mu.Unlock()
	go p.run(ctx, cfg)
	return nil
}

// close ends the listener, if it runs, and waits for it.
func (p *pgFeed) close() {
	p.mu.Lock()
	stop, stopped := p.stop, p.stopped
	p.mu.Unlock()
	if stop != nil {
		stop()
		<-stopped
	}
}

// run keeps a listening connection until ctx ends, reconnecting after a
// failure with a growing wait.
func (p *pgFeed) run(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(p.stopped)
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		start := time.Now()
		err := p.session(ctx, cfg)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			wait = 100 * time.Millisecond // it ran a while: this is a new failure
		}
		slog.Warn("store: live feed: the listening connection failed; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, feedRetryMax)
	}
}

// session is one listening connection's life: LISTEN, catch up, then
// apply on every notice and every feedSafety, pruning now and then.
func (p *pgFeed) session(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		return err
	}
	// Listening first, reading second: a row committed in between is
	// both read now and noticed, never neither.
	if err := p.catchUp(ctx, conn); err != nil {
		return err
	}
	pruned := time.Now()
	for {
		wctx, cancel := context.WithTimeout(ctx, feedSafety)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && !pgconn.Timeout(err):
			return err
		case err == nil && p.has(n.Payload):
			continue // this server's own row, or one a writer here applied
		}
		if err := p.catchUp(ctx, conn); err != nil {
			return err
		}
		if time.Since(pruned) >= feedPruneEvery {
			pruned = time.Now()
			if err := p.db.pruneFeed(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("store: live feed: prune", "err", err)
			}
		}
	}
}

// has reports whether the row a notice names is applied already. A
// writer here holds mu until it has applied its own row, so its own
// notices never cost a read.
func (p *pgFeed) has(payload string) bool {
	seq, err := strconv.ParseInt(payload, 10, 64)
	if err != nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return seq <= p.applied
}

// catchUp reads the rows after the last applied and applies them. Rows
// pruned before they were applied are made up for by a resync.
func (p *pgFeed) catchUp(ctx context.Context, conn *pgx.Conn) error {
	p.mu.Lock()
	after := p.applied
	p.mu.Unlock()
	var through int64
	err := conn.QueryRow(ctx, `SELECT coalesce(max(through), 0) FROM live_feed_pruned`).Scan(&through)
	if err != nil {
		return err
	}
	rows, err := conn.Query(ctx, `SELECT seq, origin, body FROM live_feed WHERE seq > $1 ORDER BY seq`, after)
	if err != nil {
		return err
	}
	var got []feedRow
	for rows.Next() {
		var r feedRow
		if err := rows.Scan(&r.seq, &r.origin, &r.body); err != nil {
			rows.Close()
			return err
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var resync Change
	if through > after {
		slog.Warn("store: live feed: changes from other servers were pruned before this server applied them; reading everything again",
			"applied", after, "pruned_through", through)
		resync = p.db.resyncChange(ctx)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if through > p.applied {
		p.resyncs++
		p.db.announce(resync)
		p.applied = through
	}
	p.apply(got)
	return nil
}

// resyncChange is the change that makes every listener read everything
// again: the catalog and definition, every session's attendance, the
// logistics board.
func (db *DB) resyncChange(ctx context.Context) Change {
	ch := Change{Catalog: true, Definition: true, Logistics: true}
	cat, err := db.Catalog(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		slog.Error("store: live feed: read the catalog for a resync", "err", err)
	}
	if cat != nil {
		for _, s := range cat.SessionList {
			ch.Recount = append(ch.Recount, s.ID)
		}
	}
	return ch
}

// pruneFeed deletes the rows older than feedRetention, by the database's
// clock, and notes the highest number deleted. It is a write (under the
// writers' lock) only when there is something to delete.
func (db *DB) pruneFeed(ctx context.Context) error {
	cutoff := `(extract(epoch FROM clock_timestamp()) * 1000000)::bigint - ` + strconv.FormatInt(feedRetention.Microseconds(), 10)
	var old int64
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM live_feed WHERE at_us < `+cutoff).Scan(&old); err != nil {
		return err
	}
	if old == 0 {
		return nil
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var through int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM live_feed WHERE at_us < `+cutoff).Scan(&through); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM live_feed WHERE seq <= ?`, through); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO live_feed_pruned (id, through) VALUES (1, ?1)
		ON CONFLICT (id) DO UPDATE SET through = CASE WHEN excluded.through > live_feed_pruned.through THEN excluded.through ELSE live_feed_pruned.through END`, through); err != nil {
		return err
	}
	return tx.Commit()
}
