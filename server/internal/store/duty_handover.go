package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Refusals of a handover.
var (
	// ErrDutySamePerson refuses a handover taken over by the account that
	// offered it: the incoming person signs in themselves.
	ErrDutySamePerson = errors.New("store: the incoming person takes over with their own account")
	// ErrDutyAccepted refuses taking over a handover already taken over.
	ErrDutyAccepted = errors.New("store: the handover was taken over already")
)

// DutyHandover is 交接班 at a place: offered by the outgoing shift, taken
// over by the incoming person. Items are the open items it hands on: for a
// handover taken over, exactly those open at the place at that moment; for
// one still offered, those open now.
type DutyHandover struct {
	ID         int64       `json:"id"`
	PlaceID    int64       `json:"place_id"`
	Place      string      `json:"place"`
	FromShift  int64       `json:"from_shift_id,omitempty"`
	ToShift    int64       `json:"to_shift_id,omitempty"`
	Note       string      `json:"note"`
	OfferedAt  time.Time   `json:"offered_at"`
	OfferedBy  string      `json:"offered_by"`
	AcceptedAt time.Time   `json:"accepted_at,omitzero"`
	AcceptedBy string      `json:"accepted_by,omitempty"`
	Items      []DutyEntry `json:"items"`
}

// OfferHandover opens 交班 at a place (the main one for 0) from the shift
// on there now, as who. A place has one offer waiting at a time: offering
// again answers it, with the note brought up to date when one is given.
func (db *DB) OfferHandover(ctx context.Context, place int64, note string, who DutyWriter) (DutyHandover, error) {
	note = dutyClip(note, dutyTextMax)
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var err error
		if place, err = dutyPlace(ctx, tx, place); err != nil {
			return Change{}, err
		}
		now := who.now()
		err = tx.QueryRowContext(ctx, `SELECT id FROM duty_handovers WHERE place_id = ? AND accepted_at IS NULL`, place).Scan(&id)
		switch {
		case err == nil:
			if note == "" {
				return Change{}, nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE duty_handovers SET note = ? WHERE id = ?`, note, id); err != nil {
				return Change{}, fmt.Errorf("store: handover note: %w", err)
			}
			return Change{}, audit(ctx, tx, now, who.Name, "duty.handover.note", fmt.Sprint(id), note)
		case !errors.Is(err, sql.ErrNoRows):
			return Change{}, fmt.Errorf("store: handover: %w", err)
		}
		from, err := shiftAt(ctx, tx, place, now)
		if err != nil {
			return Change{}, fmt.Errorf("store: duty shift: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_handovers (place_id, from_shift, note, offered_at, offered_by, offered_uid)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, place, sql.NullInt64{Int64: from, Valid: from != 0}, note, FormatTime(now), who.Name, dutyUID(who)).Scan(&id); err != nil {
			return Change{}, fmt.Errorf("store: offer handover: %w", err)
		}
		return Change{}, audit(ctx, tx, now, who.Name, "duty.handover.offer", fmt.Sprint(id), note)
	})
	if err != nil {
		return DutyHandover{}, err
	}
	return db.DutyHandover(ctx, id)
}

// AcceptHandover is the incoming person (who, another account than the
// one that offered) taking over: it records both names and the time, the
// items open at the place at this moment, and moves them to the incoming
// shift (the one on now that the offer did not come from, else the next
// to start).
func (db *DB) AcceptHandover(ctx context.Context, id int64, who DutyWriter) (DutyHandover, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var place, from int64
		var offeredBy string
		var offeredUID sql.NullInt64
		var accepted sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT place_id, coalesce(from_shift, 0), offered_by, offered_uid, accepted_at FROM duty_handovers WHERE id = ?`, id).
			Scan(&place, &from, &offeredBy, &offeredUID, &accepted)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: handover: %w", err)
		}
		if accepted.Valid {
			return Change{}, ErrDutyAccepted
		}
		if (who.User != 0 && offeredUID.Valid && who.User == offeredUID.Int64) || (who.User == 0 && !offeredUID.Valid && who.Name == offeredBy) {
			return Change{}, ErrDutySamePerson
		}
		now := who.now()
		var to int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM duty_shifts WHERE place_id = ? AND cancelled_at IS NULL AND id <> ? AND ends_at > ?
			ORDER BY starts_at <= ? DESC, CASE WHEN starts_at <= ? THEN starts_at END DESC, starts_at, id LIMIT 1`,
			place, from, FormatTime(now), FormatTime(now), FormatTime(now)).Scan(&to)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Change{}, fmt.Errorf("store: incoming shift: %w", err)
		}
		toShift := sql.NullInt64{Int64: to, Valid: to != 0}
		if _, err := tx.ExecContext(ctx, `UPDATE duty_handovers SET accepted_at = ?, accepted_by = ?, accepted_uid = ?, to_shift = ? WHERE id = ?`,
			FormatTime(now), who.Name, dutyUID(who), toShift, id); err != nil {
			return Change{}, fmt.Errorf("store: take over: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO duty_handover_items (handover_id, item_id)
			SELECT ?, id FROM duty_items WHERE place_id = ? AND state = 'open'`, id, place); err != nil {
			return Change{}, fmt.Errorf("store: handover items: %w", err)
		}
		if to != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE duty_items SET shift_id = ? WHERE place_id = ? AND state = 'open'`, to, place); err != nil {
				return Change{}, fmt.Errorf("store: carry items over: %w", err)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM duty_handover_items WHERE handover_id = ?`, id).Scan(&n); err != nil {
			return Change{}, fmt.Errorf("store: handover items: %w", err)
		}
		return Change{}, audit(ctx, tx, now, who.Name, "duty.handover.accept", fmt.Sprint(id),
			fmt.Sprintf("from %s, %d open items, to shift %d", offeredBy, n, to))
	})
	if err != nil {
		return DutyHandover{}, err
	}
	return db.DutyHandover(ctx, id)
}

