package store

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"huiwu/server/internal/eventdef"
)

// venues upserts every venue with its seats, tables and rooms. Seats are
// merged by label so that seat ids (and so assignments) survive a change;
// a venue whose definition did not change keeps its rows untouched (a
// hall's thousands of seats need not be written for a moved door).
func (w *defWriter) venues() error {
	w.venueID = map[string]int64{}
	old := byCode(w.cur.Venues, func(v eventdef.Venue) string { return v.Code })
	for i, v := range w.next.Venues {
		if o, ok := old[v.Code]; ok && reflect.DeepEqual(o, v) {
			// Unchanged: only its place in the list may have moved.
			var id int64
			if err := w.tx.QueryRowContext(w.ctx, `UPDATE venues SET sort = ? WHERE code = ? RETURNING id`, i+1, v.Code).Scan(&id); err != nil {
				return fmt.Errorf("venue %s: %w", v.Code, err)
			}
			w.venueID[v.Code] = id
			continue
		}
		doors, _ := json.Marshal(nonNil(v.Doors))
		lay, _ := json.Marshal(layout{Presidium: v.Presidium, Sections: v.Sections})
		var id int64
		err := w.tx.QueryRowContext(w.ctx, `INSERT INTO venues (code, name, name_en, kind, capacity, doors, layout, sort) VALUES (?,?,?,?,?,?,?,?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
			capacity = excluded.capacity, doors = excluded.doors, layout = excluded.layout, sort = excluded.sort
			RETURNING id`, v.Code, v.Name, v.NameEn, v.Kind, v.Capacity, string(doors), string(lay), i+1).Scan(&id)
		if err != nil {
			return fmt.Errorf("venue %s: %w", v.Code, err)
		}
		w.venueID[v.Code] = id
		if err := w.seats(id, eventdef.Layout(v)); err != nil {
			return fmt.Errorf("venue %s: %w", v.Code, err)
		}
		if err := w.exec(`DELETE FROM dining_tables WHERE venue_id = ?`, id); err != nil {
			return err
		}
		for _, t := range v.Tables {
			if err := w.exec(`INSERT INTO dining_tables (venue_id, number, seats) VALUES (?,?,?)`, id, t.Number, t.Seats); err != nil {
				return fmt.Errorf("venue %s table %d: %w", v.Code, t.Number, err)
			}
		}
		if err := w.exec(`DELETE FROM hotel_rooms WHERE venue_id = ?`, id); err != nil {
			return err
		}
		// sort keeps the definition's order of the rooms (v23).
		for i, r := range v.Rooms {
			if err := w.exec(`INSERT INTO hotel_rooms (venue_id, number, beds, sort) VALUES (?,?,?,?)`, id, r.Number, r.Beds, i+1); err != nil {
				return fmt.Errorf("venue %s room %s: %w", v.Code, r.Number, err)
			}
		}
	}
	return nil
}

