// Package seatmap reads a session's seats with who sits where and whether
// they have arrived — the usher's live map and GET /sessions/{id}/seats.
package seatmap

import (
	"context"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// State is what an usher needs to know about a seat.
type State string

// The seat states.
const (
	Vacant   State = "vacant"   // nobody assigned
	Assigned State = "assigned" // assigned, not arrived
	Arrived  State = "arrived"  // checked in and inside
	Left     State = "left"     // checked in, then exited
	OnLeave  State = "on_leave" // 请假
	Blocked  State = "blocked"  // not for use
	Reserved State = "reserved" // held, nobody assigned
)

// Seat is one seat of a session's venue with its holder and their state,
// as the usher's map and the live feed send it: the seat's own fields
// first, then the holder's.
type Seat struct {
	domain.Seat
	AttendeeID int64  `json:"attendee_id,omitempty"`
	Name       string `json:"name,omitempty"`
	Category   string `json:"category,omitempty"`
	Rank       int    `json:"rank,omitempty"`
	Pinned     bool   `json:"pinned,omitempty"`
	State      State  `json:"state"`
	// ArrivedAt is the holder's first entry to the session, for the
	// usher's list of VIP arrivals after a reload.
	ArrivedAt *time.Time `json:"arrived_at,omitempty"`
	// Leave: the holder has a leave for the session (withdrawn when they
	// have arrived).
	Leave bool `json:"leave,omitempty"`
}

// Of reads the seats of the session's venue in presidium-first,
// left-to-right (audience view) order. attendees limits the rows to seats
// held by those attendees when non-nil (for deltas).
func Of(ctx context.Context, db *store.DB, session string, attendees []int64) ([]Seat, error) {
	rows, err := db.SessionSeats(ctx, session, attendees)
	if err != nil {
		return nil, fmt.Errorf("seatmap: %w", err)
	}
	return seats(rows), nil
}

// seats turns the store's rows into seats with their state; no rows is
// nil, as the live feed's deltas have always had it.
func seats(rows []store.MapSeat) []Seat {
	var out []Seat
	for _, r := range rows {
		s := Seat{Seat: r.Seat, AttendeeID: r.AttendeeID, Name: r.Name, Category: r.Category, Rank: r.Rank, Pinned: r.Pinned,
			ArrivedAt: r.FirstIn, Leave: r.Leave}
		s.State = state(s, r.Inside, s.Leave)
		out = append(out, s)
	}
	return out
}

func state(s Seat, inside *bool, leave bool) State {
	switch {
	case s.AttendeeID == 0 && s.Kind == domain.SeatBlocked:
		return Blocked
	case s.AttendeeID == 0 && s.Kind == domain.SeatReserved:
		return Reserved
	case s.AttendeeID == 0:
		return Vacant
	case inside != nil && *inside:
		return Arrived
	case inside != nil:
		return Left
	case leave:
		return OnLeave
	}
	return Assigned
}

// Lookup reads the seats held by given attendees, one indexed lookup each,
// with a statement prepared once: the live feed asks after every round of
// check-ins, and building a new IN (…) query each time cost more than the
// lookups.
type Lookup struct {
	seats *store.SeatLookup
}

// NewLookup prepares the lookup on db's read pool.
func NewLookup(ctx context.Context, db *store.DB) (*Lookup, error) {
	l, err := db.NewSeatLookup(ctx)
	if err != nil {
		return nil, fmt.Errorf("seatmap: %w", err)
	}
	return &Lookup{seats: l}, nil
}

// Held returns the seats the attendees hold in the session; attendees
// without a seat there are simply absent from the answer.
func (l *Lookup) Held(ctx context.Context, session string, attendees []int64) ([]Seat, error) {
	rows, err := l.seats.Held(ctx, session, attendees)
	if err != nil {
		return nil, fmt.Errorf("seatmap: %w", err)
	}
	return seats(rows), nil
}
