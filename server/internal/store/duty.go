package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The duty room's refusals (值班, issue 13.4).
var (
	// ErrDutyBadShift refuses a shift without a place, with its end not
	// after its start, longer than a day, or with nobody on it.
	ErrDutyBadShift = errors.New("store: a shift is a place, a start before its end (at most 24 h) and someone on duty")
	// ErrDutyBadPlace refuses a place without a name, or one whose name
	// another place has.
	ErrDutyBadPlace = errors.New("store: a duty place needs a name of its own")
	// ErrDutyNoPlace is a place that does not exist; no place at all
	// when the log is written without one and none is main.
	ErrDutyNoPlace = errors.New("store: no such duty place")
)

// DutyOverlapError refuses a shift that overlaps another at the same
// place where the place does not allow it and the desk gave no reason.
type DutyOverlapError struct {
	With DutyShift `json:"with"`
}

func (e *DutyOverlapError) Error() string {
	return fmt.Sprintf("store: the shift overlaps shift %d at %s", e.With.ID, e.With.Place)
}

// Limits on what a person types into the duty room's forms.
const (
	dutyNameMax    = 60
	dutyPhoneMax   = 40
	dutyTextMax    = 4000
	dutyPeopleMax  = 12
	dutyShiftLimit = 24 * time.Hour
)

// DutyPlace is where someone is on duty.
type DutyPlace struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"` // the place's own line (值班电话)
	// Main is the secretariat's main place: the readiness board wants it
	// staffed every hour of the meeting's days.
	Main bool `json:"main"`
	// Overlap lets shifts here overlap without a reason each time.
	Overlap bool `json:"overlap"`
	Sort    int  `json:"sort"`
}

// DutyPerson is one person on a shift: a staff account (UserID) or a free
// name, and the phone to reach them there.
type DutyPerson struct {
	UserID int64  `json:"user_id,omitempty"`
	Name   string `json:"name"`
	Phone  string `json:"phone"`
	Lead   bool   `json:"lead,omitempty"` // 带班
}

// DutyShift is a place from–to and who is on it.
type DutyShift struct {
	ID            int64        `json:"id"`
	PlaceID       int64        `json:"place_id"`
	Place         string       `json:"place"`
	StartsAt      time.Time    `json:"starts_at"`
	EndsAt        time.Time    `json:"ends_at"`
	People        []DutyPerson `json:"people"`
	Notes         string       `json:"notes"`
	OverlapReason string       `json:"overlap_reason,omitempty"`
	CreatedBy     string       `json:"created_by"`
}

// On reports whether the shift is on at t (from its start, up to its end).
func (s DutyShift) On(t time.Time) bool { return !t.Before(s.StartsAt) && t.Before(s.EndsAt) }

// DutyPlaces are the places in their order, the main one first.
func (db *DB) DutyPlaces(ctx context.Context) ([]DutyPlace, error) {
	return readAll(ctx, db.r, "duty places", func(r interface{ Scan(...any) error }) (DutyPlace, error) {
		var p DutyPlace
		err := r.Scan(&p.ID, &p.Name, &p.Phone, &p.Main, &p.Overlap, &p.Sort)
		return p, err
	}, `SELECT id, name, phone, main, overlap, sort FROM duty_places ORDER BY main DESC, sort, id`)
}

