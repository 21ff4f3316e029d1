package plan

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"huiwu/server/internal/seating"
	"huiwu/server/internal/store"
)

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
	err := db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		h, err := readHall(ctx, tx, session)
		if err != nil {
			return store.Change{}, err
		}
		if len(h.Seats) == 0 {
			return store.Change{}, ErrNotSeated
		}
		rules, err := ReadRules(ctx, tx, s)
		if err != nil {
			return store.Change{}, err
		}
		pins := map[int64]int64{}
		old := map[int64]int64{}
		for _, a := range h.Current {
			old[a.PersonID] = a.SeatID
			if a.Pinned {
				pins[a.PersonID] = a.SeatID
			}
		}
		res := seating.Arrange(seating.Input{Seats: h.Seats, People: h.People, Pins: pins, Rules: rules})
		rep = res.Report
		if dryRun {
			return store.Change{}, nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE session_id = ?`, session); err != nil {
			return store.Change{}, fmt.Errorf("plan: clear: %w", err)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO seat_assignments (session_id, seat_id, attendee_id, pinned) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return store.Change{}, err
		}
		defer ins.Close()
		var moved []int64
		for _, a := range res.Assignments() {
			if _, err := ins.ExecContext(ctx, session, a.SeatID, a.PersonID, a.Pinned); err != nil {
				return store.Change{}, fmt.Errorf("plan: assign %d: %w", a.PersonID, err)
			}
			if old[a.PersonID] != a.SeatID {
				moved = append(moved, a.PersonID)
			}
			delete(old, a.PersonID)
		}
		for pid := range old { // unseated now: their old seat empties
			moved = append(moved, pid)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'seating.arrange', ?, ?)`,
			store.FormatTime(time.Now()), actor, session, fmt.Sprintf("seated %d of %d, %d moved", rep.Seated, rep.Expected, len(moved)))
		if len(moved) == 0 {
			return store.Change{}, err
		}
		return store.Change{Seated: map[string][]int64{session: moved}}, err
	})
	return rep, err
}
