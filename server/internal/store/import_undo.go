package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"huiwu/server/internal/domain"
)

// A chunked import (import.go) journals, in the same transaction as each
// row it stores, what that row changed: a new attendee or delegation, or
// an existing attendee's record, entitlements and room as they were. The
// imports row says whether the import is still applying; only its last
// transaction marks it done. So after any failure, and after a crash at
// any moment, the journal holds exactly what was stored of an unfinished
// import, and undoing it last entry first gives back the database as it
// was, but for what others did meanwhile:
//
//   - a record field, room or table someone else changed since is kept;
//   - an attendee who entered a session, or ate a meal, in the meantime
//     stays on that session's list and keeps that ticket, as recompute
//     would leave them;
//   - a new attendee that something now refers to (a badge printed, a
//     scan) cannot be deleted and is cancelled instead.

// undoBatch is how many journal entries one undo transaction takes back.
const undoBatch = 200

// writeFunc runs fn in a write transaction, as DB.Write does.
type writeFunc func(ctx context.Context, fn func(tx *sql.Tx) (Change, error)) error

// journal appends an import's undo entries.
type journal struct {
	id  int64
	seq int64
}

// undoEntry is one journalled change.
type undoEntry struct {
	Kind string `json:"kind"` // created, updated (an attendee), delegation, leg or station (import_travel.go), consent (faces.go)
	ID   int64  `json:"id"`
	// For an updated attendee: its columns before and after, its sessions,
	// tickets and room before, and the room the import gave it.
	Old      map[string]any `json:"old,omitempty"`
	New      map[string]any `json:"new,omitempty"`
	Sessions []string       `json:"sessions,omitempty"`
	Tickets  []ticketRow    `json:"tickets,omitempty"`
	Room     *roomRow       `json:"room,omitempty"`
	NewRoom  *roomRow       `json:"new_room,omitempty"`
}

type ticketRow struct {
	Meal  string `json:"meal"`
	Venue int64  `json:"venue"`
	Table int    `json:"table"`
}

type roomRow struct {
	Venue    int64  `json:"venue"`
	Room     string `json:"room"`
	CheckIn  string `json:"check_in"`
	CheckOut string `json:"check_out"`
}

// undoColumns are the attendee columns an import may change.
var undoColumns = []string{"name", "pinyin", "initials", "gender", "ethnicity", "organization", "title", "rank",
	"category", "delegation_id", "group_id", "phone", "id_number", "diet", "access", "notes", "arrival",
	"departure", "updated_at"}

// beginImport marks an import as applying, in its first transaction.
func beginImport(ctx context.Context, tx *sql.Tx, actor, now string) (*journal, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO imports (actor, state, started_at) VALUES (?, 'applying', ?) RETURNING id`, actor, now).Scan(&id); err != nil {
		return nil, fmt.Errorf("store: begin import: %w", err)
	}
	return &journal{id: id}, nil
}

// importBegun tells whether the first transaction of import id committed
// after all: a COMMIT can reach the database and still fail to answer (on
// PostgreSQL a context cancelled while it is under way cuts off the answer,
// not the commit; CI once found a cancelled import's first chunk stored
// and not undone). Its marker row says. If the database cannot tell now,
// the import is left to the recovery at the next open, which undoes every
// import still marked applying.
func importBegun(ctx context.Context, db *DB, id int64) bool {
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM imports WHERE id = ?`, id).Scan(&n); err != nil {
		slog.Warn("an import failed; whether its first part was stored is left to the next open", "import", id, "err", err)
		return false
	}
	return n > 0
}

// done marks the import done, in its last transaction: from this commit
// on it is never undone.
func (j *journal) done(ctx context.Context, tx *sql.Tx, now, detail string) error {
	_, err := tx.ExecContext(ctx, `UPDATE imports SET state = 'done', finished_at = ?, detail = ? WHERE id = ?`, now, detail, j.id)
	return err
}

func (j *journal) add(ctx context.Context, tx *sql.Tx, e undoEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	j.seq++
	_, err = tx.ExecContext(ctx, `INSERT INTO import_undo (import_id, seq, entry) VALUES (?, ?, ?)`, j.id, j.seq, b)
	return err
}

// attendeeBefore is a row's attendee before the import stored the row.
type attendeeBefore struct {
	found    bool
	cols     map[string]any
	sessions []string
	tickets  []ticketRow
	room     *roomRow
}

