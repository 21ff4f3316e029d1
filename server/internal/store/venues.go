package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiwu/server/internal/domain"
)

// Venues as the desk exports and imports them (issue 16.1): a hall with
// its seats, a dining hall with its tables, each a domain.Venue. Package
// plan checks a venue and words the refusals; these methods read and merge
// the rows, and read the dining halls' tables with their guests for the
// 桌次图.

// SeatMerge counts what an import changed. Its field names are those of
// plan.ImportResult, and the audit trail prints them (%+v) as before.
type SeatMerge struct {
	Created bool
	Added   int
	Updated int
	Removed int
}

// SeatsInUseError refuses an import that would remove seats someone is
// assigned to: nothing is stored, and the desk is told which seats.
type SeatsInUseError struct{ Labels []string }

func (e *SeatsInUseError) Error() string {
	return "store: seats in use: " + strings.Join(e.Labels, ", ")
}

// SeatLabelError refuses a seat whose label another section of the venue
// already uses.
type SeatLabelError struct{ Label string }

func (e *SeatLabelError) Error() string {
	return "store: seat label used by another section: " + e.Label
}

// TableError refuses a dining table the venue could not take (a number
// given twice).
type TableError struct {
	Number int
	Err    error
}

func (e *TableError) Error() string {
	return fmt.Sprintf("store: dining table %d: %v", e.Number, e.Err)
}
func (e *TableError) Unwrap() error { return e.Err }

// VenuePlan reads the venue with its seats (presidium first, then by
// section, row and position) and its tables; ErrNotFound when no venue
// has the code.
func (db *DB) VenuePlan(ctx context.Context, code string) (domain.Venue, error) {
	v := domain.Venue{Seats: []domain.Seat{}}
	var id int64
	var doors string
	err := db.r.QueryRowContext(ctx, `SELECT id, code, name, name_en, kind, capacity, doors FROM venues WHERE code = ?`, code).
		Scan(&id, &v.Code, &v.Name, &v.NameEn, &v.Kind, &v.Capacity, &doors)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	} else if err != nil {
		return v, fmt.Errorf("store: venue %s: %w", code, err)
	}
	_ = json.Unmarshal([]byte(doors), &v.Doors)
	seats, err := readAll(ctx, db.r, "venue seats", func(r interface{ Scan(...any) error }) (domain.Seat, error) {
		var s domain.Seat
		err := r.Scan(&s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.Door, &s.X, &s.Y)
		return s, err
	}, `SELECT label, section, row, number, kind, door, x, y FROM seats WHERE venue_id = ?
		ORDER BY section <> 'presidium', section, row, x, number`, id)
	if err != nil {
		return v, err
	}
	v.Seats = seats
	tables, err := readAll(ctx, db.r, "dining tables", func(r interface{ Scan(...any) error }) (domain.DiningTable, error) {
		var t domain.DiningTable
		err := r.Scan(&t.Number, &t.Seats)
		return t, err
	}, `SELECT number, seats FROM dining_tables WHERE venue_id = ? ORDER BY number`, id)
	if err != nil {
		return v, err
	}
	if len(tables) > 0 {
		v.Tables = tables
	}
	return v, nil
}

// ImportVenue creates the venue or updates the one with its code, in one
// transaction with its audit row: seats are matched by label, new ones
// added, missing ones removed unless someone is assigned there
// (*SeatsInUseError, nothing stored); the dining tables are replaced.
func (db *DB) ImportVenue(ctx context.Context, v domain.Venue, actor string) (SeatMerge, error) {
	doors, err := json.Marshal(v.Doors)
	if err != nil {
		return SeatMerge{}, fmt.Errorf("store: venue doors: %w", err)
	}
	var out SeatMerge
	err = db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM venues WHERE code = ?`, v.Code).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, `INSERT INTO venues (code, name, name_en, kind, capacity, doors) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				v.Code, v.Name, v.NameEn, v.Kind, v.Capacity, string(doors)).Scan(&id); err != nil {
				return Change{}, fmt.Errorf("store: add venue %s: %w", v.Code, err)
			}
			out.Created = true
		case err != nil:
			return Change{}, fmt.Errorf("store: venue %s: %w", v.Code, err)
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE venues SET name = ?, name_en = ?, kind = ?, capacity = ?, doors = ? WHERE id = ?`,
				v.Name, v.NameEn, v.Kind, v.Capacity, string(doors), id); err != nil {
				return Change{}, fmt.Errorf("store: update venue %s: %w", v.Code, err)
			}
		}
		if err := mergeSeats(ctx, tx, id, v.Seats, nil, &out); err != nil {
			return Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dining_tables WHERE venue_id = ?`, id); err != nil {
			return Change{}, fmt.Errorf("store: clear dining tables: %w", err)
		}
		for _, t := range v.Tables {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dining_tables (venue_id, number, seats) VALUES (?, ?, ?)`, id, t.Number, t.Seats); err != nil {
				return Change{}, &TableError{Number: t.Number, Err: err}
			}
		}
		return Change{Catalog: true}, audit(ctx, tx, time.Now(), actor, "venue.import", v.Code, fmt.Sprintf("%+v", out))
	})
	return out, err
}

// ImportSection makes one section of an existing venue hold exactly seats,
// under ImportVenue's rule for seats in use; ErrNotFound when no venue has
// the code.
func (db *DB) ImportSection(ctx context.Context, venue, section string, seats []domain.Seat, actor string) (SeatMerge, error) {
	var out SeatMerge
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM venues WHERE code = ?`, venue).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: venue %s: %w", venue, err)
		}
		if err := mergeSeats(ctx, tx, id, seats, &section, &out); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, time.Now(), actor, "venue.grid", venue, fmt.Sprintf("%s %+v", section, out))
	})
	return out, err
}

