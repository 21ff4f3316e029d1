package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// HasEvent reports whether the database holds an event yet.
func (db *DB) HasEvent(ctx context.Context) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM event").Scan(&n)
	return n > 0, err
}

// LoadPlacements stores what the demo brings beyond the definition and the
// attendee list, by attendee key, in one transaction: each attendee's seats
// (an arrangement made in advance) and leaves (请假). Attendees, sessions and
// seats must exist already.
func (db *DB) LoadPlacements(ctx context.Context, attendees []domain.Attendee, leaves []domain.Leave, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := FormatTime(time.Now())
		id := func(key string) (int64, error) {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM attendees WHERE key = ?`, key).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, fmt.Errorf("unknown attendee %q", key)
			}
			return id, err
		}
		seat, err := tx.PrepareContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned)
			SELECT ?1, st.id, ?2, ?3 FROM sessions s JOIN seats st ON st.venue_id = s.venue_id AND st.label = ?4 WHERE s.id = ?1`)
		if err != nil {
			return Change{}, err
		}
		defer seat.Close()
		var change Change
		for i := range attendees {
			a := &attendees[i]
			if len(a.Seats) == 0 {
				continue
			}
			aid, err := id(a.Key)
			if err != nil {
				return Change{}, err
			}
			for _, s := range a.Seats {
				res, err := seat.ExecContext(ctx, s.Session, aid, flag(s.Pinned), s.Seat)
				if err != nil {
					return Change{}, fmt.Errorf("attendee %s session %s seat %s: %w", a.Key, s.Session, s.Seat, err)
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return Change{}, fmt.Errorf("attendee %s: no seat %s in session %s's venue", a.Key, s.Seat, s.Session)
				}
			}
			change.Attendees = append(change.Attendees, aid)
		}
		for _, lv := range leaves {
			aid, err := id(lv.AttendeeKey)
			if err != nil {
				return Change{}, fmt.Errorf("leave: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO leaves (session_id, attendee_id, reason, created_by, created_at) VALUES (?,?,?,?,?)`,
				lv.Session, aid, lv.Reason, actor, now); err != nil {
				return Change{}, fmt.Errorf("leave %s/%s: %w", lv.Session, lv.AttendeeKey, err)
			}
			change.Recount = append(change.Recount, lv.Session)
		}
		return change, nil
	})
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