// before journals a delegation the row brings and reads what the row's
// attendee is now, before it is stored.
func (j *journal) before(ctx context.Context, tx *sql.Tx, a *domain.Attendee) (*attendeeBefore, error) {
	if a.Delegation != "" {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM delegations WHERE name = ?`, a.Delegation).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if id, err = ensureDelegation(ctx, tx, a.Delegation); err == nil {
				err = j.add(ctx, tx, undoEntry{Kind: "delegation", ID: id})
			}
		}
		if err != nil {
			return nil, err
		}
	}
	b := &attendeeBefore{}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM attendees WHERE key = ?`, a.Key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil
	} else if err != nil {
		return nil, err
	}
	b.found = true
	if b.cols, err = columnValues(ctx, tx, "attendees", undoColumns, id); err != nil {
		return nil, err
	}
	err = errors.Join(
		eachRow(ctx, tx, `SELECT session_id FROM session_attendees WHERE attendee_id = ?`, func(s scanner) error {
			var sid string
			err := s.Scan(&sid)
			b.sessions = append(b.sessions, sid)
			return err
		}, id),
		eachRow(ctx, tx, `SELECT meal_id, venue_id, table_no FROM meal_tickets WHERE attendee_id = ?`, func(s scanner) error {
			var t ticketRow
			err := s.Scan(&t.Meal, &t.Venue, &t.Table)
			b.tickets = append(b.tickets, t)
			return err
		}, id))
	if err != nil {
		return nil, err
	}
	b.room, err = readRoom(ctx, tx, id)
	return b, err
}

// after journals the row just stored. The entitlements the recompute is
// about to change are in b already.
func (j *journal) after(ctx context.Context, tx *sql.Tx, id int64, created bool, b *attendeeBefore) error {
	if created || !b.found {
		return j.add(ctx, tx, undoEntry{Kind: "created", ID: id})
	}
	cols, err := columnValues(ctx, tx, "attendees", undoColumns, id)
	if err != nil {
		return err
	}
	room, err := readRoom(ctx, tx, id)
	if err != nil {
		return err
	}
	e := undoEntry{Kind: "updated", ID: id, Old: b.cols, New: cols, Sessions: b.sessions, Tickets: b.tickets, Room: b.room}
	if room != nil && (b.room == nil || *room != *b.room) {
		e.NewRoom = room
	}
	return j.add(ctx, tx, e)
}

// columnValues reads columns cols of row id of table, for the journal.
func columnValues(ctx context.Context, tx *sql.Tx, table string, cols []string, id int64) (map[string]any, error) {
	vals := make([]any, len(cols))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := tx.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" WHERE id = ?", id).Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(vals))
	for i, c := range cols {
		if b, ok := vals[i].([]byte); ok {
			vals[i] = string(b)
		}
		out[c] = vals[i]
	}
	return out, nil
}

