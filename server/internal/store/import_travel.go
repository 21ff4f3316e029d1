package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// Travel from a list (issue 12.1) and from the desk card: an attendee's
// arrival and departure, given as domain.Trip, stored as their live legs.
// An import stores them in its own transactions (chunked, journalled:
// import_undo.go), so that a list is stored wholly or not at all; a trip
// that says what the live leg says already leaves the leg untouched, so
// importing one list twice changes nothing.

// legUndoColumns are the columns of a leg a trip sets, journalled by a
// chunked import.
var legUndoColumns = []string{"mode", "number", "station_id", "on_date", "at", "companions", "ticket", "ticket_no",
	"notes", "source", "updated_at"}

// legOf turns trip t into attendee's leg in direction dir: the date and
// time are the event's (loc). A time without a date cannot be a moment; it
// stays in the notes.
func legOf(t *domain.Trip, attendee int64, dir string, station int64, loc *time.Location, source string) (Leg, error) {
	l := Leg{AttendeeID: attendee, Direction: dir, Mode: t.Mode, Number: t.Number, StationID: station, OnDate: t.Date,
		Companions: t.Companions, Ticket: t.Ticket, TicketNo: t.TicketNo, Notes: t.Notes, Source: source, State: "expected"}
	if t.Date != "" {
		if _, err := time.Parse(time.DateOnly, t.Date); err != nil {
			return l, fmt.Errorf("travel date %q: %w", t.Date, err)
		}
	}
	switch {
	case t.Time != "" && t.Date != "":
		at, err := time.ParseInLocation("2006-01-02 15:04", t.Date+" "+t.Time, loc)
		if err != nil {
			return l, fmt.Errorf("travel time %q: %w", t.Time, err)
		}
		l.At = &at
	case t.Time != "":
		l.Notes = joinNote(t.Time, l.Notes)
	}
	return l, nil
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	return a + " " + b
}

// sameTrip reports whether the live leg old already says what l says.
func sameTrip(old, l Leg) bool {
	return old.Mode == l.Mode && old.Number == l.Number && old.StationID == l.StationID && old.OnDate == l.OnDate &&
		fmtOptTime(old.At) == fmtOptTime(l.At) && old.Companions == l.Companions && old.Ticket == l.Ticket &&
		old.TicketNo == l.TicketNo && old.Notes == l.Notes
}

// liveLeg reads attendee's live leg in direction dir inside tx.
func liveLeg(ctx context.Context, tx *sql.Tx, attendee int64, dir string) (Leg, bool, error) {
	l, err := scanLeg(tx.QueryRowContext(ctx, `SELECT `+legColumns+` FROM travel_legs
		WHERE attendee_id = ? AND direction = ? AND cancelled_at IS NULL`, attendee, dir))
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, err
}

// tripWrite is what putTrip did.
type tripWrite struct {
	leg        int64 // the live leg's id
	wrote      bool  // the leg was made or changed
	created    bool  // the leg was made
	newStation int64 // a station made for the trip's name, or 0
}

// tripStore stores trips inside one transaction, remembering the
// stations it has looked up (a list names a few stations hundreds of
// times).
type tripStore struct {
	tx       *sql.Tx
	loc      *time.Location
	source   string
	now      time.Time
	stations map[string]int64 // alias → station
}

// station finds, or makes, the station a trip names; made says it did.
func (s *tripStore) station(ctx context.Context, name, kind string) (id int64, made bool, err error) {
	alias := StationAlias(name)
	if id, ok := s.stations[alias]; ok {
		return id, false, nil
	}
	err = s.tx.QueryRowContext(ctx, `SELECT station_id FROM station_aliases WHERE alias = ?`, alias).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		made = true
		id, err = StationFor(ctx, s.tx, name, kind)
	case err != nil:
		return 0, false, err
	}
	if err == nil {
		s.stations[alias] = id
	}
	return id, made, err
}

// put stores t as attendee's live leg in direction dir, finding (or
// making) its station by name; a leg that says the same already is left
// as it is. fresh says the attendee was just made, and has no leg yet.
func (s *tripStore) put(ctx context.Context, attendee int64, dir string, t *domain.Trip, fresh bool) (tripWrite, error) {
	var w tripWrite
	var station int64
	if t.Station != "" {
		var made bool
		var err error
		if station, made, err = s.station(ctx, t.Station, t.StationKind); err != nil {
			return w, err
		}
		if made {
			w.newStation = station
		}
	}
	l, err := legOf(t, attendee, dir, station, s.loc, s.source)
	if err != nil {
		return w, err
	}
	found := false
	if !fresh {
		var old Leg
		if old, found, err = liveLeg(ctx, s.tx, attendee, dir); err != nil {
			return w, err
		}
		if found && sameTrip(old, l) {
			w.leg = old.ID
			return w, nil
		}
	}
	w.leg, err = PutLeg(ctx, s.tx, l, s.now)
	w.wrote, w.created = err == nil, !found
	return w, err
}