// seats makes the venue's seats equal to seats, keeping the row of every
// label that stays. conflicts has refused removing an occupied seat.
func (w *defWriter) seats(venue int64, seats []eventdef.Seat) error {
	keep := make(map[string]bool, len(seats))
	for _, s := range seats {
		keep[s.Label] = true
	}
	rows, err := w.tx.QueryContext(w.ctx, `SELECT id, label FROM seats WHERE venue_id = ?`, venue)
	if err != nil {
		return err
	}
	var drop []int64
	for rows.Next() {
		var id int64
		var label string
		if err := rows.Scan(&id, &label); err != nil {
			rows.Close()
			return err
		}
		if !keep[label] {
			drop = append(drop, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range drop {
		if err := w.exec(`DELETE FROM seats WHERE id = ?`, id); err != nil {
			return err
		}
	}
	stmt, err := w.tx.PrepareContext(w.ctx, `INSERT INTO seats (venue_id, label, section, row, number, kind, door, x, y) VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT (venue_id, label) DO UPDATE SET section = excluded.section, row = excluded.row, number = excluded.number,
		kind = excluded.kind, door = excluded.door, x = excluded.x, y = excluded.y
		WHERE (seats.section, seats.row, seats.number, seats.kind, seats.door, seats.x, seats.y) IS DISTINCT FROM (excluded.section, excluded.row, excluded.number, excluded.kind, excluded.door, excluded.x, excluded.y)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, s := range seats {
		kind := s.Kind
		if kind == "" {
			kind = "normal"
		}
		if _, err := stmt.ExecContext(w.ctx, venue, s.Label, s.Section, s.Row, s.Number, kind, s.Door, s.X, s.Y); err != nil {
			return fmt.Errorf("seat %s: %w", s.Label, err)
		}
	}
	return nil
}

// group returns the id of the discussion group name, creating it (meeting
// in venue) when it is new.
func (w *defWriter) group(name string, venue int64) (any, error) {
	if name == "" {
		return nil, nil
	}
	var id int64
	err := w.tx.QueryRowContext(w.ctx, `SELECT id FROM groups WHERE name = ?`, name).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err := w.tx.QueryRowContext(w.ctx, `INSERT INTO groups (name, venue_id) VALUES (?, ?) RETURNING id`, name, venue).Scan(&id)
		if err != nil {
			return nil, err
		}
		return id, nil
	case err != nil:
		return nil, err
	}
	return id, w.exec(`UPDATE groups SET venue_id = ? WHERE id = ?`, venue, id)
}

func (w *defWriter) sessions() error {
	old := byCode(w.cur.Sessions, func(s eventdef.Session) string { return s.ID })
	for i, s := range w.next.Sessions {
		vid := w.venueID[s.Venue]
		gid, err := w.group(s.Group, vid)
		if err != nil {
			return fmt.Errorf("session %s group: %w", s.ID, err)
		}
		if o, ok := old[s.ID]; ok && o.Venue != s.Venue {
			// A session without scans moved to another venue: its seats were
			// in the old one.
			res, err := w.tx.ExecContext(w.ctx, `DELETE FROM seat_assignments WHERE session_id = ?`, s.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				w.warnings = append(w.warnings, eventdef.Text{
					Zh: fmt.Sprintf("“%s”换了场地，原有 %d 个座位安排已清除，请重新排座", s.Name, n),
					En: fmt.Sprintf("%q moved to another venue: its %d seat assignments were cleared; arrange it again", s.Name, n)})
			}
		}
		q, p := s.Quorum, s.Presidium
		num, den := ratio(q.Ratio)
		cats, _ := json.Marshal(nonNil(q.Categories))
		var expected string
		if s.Expected != nil {
			b, _ := json.Marshal(s.Expected)
			expected = string(b)
		}
		if err := w.exec(`INSERT INTO sessions (id, name, name_en, kind, venue_id, group_id, opens_at, starts_at, ends_at, closes_at,
			quorum_base, quorum_num, quorum_den, quorum_strict, quorum_categories, presidium_rule, honour, sort, expected, absent_from)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
			venue_id = excluded.venue_id, group_id = excluded.group_id, opens_at = excluded.opens_at, starts_at = excluded.starts_at,
			ends_at = excluded.ends_at, closes_at = excluded.closes_at, quorum_base = excluded.quorum_base,
			quorum_num = excluded.quorum_num, quorum_den = excluded.quorum_den, quorum_strict = excluded.quorum_strict,
			quorum_categories = excluded.quorum_categories, presidium_rule = excluded.presidium_rule, honour = excluded.honour,
			sort = excluded.sort, expected = excluded.expected, absent_from = excluded.absent_from`,
			s.ID, s.Name, s.NameEn, s.Kind, vid, gid, defTime(s.OpensAt), defTime(s.StartsAt), defTime(s.EndsAt), defTime(s.ClosesAt),
			q.Base, num, den, flag(q.Strict), string(cats), p.Rule, p.Honour, i+1, expected, s.AbsentFrom); err != nil {
			return fmt.Errorf("session %s: %w", s.ID, err)
		}
	}
	return nil
}

// defTime turns a validated definition time into the store's form.
func defTime(s string) string {
	t, err := eventdef.ParseTime(s)
	if err != nil {
		panic("store: unvalidated time " + s) // Validate ran before
	}
	return FormatTime(t)
}

func ratio(r string) (int, int) {
	a, b, _ := strings.Cut(r, "/")
	n, _ := strconv.Atoi(a)
	d, _ := strconv.Atoi(b)
	return n, d
}

func (w *defWriter) meals() error {
	for i, m := range w.next.Meals {
		if err := w.exec(`INSERT INTO meals (id, date, slot, name, opens_at, closes_at, sort) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT (id) DO UPDATE SET date = excluded.date, slot = excluded.slot, name = excluded.name,
			opens_at = excluded.opens_at, closes_at = excluded.closes_at, sort = excluded.sort`,
			m.ID, m.Date, m.Slot, m.Name, defTime(m.OpensAt), defTime(m.ClosesAt), i+1); err != nil {
			return fmt.Errorf("meal %s: %w", m.ID, err)
		}
		if err := w.exec(`DELETE FROM meal_halls WHERE meal_id = ?`, m.ID); err != nil {
			return err
		}
		for j, h := range m.Halls {
			rule, _ := json.Marshal(h.Rule)
			if err := w.exec(`INSERT INTO meal_halls (meal_id, position, venue_id, rule) VALUES (?,?,?,?)`,
				m.ID, j+1, w.venueID[h.Venue], string(rule)); err != nil {
				return fmt.Errorf("meal %s hall %s: %w", m.ID, h.Venue, err)
			}
		}
	}
	return nil
}

func (w *defWriter) checkpoints() error {
	for i, c := range w.next.Checkpoints {
		if err := w.exec(`INSERT INTO checkpoints (id, name, name_en, kind, venue_id, session_id, meal_id, door, sort, photo_check, face)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
			venue_id = excluded.venue_id, session_id = excluded.session_id, meal_id = excluded.meal_id, door = excluded.door, sort = excluded.sort,
			photo_check = excluded.photo_check, face = excluded.face`,
			c.ID, c.Name, c.NameEn, c.Kind, w.venueID[c.Venue], nullStr(c.Session), nullStr(c.Meal), c.Door, i+1,
			flag(c.PhotoCheck), cmp.Or(c.Face, eventdef.FaceOff)); err != nil {
			return fmt.Errorf("checkpoint %s: %w", c.ID, err)
		}
	}
	return nil
}
