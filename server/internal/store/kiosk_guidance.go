package store

import (
	"context"
	"time"

	"huiwu/server/internal/domain"
)

// What the kiosk's offline cache (package kioskcache) reads: who holds a
// live badge, and the facts a checkpoint decides a scan on — seats and
// presence at a door, tickets and redemptions at a dining hall, rooms and
// check-ins at a hotel desk.

// KioskHolder is an attendee who holds a live badge, as the kiosk names
// them.
type KioskHolder struct {
	ID         int64
	Name       string
	Category   string
	Delegation string // "" outside one
	Cancelled  bool   // their attendance is cancelled: the kiosk refuses them
}

// KioskHolders lists everyone holding a live credential, cancelled or not,
// in no particular order.
func (db *DB) KioskHolders(ctx context.Context) ([]KioskHolder, error) {
	return readAll(ctx, db.r, "kiosk holders", func(r interface{ Scan(...any) error }) (KioskHolder, error) {
		var h KioskHolder
		var status string
		err := r.Scan(&h.ID, &h.Name, &h.Category, &status, &h.Delegation)
		h.Cancelled = status == "cancelled"
		return h, err
	}, `SELECT a.id, a.name, a.category, a.status, coalesce(d.name, '')
		FROM attendees a JOIN credentials c ON c.attendee_id = a.id AND c.revoked_at IS NULL
		LEFT JOIN delegations d ON d.id = a.delegation_id`)
}

// ExpectedSeat is the seat of one attendee a session expects; the seat is
// empty when they have none. Only what guidance names is read: the label,
// section, row, number and door (the nearest one), not kind or position.
type ExpectedSeat struct {
	AttendeeID int64
	domain.Seat
}

// ExpectedSeats lists everyone session expects with their seat there, in
// no particular order.
func (db *DB) ExpectedSeats(ctx context.Context, session string) ([]ExpectedSeat, error) {
	return readAll(ctx, db.r, "expected seats", func(r interface{ Scan(...any) error }) (ExpectedSeat, error) {
		var s ExpectedSeat
		err := r.Scan(&s.AttendeeID, &s.Label, &s.Section, &s.Row, &s.Number, &s.Door)
		return s, err
	}, `SELECT sa.attendee_id, coalesce(s.label, ''), coalesce(s.section, ''),
			coalesce(s.row, 0), coalesce(s.number, 0), coalesce(s.door, '')
			FROM session_attendees sa
			LEFT JOIN seat_assignments x ON x.session_id = sa.session_id AND x.attendee_id = sa.attendee_id
			LEFT JOIN seats s ON s.id = x.seat_id
			WHERE sa.session_id = ?`, session)
}

// PresenceMark is where one attendee stands at a session: when they first
// came in, and whether they are inside now.
type PresenceMark struct {
	AttendeeID int64
	FirstIn    time.Time
	Inside     bool
}

// SessionPresence lists everyone who has come in to session, cancelled or
// not, in no particular order.
func (db *DB) SessionPresence(ctx context.Context, session string) ([]PresenceMark, error) {
	return readAll(ctx, db.r, "session presence", func(r interface{ Scan(...any) error }) (PresenceMark, error) {
		var p PresenceMark
		var first string
		err := r.Scan(&p.AttendeeID, &first, &p.Inside)
		p.FirstIn = ReadTime(first)
		return p, err
	}, `SELECT attendee_id, first_in_at, inside FROM presence WHERE session_id = ?`, session)
}

// MealTicket is one attendee's ticket to a meal: the hall, the table, and
// their dietary note.
type MealTicket struct {
	AttendeeID int64
	VenueID    int64 // the dining hall
	Table      int   // 0 for free seating
	Diet       string
}

// MealTickets lists every ticket to meal, cancelled holders' too, in no
// particular order.
func (db *DB) MealTickets(ctx context.Context, meal string) ([]MealTicket, error) {
	return readAll(ctx, db.r, "meal tickets", func(r interface{ Scan(...any) error }) (MealTicket, error) {
		var t MealTicket
		err := r.Scan(&t.AttendeeID, &t.VenueID, &t.Table, &t.Diet)
		return t, err
	}, `SELECT t.attendee_id, t.venue_id, t.table_no, a.diet
		FROM meal_tickets t JOIN attendees a ON a.id = t.attendee_id WHERE t.meal_id = ?`, meal)
}

// MealRedemptions answers when each attendee who has eaten meal was served,
// by attendee id.
func (db *DB) MealRedemptions(ctx context.Context, meal string) (map[int64]time.Time, error) {
	return readTimes(ctx, db, "meal redemptions", `SELECT attendee_id, redeemed_at FROM meal_redemptions WHERE meal_id = ?`, meal)
}

// HotelCheckins answers when each guest checked in at their hotel's desk,
// by attendee id.
func (db *DB) HotelCheckins(ctx context.Context) (map[int64]time.Time, error) {
	return readTimes(ctx, db, "hotel check-ins", `SELECT attendee_id, checked_in_at FROM hotel_checkins`)
}

// readTimes reads a query of (attendee id, stored time) into a map.
func readTimes(ctx context.Context, db *DB, what, query string, args ...any) (map[int64]time.Time, error) {
	stored, err := readMap[int64, string](ctx, db.r, what, query, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(stored))
	for id, at := range stored {
		out[id] = ReadTime(at)
	}
	return out, nil
}

// LodgingRoom is the room one attendee is given.
type LodgingRoom struct {
	AttendeeID int64
	VenueID    int64 // the hotel
	Room       string
}

// LodgingRooms lists every room given, cancelled guests' too, in no
// particular order.
func (db *DB) LodgingRooms(ctx context.Context) ([]LodgingRoom, error) {
	return readAll(ctx, db.r, "lodging rooms", func(r interface{ Scan(...any) error }) (LodgingRoom, error) {
		var l LodgingRoom
		err := r.Scan(&l.AttendeeID, &l.VenueID, &l.Room)
		return l, err
	}, `SELECT attendee_id, venue_id, room FROM lodging`)
}
