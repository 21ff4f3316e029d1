package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Runs (issue 12.2): one trip of a vehicle to meet arrivals at a station,
// or to take departures there, with the legs it carries. A vehicle never
// carries more than its seats, companions counted; a leg rides at most one
// run, of its own direction and station.

// Errors of runs.
var (
	ErrBadRun      = errors.New("store: bad run")
	ErrLegTaken    = errors.New("store: the leg rides another run")
	ErrLegMismatch = errors.New("store: the leg is not of the run's direction and station, or no longer live")
)

// Run is one trip of a vehicle.
type Run struct {
	ID        int64  `json:"id"`
	VehicleID int64  `json:"vehicle_id"`
	Direction string `json:"direction"` // arrival, departure
	StationID int64  `json:"station_id"`
	// At is when an arrival run meets its first arrival, or when a
	// departure run leaves for the station.
	At    time.Time `json:"at"`
	State string    `json:"state"` // planned, out, done
	Notes string    `json:"notes,omitempty"`
	// Legs are the passengers' legs, in their time order.
	Legs []int64 `json:"legs"`
	// Seats is what the passengers take, companions included.
	Seats int `json:"seats"`
}

// RunFilter picks runs; zero fields pick all.
type RunFilter struct {
	Direction string
	VehicleID int64
	StationID int64
	// From and To bound At (From included, To not).
	From, To time.Time
}

var runStates = map[string]bool{"planned": true, "out": true, "done": true}

func (f RunFilter) where() (string, []any) {
	q, args := ` WHERE 1 = 1`, []any{}
	if f.Direction != "" {
		q, args = q+` AND r.direction = ?`, append(args, f.Direction)
	}
	if f.VehicleID != 0 {
		q, args = q+` AND r.vehicle_id = ?`, append(args, f.VehicleID)
	}
	if f.StationID != 0 {
		q, args = q+` AND r.station_id = ?`, append(args, f.StationID)
	}
	if !f.From.IsZero() {
		q, args = q+` AND r.at >= ?`, append(args, FormatTime(f.From))
	}
	if !f.To.IsZero() {
		q, args = q+` AND r.at < ?`, append(args, FormatTime(f.To))
	}
	return q, args
}

// Runs lists runs in time order with their passengers.
func (db *DB) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	return readRuns(ctx, db.r, f, 0)
}

// Run reads one run.
func (db *DB) Run(ctx context.Context, id int64) (Run, error) {
	rs, err := readRuns(ctx, db.r, RunFilter{}, id)
	if err != nil {
		return Run{}, err
	}
	if len(rs) == 0 {
		return Run{}, ErrNotFound
	}
	return rs[0], nil
}

func readRuns(ctx context.Context, q querier, f RunFilter, id int64) ([]Run, error) {
	where, args := f.where()
	if id != 0 {
		where, args = where+` AND r.id = ?`, append(args, id)
	}
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.vehicle_id, r.direction, r.station_id, r.at, r.state, r.notes,
		p.leg_id, 1 + l.companions
		FROM vehicle_runs r
		LEFT JOIN run_passengers p ON p.run_id = r.id
		LEFT JOIN travel_legs l ON l.id = p.leg_id`+where+`
		ORDER BY r.at, r.id, l.at = '', l.at, l.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		var at string
		var leg, seats sql.NullInt64
		if err := rows.Scan(&r.ID, &r.VehicleID, &r.Direction, &r.StationID, &at, &r.State, &r.Notes, &leg, &seats); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != r.ID {
			r.At, r.Legs = ReadTime(at), []int64{}
			out = append(out, r)
		}
		if leg.Valid {
			last := &out[len(out)-1]
			last.Legs = append(last.Legs, leg.Int64)
			last.Seats += int(seats.Int64)
		}
	}
	return out, rows.Err()
}

