package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// ErrHasEvent is returned when loading an event into a database that
// already holds one.
var ErrHasEvent = errors.New("store: the database already holds an event")

// HasEvent reports whether the database holds an event yet.
func (db *DB) HasEvent(ctx context.Context) (bool, error) {
	var n int
	err := db.R.QueryRowContext(ctx, "SELECT count(*) FROM event").Scan(&n)
	return n > 0, err
}

// LoadEvent stores a whole event into an empty database in one transaction:
// either all of it is there afterwards or none of it.
func (db *DB) LoadEvent(ctx context.Context, ev *domain.EventData) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM event").Scan(&n); err != nil {
			return Change{}, err
		}
		if n > 0 {
			return Change{}, ErrHasEvent
		}
		l := loader{ctx: ctx, tx: tx, now: FormatTime(time.Now())}
		if err := l.load(ev); err != nil {
			return Change{}, fmt.Errorf("store: load event: %w", err)
		}
		return Change{}, nil
	})
}

// loader carries the maps from codes to row ids while an event is inserted.
type loader struct {
	ctx      context.Context
	tx       *sql.Tx
	now      string
	venues   map[string]int64
	seats    map[string]map[string]int64 // venue code -> label -> id
	groups   map[string]int64
	sessions map[string]string // session id -> venue code
}

func (l *loader) exec(q string, args ...any) (sql.Result, error) {
	return l.tx.ExecContext(l.ctx, q, args...)
}

func (l *loader) load(ev *domain.EventData) error {
	e := ev.Event
	if _, err := l.exec(`INSERT INTO event (id, name, name_en, timezone, starts_on, created_at) VALUES (?,?,?,?,?,?)`,
		e.ID, e.Name, e.NameEn, e.Timezone, e.StartsOn, l.now); err != nil {
		return err
	}
	for _, c := range ev.Categories {
		if _, err := l.exec(`INSERT INTO categories (code, name, name_en, color, voting, sort) VALUES (?,?,?,?,?,?)`,
			c.Code, c.Name, c.NameEn, c.Color, c.Voting, c.Sort); err != nil {
			return fmt.Errorf("category %s: %w", c.Code, err)
		}
	}
	for _, d := range ev.Delegations {
		if _, err := l.exec(`INSERT INTO delegations (name, sort) VALUES (?, ?)`, d.Name, d.Sort); err != nil {
			return fmt.Errorf("delegation %s: %w", d.Name, err)
		}
	}
	if err := l.loadVenues(ev.Venues); err != nil {
		return err
	}
	l.groups = map[string]int64{}
	for _, g := range ev.Groups {
		res, err := l.exec(`INSERT INTO groups (name, venue_id) VALUES (?, ?)`, g.Name, nullID(l.venues[g.Venue]))
		if err != nil {
			return fmt.Errorf("group %s: %w", g.Name, err)
		}
		l.groups[g.Name], _ = res.LastInsertId()
	}
	if err := l.loadSessions(ev.Sessions); err != nil {
		return err
	}
	for _, m := range ev.Meals {
		if _, err := l.exec(`INSERT INTO meals (id, date, slot, name, opens_at, closes_at) VALUES (?,?,?,?,?,?)`,
			m.ID, m.Date, string(m.Slot), m.Name, FormatTime(m.OpensAt), FormatTime(m.ClosesAt)); err != nil {
			return fmt.Errorf("meal %s: %w", m.ID, err)
		}
	}
	for _, c := range ev.Checkpoints {
		vid, ok := l.venues[c.Venue]
		if !ok {
			return fmt.Errorf("checkpoint %s: unknown venue %q", c.ID, c.Venue)
		}
		if _, err := l.exec(`INSERT INTO checkpoints (id, name, name_en, kind, venue_id, session_id, meal_id, door) VALUES (?,?,?,?,?,?,?,?)`,
			c.ID, c.Name, c.NameEn, string(c.Kind), vid, nullStr(c.Session), nullStr(c.Meal), c.Door); err != nil {
			return fmt.Errorf("checkpoint %s: %w", c.ID, err)
		}
	}
	keys := map[string]int64{}
	for i := range ev.Attendees {
		a := &ev.Attendees[i]
		id, _, err := upsertAttendee(l.ctx, l.tx, a, l.now, nil)
		if err != nil {
			return fmt.Errorf("attendee %s (%s): %w", a.Key, a.Name, err)
		}
		keys[a.Key] = id
		if err := l.entitlements(id, a); err != nil {
			return fmt.Errorf("attendee %s (%s): %w", a.Key, a.Name, err)
		}
	}
	for _, lv := range ev.Leaves {
		id, ok := keys[lv.AttendeeKey]
		if !ok {
			return fmt.Errorf("leave: unknown attendee %q", lv.AttendeeKey)
		}
		if _, err := l.exec(`INSERT INTO leaves (session_id, attendee_id, reason, created_by, created_at) VALUES (?,?,?,?,?)`,
			lv.Session, id, lv.Reason, "demo", l.now); err != nil {
			return fmt.Errorf("leave %s/%s: %w", lv.Session, lv.AttendeeKey, err)
		}
	}
	return nil
}