// SaveDutyPlace adds a place (ID 0) or changes one. A place made main
// takes that from the one that was.
func (db *DB) SaveDutyPlace(ctx context.Context, p DutyPlace, actor string) (DutyPlace, error) {
	p.Name, p.Phone = dutyClip(p.Name, dutyNameMax), dutyClip(p.Phone, dutyPhoneMax)
	if p.Name == "" {
		return DutyPlace{}, ErrDutyBadPlace
	}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM duty_places WHERE name = ? AND id <> ?`, p.Name, p.ID).Scan(&taken); err != nil {
			return Change{}, fmt.Errorf("store: duty place: %w", err)
		}
		if taken > 0 {
			return Change{}, ErrDutyBadPlace
		}
		if p.Main {
			if _, err := tx.ExecContext(ctx, `UPDATE duty_places SET main = 0 WHERE main = 1 AND id <> ?`, p.ID); err != nil {
				return Change{}, fmt.Errorf("store: duty place: %w", err)
			}
		}
		if p.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO duty_places (name, phone, main, overlap, sort) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				p.Name, p.Phone, flag(p.Main), flag(p.Overlap), p.Sort).Scan(&p.ID); err != nil {
				return Change{}, fmt.Errorf("store: add duty place: %w", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE duty_places SET name = ?, phone = ?, main = ?, overlap = ?, sort = ? WHERE id = ?`,
				p.Name, p.Phone, flag(p.Main), flag(p.Overlap), p.Sort, p.ID)
			if err != nil {
				return Change{}, fmt.Errorf("store: change duty place: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return Change{}, ErrDutyNoPlace
			}
		}
		return Change{}, audit(ctx, tx, time.Now(), actor, "duty.place", fmt.Sprint(p.ID),
			fmt.Sprintf("%s %s main=%t overlap=%t", p.Name, p.Phone, p.Main, p.Overlap))
	})
	return p, err
}

// DutyShifts are the shifts (not cancelled) that overlap from–until, in
// time order; a zero bound is open.
func (db *DB) DutyShifts(ctx context.Context, from, until time.Time) ([]DutyShift, error) {
	return dutyShifts(ctx, db.r, from, until, 0)
}

// DutyShift is one shift, cancelled or not.
func (db *DB) DutyShift(ctx context.Context, id int64) (DutyShift, error) {
	list, err := dutyShifts(ctx, db.r, time.Time{}, time.Time{}, id)
	if err != nil {
		return DutyShift{}, err
	}
	if len(list) == 0 {
		return DutyShift{}, ErrNotFound
	}
	return list[0], nil
}

