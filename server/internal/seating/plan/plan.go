// Package plan connects the pure seating engine to the store: it reads a
// session's hall, people, pins and rules, writes an arrangement in one
// transaction, and makes the desk's hand edits (pin, unpin, swap). Every
// write returns a store.Change naming the attendees whose seat moved, so
// the live feed updates the ushers' maps after the commit.
package plan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huiwu/server/internal/seating"
	"huiwu/server/internal/store"
)

// Error is a refusal the desk can act on, with a stable code.
type Error struct {
	Code   string
	Zh, En string
}

func (e *Error) Error() string { return e.Code + ": " + e.En }

// The refusals.
var (
	ErrSeatTaken    = &Error{"seat_taken", "该座位已有人员，请用对调", "the seat is taken; swap instead"}
	ErrSeatBlocked  = &Error{"seat_blocked", "该座位已停用", "the seat is blocked"}
	ErrNotExpected  = &Error{"not_expected", "该人员不在本场次应到名单中", "the attendee is not expected at this session"}
	ErrUnknownSeat  = &Error{"unknown_seat", "本会场没有该座位", "no such seat in this session's hall"}
	ErrNotSeated    = &Error{"no_hall", "本场次的会场没有座位图", "this session's venue has no seat map"}
	ErrSameSeat     = &Error{"same_seat", "两个座位相同", "the two seats are the same"}
	ErrNothingThere = &Error{"seat_empty", "该座位没有安排人员", "nobody is assigned to that seat"}
)

// querier is what both *sql.DB and *sql.Tx offer, so reads can run inside
// the arranging transaction or on the read pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Hall is everything an arrangement reads for one session.
type Hall struct {
	Seats   []seating.Seat
	People  []seating.Person
	Current []seating.Assignment
}

// readHall reads the seats of the session's venue, the people expected (active
// ones), and the current assignments.
func readHall(ctx context.Context, q querier, session string) (Hall, error) {
	var h Hall
	rows, err := q.QueryContext(ctx, `SELECT st.id, st.label, st.section, st.row, st.number, st.kind, st.x, st.y
		FROM sessions se JOIN seats st ON st.venue_id = se.venue_id WHERE se.id = ? ORDER BY st.id`, session)
	if err != nil {
		return h, fmt.Errorf("plan: read seats: %w", err)
	}
	for rows.Next() {
		var s seating.Seat
		if err := rows.Scan(&s.ID, &s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.X, &s.Y); err != nil {
			rows.Close()
			return h, err
		}
		h.Seats = append(h.Seats, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return h, err
	}

	rows, err = q.QueryContext(ctx, `SELECT a.id, a.name, a.pinyin, a.rank, a.category, coalesce(d.name, ''),
		coalesce(d.sort, 0), a.access
		FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE sa.session_id = ? ORDER BY a.rank, a.id`, session)
	if err != nil {
		return h, fmt.Errorf("plan: read people: %w", err)
	}
	for rows.Next() {
		var p seating.Person
		var access string
		if err := rows.Scan(&p.ID, &p.Name, &p.Pinyin, &p.Rank, &p.Category, &p.Delegation, &p.DelegationSort, &access); err != nil {
			rows.Close()
			return h, err
		}
		p.Wheelchair = needsWheelchair(access)
		h.People = append(h.People, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return h, err
	}
	h.Current, err = readAssignments(ctx, q, session)
	return h, err
}

// needsWheelchair reads the free-text accessibility field the desk fills in.
func needsWheelchair(access string) bool {
	a := strings.ToLower(access)
	return strings.Contains(a, "轮椅") || strings.Contains(a, "wheelchair")
}

func readAssignments(ctx context.Context, q querier, session string) ([]seating.Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT attendee_id, seat_id, pinned FROM seat_assignments WHERE session_id = ? ORDER BY attendee_id`, session)
	if err != nil {
		return nil, fmt.Errorf("plan: read assignments: %w", err)
	}
	defer rows.Close()
	var out []seating.Assignment
	for rows.Next() {
		var a seating.Assignment
		if err := rows.Scan(&a.PersonID, &a.SeatID, &a.Pinned); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Validate reports on the session's seats as they stand now.
func Validate(ctx context.Context, db *store.DB, cat *store.Catalog, session string) (seating.Report, error) {
	s, ok := cat.Sessions[session]
	if !ok {
		return seating.Report{}, store.ErrNotFound
	}
	h, err := readHall(ctx, db.R, session)
	if err != nil {
		return seating.Report{}, err
	}
	if len(h.Seats) == 0 {
		return seating.Report{}, ErrNotSeated
	}
	r, err := ReadRules(ctx, db.R, s)
	if err != nil {
		return seating.Report{}, err
	}
	return seating.Validate(h.Seats, h.People, h.Current, r), nil
}

// seatByLabel finds a seat of the session's venue.
func seatByLabel(ctx context.Context, q querier, session, label string) (id int64, kind string, err error) {
	err = q.QueryRowContext(ctx, `SELECT st.id, st.kind FROM sessions se JOIN seats st ON st.venue_id = se.venue_id
		WHERE se.id = ? AND st.label = ?`, session, label).Scan(&id, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrUnknownSeat
	}
	return id, kind, err
}