// mergeSeats makes the venue's seats (only those of section when section is
// not nil) equal to seats.
func mergeSeats(ctx context.Context, tx *sql.Tx, venue int64, seats []domain.Seat, section *string, out *SeatMerge) error {
	q := `SELECT s.id, s.label, EXISTS (SELECT 1 FROM seat_assignments sa WHERE sa.seat_id = s.id) FROM seats s WHERE s.venue_id = ?`
	args := []any{venue}
	if section != nil {
		q += ` AND s.section = ?`
		args = append(args, *section)
	}
	type have struct {
		id    int64
		inUse bool
	}
	existing := map[string]have{}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: venue seats: %w", err)
	}
	for rows.Next() {
		var label string
		var h have
		if err := rows.Scan(&h.id, &label, &h.inUse); err != nil {
			rows.Close()
			return fmt.Errorf("store: venue seats: %w", err)
		}
		existing[label] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: venue seats: %w", err)
	}
	keep := map[string]bool{}
	for _, s := range seats {
		keep[s.Label] = true
	}
	var inUse []string
	for label, h := range existing {
		if !keep[label] && h.inUse {
			inUse = append(inUse, label)
		}
	}
	if len(inUse) > 0 {
		slices.Sort(inUse)
		return &SeatsInUseError{Labels: inUse}
	}
	for label, h := range existing {
		if !keep[label] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM seats WHERE id = ?`, h.id); err != nil {
				return fmt.Errorf("store: remove seat %s: %w", label, err)
			}
			out.Removed++
		}
	}
	for _, s := range seats {
		res, err := tx.ExecContext(ctx, `INSERT INTO seats (venue_id, label, section, row, number, kind, door, x, y) VALUES (?,?,?,?,?,?,?,?,?)
			ON CONFLICT (venue_id, label) DO UPDATE SET section = excluded.section, row = excluded.row, number = excluded.number,
			kind = excluded.kind, door = excluded.door, x = excluded.x, y = excluded.y`,
			venue, s.Label, s.Section, s.Row, s.Number, s.Kind, s.Door, s.X, s.Y)
		if err != nil {
			if isUnique(err) {
				return &SeatLabelError{Label: s.Label}
			}
			return fmt.Errorf("store: seat %s: %w", s.Label, err)
		}
		if _, ok := existing[s.Label]; ok {
			out.Updated++
		} else if n, _ := res.RowsAffected(); n > 0 {
			out.Added++
		}
	}
	return nil
}

// BanquetTable is a dining table with its guests' names in rank order.
// Its fields match chart.BanquetTable one for one.
type BanquetTable struct {
	Number int
	Seats  int
	Guests []string
}

// BanquetHalls are the ids of the dining halls with tables where meal has
// tickets (or, before anyone has a ticket, of every dining hall with
// tables), in the venues' order.
func (db *DB) BanquetHalls(ctx context.Context, meal string) ([]int64, error) {
	ids, err := readAll(ctx, db.r, "banquet halls", func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	}, `SELECT v.id FROM venues v
		WHERE v.kind = 'dining' AND EXISTS (SELECT 1 FROM dining_tables t WHERE t.venue_id = v.id)
		  AND (EXISTS (SELECT 1 FROM meal_tickets m WHERE m.venue_id = v.id AND m.meal_id = ?1)
		       OR NOT EXISTS (SELECT 1 FROM meal_tickets m WHERE m.meal_id = ?1))
		ORDER BY v.id`, meal)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

// BanquetTables reads the tables of one dining hall with the active guests
// meal seats at each, in rank order; a table nobody sits at has no guests.
func (db *DB) BanquetTables(ctx context.Context, meal string, venue int64) ([]BanquetTable, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT t.number, t.seats, coalesce(a.name, '')
		FROM dining_tables t
		LEFT JOIN meal_tickets m ON m.venue_id = t.venue_id AND m.table_no = t.number AND m.meal_id = ?
		LEFT JOIN attendees a ON a.id = m.attendee_id AND a.status = 'active'
		WHERE t.venue_id = ? ORDER BY t.number, a.rank, a.id`, meal, venue)
	if err != nil {
		return nil, fmt.Errorf("store: banquet tables: %w", err)
	}
	defer rows.Close()
	var out []BanquetTable
	for rows.Next() {
		var t BanquetTable
		var name string
		if err := rows.Scan(&t.Number, &t.Seats, &name); err != nil {
			return nil, fmt.Errorf("store: banquet tables: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].Number != t.Number {
			out = append(out, t)
		}
		if name != "" {
			last := &out[len(out)-1]
			last.Guests = append(last.Guests, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: banquet tables: %w", err)
	}
	return out, nil
}
