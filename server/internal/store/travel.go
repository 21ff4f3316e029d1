package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Travel (issue 12): stations and each attendee's arrival and departure
// leg. The tables are in schema_logistics.go; grouping legs into pickups
// and filling vehicles is package logistics's, which holds no SQL.

// The directions of a leg.
const (
	Arrival   = "arrival"
	Departure = "departure"
)

// Station is where people arrive or leave: an airport, a railway station.
type Station struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	Kind   string `json:"kind"` // airport, rail, road, other
	Sort   int    `json:"sort"`
}

// Leg is one attendee's arrival or departure.
type Leg struct {
	ID         int64  `json:"id"`
	AttendeeID int64  `json:"attendee_id"`
	Direction  string `json:"direction"`        // arrival, departure
	Mode       string `json:"mode,omitempty"`   // flight, train, car, other
	Number     string `json:"number,omitempty"` // CA1234, G123
	StationID  int64  `json:"station_id,omitempty"`
	OnDate     string `json:"on_date,omitempty"` // YYYY-MM-DD in the event's zone
	// At is the moment, nil when only the date is known.
	At         *time.Time `json:"at,omitempty"`
	Companions int        `json:"companions"`
	Ticket     string     `json:"ticket,omitempty"` // departures: needed, booked, self
	TicketNo   string     `json:"ticket_no,omitempty"`
	State      string     `json:"state"` // expected, picked_up, missed, changed, departed
	StateAt    *time.Time `json:"state_at,omitempty"`
	StateBy    string     `json:"state_by,omitempty"`
	Notes      string     `json:"notes,omitempty"`
	Source     string     `json:"source"` // import, desk, reply, pickup
	Replaces   int64      `json:"replaces,omitempty"`
	Cancelled  *time.Time `json:"cancelled_at,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// StationAlias is a station's name as people write it, normalised so that
// "首都 机场", "首都机场" and "ＰＥＫ" / "pek" meet: NFKC, no spaces, upper
// case.
func StationAlias(text string) string {
	s := norm.NFKC.String(text)
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

// Stations lists the stations in their order.
func (db *DB) Stations(ctx context.Context) ([]Station, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, code, name, name_en, kind, sort FROM stations ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("store: stations: %w", err)
	}
	defer rows.Close()
	out := []Station{}
	for rows.Next() {
		var s Station
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.NameEn, &s.Kind, &s.Sort); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// StationAliases maps every alias to its station's id, for matching a
// list's text before anything is written.
func (db *DB) StationAliases(ctx context.Context) (map[string]int64, error) {
	return readMap[string, int64](ctx, db.r, "station aliases", `SELECT alias, station_id FROM station_aliases`)
}

// StationFor answers the station text names inside tx, making a new one
// (named as written, kind guessed by the caller) when no alias matches.
func StationFor(ctx context.Context, tx *sql.Tx, text, kind string) (int64, error) {
	alias := StationAlias(text)
	if alias == "" {
		return 0, errors.New("store: a station needs a name")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT station_id FROM station_aliases WHERE alias = ?`, alias).Scan(&id)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: station %q: %w", text, err)
	}
	if kind == "" {
		kind = "other"
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO stations (code, name, kind, sort)
		VALUES ('s' || (SELECT coalesce(max(id), 0) + 1 FROM stations), ?, ?, (SELECT coalesce(max(sort), 0) + 1 FROM stations))
		RETURNING id`,
		strings.TrimSpace(text), kind).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: new station %q: %w", text, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO station_aliases (alias, station_id) VALUES (?, ?)`, alias, id); err != nil {
		return 0, fmt.Errorf("store: alias of station %q: %w", text, err)
	}
	return id, nil
}

