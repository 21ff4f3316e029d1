package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The kitchen's and the hotel's lists (package exports) and the paper
// slips printed with a badge (package badges): meal tickets and rooms as
// the secretariat hands them over.

// MealTableCount is one dining table at one meal: how many active
// attendees are entitled, how many were served, and the dietary marks the
// kitchen plans for.
type MealTableCount struct {
	MealID   string
	VenueID  int64 // the dining hall
	Table    int
	Entitled int
	Served   int
	Halal    int // 清真
	Veg      int // 素食 (and not 清真)
	Other    int // any other dietary note (allergies and the like)
}

// MealTableCounts counts every meal by dining hall and table, in no
// particular order.
func (db *DB) MealTableCounts(ctx context.Context) ([]MealTableCount, error) {
	return readAll(ctx, db.r, "meal counts", func(r interface{ Scan(...any) error }) (MealTableCount, error) {
		var m MealTableCount
		err := r.Scan(&m.MealID, &m.VenueID, &m.Table, &m.Entitled, &m.Served, &m.Halal, &m.Veg, &m.Other)
		return m, err
	}, `
		SELECT t.meal_id, t.venue_id, t.table_no, count(*), count(r.attendee_id),
		       count(*) FILTER (WHERE a.diet LIKE '%清真%'),
		       count(*) FILTER (WHERE a.diet LIKE '%素%' AND a.diet NOT LIKE '%清真%'),
		       count(*) FILTER (WHERE a.diet != '' AND a.diet NOT LIKE '%清真%' AND a.diet NOT LIKE '%素%')
		FROM meal_tickets t
		JOIN attendees a ON a.id = t.attendee_id AND a.status = 'active'
		LEFT JOIN meal_redemptions r ON r.meal_id = t.meal_id AND r.attendee_id = t.attendee_id
		GROUP BY t.meal_id, t.venue_id, t.table_no`)
}

// RoomListLine is one active guest in one hotel room.
type RoomListLine struct {
	Hotel, Room, Name, Gender, Organization string
	CheckIn, CheckOut                       string    // YYYY-MM-DD, or ""
	ArrivedAt                               time.Time // zero until the hotel desk scans the badge
}

// RoomList reads the room list by hotel name and room (a shorter number
// first), then by rank.
func (db *DB) RoomList(ctx context.Context) ([]RoomListLine, error) {
	return readAll(ctx, db.r, "room list", func(r interface{ Scan(...any) error }) (RoomListLine, error) {
		var l RoomListLine
		var at string
		err := r.Scan(&l.Hotel, &l.Room, &l.Name, &l.Gender, &l.Organization, &l.CheckIn, &l.CheckOut, &at)
		l.ArrivedAt = ReadTime(at) // zero for ''
		return l, err
	}, `
		SELECT v.name, l.room, a.name, a.gender, a.organization, l.check_in, l.check_out, coalesce(h.checked_in_at, '')
		FROM lodging l
		JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		JOIN venues v ON v.id = l.venue_id
		LEFT JOIN hotel_checkins h ON h.attendee_id = l.attendee_id
		ORDER BY v.name, length(l.room), l.room, a.rank, a.id`)
}

// MealStub is one of an attendee's meal tickets as its paper stub prints
// it.
type MealStub struct {
	Date  string // YYYY-MM-DD
	Slot  string // breakfast, lunch or dinner
	Name  string // the meal's
	Hall  string // the dining hall's name
	Table int    // 0 for free seating
}

// MealStubs lists an attendee's meal tickets in meal order.
func (db *DB) MealStubs(ctx context.Context, attendee int64) ([]MealStub, error) {
	return readAll(ctx, db.r, "meal stubs", func(r interface{ Scan(...any) error }) (MealStub, error) {
		var m MealStub
		err := r.Scan(&m.Date, &m.Slot, &m.Name, &m.Hall, &m.Table)
		return m, err
	}, `SELECT m.date, m.slot, m.name, v.name, t.table_no
		FROM meal_tickets t JOIN meals m ON m.id = t.meal_id JOIN venues v ON v.id = t.venue_id
		WHERE t.attendee_id = ? ORDER BY m.opens_at, m.id`, attendee)
}

// RoomSlip is an attendee's room as the room slip prints it, which keeps
// the room number off the public badge.
type RoomSlip struct {
	Hotel, Room       string
	CheckIn, CheckOut string // YYYY-MM-DD, or ""
}

// RoomSlip reads an attendee's room; ErrNotFound when they have none.
func (db *DB) RoomSlip(ctx context.Context, attendee int64) (RoomSlip, error) {
	var r RoomSlip
	err := db.r.QueryRowContext(ctx, `SELECT v.name, l.room, l.check_in, l.check_out FROM lodging l
		JOIN venues v ON v.id = l.venue_id WHERE l.attendee_id = ?`, attendee).Scan(&r.Hotel, &r.Room, &r.CheckIn, &r.CheckOut)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, ErrNotFound
	case err != nil:
		return r, fmt.Errorf("store: room slip of %d: %w", attendee, err)
	}
	return r, nil
}
