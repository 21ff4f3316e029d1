// Package plan connects the pure seating engine to the store: it reads a
// session's hall, people, pins and rules, writes an arrangement in one
// transaction, and makes the desk's hand edits (pin, unpin, swap). Every
// write returns a store.Change naming the attendees whose seat moved, so
// the live feed updates the ushers' maps after the commit.
package plan

import (
	"context"
	"errors"
	"strings"

	"huiwu/server/internal/seating"
	"huiwu/server/internal/store"
)

// Hall is everything an arrangement reads for one session.
type Hall struct {
	Seats   []seating.Seat
	People  []seating.Person
	Current []seating.Assignment
}

// hallOf turns the store's rows into the engine's input; empty lists stay
// nil, as the engine has always been given them.
func hallOf(h store.SeatHall) Hall {
	var out Hall
	for _, s := range h.Seats {
		out.Seats = append(out.Seats, seating.Seat(s))
	}
	for _, p := range h.People {
		out.People = append(out.People, seating.Person{ID: p.ID, Name: p.Name, Pinyin: p.Pinyin, Rank: p.Rank,
			Category: p.Category, Delegation: p.Delegation, DelegationSort: p.DelegationSort, Wheelchair: needsWheelchair(p.Access)})
	}
	for _, a := range h.Current {
		out.Current = append(out.Current, seating.Assignment(a))
	}
	return out
}

// needsWheelchair reads the free-text accessibility field the desk fills in.
func needsWheelchair(access string) bool {
	a := strings.ToLower(access)
	return strings.Contains(a, "轮椅") || strings.Contains(a, "wheelchair")
}

// Validate reports on the session's seats as they stand now.
func Validate(ctx context.Context, db *store.DB, cat *store.Catalog, session string) (seating.Report, error) {
	s, ok := cat.Sessions[session]
	if !ok {
		return seating.Report{}, store.ErrNotFound
	}
	sh, err := db.SeatHall(ctx, session)
	if err != nil {
		return seating.Report{}, err
	}
	h := hallOf(sh)
	if len(h.Seats) == 0 {
		return seating.Report{}, ErrNotSeated
	}
	r, err := rulesOf(s, sh.Rules)
	if err != nil {
		return seating.Report{}, err
	}
	return seating.Validate(h.Seats, h.People, h.Current, r), nil
}

// Arrange runs the session's rules and, unless dryRun, replaces its seat
// assignments in one transaction, keeping pinned seats. Everything is read
// inside the write transaction, so a check-in or a hand edit committed a
// moment earlier is seen and none is lost. It answers the validation report.
func Arrange(ctx context.Context, db *store.DB, cat *store.Catalog, session, actor string, dryRun bool) (seating.Report, error) {
	s, ok := cat.Sessions[session]
	if !ok {
		return seating.Report{}, store.ErrNotFound
	}
	var rep seating.Report
	err := db.ArrangeSeats(ctx, session, actor, func(sh store.SeatHall) (*store.Arrangement, error) {
		h := hallOf(sh)
		if len(h.Seats) == 0 {
			return nil, ErrNotSeated
		}
		rules, err := rulesOf(s, sh.Rules)
		if err != nil {
			return nil, err
		}
		pins := map[int64]int64{}
		for _, a := range h.Current {
			if a.Pinned {
				pins[a.PersonID] = a.SeatID
			}
		}
		res := seating.Arrange(seating.Input{Seats: h.Seats, People: h.People, Pins: pins, Rules: rules})
		rep = res.Report
		if dryRun {
			return nil, nil
		}
		out := &store.Arrangement{Seated: rep.Seated, Expected: rep.Expected}
		for _, a := range res.Assignments() {
			out.Assignments = append(out.Assignments, store.SeatAssignment(a))
		}
		return out, nil
	})
	return rep, err
}

// Pin puts attendee on the seat labelled label for the session and pins it
// there, moving them from any other seat. A seat held by someone else is
// refused: the desk swaps instead, so nobody is unseated by accident.
func Pin(ctx context.Context, db *store.DB, session, label string, attendee int64, actor string) error {
	return refusal(db.PinSeat(ctx, session, label, attendee, actor))
}

// Unpin lets the next arrangement move whoever holds the seat.
func Unpin(ctx context.Context, db *store.DB, session, label, actor string) error {
	return refusal(db.UnpinSeat(ctx, session, label, actor))
}

// Swap exchanges the people on two seats (one may be empty: a move) and
// pins both where they land.
func Swap(ctx context.Context, db *store.DB, session, a, b, actor string) error {
	if a == b {
		return ErrSameSeat
	}
	return refusal(db.SwapSeats(ctx, session, a, b, actor))
}

// refusal words the store's refusals of a seat edit for the desk.
func refusal(err error) error {
	switch {
	case errors.Is(err, store.ErrUnknownSeat):
		return ErrUnknownSeat
	case errors.Is(err, store.ErrSeatBlocked):
		return ErrSeatBlocked
	case errors.Is(err, store.ErrSeatTaken):
		return ErrSeatTaken
	case errors.Is(err, store.ErrSeatEmpty):
		return ErrNothingThere
	case errors.Is(err, store.ErrNotExpected):
		return ErrNotExpected
	}
	return err
}
