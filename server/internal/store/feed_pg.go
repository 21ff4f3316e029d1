package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Live updates across servers (issue 17.3). On PostgreSQL several servers
// share the database, and a change one of them commits must reach the
// listeners and followers of all. Each write transaction that announces a
// change also stores it in live_feed (schema_feed.go) and, in the same
// statement, NOTIFYs its number on pgChannel: PostgreSQL delivers the
// notice only if the transaction commits. Every server announces the
// rows of the others in the order of their numbers, its own among them:
//
//   - its own write reads, inside its transaction (which holds the
//     writers' lock, so every earlier commit is visible), the others' rows
//     it has not applied, and after the commit announces those first and
//     then its own change;
//   - its listener (feed_pg_listen.go), on a notice, on reconnecting and
//     every few seconds, reads the rows after the last it applied and
//     announces the others'.
//
// Both hold pgFeed.mu from reading to announcing, and a writer holds it
// across its commit too, so no row is announced twice or out of order:
// the attendance tracker applies transitions in memory in the order it
// hears them (inside, then out, not the reverse).

// pgChannel is the channel the servers NOTIFY and LISTEN on.
const pgChannel = "huiwu_feed"

// pgFeed is one store handle's part in the feed between servers.
type pgFeed struct {
	db     *DB
	url    string
	origin string // this handle's id in live_feed.origin, random at open

	mu sync.Mutex
	// applied is the highest row number announced here (or skipped as
	// this handle's own).
	applied int64
	// resyncs counts the times rows were found pruned before they were
	// applied (the tests look at it).
	resyncs int

	stop    context.CancelFunc // ends the listener; nil until Listen
	stopped chan struct{}      // closed when the listener has ended
}

// openFeed joins the feed between servers: the rows from now on are this
// handle's to announce (Listen starts reading them). On SQLite it does
// nothing.
func (db *DB) openFeed(ctx context.Context, url string) error {
	if db.dialect != Postgres {
		return nil
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("store: live feed origin: %w", err)
	}
	p := &pgFeed{db: db, url: url, origin: hex.EncodeToString(b)}
	// What was pruned counts as applied too: this handle never heard of it.
	err := db.r.QueryRowContext(ctx, `SELECT
		greatest(coalesce((SELECT max(seq) FROM live_feed), 0), coalesce((SELECT max(through) FROM live_feed_pruned), 0))`).Scan(&p.applied)
	if err != nil {
		return fmt.Errorf("store: live feed: %w", err)
	}
	db.feed.pg = p
	return nil
}

// feedRow is one row of live_feed read back.
type feedRow struct {
	seq    int64
	origin string
	body   string
}

// published is what a write stored in the feed before its commit: its own
// row's number, and the others' rows it had not applied.
type published struct {
	seq    int64
	others []feedRow
}

// publishSQL stores a change, NOTIFYs its number, and reads the others'
// rows after ?3 that this handle has not applied, in one round trip.
// pg_notify in RETURNING runs once for the one row inserted.
const publishSQL = `WITH mine AS (
	INSERT INTO live_feed (origin, at_us, body)
	VALUES (?1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, ?2)
	RETURNING seq, origin, pg_notify('huiwu_feed', seq::text)
)
SELECT seq, origin, '' FROM mine
UNION ALL
SELECT seq, origin, body FROM live_feed WHERE seq > ?3 AND origin <> ?1
ORDER BY 1`

// publish stores ch in tx (see publishSQL).
func (p *pgFeed) publish(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, ch Change) (published, error) {
	body, err := json.Marshal(ch)
	if err != nil {
		return published{}, fmt.Errorf("store: live feed: %w", err)
	}
	p.mu.Lock()
	after := p.applied
	p.mu.Unlock()
	rows, err := q.QueryContext(ctx, publishSQL, p.origin, string(body), after)
	if err != nil {
		return published{}, fmt.Errorf("store: live feed: %w", err)
	}
	defer rows.Close()
	var pub published
	for rows.Next() {
		var r feedRow
		if err := rows.Scan(&r.seq, &r.origin, &r.body); err != nil {
			return published{}, fmt.Errorf("store: live feed: %w", err)
		}
		if r.origin == p.origin {
			pub.seq = r.seq
		} else {
			pub.others = append(pub.others, r)
		}
	}
	if err := rows.Err(); err != nil {
		return published{}, fmt.Errorf("store: live feed: %w", err)
	}
	return pub, nil
}

// commit commits tx, whose change is ch, and announces ch after it (on
// PostgreSQL, after the others' rows numbered before it; see above). The
// caller settles the answer when it waits for the followers.
func (db *DB) commit(ctx context.Context, tx *sql.Tx, ch Change) (announced, error) {
	p := db.feed.pg
	if p == nil || ch.Empty() {
		if err := tx.Commit(); err != nil {
			return announced{}, err
		}
		return db.announce(ch), nil
	}
	pub, err := p.publish(ctx, tx, ch)
	if err != nil {
		return announced{}, err
	}
	return p.commitPublished(tx.Commit, pub, ch)
}

// commitPublished runs commit under mu and, if it succeeds, announces the
// others' rows numbered before this one and then ch.
func (p *pgFeed) commitPublished(commit func() error, pub published, ch Change) (announced, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := commit(); err != nil {
		return announced{}, err
	}
	p.apply(pub.others)
	a := p.db.announce(ch)
	p.applied = max(p.applied, pub.seq)
	return a, nil
}

// apply announces the rows after the last applied, in order, skipping
// this handle's own (announced by their writers). The caller holds mu.
func (p *pgFeed) apply(rows []feedRow) {
	for _, r := range rows {
		if r.seq <= p.applied {
			continue
		}
		if r.origin != p.origin {
			var ch Change
			if err := json.Unmarshal([]byte(r.body), &ch); err != nil {
				// A row this binary cannot read (a newer server's): the
				// minute's reconcile and the next catalog change make up.
				slog.Error("store: live feed: a change from another server does not decode", "seq", r.seq, "err", err)
			} else {
				p.db.announce(ch)
			}
		}
		p.applied = r.seq
	}
}

// FeedLag answers, on PostgreSQL, how far this server's live feed is
// behind: how long ago, by the database's clock, the oldest row it has
// not applied was stored; zero when it has applied every row. (The time
// between its last applied row and the newest would be the quiet time
// between two changes, not a delay.) On SQLite, where there is one
// server, ok is false.
func (db *DB) FeedLag(ctx context.Context) (lag time.Duration, ok bool, err error) {
	p := db.feed.pg
	if p == nil {
		return 0, false, nil
	}
	p.mu.Lock()
	applied := p.applied
	p.mu.Unlock()
	var us int64
	err = db.r.QueryRowContext(ctx, `SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint - at_us
		FROM live_feed WHERE seq > ? ORDER BY seq LIMIT 1`, applied).Scan(&us)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, true, nil
	} else if err != nil {
		return 0, true, fmt.Errorf("store: live feed lag: %w", err)
	}
	return time.Duration(max(0, us)) * time.Microsecond, true, nil
}
