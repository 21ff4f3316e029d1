package plan

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"huiwu/server/internal/store"
)

// Venue is a venue as exported and imported (JSON): a hall with its seats,
// a dining hall with its tables.
type Venue struct {
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	NameEn   string      `json:"name_en"`
	Kind     string      `json:"kind"`
	Capacity int         `json:"capacity"`
	Doors    []string    `json:"doors"`
	Seats    []VenueSeat `json:"seats"`
	Tables   []Table     `json:"tables,omitempty"`
}

// VenueSeat is one seat of an exported hall.
type VenueSeat struct {
	Label   string  `json:"seat"`
	Section string  `json:"section"`
	Row     int     `json:"row"`
	Number  int     `json:"number"`
	Kind    string  `json:"kind"`
	Door    string  `json:"door,omitempty"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
}

// Table is a numbered dining table.
type Table struct {
	Number int `json:"number"`
	Seats  int `json:"seats"`
}

// ImportResult says what an import changed.
type ImportResult struct {
	Created bool `json:"created"`
	Added   int  `json:"added"`
	Updated int  `json:"updated"`
	Removed int  `json:"removed"`
}

var seatKinds = []string{"normal", "presidium", "reserved", "blocked", "wheelchair"}

// ExportVenue reads a venue with its seats and tables.
func ExportVenue(ctx context.Context, db *store.DB, code string) (Venue, error) {
	v := Venue{Seats: []VenueSeat{}}
	var id int64
	var doors string
	err := db.R.QueryRowContext(ctx, `SELECT id, code, name, name_en, kind, capacity, doors FROM venues WHERE code = ?`, code).
		Scan(&id, &v.Code, &v.Name, &v.NameEn, &v.Kind, &v.Capacity, &doors)
	if errors.Is(err, sql.ErrNoRows) {
		return v, store.ErrNotFound
	} else if err != nil {
		return v, err
	}
	_ = json.Unmarshal([]byte(doors), &v.Doors)
	rows, err := db.R.QueryContext(ctx, `SELECT label, section, row, number, kind, door, x, y FROM seats WHERE venue_id = ?
		ORDER BY section <> 'presidium', section, row, x, number`, id)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	for rows.Next() {
		var s VenueSeat
		if err := rows.Scan(&s.Label, &s.Section, &s.Row, &s.Number, &s.Kind, &s.Door, &s.X, &s.Y); err != nil {
			return v, err
		}
		v.Seats = append(v.Seats, s)
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	trows, err := db.R.QueryContext(ctx, `SELECT number, seats FROM dining_tables WHERE venue_id = ? ORDER BY number`, id)
	if err != nil {
		return v, err
	}
	defer trows.Close()
	for trows.Next() {
		var t Table
		if err := trows.Scan(&t.Number, &t.Seats); err != nil {
			return v, err
		}
		v.Tables = append(v.Tables, t)
	}
	return v, trows.Err()
}

// checkVenue refuses a venue the store could not hold consistently.
func checkVenue(v Venue) error {
	bad := func(zh, en string) error {
		return &Error{"bad_venue", "会场数据有误：" + zh, "invalid venue: " + en}
	}
	if v.Code == "" || v.Name == "" {
		return bad("缺少 code 或 name", "code and name are required")
	}
	if !slices.Contains([]string{"hall", "room", "dining", "hotel"}, v.Kind) {
		return bad("kind 应为 hall/room/dining/hotel", "kind must be hall, room, dining or hotel")
	}
	seen := map[string]bool{}
	for i, s := range v.Seats {
		switch {
		case s.Label == "" || s.Section == "":
			return bad(fmt.Sprintf("第%d个座位缺少 seat 或 section", i+1), fmt.Sprintf("seat %d has no label or section", i+1))
		case seen[s.Label]:
			return bad("座位重复："+s.Label, "duplicate seat "+s.Label)
		case !slices.Contains(seatKinds, s.Kind):
			return bad(s.Label+" 的 kind 无效", "seat "+s.Label+": unknown kind "+s.Kind)
		}
		seen[s.Label] = true
	}
	return nil
}

// ImportVenue creates the venue or updates the one with its code: seats
// are matched by label, new ones added, missing ones removed — unless a
// session still seats someone there, in which case nothing is stored and
// the error names the seats. The caller reloads the catalog.
func ImportVenue(ctx context.Context, db *store.DB, v Venue, actor string) (ImportResult, error) {
	if v.Kind == "" {
		v.Kind = "hall"
	}
	if err := checkVenue(v); err != nil {
		return ImportResult{}, err
	}
	if v.Doors == nil {
		v.Doors = []string{}
	}
	if v.Capacity == 0 {
		v.Capacity = len(v.Seats)
	}
	doors, _ := json.Marshal(v.Doors)
	var out ImportResult
	err := db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM venues WHERE code = ?`, v.Code).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.ExecContext(ctx, `INSERT INTO venues (code, name, name_en, kind, capacity, doors) VALUES (?, ?, ?, ?, ?, ?)`,
				v.Code, v.Name, v.NameEn, v.Kind, v.Capacity, string(doors))
			if err != nil {
				return store.Change{}, err
			}
			id, _ = res.LastInsertId()
			out.Created = true
		case err != nil:
			return store.Change{}, err
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE venues SET name = ?, name_en = ?, kind = ?, capacity = ?, doors = ? WHERE id = ?`,
				v.Name, v.NameEn, v.Kind, v.Capacity, string(doors), id); err != nil {
				return store.Change{}, err
			}
		}
		if err := mergeSeats(ctx, tx, id, v.Seats, nil, &out); err != nil {
			return store.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dining_tables WHERE venue_id = ?`, id); err != nil {
			return store.Change{}, err
		}
		for _, t := range v.Tables {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dining_tables (venue_id, number, seats) VALUES (?, ?, ?)`, id, t.Number, t.Seats); err != nil {
				return store.Change{}, &Error{"bad_venue", fmt.Sprintf("会场数据有误：桌号 %d 重复", t.Number), fmt.Sprintf("invalid venue: table %d twice", t.Number)}
			}
		}
		return store.Change{}, audit(ctx, tx, actor, "venue.import", v.Code, fmt.Sprintf("%+v", out))
	})
	return out, err
}

// ErrSeatsInUse is returned by an import that would remove seats someone
// is assigned to.
type ErrSeatsInUse struct{ Labels []string }

func (e *ErrSeatsInUse) Error() string { return "seats in use: " + strings.Join(e.Labels, ", ") }

// mergeSeats makes the venue's seats (only those of section when section is
// not nil) equal to seats.
func mergeSeats(ctx context.Context, tx *sql.Tx, venue int64, seats []VenueSeat, section *string, out *ImportResult) error {
	q := `SELECT s.id, s.label, EXISTS (SELECT 1 FROM seat_assignments sa WHERE sa.seat_id = s.id) FROM seats s WHERE s.venue_id = ?`
	args := []any{venue}
	if section != nil {
		q += ` AND s.section = ?`
		args = append(args, *section)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	type have struct {
		id    int64
		inUse bool
	}
	existing := map[string]have{}
	for rows.Next() {
		var label string
		var h have
		if err := rows.Scan(&h.id, &label, &h.inUse); err != nil {
			rows.Close()
			return err
		}
		existing[label] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
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
		return &ErrSeatsInUse{Labels: inUse}
	}
	for label, h := range existing {
		if !keep[label] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM seats WHERE id = ?`, h.id); err != nil {
				return err
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
			if strings.Contains(err.Error(), "UNIQUE") {
				return &Error{"bad_venue", "座位编号与其他区重复：" + s.Label, "seat label used by another section: " + s.Label}
			}
			return err
		}
		if _, ok := existing[s.Label]; ok {
			out.Updated++
		} else if n, _ := res.RowsAffected(); n > 0 {
			out.Added++
		}
	}
	return nil
}