// SaveStation creates or changes a station by code and adds aliases (its
// name is always one); the desk names stations and merges spellings.
func (db *DB) SaveStation(ctx context.Context, s Station, aliases []string, actor string) (Station, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if s.Kind == "" {
			s.Kind = "other"
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO stations (code, name, name_en, kind, sort) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind, sort = excluded.sort
			RETURNING id`, s.Code, s.Name, s.NameEn, s.Kind, s.Sort).Scan(&s.ID)
		if err != nil {
			return Change{}, fmt.Errorf("store: save station %q: %w", s.Code, err)
		}
		for _, a := range append([]string{s.Name, s.NameEn, s.Code}, aliases...) {
			if a = StationAlias(a); a == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO station_aliases (alias, station_id) VALUES (?, ?)
				ON CONFLICT (alias) DO UPDATE SET station_id = excluded.station_id`, a, s.ID); err != nil {
				return Change{}, fmt.Errorf("store: alias %q: %w", a, err)
			}
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "station.save", s.Code, s.Name)
	})
	return s, err
}

// MergeStation moves every leg, run and alias of station from onto into,
// and removes from: two spellings of one airport become one station.
func (db *DB) MergeStation(ctx context.Context, from, into int64, actor string) error {
	if from == into {
		return nil
	}
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var kept int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stations WHERE id IN (?1, ?2)`, from, into).Scan(&kept); err != nil {
			return Change{}, fmt.Errorf("store: merge station: %w", err)
		}
		if kept != 2 {
			return Change{}, ErrNotFound
		}
		for _, q := range []string{
			`UPDATE travel_legs SET station_id = ?2 WHERE station_id = ?1`,
			`UPDATE vehicle_runs SET station_id = ?2 WHERE station_id = ?1`,
			`UPDATE station_aliases SET station_id = ?2 WHERE station_id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
				return Change{}, fmt.Errorf("store: merge station: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM stations WHERE id = ?`, from)
		if err != nil {
			return Change{}, fmt.Errorf("store: merge station: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "station.merge", fmt.Sprint(from), fmt.Sprint(into))
	})
}

// legColumns are the columns scanLeg reads, in its order.
const legColumns = `id, attendee_id, direction, mode, number, coalesce(station_id, 0), on_date, at, companions,
	ticket, ticket_no, state, state_at, state_by, notes, source, coalesce(replaces, 0), coalesce(cancelled_at, ''), updated_at`

func scanLeg(row interface{ Scan(...any) error }) (Leg, error) {
	var l Leg
	var at, stateAt, cancelled, updated string
	if err := row.Scan(&l.ID, &l.AttendeeID, &l.Direction, &l.Mode, &l.Number, &l.StationID, &l.OnDate, &at, &l.Companions,
		&l.Ticket, &l.TicketNo, &l.State, &stateAt, &l.StateBy, &l.Notes, &l.Source, &l.Replaces, &cancelled, &updated); err != nil {
		return l, err
	}
	l.At, l.StateAt, l.Cancelled = optTime(at), optTime(stateAt), optTime(cancelled)
	l.UpdatedAt = ReadTime(updated)
	return l, nil
}

func optTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := ReadTime(s)
	return &t
}

func fmtOptTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return FormatTime(*t)
}

// LegFilter picks legs; zero fields pick all.
type LegFilter struct {
	Direction string
	OnDate    string // YYYY-MM-DD
	StationID int64
	Attendee  int64
	// Cancelled includes cancelled (rebooked) legs.
	Cancelled bool
}

// Legs lists legs in time order (legs without a time last in their day).
func (db *DB) Legs(ctx context.Context, f LegFilter) ([]Leg, error) {
	where, args := f.where()
	return readAll(ctx, db.r, "legs", scanLeg, `SELECT `+legColumns+` FROM travel_legs WHERE `+where+` ORDER BY on_date, at = '', at, id`, args...)
}

