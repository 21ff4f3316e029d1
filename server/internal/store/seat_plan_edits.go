package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The desk's hand edits of a session's seats: each checks and writes in one
// transaction with its audit row, and its change names the attendees whose
// seat moved so that the ushers' maps follow after the commit.

// PinSeat puts attendee on the seat labelled label for the session and
// pins them there, moving them from any other seat. A seat held by someone
// else is refused (ErrSeatTaken): the desk swaps instead, so nobody is
// unseated by accident. ErrUnknownSeat, ErrSeatBlocked and ErrNotExpected
// refuse the other impossible pins.
func (db *DB) PinSeat(ctx context.Context, session, label string, attendee int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		seat, kind, err := seatByLabel(ctx, tx, session, label)
		if err != nil {
			return Change{}, err
		}
		if kind == "blocked" {
			return Change{}, ErrSeatBlocked
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM session_attendees WHERE session_id = ? AND attendee_id = ?`,
			session, attendee).Scan(&n); err != nil {
			return Change{}, fmt.Errorf("store: expected at %s: %w", session, err)
		}
		if n == 0 {
			return Change{}, ErrNotExpected
		}
		holder, err := occupant(ctx, tx, session, seat)
		if err != nil {
			return Change{}, err
		}
		if holder != 0 && holder != attendee {
			return Change{}, ErrSeatTaken
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE session_id = ? AND attendee_id = ?`, session, attendee); err != nil {
			return Change{}, fmt.Errorf("store: pin: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?, ?, ?, 1)`,
			session, seat, attendee); err != nil {
			return Change{}, fmt.Errorf("store: pin: %w", err)
		}
		return seated(session, attendee), audit(ctx, tx, time.Now(), actor, "seating.pin", session, fmt.Sprintf("%d → %s", attendee, label))
	})
}

// UnpinSeat lets the next arrangement move whoever holds the seat;
// ErrSeatEmpty when nobody does.
func (db *DB) UnpinSeat(ctx context.Context, session, label, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		seat, _, err := seatByLabel(ctx, tx, session, label)
		if err != nil {
			return Change{}, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE seat_assignments SET pinned = 0 WHERE session_id = ? AND seat_id = ?`, session, seat)
		if err != nil {
			return Change{}, fmt.Errorf("store: unpin: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrSeatEmpty
		}
		holder, err := occupant(ctx, tx, session, seat)
		if err != nil {
			return Change{}, err
		}
		return seated(session, holder), audit(ctx, tx, time.Now(), actor, "seating.unpin", session, label)
	})
}

// SwapSeats exchanges the people on seats a and b (one may be empty: a
// move) and pins both where they land. ErrSeatEmpty when both are empty,
// ErrSeatBlocked when someone would land on a blocked seat.
func (db *DB) SwapSeats(ctx context.Context, session, a, b, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		sa, ka, err := seatByLabel(ctx, tx, session, a)
		if err != nil {
			return Change{}, err
		}
		sb, kb, err := seatByLabel(ctx, tx, session, b)
		if err != nil {
			return Change{}, err
		}
		pa, err := occupant(ctx, tx, session, sa)
		if err != nil {
			return Change{}, err
		}
		pb, err := occupant(ctx, tx, session, sb)
		if err != nil {
			return Change{}, err
		}
		switch {
		case pa == 0 && pb == 0:
			return Change{}, ErrSeatEmpty
		case (pa != 0 && kb == "blocked") || (pb != 0 && ka == "blocked"):
			return Change{}, ErrSeatBlocked
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE session_id = ? AND seat_id IN (?, ?)`, session, sa, sb); err != nil {
			return Change{}, fmt.Errorf("store: swap: %w", err)
		}
		var ids []int64
		for _, m := range []struct{ who, to int64 }{{pa, sb}, {pb, sa}} {
			if m.who == 0 {
				continue
			}
			ids = append(ids, m.who)
			if _, err := tx.ExecContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?, ?, ?, 1)`,
				session, m.to, m.who); err != nil {
				return Change{}, fmt.Errorf("store: swap: %w", err)
			}
		}
		return seated(session, ids...), audit(ctx, tx, time.Now(), actor, "seating.swap", session, a+" ⇄ "+b)
	})
}
