package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AttendeeCard is what the desk's card shows of one attendee besides the
// record itself, as stored: ids for the catalog to name, times in UTC, the
// zero time for "not yet".
type AttendeeCard struct {
	Credential Credential // the live badge; Serial 0 when none was issued yet
	Revoked    int        // badges replaced so far
	Sessions   []CardSession
	Meals      []CardMeal
	Lodging    *CardLodging // nil without a room
	History    []CardEvent  // newest first, at most 30
}

// CardSession is a session the attendee is expected at or came to.
type CardSession struct {
	Session     string
	Expected    bool
	Seat        string
	FirstIn     time.Time
	Inside      bool
	OnLeave     bool
	LeaveReason string
	Manual      bool // the check-in was a desk 补签
}

// CardMeal is one meal ticket.
type CardMeal struct {
	Meal     string
	Venue    int64
	Table    int
	Redeemed time.Time
}

// CardLodging is the attendee's room.
type CardLodging struct {
	Venue             int64
	Room              string
	CheckIn, CheckOut string
	Arrived           time.Time
}

// CardEvent is one audit row about the attendee.
type CardEvent struct {
	At                    time.Time
	Actor, Action, Detail string
}

// AttendeeCard reads attendee id's card in one read transaction, so that
// its parts agree.
func (db *DB) AttendeeCard(ctx context.Context, id int64) (AttendeeCard, error) {
	c := AttendeeCard{Sessions: []CardSession{}, Meals: []CardMeal{}, History: []CardEvent{}}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return c, fmt.Errorf("store: card: %w", err)
	}
	defer tx.Rollback()
	if c.Credential, err = liveCredential(ctx, tx, id); err != nil && !errors.Is(err, ErrNotFound) {
		return c, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM credentials WHERE attendee_id = ? AND revoked_at IS NOT NULL`, id).
		Scan(&c.Revoked); err != nil {
		return c, fmt.Errorf("store: card badges: %w", err)
	}
	if c.Sessions, err = readAll(ctx, tx, "card sessions", scanCardSession, `SELECT s.id, sa.attendee_id IS NOT NULL,
		coalesce(st.label, ''), coalesce(p.first_in_at, ''), coalesce(p.inside, 0), l.id IS NOT NULL, coalesce(l.reason, ''),
		EXISTS (SELECT 1 FROM scans m WHERE m.session_id = s.id AND m.attendee_id = ?1 AND m.manual = 1 AND m.status = 'ok')
		FROM sessions s
		LEFT JOIN session_attendees sa ON sa.session_id = s.id AND sa.attendee_id = ?1
		LEFT JOIN seat_assignments x ON x.session_id = s.id AND x.attendee_id = ?1
		LEFT JOIN seats st ON st.id = x.seat_id
		LEFT JOIN presence p ON p.session_id = s.id AND p.attendee_id = ?1
		LEFT JOIN active_leaves l ON l.session_id = s.id AND l.attendee_id = ?1
		WHERE sa.attendee_id IS NOT NULL OR p.attendee_id IS NOT NULL
		ORDER BY s.starts_at, s.sort`, id); err != nil {
		return c, err
	}
	if c.Meals, err = readAll(ctx, tx, "card meals", scanCardMeal, `SELECT t.meal_id, t.venue_id, t.table_no,
		coalesce(r.redeemed_at, '')
		FROM meal_tickets t JOIN meals m ON m.id = t.meal_id
		LEFT JOIN meal_redemptions r ON r.meal_id = t.meal_id AND r.attendee_id = t.attendee_id
		WHERE t.attendee_id = ? ORDER BY m.opens_at`, id); err != nil {
		return c, err
	}
	var l CardLodging
	var arrived string
	err = tx.QueryRowContext(ctx, `SELECT l.venue_id, l.room, l.check_in, l.check_out, coalesce(h.checked_in_at, '')
		FROM lodging l LEFT JOIN hotel_checkins h ON h.attendee_id = l.attendee_id WHERE l.attendee_id = ?`, id).
		Scan(&l.Venue, &l.Room, &l.CheckIn, &l.CheckOut, &arrived)
	switch {
	case err == nil:
		l.Arrived = ReadTime(arrived)
		c.Lodging = &l
	case !errors.Is(err, sql.ErrNoRows):
		return c, fmt.Errorf("store: card lodging: %w", err)
	}
	c.History, err = readAll(ctx, tx, "card history", scanCardEvent,
		`SELECT at, actor, action, detail FROM audit WHERE subject = ? ORDER BY id DESC LIMIT 30`, fmt.Sprint(id))
	return c, err
}

func scanCardSession(row interface{ Scan(...any) error }) (CardSession, error) {
	var s CardSession
	var first string
	err := row.Scan(&s.Session, &s.Expected, &s.Seat, &first, &s.Inside, &s.OnLeave, &s.LeaveReason, &s.Manual)
	s.FirstIn = ReadTime(first)
	return s, err
}

func scanCardMeal(row interface{ Scan(...any) error }) (CardMeal, error) {
	var m CardMeal
	var redeemed string
	err := row.Scan(&m.Meal, &m.Venue, &m.Table, &redeemed)
	m.Redeemed = ReadTime(redeemed)
	return m, err
}

func scanCardEvent(row interface{ Scan(...any) error }) (CardEvent, error) {
	var e CardEvent
	var at string
	err := row.Scan(&at, &e.Actor, &e.Action, &e.Detail)
	e.At = ReadTime(at)
	return e, err
}