// where is the condition on travel_legs that f picks.
func (f LegFilter) where() (string, []any) {
	q, args := `1 = 1`, []any{}
	if !f.Cancelled {
		q += ` AND cancelled_at IS NULL`
	}
	if f.Direction != "" {
		q, args = q+` AND direction = ?`, append(args, f.Direction)
	}
	if f.OnDate != "" {
		q, args = q+` AND on_date = ?`, append(args, f.OnDate)
	}
	if f.StationID != 0 {
		q, args = q+` AND station_id = ?`, append(args, f.StationID)
	}
	if f.Attendee != 0 {
		q, args = q+` AND attendee_id = ?`, append(args, f.Attendee)
	}
	return q, args
}

// Leg reads one leg.
func (db *DB) Leg(ctx context.Context, id int64) (Leg, error) {
	l, err := scanLeg(db.r.QueryRowContext(ctx, `SELECT `+legColumns+` FROM travel_legs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	return l, err
}

// PutLeg stores l as its attendee's live leg in its direction inside tx:
// the live leg is changed in place (ids stay, so a vehicle keeps its
// passenger), or made. It answers the leg's id.
func PutLeg(ctx context.Context, tx *sql.Tx, l Leg, now time.Time) (int64, error) {
	if l.Direction != Arrival && l.Direction != Departure {
		return 0, fmt.Errorf("store: leg direction %q", l.Direction)
	}
	if l.State == "" {
		l.State = "expected"
	}
	if l.Source == "" {
		l.Source = "desk"
	}
	station := sql.NullInt64{Int64: l.StationID, Valid: l.StationID != 0}
	ts := FormatTime(now)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO travel_legs (attendee_id, direction, mode, number, station_id, on_date, at,
			companions, ticket, ticket_no, notes, source, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (attendee_id, direction) WHERE cancelled_at IS NULL DO UPDATE SET
			mode = excluded.mode, number = excluded.number, station_id = excluded.station_id, on_date = excluded.on_date,
			at = excluded.at, companions = excluded.companions, ticket = excluded.ticket, ticket_no = excluded.ticket_no,
			notes = excluded.notes, source = excluded.source, updated_at = excluded.updated_at
		RETURNING id`,
		l.AttendeeID, l.Direction, l.Mode, l.Number, station, l.OnDate, fmtOptTime(l.At),
		l.Companions, l.Ticket, l.TicketNo, l.Notes, l.Source, l.State, ts, ts).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: put %s leg of %d: %w", l.Direction, l.AttendeeID, err)
	}
	return id, nil
}

// SaveLeg stores l (see PutLeg) as actor, audited.
func (db *DB) SaveLeg(ctx context.Context, l Leg, actor string) (Leg, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var err error
		if id, err = PutLeg(ctx, tx, l, time.Now()); err != nil {
			return Change{}, err
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "travel.save", fmt.Sprint(l.AttendeeID), l.Direction+" "+l.Number)
	})
	if err != nil {
		return Leg{}, err
	}
	return db.Leg(ctx, id)
}

// The states of a leg.
var legStates = map[string]bool{"expected": true, "picked_up": true, "missed": true, "changed": true, "departed": true}

// SetLegState records what happened to a leg (已接, 未到, 改签 …) and who
// said so; notes, if given, replace the leg's.
func (db *DB) SetLegState(ctx context.Context, id int64, state, notes, actor string) (Leg, error) {
	if !legStates[state] {
		return Leg{}, fmt.Errorf("store: leg state %q", state)
	}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := FormatTime(time.Now())
		res, err := tx.ExecContext(ctx, `UPDATE travel_legs SET state = ?, state_at = ?, state_by = ?,
			notes = CASE WHEN ? = '' THEN notes ELSE ? END, updated_at = ? WHERE id = ? AND cancelled_at IS NULL`,
			state, now, actor, notes, notes, now, id)
		if err != nil {
			return Change{}, fmt.Errorf("store: leg state: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "travel.state", fmt.Sprint(id), state)
	})
	if err != nil {
		return Leg{}, err
	}
	return db.Leg(ctx, id)
}

