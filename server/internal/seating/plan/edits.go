package plan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/store"
)

// Pin puts attendee on the seat labelled label for the session and pins it
// there, moving them from any other seat. A seat held by someone else is
// refused: the desk swaps instead, so nobody is unseated by accident.
func Pin(ctx context.Context, db *store.DB, session, label string, attendee int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		seat, kind, err := seatByLabel(ctx, tx, session, label)
		if err != nil {
			return store.Change{}, err
		}
		if kind == "blocked" {
			return store.Change{}, ErrSeatBlocked
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM session_attendees WHERE session_id = ? AND attendee_id = ?`,
			session, attendee).Scan(&n); err != nil {
			return store.Change{}, err
		}
		if n == 0 {
			return store.Change{}, ErrNotExpected
		}
		holder, err := occupant(ctx, tx, session, seat)
		if err != nil {
			return store.Change{}, err
		}
		if holder != 0 && holder != attendee {
			return store.Change{}, ErrSeatTaken
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE session_id = ? AND attendee_id = ?`, session, attendee); err != nil {
			return store.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?, ?, ?, 1)`,
			session, seat, attendee); err != nil {
			return store.Change{}, fmt.Errorf("plan: pin: %w", err)
		}
		return seated(session, attendee), audit(ctx, tx, actor, "seating.pin", session, fmt.Sprintf("%d → %s", attendee, label))
	})
}

// Unpin lets the next arrangement move whoever holds the seat.
func Unpin(ctx context.Context, db *store.DB, session, label, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		seat, _, err := seatByLabel(ctx, tx, session, label)
		if err != nil {
			return store.Change{}, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE seat_assignments SET pinned = 0 WHERE session_id = ? AND seat_id = ?`, session, seat)
		if err != nil {
			return store.Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.Change{}, ErrNothingThere
		}
		holder, err := occupant(ctx, tx, session, seat)
		if err != nil {
			return store.Change{}, err
		}
		return seated(session, holder), audit(ctx, tx, actor, "seating.unpin", session, label)
	})
}

// Swap exchanges the people on two seats (one may be empty: a move) and
// pins both where they land.
func Swap(ctx context.Context, db *store.DB, session, a, b, actor string) error {
	if a == b {
		return ErrSameSeat
	}
	return db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		sa, ka, err := seatByLabel(ctx, tx, session, a)
		if err != nil {
			return store.Change{}, err
		}
		sb, kb, err := seatByLabel(ctx, tx, session, b)
		if err != nil {
			return store.Change{}, err
		}
		pa, err := occupant(ctx, tx, session, sa)
		if err != nil {
			return store.Change{}, err
		}
		pb, err := occupant(ctx, tx, session, sb)
		if err != nil {
			return store.Change{}, err
		}
		switch {
		case pa == 0 && pb == 0:
			return store.Change{}, ErrNothingThere
		case (pa != 0 && kb == "blocked") || (pb != 0 && ka == "blocked"):
			return store.Change{}, ErrSeatBlocked
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE session_id = ? AND seat_id IN (?, ?)`, session, sa, sb); err != nil {
			return store.Change{}, err
		}
		var ids []int64
		for _, m := range []struct{ who, to int64 }{{pa, sb}, {pb, sa}} {
			if m.who == 0 {
				continue
			}
			ids = append(ids, m.who)
			if _, err := tx.ExecContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?, ?, ?, 1)`,
				session, m.to, m.who); err != nil {
				return store.Change{}, fmt.Errorf("plan: swap: %w", err)
			}
		}
		return seated(session, ids...), audit(ctx, tx, actor, "seating.swap", session, a+" ⇄ "+b)
	})
}

func occupant(ctx context.Context, tx *sql.Tx, session string, seat int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT attendee_id FROM seat_assignments WHERE session_id = ? AND seat_id = ?`, session, seat).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func seated(session string, ids ...int64) store.Change {
	return store.Change{Seated: map[string][]int64{session: ids}}
}

func audit(ctx context.Context, tx *sql.Tx, actor, action, subject, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
		store.FormatTime(time.Now()), actor, action, subject, detail)
	return err
}
