package desk

import (
	"context"
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

// at is t in loc, nil for the zero time (not yet).
func at(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(loc)
	return &t
}

// CardOf gathers attendee id's card, naming what the store gives by id.
func CardOf(ctx context.Context, db *store.DB, cat *store.Catalog, id int64) (*Card, error) {
	loc := cat.Location
	read, err := db.AttendeeCard(ctx, id)
	if err != nil {
		return nil, err
	}
	c := &Card{Serial: read.Credential.Serial, IssuedAt: at(read.Credential.IssuedAt, loc), Revoked: read.Revoked,
		Sessions: make([]SessionLine, 0, len(read.Sessions)), Meals: make([]MealLine, 0, len(read.Meals)),
		History: make([]Event, 0, len(read.History))}
	for _, r := range read.Sessions {
		l := SessionLine{ID: r.Session, Expected: r.Expected, Seat: r.Seat, CheckedInAt: at(r.FirstIn, loc),
			Inside: r.Inside, OnLeave: r.OnLeave, LeaveReason: r.LeaveReason, Manual: r.Manual}
		if s := cat.Sessions[l.ID]; s != nil {
			l.Name, l.StartsAt = s.Name, s.StartsAt.In(loc)
		}
		c.Sessions = append(c.Sessions, l)
	}
	for _, r := range read.Meals {
		m := MealLine{ID: r.Meal, Table: r.Table, Venue: cat.Venues[cat.VenueByID[r.Venue]].Name, RedeemedAt: at(r.Redeemed, loc)}
		if meal := cat.Meals[m.ID]; meal != nil {
			m.Name = meal.Name
		}
		c.Meals = append(c.Meals, m)
	}
	if r := read.Lodging; r != nil {
		c.Lodging = &Lodging{Hotel: cat.Venues[cat.VenueByID[r.Venue]].Name, Room: r.Room, CheckIn: r.CheckIn,
			CheckOut: r.CheckOut, ArrivedAt: at(r.Arrived, loc)}
	}
	for _, r := range read.History {
		c.History = append(c.History, Event{At: r.At.In(loc), Actor: r.Actor, Action: r.Action, Detail: r.Detail})
	}
	return c, nil
}