// LegMark is a state to record for one leg, at the moment it happened.
type LegMark struct {
	ID    int64
	State string
	At    time.Time
}

// MarkLegs records many legs' states in one transaction, each at its own
// moment (the demo's morning already met at the station).
func (db *DB) MarkLegs(ctx context.Context, marks []LegMark, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := FormatTime(time.Now())
		for _, m := range marks {
			if !legStates[m.State] {
				return Change{}, fmt.Errorf("store: leg state %q", m.State)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE travel_legs SET state = ?, state_at = ?, state_by = ?, updated_at = ?
				WHERE id = ? AND cancelled_at IS NULL`, m.State, FormatTime(m.At), actor, now, m.ID); err != nil {
				return Change{}, fmt.Errorf("store: mark leg %d: %w", m.ID, err)
			}
		}
		return Change{Logistics: true}, nil
	})
}

// Rebook cancels the live leg id and stores next in its place (改签, or a
// departure cancelled by weather and booked again): the old leg stays on
// record, cancelled, and the new one names it. A vehicle that carried the
// old leg no longer does.
func (db *DB) Rebook(ctx context.Context, id int64, next Leg, reason, actor string) (Leg, error) {
	var newID int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var err error
		newID, err = rebook(ctx, tx, id, next, reason, actor, time.Now())
		return Change{Logistics: true}, err
	})
	if err != nil {
		return Leg{}, err
	}
	return db.Leg(ctx, newID)
}

// rebook is Rebook inside tx; it answers the new leg's id.
func rebook(ctx context.Context, tx *sql.Tx, id int64, next Leg, reason, actor string, now time.Time) (int64, error) {
	old, err := cancelLeg(ctx, tx, id, actor, now)
	if err != nil {
		return 0, err
	}
	next.AttendeeID, next.Direction = old.AttendeeID, old.Direction
	newID, err := PutLeg(ctx, tx, next, now)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE travel_legs SET replaces = ? WHERE id = ?`, id, newID); err != nil {
		return 0, fmt.Errorf("store: rebook: %w", err)
	}
	return newID, audit(ctx, tx, now, actor, "travel.rebook", fmt.Sprint(old.AttendeeID),
		fmt.Sprintf("%s %s → %s: %s", old.Direction, old.Number, next.Number, reason))
}

// CancelLeg cancels the live leg id with nothing in its place (a departure
// called off, the person stranded until it is booked again): it stays on
// record, cancelled, and leaves its vehicle.
func (db *DB) CancelLeg(ctx context.Context, id int64, reason, actor string) (Leg, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		old, err := cancelLeg(ctx, tx, id, actor, now)
		if err != nil {
			return Change{}, err
		}
		return Change{Logistics: true}, audit(ctx, tx, now, actor, "travel.cancel", fmt.Sprint(old.AttendeeID),
			fmt.Sprintf("%s %s: %s", old.Direction, old.Number, reason))
	})
	if err != nil {
		return Leg{}, err
	}
	return db.Leg(ctx, id)
}

// cancelLeg cancels the live leg id inside tx and takes it off its
// vehicle; it answers the leg as it was.
func cancelLeg(ctx context.Context, tx *sql.Tx, id int64, actor string, now time.Time) (Leg, error) {
	old, err := scanLeg(tx.QueryRowContext(ctx, `SELECT `+legColumns+` FROM travel_legs WHERE id = ? AND cancelled_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Leg{}, ErrNotFound
	} else if err != nil {
		return Leg{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE travel_legs SET cancelled_at = ?, cancelled_by = ?, updated_at = ? WHERE id = ?`,
		FormatTime(now), actor, FormatTime(now), id); err != nil {
		return Leg{}, fmt.Errorf("store: cancel leg: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM run_passengers WHERE leg_id = ?`, id); err != nil {
		return Leg{}, fmt.Errorf("store: cancel leg: %w", err)
	}
	return old, nil
}