func dutyShifts(ctx context.Context, q querier, from, until time.Time, id int64) ([]DutyShift, error) {
	where, args := []string{"s.cancelled_at IS NULL"}, []any{}
	if id != 0 {
		where, args = []string{"s.id = ?"}, append(args, id)
	}
	if !from.IsZero() {
		where, args = append(where, "s.ends_at > ?"), append(args, FormatTime(from))
	}
	if !until.IsZero() {
		where, args = append(where, "s.starts_at < ?"), append(args, FormatTime(until))
	}
	list, err := readAll(ctx, q, "duty shifts", func(r interface{ Scan(...any) error }) (DutyShift, error) {
		var s DutyShift
		var start, end string
		err := r.Scan(&s.ID, &s.PlaceID, &s.Place, &start, &end, &s.Notes, &s.OverlapReason, &s.CreatedBy)
		s.StartsAt, s.EndsAt = ReadTime(start), ReadTime(end)
		s.People = []DutyPerson{}
		return s, err
	}, `SELECT s.id, s.place_id, p.name, s.starts_at, s.ends_at, s.notes, s.overlap_reason, s.created_by
		FROM duty_shifts s JOIN duty_places p ON p.id = s.place_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY s.starts_at, p.main DESC, p.sort, s.id`, args...)
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := map[int64]*DutyShift{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	rows, err := q.QueryContext(ctx, `SELECT d.shift_id, coalesce(d.user_id, 0), d.name, d.phone, d.lead FROM duty_people d
		JOIN duty_shifts s ON s.id = d.shift_id WHERE `+strings.Join(where, " AND ")+` ORDER BY d.shift_id, d.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: duty people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var shift int64
		var p DutyPerson
		if err := rows.Scan(&shift, &p.UserID, &p.Name, &p.Phone, &p.Lead); err != nil {
			return nil, fmt.Errorf("store: duty people: %w", err)
		}
		if s := byID[shift]; s != nil {
			s.People = append(s.People, p)
		}
	}
	return list, rows.Err()
}

// AddDutyShift puts people on duty at a place from–to. A shift that
// overlaps another at the place is refused (DutyOverlapError) unless the
// place allows overlaps or OverlapReason says why.
func (db *DB) AddDutyShift(ctx context.Context, s DutyShift, actor string) (DutyShift, error) {
	s.Notes, s.OverlapReason = dutyClip(s.Notes, dutyTextMax), dutyClip(s.OverlapReason, dutyTextMax)
	people := s.People[:0:0]
	for _, p := range s.People {
		p.Name, p.Phone = dutyClip(p.Name, dutyNameMax), dutyClip(p.Phone, dutyPhoneMax)
		if p.Name != "" {
			people = append(people, p)
		}
	}
	if s.PlaceID == 0 || !s.EndsAt.After(s.StartsAt) || s.EndsAt.Sub(s.StartsAt) > dutyShiftLimit ||
		len(people) == 0 || len(people) > dutyPeopleMax {
		return DutyShift{}, ErrDutyBadShift
	}
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var overlap bool
		if err := tx.QueryRowContext(ctx, `SELECT overlap FROM duty_places WHERE id = ?`, s.PlaceID).Scan(&overlap); errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrDutyNoPlace
		} else if err != nil {
			return Change{}, fmt.Errorf("store: duty place: %w", err)
		}
		if !overlap && s.OverlapReason == "" {
			others, err := dutyShifts(ctx, tx, s.StartsAt, s.EndsAt, 0)
			if err != nil {
				return Change{}, err
			}
			for _, o := range others {
				if o.PlaceID == s.PlaceID {
					return Change{}, &DutyOverlapError{With: o}
				}
			}
		}
		now := time.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_shifts (place_id, starts_at, ends_at, notes, overlap_reason, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.PlaceID, FormatTime(s.StartsAt), FormatTime(s.EndsAt), s.Notes, s.OverlapReason, FormatTime(now), actor).Scan(&id); err != nil {
			return Change{}, fmt.Errorf("store: add shift: %w", err)
		}
		names := make([]string, len(people))
		for i, p := range people {
			user := sql.NullInt64{Int64: p.UserID, Valid: p.UserID != 0}
			if _, err := tx.ExecContext(ctx, `INSERT INTO duty_people (shift_id, seq, user_id, name, phone, lead) VALUES (?, ?, ?, ?, ?, ?)`,
				id, i+1, user, p.Name, p.Phone, flag(p.Lead)); err != nil {
				return Change{}, fmt.Errorf("store: shift people: %w", err)
			}
			names[i] = p.Name
		}
		detail := fmt.Sprintf("place %d %s–%s %s", s.PlaceID, FormatTime(s.StartsAt), FormatTime(s.EndsAt), strings.Join(names, "、"))
		if s.OverlapReason != "" {
			detail += "; overlap: " + s.OverlapReason
		}
		return Change{}, audit(ctx, tx, now, actor, "duty.shift.add", fmt.Sprint(id), detail)
	})
	if err != nil {
		return DutyShift{}, err
	}
	return db.DutyShift(ctx, id)
}

// CancelDutyShift takes a shift off the roster; it stays in the database,
// cancelled, with who did it. A shift that holds log items or handovers
// keeps them.
func (db *DB) CancelDutyShift(ctx context.Context, id int64, reason, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		res, err := tx.ExecContext(ctx, `UPDATE duty_shifts SET cancelled_at = ?, cancelled_by = ? WHERE id = ? AND cancelled_at IS NULL`,
			FormatTime(now), actor, id)
		if err != nil {
			return Change{}, fmt.Errorf("store: cancel shift: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{}, audit(ctx, tx, now, actor, "duty.shift.cancel", fmt.Sprint(id), dutyClip(reason, dutyTextMax))
	})
}

// shiftAt is the shift on at place at t, the one that started last when
// several are; 0 when none is.
func shiftAt(ctx context.Context, q querier, place int64, t time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM duty_shifts WHERE place_id = ? AND cancelled_at IS NULL
		AND starts_at <= ? AND ends_at > ? ORDER BY starts_at DESC, id DESC LIMIT 1`, place, FormatTime(t), FormatTime(t)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// dutyClip trims s and cuts it to at most n characters.
func dutyClip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
