package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// BadgePrint is one entry of the print log (badge_prints): who printed
// which serial of an attendee's credential, on what, when, and why.
type BadgePrint struct {
	Attendee int64
	Serial   int64
	Kind     string // badge or slips
	Layout   string // the badge size; "" for slips
	Batch    string // the batch it came out in; "" for a single print
	Actor    string
	Reason   string // why it was printed again; "" for a first print
	At       time.Time
}

// BatchFilter picks the attendees of a batch print.
type BatchFilter struct {
	Delegation string // delegation name; "" for all
	Category   string // category code; "" for all
	NotPrinted bool   // only those whose live badge has not been printed
}

// LogPrints records prints made at at, in one transaction.
func (db *DB) LogPrints(ctx context.Context, prints []BadgePrint, at time.Time) error {
	now := FormatTime(at)
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		st, err := tx.PrepareContext(ctx, `INSERT INTO badge_prints (attendee_id, serial, kind, layout, batch, actor, reason, printed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return Change{}, fmt.Errorf("store: log print: %w", err)
		}
		defer st.Close()
		for _, p := range prints {
			if _, err := st.ExecContext(ctx, p.Attendee, p.Serial, p.Kind, p.Layout, p.Batch, p.Actor, p.Reason, now); err != nil {
				return Change{}, fmt.Errorf("store: log print: %w", err)
			}
		}
		return Change{}, nil
	})
}

// Prints is an attendee's print log, newest first.
func (db *DB) Prints(ctx context.Context, attendee int64) ([]BadgePrint, error) {
	return readAll(ctx, db.r, "prints", func(row interface{ Scan(...any) error }) (BadgePrint, error) {
		var p BadgePrint
		var at string
		err := row.Scan(&p.Attendee, &p.Serial, &p.Kind, &p.Layout, &p.Batch, &p.Actor, &p.Reason, &at)
		p.At = ReadTime(at)
		return p, err
	}, `SELECT attendee_id, serial, kind, layout, batch, actor, reason, printed_at
		FROM badge_prints WHERE attendee_id = ? ORDER BY id DESC`, attendee)
}

// BadgeBatch lists at most limit active attendees matching f in print
// order: by delegation, then list rank, so that a delegation's badges come
// out together. A badge printed counts only while its credential is live.
func (db *DB) BadgeBatch(ctx context.Context, f BatchFilter, limit int) ([]int64, error) {
	return readAll(ctx, db.r, "badge batch", func(row interface{ Scan(...any) error }) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, `SELECT a.id FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE a.status = 'active' AND (?1 = '' OR d.name = ?1) AND (?2 = '' OR a.category = ?2)
		  AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM badge_prints p JOIN credentials c ON c.serial = p.serial
		       WHERE p.attendee_id = a.id AND p.kind = 'badge' AND c.revoked_at IS NULL))
		ORDER BY coalesce(d.sort, 1e9), d.name, a.rank, a.id LIMIT ?4`, f.Delegation, f.Category, flag(f.NotPrinted), limit)
}

// SeatLabel is the label of the attendee's seat in a session ("A-5-12"),
// what a badge prints; ErrNotFound when they have no seat there.
func (db *DB) SeatLabel(ctx context.Context, session string, attendee int64) (string, error) {
	var label string
	err := db.r.QueryRowContext(ctx, `SELECT st.label FROM seat_assignments x JOIN seats st ON st.id = x.seat_id
		WHERE x.session_id = ? AND x.attendee_id = ?`, session, attendee).Scan(&label)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	} else if err != nil {
		return "", fmt.Errorf("store: seat label: %w", err)
	}
	return label, nil
}