func (l *loader) loadVenues(venues []domain.Venue) error {
	l.venues = map[string]int64{}
	l.seats = map[string]map[string]int64{}
	for _, v := range venues {
		doors, _ := json.Marshal(nonNil(v.Doors))
		res, err := l.exec(`INSERT INTO venues (code, name, name_en, kind, capacity, doors) VALUES (?,?,?,?,?,?)`,
			v.Code, v.Name, v.NameEn, string(v.Kind), v.Capacity, string(doors))
		if err != nil {
			return fmt.Errorf("venue %s: %w", v.Code, err)
		}
		vid, _ := res.LastInsertId()
		l.venues[v.Code] = vid
		labels := make(map[string]int64, len(v.Seats))
		for _, s := range v.Seats {
			kind := s.Kind
			if kind == "" {
				kind = domain.SeatNormal
			}
			res, err := l.exec(`INSERT INTO seats (venue_id, label, section, row, number, kind, door, x, y) VALUES (?,?,?,?,?,?,?,?,?)`,
				vid, s.Label, s.Section, s.Row, s.Number, string(kind), s.Door, s.X, s.Y)
			if err != nil {
				return fmt.Errorf("venue %s seat %s: %w", v.Code, s.Label, err)
			}
			labels[s.Label], _ = res.LastInsertId()
		}
		l.seats[v.Code] = labels
		for _, t := range v.Tables {
			if _, err := l.exec(`INSERT INTO dining_tables (venue_id, number, seats) VALUES (?,?,?)`, vid, t.Number, t.Seats); err != nil {
				return fmt.Errorf("venue %s table %d: %w", v.Code, t.Number, err)
			}
		}
		for _, r := range v.Rooms {
			if _, err := l.exec(`INSERT INTO hotel_rooms (venue_id, number, beds) VALUES (?,?,?)`, vid, r.Number, r.Beds); err != nil {
				return fmt.Errorf("venue %s room %s: %w", v.Code, r.Number, err)
			}
		}
	}
	return nil
}

func (l *loader) loadSessions(sessions []domain.Session) error {
	l.sessions = map[string]string{}
	for _, s := range sessions {
		vid, ok := l.venues[s.Venue]
		if !ok {
			return fmt.Errorf("session %s: unknown venue %q", s.ID, s.Venue)
		}
		var gid any
		if s.Group != "" {
			id, ok := l.groups[s.Group]
			if !ok {
				return fmt.Errorf("session %s: unknown group %q", s.ID, s.Group)
			}
			gid = id
		}
		q := s.Quorum
		if q.Base == "" {
			q.Base = "expected"
		}
		if q.Den == 0 {
			q.Num, q.Den, q.Strict = 1, 2, true
		}
		cats, _ := json.Marshal(nonNil(q.Categories))
		rule, honour := s.PresidiumRule, s.Honour
		if rule == "" {
			rule = "odd"
		}
		if honour == "" {
			honour = "left"
		}
		if _, err := l.exec(`INSERT INTO sessions (id, name, name_en, kind, venue_id, group_id, opens_at, starts_at, ends_at, closes_at,
			quorum_base, quorum_num, quorum_den, quorum_strict, quorum_categories, presidium_rule, honour, sort)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			s.ID, s.Name, s.NameEn, string(s.Kind), vid, gid,
			FormatTime(s.OpensAt), FormatTime(s.StartsAt), FormatTime(s.EndsAt), FormatTime(s.ClosesAt),
			q.Base, q.Num, q.Den, q.Strict, string(cats), rule, honour, s.Sort); err != nil {
			return fmt.Errorf("session %s: %w", s.ID, err)
		}
		l.sessions[s.ID] = s.Venue
	}
	return nil
}

// entitlements stores an attendee's sessions, seats, meals and room.
func (l *loader) entitlements(id int64, a *domain.Attendee) error {
	for _, s := range a.Sessions {
		if _, err := l.exec(`INSERT INTO session_attendees (session_id, attendee_id) VALUES (?,?)`, s, id); err != nil {
			return fmt.Errorf("session %s: %w", s, err)
		}
	}
	for _, s := range a.Seats {
		venue, ok := l.sessions[s.Session]
		if !ok {
			return fmt.Errorf("seat in unknown session %q", s.Session)
		}
		seatID, ok := l.seats[venue][s.Seat]
		if !ok {
			return fmt.Errorf("session %s: no seat %q in venue %s", s.Session, s.Seat, venue)
		}
		if _, err := l.exec(`INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?,?,?,?)`,
			s.Session, seatID, id, s.Pinned); err != nil {
			return fmt.Errorf("session %s seat %s: %w", s.Session, s.Seat, err)
		}
	}
	for _, m := range a.Meals {
		vid, ok := l.venues[m.Venue]
		if !ok {
			return fmt.Errorf("meal %s: unknown venue %q", m.Meal, m.Venue)
		}
		if _, err := l.exec(`INSERT INTO meal_tickets (meal_id, attendee_id, venue_id, table_no) VALUES (?,?,?,?)`,
			m.Meal, id, vid, m.Table); err != nil {
			return fmt.Errorf("meal %s: %w", m.Meal, err)
		}
	}
	if lg := a.Lodging; lg != nil {
		vid, ok := l.venues[lg.Venue]
		if !ok {
			return fmt.Errorf("lodging: unknown venue %q", lg.Venue)
		}
		if _, err := l.exec(`INSERT INTO lodging (attendee_id, venue_id, room, check_in, check_out) VALUES (?,?,?,?,?)`,
			id, vid, lg.Room, lg.CheckIn, lg.CheckOut); err != nil {
			return fmt.Errorf("lodging: %w", err)
		}
	}
	return nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
