package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// A session's seating plan (issue 16.1): the hall, the people expected and
// who sits where, read for package plan's arranging engine, and the
// arrangement stored back in the same transaction, and the session's
// arrangement rules. The hand edits (pin, unpin, swap) are in
// seat_plan_edits.go.

// HallSeat is a seat of a session's hall with its row id, which the
// assignments name. Its fields match seating.Seat one for one, so package
// plan converts without copying; the store does not import the engine.
type HallSeat struct {
	ID int64
	domain.Seat
}

// HallPerson is an active attendee expected at the session, with what the
// engine orders and groups by.
type HallPerson struct {
	ID             int64
	Name           string
	Pinyin         string
	Rank           int
	Category       string
	Delegation     string
	DelegationSort int
	// Access is the desk's free-text access need (无障碍, the attendees'
	// access column), from which package plan reads a wheelchair.
	Access string
}

// SeatAssignment is who holds which seat, and whether the desk pinned
// them there. Its fields match seating.Assignment one for one.
type SeatAssignment struct {
	PersonID int64
	SeatID   int64
	Pinned   bool
}

// SeatHall is everything an arrangement reads for one session.
type SeatHall struct {
	Seats   []HallSeat
	People  []HallPerson
	Current []SeatAssignment
	Rules   SeatingRules
}

// Arrangement is what the engine answers for a session: every assignment
// to store, and the figures the audit trail keeps.
type Arrangement struct {
	Assignments      []SeatAssignment
	Seated, Expected int
}

// SeatHall reads the session's hall, the people expected, the current
// assignments and the rules from the read pool, for a validation report.
func (db *DB) SeatHall(ctx context.Context, session string) (SeatHall, error) {
	return readHall(ctx, db.r, session)
}

// ArrangeSeats reads the session's hall inside one write transaction and
// hands it to arrange, so that a check-in or a hand edit committed a
// moment earlier is seen and none is lost. When arrange answers an
// arrangement (nil is a dry run: nothing is stored) the session's
// assignments are replaced by it, with an audit row; the change names the
// attendees whose seat moved or emptied.
func (db *DB) ArrangeSeats(ctx context.Context, session, actor string, arrange func(SeatHall) (*Arrangement, error)) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		h, err := readHall(ctx, tx, session)
		if err != nil {
			return Change{}, err
		}
		a, err := arrange(h)
		if err != nil || a == nil {
			return Change{}, err
		}
		old := map[int64]int64{}
		for _, c := range h.Current {
			old[c.PersonID] = c.SeatID
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE session_id = ?`, session); err != nil {
			return Change{}, fmt.Errorf("store: clear seats of %s: %w", session, err)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return Change{}, fmt.Errorf("store: assign seats: %w", err)
		}
		defer ins.Close()
		var moved []int64
		for _, s := range a.Assignments {
			if _, err := ins.ExecContext(ctx, session, s.SeatID, s.PersonID, flag(s.Pinned)); err != nil {
				return Change{}, fmt.Errorf("store: assign %d: %w", s.PersonID, err)
			}
			if old[s.PersonID] != s.SeatID {
				moved = append(moved, s.PersonID)
			}
			delete(old, s.PersonID)
		}
		for pid := range old { // unseated now: their old seat empties
			moved = append(moved, pid)
		}
		err = audit(ctx, tx, time.Now(), actor, "seating.arrange", session,
			fmt.Sprintf("seated %d of %d, %d moved", a.Seated, a.Expected, len(moved)))
		if len(moved) == 0 {
			return Change{}, err
		}
		return Change{Seated: map[string][]int64{session: moved}}, err
	})
}

// readHall reads the seats of the session's venue, the people expected
// (active ones), the current assignments and the rules.
func readHall(ctx context.Context, q querier, session string) (SeatHall, error) {
	var h SeatHall
	var err error
	h.Seats, err = readAll(ctx, q, "hall seats", func(r interface{ Scan(...any) error }) (HallSeat, error) {
		var s HallSeat
		err := r.Scan(&s.ID, &s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.X, &s.Y)
		return s, err
	}, `SELECT st.id, st.label, st.section, st.row, st.number, st.kind, st.x, st.y
		FROM sessions se JOIN seats st ON st.venue_id = se.venue_id WHERE se.id = ? ORDER BY st.id`, session)
	if err != nil {
		return h, err
	}
	h.People, err = readAll(ctx, q, "people to seat", func(r interface{ Scan(...any) error }) (HallPerson, error) {
		var p HallPerson
		err := r.Scan(&p.ID, &p.Name, &p.Pinyin, &p.Rank, &p.Category, &p.Delegation, &p.DelegationSort, &p.Access)
		return p, err
	}, `SELECT a.id, a.name, a.pinyin, a.rank, a.category, coalesce(d.name, ''),
		coalesce(d.sort, 0), a.access
		FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE sa.session_id = ? ORDER BY a.rank, a.id`, session)
	if err != nil {
		return h, err
	}
	h.Current, err = readAll(ctx, q, "seat assignments", func(r interface{ Scan(...any) error }) (SeatAssignment, error) {
		var a SeatAssignment
		err := r.Scan(&a.PersonID, &a.SeatID, &a.Pinned)
		return a, err
	}, `SELECT attendee_id, seat_id, pinned FROM seat_assignments WHERE session_id = ? ORDER BY attendee_id`, session)
	if err != nil {
		return h, err
	}
	h.Rules, err = readSeatingRules(ctx, q, session)
	return h, err
}

// The refusals of a hand edit of the seats; package plan words them for
// the desk. A pin of someone not expected is refused with ErrNotExpected
// (leaves.go).
var (
	ErrUnknownSeat = errors.New("store: no such seat in the session's hall")
	ErrSeatBlocked = errors.New("store: the seat is blocked")
	ErrSeatTaken   = errors.New("store: the seat is taken")
	ErrSeatEmpty   = errors.New("store: nobody is assigned to the seat")
)

// seatByLabel finds a seat of the session's venue.
func seatByLabel(ctx context.Context, q querier, session, label string) (id int64, kind domain.SeatKind, err error) {
	err = q.QueryRowContext(ctx, `SELECT st.id, st.kind FROM sessions se JOIN seats st ON st.venue_id = se.venue_id
		WHERE se.id = ? AND st.label = ?`, session, label).Scan(&id, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrUnknownSeat
	} else if err != nil {
		return 0, "", fmt.Errorf("store: seat %s: %w", label, err)
	}
	return id, kind, nil
}

// occupant is who holds the seat at the session, 0 for nobody.
func occupant(ctx context.Context, q querier, session string, seat int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT attendee_id FROM seat_assignments WHERE session_id = ? AND seat_id = ?`, session, seat).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("store: seat holder: %w", err)
	}
	return id, nil
}