// insertRun stores a new run (its passengers apart) and answers its id.
func insertRun(ctx context.Context, tx *sql.Tx, r Run, now time.Time) (int64, error) {
	if r.Direction != Arrival && r.Direction != Departure {
		return 0, fmt.Errorf("%w: direction %q", ErrBadRun, r.Direction)
	}
	if r.VehicleID == 0 || r.StationID == 0 || r.At.IsZero() {
		return 0, fmt.Errorf("%w: a run needs a vehicle, a station and a time", ErrBadRun)
	}
	if r.State == "" {
		r.State = "planned"
	}
	if !runStates[r.State] {
		return 0, fmt.Errorf("%w: state %q", ErrBadRun, r.State)
	}
	ts := FormatTime(now)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO vehicle_runs (vehicle_id, direction, station_id, at, state, notes, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.VehicleID, r.Direction, r.StationID, FormatTime(r.At), r.State,
		strings.TrimSpace(r.Notes), ts, ts).Scan(&id)
	if isForeignKey(err) {
		return 0, ErrNotFound
	} else if err != nil {
		return 0, fmt.Errorf("store: new run: %w", err)
	}
	return id, nil
}

// board puts legs on run inside tx: each live, of the run's direction and
// station, and on no other run (ErrLegTaken); then the run must still fit
// its vehicle (*CapacityError).
func board(ctx context.Context, tx *sql.Tx, run int64, legs []int64) error {
	var direction string
	var station int64
	if err := tx.QueryRowContext(ctx, `SELECT direction, station_id FROM vehicle_runs WHERE id = ?`, run).Scan(&direction, &station); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return fmt.Errorf("store: board: %w", err)
	}
	for _, leg := range legs {
		var dir string
		var st, on sql.NullInt64
		var live bool
		err := tx.QueryRowContext(ctx, `SELECT l.direction, l.station_id, l.cancelled_at IS NULL, p.run_id
			FROM travel_legs l LEFT JOIN run_passengers p ON p.leg_id = l.id WHERE l.id = ?`, leg).Scan(&dir, &st, &live, &on)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: leg %d", ErrNotFound, leg)
		} else if err != nil {
			return fmt.Errorf("store: board: %w", err)
		}
		switch {
		case on.Valid && on.Int64 == run:
			continue
		case on.Valid:
			return fmt.Errorf("%w: leg %d is on run %d", ErrLegTaken, leg, on.Int64)
		case !live || dir != direction || st.Int64 != station:
			return fmt.Errorf("%w: leg %d", ErrLegMismatch, leg)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_passengers (run_id, leg_id) VALUES (?, ?)`, run, leg); err != nil {
			return fmt.Errorf("store: board: %w", err)
		}
	}
	return checkRunLoad(ctx, tx, run)
}

// checkRunLoad answers a *CapacityError when run carries more than its
// vehicle's seats.
func checkRunLoad(ctx context.Context, tx *sql.Tx, run int64) error {
	return checkLoads(ctx, tx, `r.id = ?`, run)
}

// checkVehicleLoads checks every run of vehicle that is not done.
func checkVehicleLoads(ctx context.Context, tx *sql.Tx, vehicle int64) error {
	return checkLoads(ctx, tx, `r.vehicle_id = ? AND r.state != 'done'`, vehicle)
}

func checkLoads(ctx context.Context, tx *sql.Tx, cond string, arg int64) error {
	var e CapacityError
	err := tx.QueryRowContext(ctx, `SELECT v.code, v.plate, v.seats, coalesce(sum(1 + l.companions), 0) AS need
		FROM vehicle_runs r JOIN vehicles v ON v.id = r.vehicle_id
		LEFT JOIN run_passengers p ON p.run_id = r.id LEFT JOIN travel_legs l ON l.id = p.leg_id
		WHERE `+cond+` GROUP BY r.id, v.code, v.plate, v.seats HAVING coalesce(sum(1 + l.companions), 0) > v.seats
		ORDER BY r.id LIMIT 1`, arg).Scan(&e.Vehicle, &e.Plate, &e.Seats, &e.Need)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("store: vehicle load: %w", err)
	}
	return &e
}

// CreateRun makes a run with passengers r.Legs (possibly none).
func (db *DB) CreateRun(ctx context.Context, r Run, actor string) (Run, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		var err error
		if id, err = insertRun(ctx, tx, r, now); err != nil {
			return Change{}, err
		}
		if err := board(ctx, tx, id, r.Legs); err != nil {
			return Change{}, err
		}
		return Change{Logistics: true}, audit(ctx, tx, now, actor, "run.create", fmt.Sprint(id),
			fmt.Sprintf("vehicle %d %s station %d %s legs %v", r.VehicleID, r.Direction, r.StationID, FormatTime(r.At), r.Legs))
	})
	if err != nil {
		return Run{}, err
	}
	return db.Run(ctx, id)
}

// RunChange is what ChangeRun changes; zero fields stay.
type RunChange struct {
	VehicleID int64
	At        *time.Time
	State     string
	Notes     *string
}

// ChangeRun gives run id another vehicle (which must seat its passengers),
// time, state or notes.
func (db *DB) ChangeRun(ctx context.Context, id int64, c RunChange, actor string) (Run, error) {
	if c.State != "" && !runStates[c.State] {
		return Run{}, fmt.Errorf("%w: state %q", ErrBadRun, c.State)
	}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		var at, notes string
		if c.At != nil {
			at = FormatTime(*c.At)
		}
		if c.Notes != nil {
			notes = strings.TrimSpace(*c.Notes)
		}
		res, err := tx.ExecContext(ctx, `UPDATE vehicle_runs SET
			vehicle_id = CASE WHEN ?1 = 0 THEN vehicle_id ELSE ?1 END,
			at = CASE WHEN ?2 = '' THEN at ELSE ?2 END,
			state = CASE WHEN ?3 = '' THEN state ELSE ?3 END,
			notes = CASE WHEN ?4 THEN ?5 ELSE notes END,
			updated_at = ?6 WHERE id = ?7`, c.VehicleID, at, c.State, c.Notes != nil, notes, FormatTime(now), id)
		if isForeignKey(err) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: change run: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		if err := checkRunLoad(ctx, tx, id); err != nil {
			return Change{}, err
		}
		return Change{Logistics: true}, audit(ctx, tx, now, actor, "run.change", fmt.Sprint(id),
			fmt.Sprintf("vehicle %d at %s state %s", c.VehicleID, at, c.State))
	})
	if err != nil {
		return Run{}, err
	}
	return db.Run(ctx, id)
}

// RemoveRun removes a run; its passengers' legs stay, on no run.
func (db *DB) RemoveRun(ctx context.Context, id int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		res, err := tx.ExecContext(ctx, `DELETE FROM vehicle_runs WHERE id = ?`, id)
		if err != nil {
			return Change{}, fmt.Errorf("store: remove run: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "run.remove", fmt.Sprint(id), "")
	})
}

// MoveLeg takes leg off whatever run carries it and puts it on run (0:
// on none).
func (db *DB) MoveLeg(ctx context.Context, leg, run int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM run_passengers WHERE leg_id = ?`, leg); err != nil {
			return Change{}, fmt.Errorf("store: move leg: %w", err)
		}
		if run != 0 {
			if err := board(ctx, tx, run, []int64{leg}); err != nil {
				return Change{}, err
			}
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "run.move", fmt.Sprint(leg), fmt.Sprintf("to run %d", run))
	})
}