// DutyHandover is one handover with its items.
func (db *DB) DutyHandover(ctx context.Context, id int64) (DutyHandover, error) {
	list, err := db.dutyHandovers(ctx, "h.id = ?", id)
	if err != nil {
		return DutyHandover{}, err
	}
	if len(list) == 0 {
		return DutyHandover{}, ErrNotFound
	}
	return list[0], nil
}

// DutyHandovers are a place's handovers (every place's for 0), the
// latest first, up to limit.
func (db *DB) DutyHandovers(ctx context.Context, place int64, limit int) ([]DutyHandover, error) {
	cond, args := "1 = 1", []any{}
	if place != 0 {
		cond, args = "h.place_id = ?", append(args, place)
	}
	if limit <= 0 {
		limit = 50
	}
	return db.dutyHandovers(ctx, cond+fmt.Sprintf(" ORDER BY h.offered_at DESC, h.id DESC LIMIT %d", limit), args...)
}

func (db *DB) dutyHandovers(ctx context.Context, cond string, args ...any) ([]DutyHandover, error) {
	list, err := readAll(ctx, db.r, "handovers", func(r interface{ Scan(...any) error }) (DutyHandover, error) {
		var h DutyHandover
		var offered string
		var accepted sql.NullString
		err := r.Scan(&h.ID, &h.PlaceID, &h.Place, &h.FromShift, &h.ToShift, &h.Note, &offered, &h.OfferedBy, &accepted, &h.AcceptedBy)
		h.OfferedAt, h.AcceptedAt = ReadTime(offered), ReadTime(accepted.String)
		return h, err
	}, `SELECT h.id, h.place_id, p.name, coalesce(h.from_shift, 0), coalesce(h.to_shift, 0), h.note, h.offered_at, h.offered_by,
		h.accepted_at, h.accepted_by FROM duty_handovers h JOIN duty_places p ON p.id = h.place_id WHERE `+strings.TrimSpace(cond), args...)
	if err != nil {
		return nil, err
	}
	for i := range list {
		h := &list[i]
		if h.AcceptedAt.IsZero() {
			h.Items, err = db.DutyEntries(ctx, DutyFilter{Place: h.PlaceID, State: DutyOpen})
		} else {
			h.Items, err = db.handedOver(ctx, h.ID)
		}
		if err != nil {
			return nil, err
		}
	}
	return list, nil
}

// handedOver are the items a handover taken over listed, as they now read.
func (db *DB) handedOver(ctx context.Context, id int64) ([]DutyEntry, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT item_id FROM duty_handover_items WHERE handover_id = ? ORDER BY item_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: handover items: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, x)
	}
	rows.Close()
	out := []DutyEntry{}
	for _, x := range ids {
		e, err := dutyEntries(ctx, db.r, DutyFilter{}, x)
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	return out, nil
}
