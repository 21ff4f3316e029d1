package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/store"
)

// SessionLine is one session on the attendee card.
type SessionLine struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	StartsAt    time.Time  `json:"starts_at"`
	Expected    bool       `json:"expected"`
	Seat        string     `json:"seat,omitempty"`
	CheckedInAt *time.Time `json:"checked_in_at,omitempty"`
	Inside      bool       `json:"inside"`
	OnLeave     bool       `json:"on_leave"`
	LeaveReason string     `json:"leave_reason,omitempty"`
	Manual      bool       `json:"manual"` // the check-in was a desk 补签
}

// MealLine is one meal ticket on the card.
type MealLine struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Venue      string     `json:"venue"`
	Table      int        `json:"table"`
	RedeemedAt *time.Time `json:"redeemed_at,omitempty"`
}

// Lodging is the attendee's room on the card.
type Lodging struct {
	Hotel     string     `json:"hotel"`
	Room      string     `json:"room"`
	CheckIn   string     `json:"check_in"`
	CheckOut  string     `json:"check_out"`
	ArrivedAt *time.Time `json:"arrived_at,omitempty"`
}

// Event is one line of the attendee's history at the desk.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
}

// Card is what the desk sees of one attendee besides the record itself.
type Card struct {
	Serial   int64         `json:"serial,omitempty"` // the live badge credential, 0 if none yet
	IssuedAt *time.Time    `json:"issued_at,omitempty"`
	Revoked  int           `json:"revoked"` // badges replaced so far
	Sessions []SessionLine `json:"sessions"`
	Meals    []MealLine    `json:"meals"`
	Lodging  *Lodging      `json:"lodging,omitempty"`
	History  []Event       `json:"history"`
}

func at(s string, loc *time.Location) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ReadTime(s).In(loc)
	return &t
}

// CardOf gathers attendee id's card.
func CardOf(ctx context.Context, db *store.DB, cat *store.Catalog, id int64) (*Card, error) {
	loc := cat.Location
	c := &Card{Sessions: []SessionLine{}, Meals: []MealLine{}, History: []Event{}}
	var issued string
	err := db.R.QueryRowContext(ctx, `SELECT serial, issued_at FROM credentials WHERE attendee_id = ? AND revoked_at IS NULL`, id).
		Scan(&c.Serial, &issued)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	c.IssuedAt = at(issued, loc)
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM credentials WHERE attendee_id = ? AND revoked_at IS NOT NULL`, id).
		Scan(&c.Revoked); err != nil {
		return nil, err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT s.id, sa.attendee_id IS NOT NULL, coalesce(st.label, ''),
		coalesce(p.first_in_at, ''), coalesce(p.inside, 0), l.id IS NOT NULL, coalesce(l.reason, ''),
		EXISTS (SELECT 1 FROM scans m WHERE m.session_id = s.id AND m.attendee_id = ?1 AND m.manual = 1 AND m.status = 'ok')
		FROM sessions s
		LEFT JOIN session_attendees sa ON sa.session_id = s.id AND sa.attendee_id = ?1
		LEFT JOIN seat_assignments x ON x.session_id = s.id AND x.attendee_id = ?1
		LEFT JOIN seats st ON st.id = x.seat_id
		LEFT JOIN presence p ON p.session_id = s.id AND p.attendee_id = ?1
		LEFT JOIN leaves l ON l.session_id = s.id AND l.attendee_id = ?1 AND l.revoked_at IS NULL
		WHERE sa.attendee_id IS NOT NULL OR p.attendee_id IS NOT NULL
		ORDER BY s.starts_at, s.sort`, id)
	if err != nil {
		return nil, fmt.Errorf("desk: card sessions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l SessionLine
		var first string
		if err := rows.Scan(&l.ID, &l.Expected, &l.Seat, &first, &l.Inside, &l.OnLeave, &l.LeaveReason, &l.Manual); err != nil {
			return nil, err
		}
		if s := cat.Sessions[l.ID]; s != nil {
			l.Name, l.StartsAt = s.Name, s.StartsAt.In(loc)
		}
		l.CheckedInAt = at(first, loc)
		c.Sessions = append(c.Sessions, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := c.readMeals(ctx, db, cat, id); err != nil {
		return nil, err
	}
	if err := c.readLodging(ctx, db, cat, id); err != nil {
		return nil, err
	}
	return c, c.readHistory(ctx, db, cat, id)
}

func (c *Card) readMeals(ctx context.Context, db *store.DB, cat *store.Catalog, id int64) error {
	rows, err := db.R.QueryContext(ctx, `SELECT t.meal_id, t.venue_id, t.table_no, coalesce(r.redeemed_at, '')
		FROM meal_tickets t JOIN meals m ON m.id = t.meal_id
		LEFT JOIN meal_redemptions r ON r.meal_id = t.meal_id AND r.attendee_id = t.attendee_id
		WHERE t.attendee_id = ? ORDER BY m.opens_at`, id)
	if err != nil {
		return fmt.Errorf("desk: card meals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m MealLine
		var venue int64
		var redeemed string
		if err := rows.Scan(&m.ID, &venue, &m.Table, &redeemed); err != nil {
			return err
		}
		if meal := cat.Meals[m.ID]; meal != nil {
			m.Name = meal.Name
		}
		m.Venue = cat.Venues[cat.VenueByID[venue]].Name
		m.RedeemedAt = at(redeemed, cat.Location)
		c.Meals = append(c.Meals, m)
	}
	return rows.Err()
}

func (c *Card) readLodging(ctx context.Context, db *store.DB, cat *store.Catalog, id int64) error {
	var l Lodging
	var venue int64
	var arrived string
	err := db.R.QueryRowContext(ctx, `SELECT l.venue_id, l.room, l.check_in, l.check_out, coalesce(h.checked_in_at, '')
		FROM lodging l LEFT JOIN hotel_checkins h ON h.attendee_id = l.attendee_id WHERE l.attendee_id = ?`, id).
		Scan(&venue, &l.Room, &l.CheckIn, &l.CheckOut, &arrived)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	l.Hotel = cat.Venues[cat.VenueByID[venue]].Name
	l.ArrivedAt = at(arrived, cat.Location)
	c.Lodging = &l
	return nil
}

// readHistory reads the desk's log about this attendee, newest first.
func (c *Card) readHistory(ctx context.Context, db *store.DB, cat *store.Catalog, id int64) error {
	rows, err := db.R.QueryContext(ctx, `SELECT at, actor, action, detail FROM audit WHERE subject = ? ORDER BY id DESC LIMIT 30`,
		fmt.Sprint(id))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var when string
		if err := rows.Scan(&when, &e.Actor, &e.Action, &e.Detail); err != nil {
			return err
		}
		e.At = store.ReadTime(when).In(cat.Location)
		c.History = append(c.History, e)
	}
	return rows.Err()
}