// seated is the change of a hand edit: the attendees whose seat moved.
func seated(session string, ids ...int64) Change {
	return Change{Seated: map[string][]int64{session: ids}}
}

// SeatingRules is what the store holds of a session's arrangement rules;
// package plan decodes them into seating.Rules and fills in the session's
// presidium rule and honour side, which live on the sessions row.
type SeatingRules struct {
	// JSON is the rules as the desk saved them, "" when it never did.
	JSON string
	// Presidium are the attendees on presidium seats now, in rank order:
	// the presidium when the saved rules name none, so that re-arranging
	// keeps the same leaders on the stage.
	Presidium []int64
}

// SeatingRules reads the session's saved rules and its presidium as seated.
func (db *DB) SeatingRules(ctx context.Context, session string) (SeatingRules, error) {
	return readSeatingRules(ctx, db.r, session)
}

func readSeatingRules(ctx context.Context, q querier, session string) (SeatingRules, error) {
	var r SeatingRules
	err := q.QueryRowContext(ctx, `SELECT rules FROM seating_rules WHERE session_id = ?`, session).Scan(&r.JSON)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("store: read rules of %s: %w", session, err)
	}
	r.Presidium, err = readAll(ctx, q, "read presidium", func(s interface{ Scan(...any) error }) (int64, error) {
		var id int64
		err := s.Scan(&id)
		return id, err
	}, `SELECT a.id FROM seat_assignments sa
		JOIN seats st ON st.id = sa.seat_id JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = ? AND st.kind = 'presidium' ORDER BY a.rank, a.id`, session)
	return r, err
}

// SaveSeatingRules stores the session's rules (rules as JSON) and, on the
// session row, its presidium rule and honour side, with an audit row, in
// one transaction. The catalog reads the session row: the change says so
// (Catalog), and it is read again before SaveSeatingRules returns.
func (db *DB) SaveSeatingRules(ctx context.Context, session, presidiumRule, honour, rules, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		at := time.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET presidium_rule = ?, honour = ? WHERE id = ?`,
			presidiumRule, honour, session); err != nil {
			return Change{}, fmt.Errorf("store: session %s rule: %w", session, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO seating_rules (session_id, rules, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			session, rules, FormatTime(at), actor); err != nil {
			return Change{}, fmt.Errorf("store: save rules of %s: %w", session, err)
		}
		return Change{Catalog: true}, audit(ctx, tx, at, actor, "seating.rules", session, rules)
	})
}
