// Package seatmap reads a session's seats with who sits where and whether
// they have arrived — the usher's live map and GET /sessions/{id}/seats.
package seatmap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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

// Seat is one seat of a session's venue.
type Seat struct {
	Label      string  `json:"seat"`
	Section    string  `json:"section"`
	Row        int     `json:"row"`
	Number     int     `json:"number"`
	Kind       string  `json:"kind"`
	Door       string  `json:"door,omitempty"`
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
	AttendeeID int64   `json:"attendee_id,omitempty"`
	Name       string  `json:"name,omitempty"`
	Category   string  `json:"category,omitempty"`
	Rank       int     `json:"rank,omitempty"`
	Pinned     bool    `json:"pinned,omitempty"`
	State      State   `json:"state"`
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
	q := `SELECT st.label, st.section, st.row, st.number, st.kind, st.door, st.x, st.y,
		coalesce(a.id, 0), coalesce(a.name, ''), coalesce(a.category, ''), coalesce(a.rank, 0), coalesce(sa.pinned, 0),
		p.inside, p.first_in_at, l.id IS NOT NULL
		FROM sessions se
		JOIN seats st ON st.venue_id = se.venue_id
		LEFT JOIN seat_assignments sa ON sa.session_id = se.id AND sa.seat_id = st.id
		LEFT JOIN attendees a ON a.id = sa.attendee_id
		LEFT JOIN presence p ON p.session_id = se.id AND p.attendee_id = a.id
		LEFT JOIN leaves l ON l.session_id = se.id AND l.attendee_id = a.id AND l.revoked_at IS NULL
		WHERE se.id = ?`
	args := []any{session}
	if attendees != nil {
		if len(attendees) == 0 {
			return nil, nil
		}
		q += " AND a.id IN (?" + strings.Repeat(",?", len(attendees)-1) + ")"
		for _, id := range attendees {
			args = append(args, id)
		}
	}
	q += ` ORDER BY st.section <> 'presidium', st.section, st.row, st.x, st.number`
	rows, err := db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("seatmap: %w", err)
	}
	defer rows.Close()
	var out []Seat
	for rows.Next() {
		var s Seat
		var inside *bool
		var firstIn *string
		if err := rows.Scan(&s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.Door, &s.X, &s.Y,
			&s.AttendeeID, &s.Name, &s.Category, &s.Rank, &s.Pinned, &inside, &firstIn, &s.Leave); err != nil {
			return nil, err
		}
		s.finish(inside, firstIn)
		out = append(out, s)
	}
	return out, rows.Err()
}

// finish sets the seat's state and arrival time from its holder's presence.
func (s *Seat) finish(inside *bool, firstIn *string) {
	s.State = state(*s, inside, s.Leave)
	if firstIn != nil {
		at := store.ReadTime(*firstIn)
		s.ArrivedAt = &at
	}
}

func state(s Seat, inside *bool, leave bool) State {
	switch {
	case s.AttendeeID == 0 && s.Kind == "blocked":
		return Blocked
	case s.AttendeeID == 0 && s.Kind == "reserved":
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
	stmt *sql.Stmt
}

// NewLookup prepares the lookup on db's read pool.
func NewLookup(ctx context.Context, db *store.DB) (*Lookup, error) {
	stmt, err := db.R.PrepareContext(ctx, `SELECT st.label, st.section, st.row, st.number, st.kind, st.door, st.x, st.y,
		a.id, a.name, a.category, a.rank, sa.pinned, p.inside, p.first_in_at, l.id IS NOT NULL
		FROM seat_assignments sa
		JOIN seats st ON st.id = sa.seat_id
		JOIN attendees a ON a.id = sa.attendee_id
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL
		WHERE sa.session_id = ? AND sa.attendee_id = ?`)
	if err != nil {
		return nil, fmt.Errorf("seatmap: prepare: %w", err)
	}
	return &Lookup{stmt: stmt}, nil
}

// Held returns the seats the attendees hold in the session; attendees
// without a seat there are simply absent from the answer.
func (l *Lookup) Held(ctx context.Context, session string, attendees []int64) ([]Seat, error) {
	var out []Seat
	for _, id := range attendees {
		var s Seat
		var inside *bool
		var firstIn *string
		err := l.stmt.QueryRowContext(ctx, session, id).Scan(&s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.Door,
			&s.X, &s.Y, &s.AttendeeID, &s.Name, &s.Category, &s.Rank, &s.Pinned, &inside, &firstIn, &s.Leave)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("seatmap: %w", err)
		}
		s.finish(inside, firstIn)
		out = append(out, s)
	}
	return out, nil
}
