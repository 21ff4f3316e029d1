package store

import (
	"context"
	"fmt"
	"time"
)

// Rosters is what the attendance counts are built from, read in one
// transaction so that the parts agree.
type Rosters struct {
	// Members counts the active attendees of each category, for quorums
	// over all members rather than those expected.
	Members map[string]int
	// Entries are the active expected attendees, by session.
	Entries []RosterEntry
}

// RosterEntry is one active attendee expected at a session and where they
// stand there.
type RosterEntry struct {
	Session  string
	Attendee int64
	Category string
	Present  bool      // checked in at least once
	FirstIn  time.Time // their first entry, when Present
	Inside   bool
	OnLeave  bool // holds a leave (withdrawn by their coming, if Present)
}

// SessionRosters reads the rosters of every session, or of only that one
// when only is not empty. Cancelled attendees are nobody's 应到.
func (db *DB) SessionRosters(ctx context.Context, only string) (Rosters, error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return Rosters{}, fmt.Errorf("store: rosters: %w", err)
	}
	defer tx.Rollback()
	members, err := readMap[string, int](ctx, tx, "count members",
		`SELECT category, count(*) FROM attendees WHERE status = 'active' GROUP BY category`)
	if err != nil {
		return Rosters{}, err
	}
	q := `SELECT sa.session_id, sa.attendee_id, a.category, p.first_in_at, coalesce(p.inside, 0), l.id IS NOT NULL
		FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN active_leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id`
	var args []any
	if only != "" {
		q += ` WHERE sa.session_id = ?`
		args = append(args, only)
	}
	entries, err := readAll(ctx, tx, "read rosters", func(row interface{ Scan(...any) error }) (RosterEntry, error) {
		var e RosterEntry
		var firstIn *string
		if err := row.Scan(&e.Session, &e.Attendee, &e.Category, &firstIn, &e.Inside, &e.OnLeave); err != nil {
			return e, err
		}
		if firstIn != nil {
			e.Present, e.FirstIn = true, ReadTime(*firstIn)
		}
		return e, nil
	}, q, args...)
	if err != nil {
		return Rosters{}, err
	}
	return Rosters{Members: members, Entries: entries}, nil
}

// ExpectedPerson is one attendee expected at a session, as a list names
// and orders them.
type ExpectedPerson struct {
	ID       int64
	Name     string
	Category string
	Rank     int
}

// SessionExpected lists everyone expected at a session, cancelled or not,
// in no particular order.
func (db *DB) SessionExpected(ctx context.Context, session string) ([]ExpectedPerson, error) {
	return readAll(ctx, db.r, "expected people", func(row interface{ Scan(...any) error }) (ExpectedPerson, error) {
		var p ExpectedPerson
		err := row.Scan(&p.ID, &p.Name, &p.Category, &p.Rank)
		return p, err
	}, `SELECT a.id, a.name, a.category, a.rank
		FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id WHERE sa.session_id = ?`, session)
}
