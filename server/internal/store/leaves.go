package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNotExpected refuses a leave (or a seat pinned by hand) for someone
// who is not on the session's 应到 list: there is nothing to be excused
// from, no seat to hold.
var ErrNotExpected = errors.New("store: the attendee is not expected at the session")

// ErrLeaveExists refuses a second leave while one is held: the first
// one's reason and author stand until it is withdrawn.
var ErrLeaveExists = errors.New("store: a leave is recorded already")

// Leave is a leave (请假) that is held, with the attendee's name, as the
// session's leave list shows it.
type Leave struct {
	AttendeeID int64
	Name       string
	Reason     string
	CreatedBy  string
	CreatedAt  time.Time
}

// SessionLeaves lists the leaves held for a session in list order (rank,
// then id); withdrawn ones are not listed.
func (db *DB) SessionLeaves(ctx context.Context, session string) ([]Leave, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT l.attendee_id, a.name, l.reason, l.created_by, l.created_at
		FROM active_leaves l JOIN attendees a ON a.id = l.attendee_id
		WHERE l.session_id = ? ORDER BY a.rank, a.id`, session)
	if err != nil {
		return nil, fmt.Errorf("store: session leaves: %w", err)
	}
	defer rows.Close()
	out := []Leave{}
	for rows.Next() {
		var l Leave
		var at string
		if err := rows.Scan(&l.AttendeeID, &l.Name, &l.Reason, &l.CreatedBy, &at); err != nil {
			return nil, fmt.Errorf("store: session leaves: %w", err)
		}
		l.CreatedAt = ReadTime(at)
		out = append(out, l)
	}
	return out, rows.Err()
}

// CreateLeave records 请假 for an expected attendee at a session, with its
// audit row, in one transaction. It refuses with ErrNotExpected and
// ErrLeaveExists. The change names the session and the attendee's seat, so
// that counts and seat maps move.
func (db *DB) CreateLeave(ctx context.Context, session string, attendee int64, reason, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM session_attendees WHERE session_id = ? AND attendee_id = ?`,
			session, attendee).Scan(&n); err != nil {
			return Change{}, fmt.Errorf("store: create leave: %w", err)
		}
		if n == 0 {
			return Change{}, ErrNotExpected
		}
		now := time.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO leaves (session_id, attendee_id, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, session, attendee, reason, actor, FormatTime(now))
		if err != nil {
			return Change{}, fmt.Errorf("store: create leave: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrLeaveExists
		}
		if err := audit(ctx, tx, now, actor, "leave.create", session, reason); err != nil {
			return Change{}, fmt.Errorf("store: audit leave: %w", err)
		}
		return Change{Recount: []string{session}, Seated: map[string][]int64{session: {attendee}}}, nil
	})
}

// WithdrawLeave withdraws the leave an attendee holds for a session, with
// its audit row, in one transaction: they count as 缺席 again until they
// check in. ErrNotFound when they hold none.
func (db *DB) WithdrawLeave(ctx context.Context, session string, attendee int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		res, err := tx.ExecContext(ctx, `UPDATE leaves SET revoked_at = ?, revoked_by = ?
			WHERE id IN (SELECT id FROM active_leaves WHERE session_id = ? AND attendee_id = ?)`,
			FormatTime(now), actor, session, attendee)
		if err != nil {
			return Change{}, fmt.Errorf("store: withdraw leave: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		if err := audit(ctx, tx, now, actor, "leave.revoke", session, ""); err != nil {
			return Change{}, fmt.Errorf("store: audit leave: %w", err)
		}
		return Change{Recount: []string{session}, Seated: map[string][]int64{session: {attendee}}}, nil
	})
}