func readRoom(ctx context.Context, tx *sql.Tx, id int64) (*roomRow, error) {
	r := &roomRow{}
	err := tx.QueryRowContext(ctx, `SELECT venue_id, room, check_in, check_out FROM lodging WHERE attendee_id = ?`, id).
		Scan(&r.Venue, &r.Room, &r.CheckIn, &r.CheckOut)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// undoImport takes back what the journal says import id stored, in short
// transactions, last entry first, and marks it undone.
func undoImport(ctx context.Context, write writeFunc, id int64) error {
	var touched []int64
	travel := false
	for {
		finished := false
		err := write(ctx, func(tx *sql.Tx) (Change, error) {
			var seqs []int64
			var entries []undoEntry
			err := eachRow(ctx, tx, `SELECT seq, entry FROM import_undo WHERE import_id = ? ORDER BY seq DESC LIMIT ?`, func(s scanner) error {
				var seq int64
				var raw string
				if err := s.Scan(&seq, &raw); err != nil {
					return err
				}
				var e undoEntry
				d := json.NewDecoder(strings.NewReader(raw))
				d.UseNumber()
				if err := d.Decode(&e); err != nil {
					return fmt.Errorf("import %d entry %d: %w", id, seq, err)
				}
				seqs, entries = append(seqs, seq), append(entries, e)
				return nil
			}, id, undoBatch)
			if err != nil {
				return Change{}, err
			}
			now := FormatTime(time.Now())
			for i, e := range entries {
				if err := e.undo(ctx, tx, now); err != nil {
					return Change{}, fmt.Errorf("import %d entry %d: %w", id, seqs[i], err)
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM import_undo WHERE import_id = ? AND seq = ?`, id, seqs[i]); err != nil {
					return Change{}, err
				}
				switch e.Kind {
				case "created", "updated":
					touched = append(touched, e.ID)
				case "leg", "station":
					travel = true
				}
			}
			if len(entries) > 0 {
				return Change{}, nil
			}
			finished = true
			change, err := undoneChange(ctx, tx, id, now, touched)
			change.Logistics = travel
			return change, err
		})
		if err != nil {
			return fmt.Errorf("store: undo import %d: %w", id, err)
		}
		if finished {
			return nil
		}
	}
}

// undoneChange marks the import undone and names what live screens must
// read again.
func undoneChange(ctx context.Context, tx *sql.Tx, id int64, now string, touched []int64) (Change, error) {
	var actor string
	if err := tx.QueryRowContext(ctx, `SELECT actor FROM imports WHERE id = ?`, id).Scan(&actor); err != nil {
		return Change{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE imports SET state = 'undone', finished_at = ? WHERE id = ?`, now, id); err != nil {
		return Change{}, err
	}
	if err := audit(ctx, tx, ReadTime(now), actor, "import undone", "",
		fmt.Sprintf("import %d did not finish; %d rows taken back", id, len(touched))); err != nil {
		return Change{}, err
	}
	change := Change{Attendees: touched}
	err := eachRow(ctx, tx, `SELECT id FROM sessions`, func(s scanner) error {
		var sid string
		err := s.Scan(&sid)
		change.Recount = append(change.Recount, sid)
		return err
	})
	return change, err
}

// undo takes back one journalled change.
func (e *undoEntry) undo(ctx context.Context, tx *sql.Tx, now string) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	switch e.Kind {
	case "delegation":
		err := execExpectingRefusal(ctx, tx, `DELETE FROM delegations WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM attendees WHERE delegation_id = ?1)`, e.ID)
		if isConstraint(err) {
			return nil // something else uses it now: it stays
		}
		return err
	case "created":
		if err := errors.Join(dropEntitlements(ctx, tx, e.ID), exec(`DELETE FROM lodging WHERE attendee_id = ?`, e.ID),
			dropLegs(ctx, tx, e.ID)); err != nil {
			return err
		}
		err := execExpectingRefusal(ctx, tx, `DELETE FROM attendees WHERE id = ?`, e.ID)
		if isConstraint(err) {
			// Something refers to the person now (a badge, a scan): they
			// stay, cancelled, as the desk would have to do by hand.
			return exec(`UPDATE attendees SET status = 'cancelled', updated_at = ? WHERE id = ?`, now, e.ID)
		}
		return err
	case "updated":
		return e.restore(ctx, tx)
	case "leg", "station":
		return e.undoTravel(ctx, tx, now)
	case "consent":
		return e.undoConsent(ctx, tx)
	}
	return fmt.Errorf("unknown undo entry %q", e.Kind)
}

// restoreColumns puts back columns cols of row id of table as old had
// them, each only if it still holds what the import wrote (new).
func restoreColumns(ctx context.Context, tx *sql.Tx, table string, cols []string, old, new map[string]any, id int64) error {
	var sets []string
	var args []any
	for _, c := range cols {
		was, ok1 := old[c]
		cur, ok2 := new[c]
		if !ok1 || !ok2 {
			continue
		}
		sets = append(sets, fmt.Sprintf("%[1]s = CASE WHEN %[1]s IS NOT DISTINCT FROM ? THEN ? ELSE %[1]s END", c))
		args = append(args, jsonValue(cur), jsonValue(was))
	}
	if len(sets) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
	return err
}

// restore puts back an updated attendee's record, entitlements and room.
func (e *undoEntry) restore(ctx context.Context, tx *sql.Tx) error {
	if err := restoreColumns(ctx, tx, "attendees", undoColumns, e.Old, e.New, e.ID); err != nil {
		return err
	}
	if err := dropEntitlements(ctx, tx, e.ID); err != nil {
		return err
	}
	for _, s := range e.Sessions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO session_attendees (session_id, attendee_id)
			SELECT id, ? FROM sessions WHERE id = ? ON CONFLICT DO NOTHING`, e.ID, s); err != nil {
			return err
		}
	}
	for _, t := range e.Tickets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meal_tickets (meal_id, attendee_id, venue_id, table_no)
			SELECT m.id, ?, v.id, ? FROM meals m, venues v WHERE m.id = ? AND v.id = ? ON CONFLICT DO NOTHING`, e.ID, t.Table, t.Meal, t.Venue); err != nil {
			return err
		}
	}
	if n := e.NewRoom; n != nil {
		var err error
		if o := e.Room; o == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM lodging WHERE attendee_id = ? AND venue_id = ? AND room = ?`, e.ID, n.Venue, n.Room)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE lodging SET venue_id = ?, room = ?, check_in = ?, check_out = ?
				WHERE attendee_id = ? AND venue_id = ? AND room = ?`, o.Venue, o.Room, o.CheckIn, o.CheckOut, e.ID, n.Venue, n.Room)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dropEntitlements removes an attendee's session places and meal tickets,
// but for what a scan has used since: a session they entered, a meal they
// ate.
func dropEntitlements(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM session_attendees WHERE attendee_id = ?1 AND NOT EXISTS
		(SELECT 1 FROM presence p WHERE p.session_id = session_attendees.session_id AND p.attendee_id = ?1)`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM meal_tickets WHERE attendee_id = ?1 AND NOT EXISTS
		(SELECT 1 FROM meal_redemptions r WHERE r.meal_id = meal_tickets.meal_id AND r.attendee_id = ?1)`, id)
	return err
}

// jsonValue turns a decoded JSON number back into an integer.
func jsonValue(v any) any {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
		f, _ := n.Float64()
		return f
	}
	return v
}

// purgeUndo drops a finished import's journal, a batch at a time.
func purgeUndo(ctx context.Context, write writeFunc, id int64) error {
	for {
		var n int64
		err := write(ctx, func(tx *sql.Tx) (Change, error) {
			res, err := tx.ExecContext(ctx, `DELETE FROM import_undo WHERE import_id = ?1 AND seq IN
				(SELECT seq FROM import_undo WHERE import_id = ?1 LIMIT 2000)`, id)
			if err == nil {
				n, err = res.RowsAffected()
			}
			return Change{}, err
		})
		if err != nil || n == 0 {
			return err
		}
	}
}

// undoApplying undoes every import still applying and drops the journals
// finished imports left behind. The caller holds the import lock, so no
// import in any process is running: one still applying was cut short.
func undoApplying(ctx context.Context, write writeFunc) error {
	var applying, finished []int64
	err := write(ctx, func(tx *sql.Tx) (Change, error) {
		return Change{}, eachRow(ctx, tx, `SELECT i.id, i.state = 'applying' FROM imports i
			WHERE i.state = 'applying' OR EXISTS (SELECT 1 FROM import_undo u WHERE u.import_id = i.id)`, func(s scanner) error {
			var id int64
			var open bool
			err := s.Scan(&id, &open)
			if open {
				applying = append(applying, id)
			} else {
				finished = append(finished, id)
			}
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("store: imports cut short: %w", err)
	}
	for _, id := range applying {
		slog.Warn("an import was cut short (the server stopped or failed while storing it); undoing what it stored", "import", id)
		if err := undoImport(ctx, write, id); err != nil {
			return err
		}
	}
	for _, id := range finished {
		if err := purgeUndo(ctx, write, id); err != nil {
			return err
		}
	}
	return nil
}

// importsLeft reports whether an import is still applying, or a finished
// one left its journal behind.
func importsLeft(ctx context.Context, db *sql.DB) (bool, error) {
	var left bool
	err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM imports WHERE state = 'applying')
		OR EXISTS (SELECT 1 FROM import_undo)`).Scan(&left)
	if err != nil {
		return false, fmt.Errorf("store: imports cut short: %w", err)
	}
	return left, nil
}

// recoverImports undoes, when the database is opened, an import that a
// crash cut short, before anything reads the database. An import another
// process (or, on PostgreSQL, another server) is running holds the lock,
// and is left to it.
func recoverImports(ctx context.Context, w *sql.DB, lock importLock) error {
	if left, err := importsLeft(ctx, w); err != nil || !left {
		return err
	}
	held, ok, err := lock.try(ctx)
	if err != nil {
		return fmt.Errorf("store: import lock: %w", err)
	}
	if !ok {
		slog.Info("an import is running in another process; it finishes or undoes itself")
		return nil
	}
	defer held.release()
	return undoApplying(ctx, func(ctx context.Context, fn func(tx *sql.Tx) (Change, error)) error {
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := fn(tx); err != nil {
			return err
		}
		return tx.Commit()
	})
}
