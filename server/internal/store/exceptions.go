package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Exception is a per-person exception to the entitlement rules, made at
// the desk and kept across recomputes: Mode "include" or "exclude" for a
// session's 应到 (Kind "session", Ref the session id); "hall" (Venue the
// dining hall's code) or "exclude" for a meal (Kind "meal", Ref the meal id
// or "*" for every meal).
type Exception struct {
	Attendee int64  `json:"attendee_id"`
	Kind     string `json:"kind"`
	Ref      string `json:"ref"`
	Mode     string `json:"mode"`
	Venue    string `json:"venue,omitempty"`
	Reason   string `json:"reason,omitempty"`
	By       string `json:"by,omitempty"`
	At       string `json:"at,omitempty"`
}

// ErrBadException is returned for an exception that names nothing real or
// mixes kinds and modes.
var ErrBadException = errors.New("store: bad exception")

// Exceptions lists an attendee's exceptions.
func (db *DB) Exceptions(ctx context.Context, attendee int64) ([]Exception, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT x.attendee_id, x.kind, x.ref, x.mode, coalesce(v.code, ''), x.reason, x.created_by, x.created_at
		FROM entitlement_exceptions x LEFT JOIN venues v ON v.id = x.venue_id WHERE x.attendee_id = ? ORDER BY x.kind DESC, x.ref`, attendee)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Exception{}
	for rows.Next() {
		var e Exception
		if err := rows.Scan(&e.Attendee, &e.Kind, &e.Ref, &e.Mode, &e.Venue, &e.Reason, &e.By, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetExceptions stores exceptions (replacing any for the same attendee,
// kind and ref) and recomputes those attendees' entitlements, in one
// transaction with an audit row each.
func (db *DB) SetExceptions(ctx context.Context, list []Exception, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := FormatTime(time.Now())
		var ids []int64
		for _, e := range list {
			venue, err := checkException(ctx, tx, e)
			if err != nil {
				return Change{}, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO entitlement_exceptions (attendee_id, kind, ref, mode, venue_id, reason, created_by, created_at)
				VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (attendee_id, kind, ref) DO UPDATE SET mode = excluded.mode, venue_id = excluded.venue_id,
				reason = excluded.reason, created_by = excluded.created_by, created_at = excluded.created_at`,
				e.Attendee, e.Kind, e.Ref, e.Mode, venue, e.Reason, actor, now); err != nil {
				return Change{}, err
			}
			if err := auditException(ctx, tx, now, actor, "exception.set", e); err != nil {
				return Change{}, err
			}
			ids = append(ids, e.Attendee)
		}
		return exceptionChange(ctx, tx, ids)
	})
}

// ClearException removes one exception; the rules apply again.
func (db *DB) ClearException(ctx context.Context, attendee int64, kind, ref, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		res, err := tx.ExecContext(ctx, `DELETE FROM entitlement_exceptions WHERE attendee_id = ? AND kind = ? AND ref = ?`, attendee, kind, ref)
		if err != nil {
			return Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		if err := auditException(ctx, tx, FormatTime(time.Now()), actor, "exception.clear", Exception{Attendee: attendee, Kind: kind, Ref: ref}); err != nil {
			return Change{}, err
		}
		return exceptionChange(ctx, tx, []int64{attendee})
	})
}

func auditException(ctx context.Context, tx *sql.Tx, now, actor, action string, e Exception) error {
	return audit(ctx, tx, ReadTime(now), actor, action, fmt.Sprint(e.Attendee),
		fmt.Sprintf("%s %s %s %s %s", e.Kind, e.Ref, e.Mode, e.Venue, e.Reason))
}

// exceptionChange recomputes the attendees and names what moved: their
// records and every session's roster.
func exceptionChange(ctx context.Context, tx *sql.Tx, ids []int64) (Change, error) {
	if err := recompute(ctx, tx, ids); err != nil {
		return Change{}, err
	}
	var sessions []string
	rows, err := tx.QueryContext(ctx, `SELECT id FROM sessions ORDER BY id`)
	if err != nil {
		return Change{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return Change{}, err
		}
		sessions = append(sessions, s)
	}
	return Change{Attendees: ids, Recount: sessions}, rows.Err()
}

// checkException checks e against the event and returns its hall's row id
// (nil unless Mode is "hall").
func checkException(ctx context.Context, tx *sql.Tx, e Exception) (any, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadException, fmt.Sprintf(format, args...))
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attendees WHERE id = ?`, e.Attendee).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	switch e.Kind {
	case "session":
		if e.Mode != "include" && e.Mode != "exclude" {
			return nil, bad("a session exception is include or exclude, not %q", e.Mode)
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE id = ?`, e.Ref).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, bad("no session %q", e.Ref)
		}
		return nil, nil
	case "meal":
		if e.Ref != "*" {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM meals WHERE id = ?`, e.Ref).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, bad("no meal %q", e.Ref)
			}
		}
		switch e.Mode {
		case "exclude":
			return nil, nil
		case "hall":
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM venues WHERE code = ? AND kind = 'dining'`, e.Venue).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, bad("no dining hall %q", e.Venue)
			}
			return id, err
		}
		return nil, bad("a meal exception is hall or exclude, not %q", e.Mode)
	}
	return nil, bad("kind is session or meal, not %q", e.Kind)
}
