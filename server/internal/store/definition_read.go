package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"huiwu/server/internal/eventdef"
)

// querier is what reading needs: the read pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// layout is venues.layout: the parts of a hall that make its seats.
type layout struct {
	Presidium []int              `json:"presidium,omitempty"`
	Sections  []eventdef.Section `json:"sections,omitempty"`
}

// Definition reads the stored event definition in the shape PUT takes, so
// that putting it back changes nothing. ErrNotFound when there is no event.
func (db *DB) Definition(ctx context.Context) (eventdef.Definition, error) {
	return readDefinition(ctx, db.r)
}

// DefinitionVersion counts the changes made to the definition (0 without
// an event).
func (db *DB) DefinitionVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM event`).Scan(&v)
	return v, err
}

func readDefinition(ctx context.Context, q querier) (eventdef.Definition, error) {
	var d eventdef.Definition
	e := &d.Event
	err := q.QueryRowContext(ctx, `SELECT id, name, name_en, timezone, starts_on, face_verification, badge_layout, face_retention_days FROM event`).
		Scan(&e.ID, &e.Name, &e.NameEn, &e.Timezone, &e.StartsOn, &e.FaceVerification, &e.BadgeLayout, &e.FaceRetentionDays)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	} else if err != nil {
		return d, fmt.Errorf("store: read event: %w", err)
	}
	loc, err := time.LoadLocation(e.Timezone)
	if err != nil {
		loc = time.FixedZone(e.Timezone, 8*3600)
	}
	r := defReader{ctx: ctx, q: q, loc: loc, d: &d, venueCode: map[int64]string{}}
	for _, step := range []func() error{r.categories, r.venues, r.sessions, r.meals, r.checkpoints} {
		if err := step(); err != nil {
			return d, fmt.Errorf("store: read definition: %w", err)
		}
	}
	return d, nil
}

type defReader struct {
	ctx       context.Context
	q         querier
	loc       *time.Location
	d         *eventdef.Definition
	venueCode map[int64]string
}

// each runs query and calls scan for every row.
func (r *defReader) each(query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := r.q.QueryContext(r.ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *defReader) time(s string) string { return eventdef.FormatTime(ReadTime(s), r.loc) }

func (r *defReader) categories() error {
	r.d.Categories = []eventdef.Category{}
	return r.each(`SELECT code, name, name_en, color, voting FROM categories ORDER BY sort, code`, func(rows *sql.Rows) error {
		var c eventdef.Category
		err := rows.Scan(&c.Code, &c.Name, &c.NameEn, &c.Color, &c.Voting)
		r.d.Categories = append(r.d.Categories, c)
		return err
	})
}

func (r *defReader) venues() error {
	r.d.Venues = []eventdef.Venue{}
	var ids []int64
	err := r.each(`SELECT id, code, name, name_en, kind, capacity, doors, layout FROM venues ORDER BY sort, id`, func(rows *sql.Rows) error {
		var v eventdef.Venue
		var id int64
		var doors, lay string
		if err := rows.Scan(&id, &v.Code, &v.Name, &v.NameEn, &v.Kind, &v.Capacity, &doors, &lay); err != nil {
			return err
		}
		_ = json.Unmarshal([]byte(doors), &v.Doors)
		if len(v.Doors) == 0 {
			v.Doors = nil
		}
		var l layout
		_ = json.Unmarshal([]byte(lay), &l)
		v.Presidium, v.Sections = l.Presidium, l.Sections
		r.venueCode[id] = v.Code
		ids = append(ids, id)
		r.d.Venues = append(r.d.Venues, v)
		return nil
	})
	if err != nil {
		return err
	}
	for i, id := range ids {
		v := &r.d.Venues[i]
		var all []eventdef.Seat
		if err := r.each(`SELECT label, section, row, number, kind, door, x, y FROM seats WHERE venue_id = ? ORDER BY id`, func(rows *sql.Rows) error {
			var s eventdef.Seat
			err := rows.Scan(&s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.Door, &s.X, &s.Y)
			all = append(all, s)
			return err
		}, id); err != nil {
			return err
		}
		v.Seats = eventdef.Overrides(*v, all)
		if err := r.each(`SELECT number, seats FROM dining_tables WHERE venue_id = ? ORDER BY number`, func(rows *sql.Rows) error {
			var t eventdef.Table
			err := rows.Scan(&t.Number, &t.Seats)
			v.Tables = append(v.Tables, t)
			return err
		}, id); err != nil {
			return err
		}
		if err := r.each(`SELECT number, beds FROM hotel_rooms WHERE venue_id = ? ORDER BY sort, number`, func(rows *sql.Rows) error {
			var h eventdef.Room
			err := rows.Scan(&h.Number, &h.Beds)
			v.Rooms = append(v.Rooms, h)
			return err
		}, id); err != nil {
			return err
		}
	}
	return nil
}

func (r *defReader) sessions() error {
	r.d.Sessions = []eventdef.Session{}
	return r.each(`SELECT s.id, s.name, s.name_en, s.kind, s.venue_id, coalesce(g.name, ''), s.opens_at, s.starts_at, s.ends_at, s.closes_at,
		s.quorum_base, s.quorum_num, s.quorum_den, s.quorum_strict, s.quorum_categories, s.presidium_rule, s.honour, s.expected, s.absent_from
		FROM sessions s LEFT JOIN groups g ON g.id = s.group_id ORDER BY s.sort, s.starts_at, s.id`, func(rows *sql.Rows) error {
		var s eventdef.Session
		var venue int64
		var opens, starts, ends, closes, cats string
		var num, den int
		var expected sql.NullString
		q := &eventdef.Quorum{}
		p := &eventdef.Presidium{}
		if err := rows.Scan(&s.ID, &s.Name, &s.NameEn, &s.Kind, &venue, &s.Group, &opens, &starts, &ends, &closes,
			&q.Base, &num, &den, &q.Strict, &cats, &p.Rule, &p.Honour, &expected, &s.AbsentFrom); err != nil {
			return err
		}
		s.Venue = r.venueCode[venue]
		s.OpensAt, s.StartsAt, s.EndsAt, s.ClosesAt = r.time(opens), r.time(starts), r.time(ends), r.time(closes)
		q.Ratio = strconv.Itoa(num) + "/" + strconv.Itoa(den)
		_ = json.Unmarshal([]byte(cats), &q.Categories)
		if len(q.Categories) == 0 {
			q.Categories = nil
		}
		s.Quorum, s.Presidium = q, p
		if expected.Valid && expected.String != "" {
			var rule eventdef.Rule
			_ = json.Unmarshal([]byte(expected.String), &rule)
			if !rule.Empty() {
				s.Expected = &rule
			}
		}
		r.d.Sessions = append(r.d.Sessions, s)
		return nil
	})
}

func (r *defReader) meals() error {
	r.d.Meals = []eventdef.Meal{}
	at := map[string]int{}
	err := r.each(`SELECT id, name, date, slot, opens_at, closes_at FROM meals ORDER BY sort, opens_at, id`, func(rows *sql.Rows) error {
		var m eventdef.Meal
		var opens, closes string
		if err := rows.Scan(&m.ID, &m.Name, &m.Date, &m.Slot, &opens, &closes); err != nil {
			return err
		}
		m.OpensAt, m.ClosesAt = r.time(opens), r.time(closes)
		m.Halls = []eventdef.MealHall{}
		at[m.ID] = len(r.d.Meals)
		r.d.Meals = append(r.d.Meals, m)
		return nil
	})
	if err != nil {
		return err
	}
	return r.each(`SELECT meal_id, venue_id, rule FROM meal_halls ORDER BY meal_id, position`, func(rows *sql.Rows) error {
		var meal, rule string
		var venue int64
		if err := rows.Scan(&meal, &venue, &rule); err != nil {
			return err
		}
		h := eventdef.MealHall{Venue: r.venueCode[venue]}
		_ = json.Unmarshal([]byte(rule), &h.Rule)
		if i, ok := at[meal]; ok {
			r.d.Meals[i].Halls = append(r.d.Meals[i].Halls, h)
		}
		return nil
	})
}

func (r *defReader) checkpoints() error {
	r.d.Checkpoints = []eventdef.Checkpoint{}
	return r.each(`SELECT id, name, name_en, kind, venue_id, door, coalesce(session_id, ''), coalesce(meal_id, ''), photo_check, face
		FROM checkpoints ORDER BY sort, id`, func(rows *sql.Rows) error {
		var c eventdef.Checkpoint
		var venue int64
		err := rows.Scan(&c.ID, &c.Name, &c.NameEn, &c.Kind, &venue, &c.Door, &c.Session, &c.Meal, &c.PhotoCheck, &c.Face)
		c.Venue = r.venueCode[venue]
		r.d.Checkpoints = append(r.d.Checkpoints, c)
		return err
	})
}

// DefinitionChange is one change to the definition, from the audit log.
type DefinitionChange struct {
	At      time.Time         `json:"at"`
	Actor   string            `json:"actor"`
	Changes []eventdef.Change `json:"changes"`
}

// DefinitionChanges lists the latest changes to the definition, newest
// first: who, when and what.
func (db *DB) DefinitionChanges(ctx context.Context, limit int) ([]DefinitionChange, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT at, actor, detail FROM audit WHERE action = 'event.define' ORDER BY id DESC LIMIT ?`, max(1, min(limit, 1000)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DefinitionChange{}
	for rows.Next() {
		var at, detail string
		var c DefinitionChange
		if err := rows.Scan(&at, &c.Actor, &detail); err != nil {
			return nil, err
		}
		c.At = ReadTime(at)
		_ = json.Unmarshal([]byte(detail), &c.Changes)
		out = append(out, c)
	}
	return out, rows.Err()
}
