package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huiwu/server/internal/domain"
)

// The usher's live map (issue 16.1): a session's seats with who sits where,
// whether they came in and whether they are on leave. Package seatmap turns
// a row into a seat state.

// MapSeat is one seat of a session's venue with its holder, if any.
type MapSeat struct {
	domain.Seat
	AttendeeID int64 // 0: nobody holds the seat
	Name       string
	Category   string
	Rank       int
	Pinned     bool
	// Inside is nil when the holder has not come in, else whether they are
	// inside now or went out.
	Inside *bool
	// FirstIn is the holder's first entry to the session, nil before it.
	FirstIn *time.Time
	// Leave says the holder has a leave for the session not withdrawn.
	Leave bool
}

const mapSeatColumns = `st.label, st.section, st.row, st.number, st.kind, st.door, st.x, st.y`

// scanMapSeat reads a row of mapSeatColumns and the holder's columns.
func scanMapSeat(r interface{ Scan(...any) error }) (MapSeat, error) {
	var s MapSeat
	var firstIn *string
	err := r.Scan(&s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.Door, &s.X, &s.Y,
		&s.AttendeeID, &s.Name, &s.Category, &s.Rank, &s.Pinned, &s.Inside, &firstIn, &s.Leave)
	if firstIn != nil {
		at := ReadTime(*firstIn)
		s.FirstIn = &at
	}
	return s, err
}

// SessionSeats reads the seats of the session's venue in presidium-first,
// left-to-right (audience view) order. attendees limits the rows to seats
// held by those attendees when non-nil (for deltas); an empty non-nil
// list answers nothing.
func (db *DB) SessionSeats(ctx context.Context, session string, attendees []int64) ([]MapSeat, error) {
	q := `SELECT ` + mapSeatColumns + `,
		coalesce(a.id, 0), coalesce(a.name, ''), coalesce(a.category, ''), coalesce(a.rank, 0), coalesce(sa.pinned, 0),
		p.inside, p.first_in_at, l.id IS NOT NULL
		FROM sessions se
		JOIN seats st ON st.venue_id = se.venue_id
		LEFT JOIN seat_assignments sa ON sa.session_id = se.id AND sa.seat_id = st.id
		LEFT JOIN attendees a ON a.id = sa.attendee_id
		LEFT JOIN presence p ON p.session_id = se.id AND p.attendee_id = a.id
		LEFT JOIN active_leaves l ON l.session_id = se.id AND l.attendee_id = a.id
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
	return readAll(ctx, db.r, "seat map", scanMapSeat, q, args...)
}

// SeatLookup reads the seats held by given attendees, one indexed lookup
// each, with a statement prepared once: the live feed asks after every
// round of check-ins, and building a new IN (…) query each time cost more
// than the lookups.
type SeatLookup struct {
	stmt *sql.Stmt
}

// NewSeatLookup prepares the lookup on the read pool.
func (db *DB) NewSeatLookup(ctx context.Context) (*SeatLookup, error) {
	stmt, err := db.r.PrepareContext(ctx, `SELECT `+mapSeatColumns+`,
		a.id, a.name, a.category, a.rank, sa.pinned, p.inside, p.first_in_at, l.id IS NOT NULL
		FROM seat_assignments sa
		JOIN seats st ON st.id = sa.seat_id
		JOIN attendees a ON a.id = sa.attendee_id
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN active_leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id
		WHERE sa.session_id = ? AND sa.attendee_id = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: prepare seat lookup: %w", err)
	}
	return &SeatLookup{stmt: stmt}, nil
}

// Held returns the seats the attendees hold in the session, in the order
// asked; attendees without a seat there are simply absent from the answer.
func (l *SeatLookup) Held(ctx context.Context, session string, attendees []int64) ([]MapSeat, error) {
	var out []MapSeat
	for _, id := range attendees {
		s, err := scanMapSeat(l.stmt.QueryRowContext(ctx, session, id))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("store: seat of %d: %w", id, err)
		}
		out = append(out, s)
	}
	return out, nil
}