// RunPlan is one run of a fill: a new run (Run.ID 0, made from Run's
// fields) or one that exists, and the legs to put on it.
type RunPlan struct {
	Run Run
	Add []int64
}

// ApplyRuns stores a fill in one transaction: every new run made and
// every passenger boarded, or, if any leg is taken or mismatched or any
// vehicle would be over its seats, nothing. It answers the runs in the
// plans' order.
func (db *DB) ApplyRuns(ctx context.Context, plans []RunPlan, actor string) ([]Run, error) {
	ids := make([]int64, len(plans))
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		made, legs := 0, 0
		for i, p := range plans {
			ids[i] = p.Run.ID
			if ids[i] == 0 {
				var err error
				if ids[i], err = insertRun(ctx, tx, p.Run, now); err != nil {
					return Change{}, err
				}
				made++
			}
			if err := board(ctx, tx, ids[i], p.Add); err != nil {
				return Change{}, err
			}
			legs += len(p.Add)
		}
		return Change{Logistics: true}, audit(ctx, tx, now, actor, "run.fill", "",
			fmt.Sprintf("%d runs made, %d filled, %d passengers", made, len(plans)-made, legs))
	})
	if err != nil {
		return nil, err
	}
	out := make([]Run, len(ids))
	for i, id := range ids {
		if out[i], err = db.Run(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}