// putTrips stores a row's arrival and departure, journalled when the
// import is chunked: a station it made, then the leg as it was and is (a
// new attendee's legs go with the attendee when undone).
func (a *applier) putTrips(ctx context.Context, ts *tripStore, line int, id int64, created bool, at *domain.Attendee) error {
	for _, d := range []struct {
		dir, field string
		trip       *domain.Trip
	}{{Arrival, "arrival", at.ArrivalTrip}, {Departure, "departure", at.DepartureTrip}} {
		if d.trip == nil {
			continue
		}
		var before map[string]any
		if a.undo != nil && !created {
			old, found, err := liveLeg(ctx, ts.tx, id, d.dir)
			if err != nil {
				return &RowError{Line: line, Field: d.field, Err: err}
			}
			if found {
				if before, err = columnValues(ctx, ts.tx, "travel_legs", legUndoColumns, old.ID); err != nil {
					return err
				}
			}
		}
		w, err := ts.put(ctx, id, d.dir, d.trip, created)
		if err != nil {
			return &RowError{Line: line, Field: d.field, Err: err}
		}
		if !w.wrote {
			continue
		}
		a.travel = true
		if a.undo == nil {
			continue
		}
		if w.newStation != 0 {
			if err := a.undo.add(ctx, ts.tx, undoEntry{Kind: "station", ID: w.newStation}); err != nil {
				return fmt.Errorf("store: import journal: %w", err)
			}
		}
		if created {
			continue
		}
		after, err := columnValues(ctx, ts.tx, "travel_legs", legUndoColumns, w.leg)
		if err != nil {
			return err
		}
		e := undoEntry{Kind: "leg", ID: w.leg, New: after}
		if !w.created {
			e.Old = before
		}
		if err := a.undo.add(ctx, ts.tx, e); err != nil {
			return fmt.Errorf("store: import journal: %w", err)
		}
	}
	return nil
}

// undoTravel takes back a leg or a station an unfinished import stored: a
// leg it made goes (or, if something names it now, is cancelled), a leg it
// changed gets back what it had; a station it made goes unless something
// uses it now. (A new attendee's legs go with the attendee: dropLegs.)
func (e *undoEntry) undoTravel(ctx context.Context, tx *sql.Tx, now string) error {
	switch {
	case e.Kind == "station":
		_, err := tx.ExecContext(ctx, `DELETE FROM stations WHERE id = ?1
			AND NOT EXISTS (SELECT 1 FROM travel_legs WHERE station_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM vehicle_runs WHERE station_id = ?1)`, e.ID)
		return err
	case e.Old != nil:
		return restoreColumns(ctx, tx, "travel_legs", legUndoColumns, e.Old, e.New, e.ID)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM run_passengers WHERE leg_id = ?`, e.ID); err != nil {
		return err
	}
	err := execExpectingRefusal(ctx, tx, `DELETE FROM travel_legs WHERE id = ?`, e.ID)
	if isConstraint(err) {
		_, err = tx.ExecContext(ctx, `UPDATE travel_legs SET cancelled_at = ?1, cancelled_by = 'import undone', updated_at = ?1
			WHERE id = ?2 AND cancelled_at IS NULL`, now, e.ID)
	}
	return err
}

// SaveTravel stores the desk's edit of attendee's travel: for each
// direction given (Arrival, Departure), the trip becomes the live leg, or,
// given as nil, the live leg is cancelled (it stays on record, and leaves
// its vehicle). Times are the event's (loc).
func (db *DB) SaveTravel(ctx context.Context, attendee int64, trips map[string]*domain.Trip, loc *time.Location, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attendees WHERE id = ?`, attendee).Scan(&n); err != nil {
			return Change{}, err
		} else if n == 0 {
			return Change{}, ErrNotFound
		}
		now := time.Now()
		ts := &tripStore{tx: tx, loc: loc, source: "desk", now: now, stations: map[string]int64{}}
		for _, dir := range []string{Arrival, Departure} {
			t, ok := trips[dir]
			switch {
			case !ok:
				continue
			case t == nil:
				if err := cancelLive(ctx, tx, attendee, dir, now, actor); err != nil {
					return Change{}, err
				}
			default:
				if _, err := ts.put(ctx, attendee, dir, t, false); err != nil {
					return Change{}, err
				}
			}
			if err := audit(ctx, tx, now, actor, "travel.save", fmt.Sprint(attendee), dir); err != nil {
				return Change{}, err
			}
		}
		return Change{Logistics: true}, nil
	})
}

// cancelLive cancels attendee's live leg in direction dir, if any.
func cancelLive(ctx context.Context, tx *sql.Tx, attendee int64, dir string, now time.Time, actor string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM run_passengers WHERE leg_id IN
		(SELECT id FROM travel_legs WHERE attendee_id = ? AND direction = ? AND cancelled_at IS NULL)`, attendee, dir); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE travel_legs SET cancelled_at = ?1, cancelled_by = ?2, updated_at = ?1
		WHERE attendee_id = ?3 AND direction = ?4 AND cancelled_at IS NULL`, FormatTime(now), actor, attendee, dir)
	return err
}

// dropLegs removes the legs of an attendee an unfinished import made, with
// their places in vehicles, before the attendee goes.
func dropLegs(ctx context.Context, tx *sql.Tx, attendee int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM run_passengers WHERE leg_id IN (SELECT id FROM travel_legs WHERE attendee_id = ?)`, attendee); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM travel_legs WHERE attendee_id = ?`, attendee)
	return err
}
