package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"huiwu/server/internal/domain"
)

// Attendee is an attendee row as the API reads it, with its names resolved.
type Attendee struct {
	ID           int64
	Key          string
	Name         string
	Gender       string
	Ethnicity    string
	Organization string
	Title        string
	Rank         int
	Category     string
	Delegation   string
	Group        string
	Phone        string
	IDNumber     string
	Diet         string
	Access       string
	Notes        string
	Arrival      string
	Departure    string
	Status       string
}

const attendeeColumns = `a.id, a.key, a.name, a.gender, a.ethnicity, a.organization, a.title, a.rank, a.category,
	coalesce(d.name, ''), coalesce(g.name, ''), a.phone, a.id_number, a.diet, a.access, a.notes,
	a.arrival, a.departure, a.status`

const attendeeFrom = ` FROM attendees a
	LEFT JOIN delegations d ON d.id = a.delegation_id
	LEFT JOIN groups g ON g.id = a.group_id`

func scanAttendee(row interface{ Scan(...any) error }) (Attendee, error) {
	var a Attendee
	err := row.Scan(&a.ID, &a.Key, &a.Name, &a.Gender, &a.Ethnicity, &a.Organization, &a.Title, &a.Rank, &a.Category,
		&a.Delegation, &a.Group, &a.Phone, &a.IDNumber, &a.Diet, &a.Access, &a.Notes,
		&a.Arrival, &a.Departure, &a.Status)
	return a, err
}

// Attendee reads one attendee by id.
func (db *DB) Attendee(ctx context.Context, id int64) (Attendee, error) {
	a, err := scanAttendee(db.r.QueryRowContext(ctx, "SELECT "+attendeeColumns+attendeeFrom+" WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Attendee{}, ErrNotFound
	}
	return a, err
}

// AttendeeForEdit reads one attendee with the stamp of their last change
// (updated_at), read together: EditAttendee stores over that stamp only.
func (db *DB) AttendeeForEdit(ctx context.Context, id int64) (Attendee, string, error) {
	var stamp string
	row := db.r.QueryRowContext(ctx, "SELECT "+attendeeColumns+", a.updated_at"+attendeeFrom+" WHERE a.id = ?", id)
	a, err := scanAttendee(scanAlso{row, []any{&stamp}})
	if errors.Is(err, sql.ErrNoRows) {
		return Attendee{}, "", ErrNotFound
	}
	if err != nil {
		return Attendee{}, "", fmt.Errorf("store: attendee %d: %w", id, err)
	}
	return a, stamp, nil
}

// scanAlso scans a row's leading columns into a scanner's targets and the
// ones after them into also.
type scanAlso struct {
	row  interface{ Scan(...any) error }
	also []any
}

func (s scanAlso) Scan(dest ...any) error { return s.row.Scan(append(dest, s.also...)...) }

// SearchAttendees finds attendees whose name, pinyin, pinyin initials or
// organisation match q, best matches first; an empty q lists everyone in
// list order. With byPhone (the desk only) q of exactly four digits also
// matches the last four digits of a phone: never a longer run, so that a
// number cannot be read off the search one digit at a time. At most limit
// rows.
func (db *DB) SearchAttendees(ctx context.Context, q string, limit int, byPhone bool) ([]Attendee, error) {
	q = strings.TrimSpace(q)
	var rows *sql.Rows
	var err error
	if q == "" {
		rows, err = db.r.QueryContext(ctx, "SELECT "+attendeeColumns+attendeeFrom+
			" ORDER BY a.rank, a.id LIMIT ?", limit)
	} else {
		like := "%" + escapeLike(q) + "%"
		prefix := escapeLike(strings.ToLower(q)) + "%"
		phoneTail := "" // matches nothing (see the query)
		if byPhone && len(q) == 4 && isDigits(q) {
			phoneTail = "%" + q
		}
		rows, err = db.r.QueryContext(ctx, "SELECT "+attendeeColumns+attendeeFrom+`
			WHERE a.name LIKE ?1 ESCAPE '\' OR a.initials LIKE ?2 ESCAPE '\' OR a.pinyin LIKE ?2 ESCAPE '\'
			   OR a.organization LIKE ?1 ESCAPE '\' OR (?3 <> '' AND a.phone LIKE ?3)
			ORDER BY (a.name = ?4) DESC, (a.initials = lower(?4)) DESC, (a.name LIKE ?1 ESCAPE '\') DESC, a.rank, a.id
			LIMIT ?5`, like, prefix, phoneTail, q, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: search attendees: %w", err)
	}
	defer rows.Close()
	var out []Attendee
	for rows.Next() {
		a, err := scanAttendee(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ErrUnknownGroup is returned for an attendee whose group does not exist:
// groups come from the event definition, never from a list or the desk.
var ErrUnknownGroup = errors.New("unknown group")

// errUnknownGroup is ErrUnknownGroup under the name the importer uses.
var errUnknownGroup = ErrUnknownGroup

// attendeeFields are the importable fields an upsert may set. A nil field
// set means all of them.
var attendeeFields = []string{"name", "gender", "ethnicity", "organization", "title", "rank", "category",
	"delegation", "group", "phone", "id_number", "diet", "access", "notes", "arrival", "departure"}

// upsertAttendee inserts a by its Key or updates the existing row's fields
// named in fields (all when fields is nil), so that re-importing a file that
// lacks a column keeps what the desk already has. It reports whether the row
// was created.
func upsertAttendee(ctx context.Context, tx *sql.Tx, a *domain.Attendee, now string, fields map[string]bool) (int64, bool, error) {
	if strings.TrimSpace(a.Name) == "" {
		return 0, false, errors.New("name is empty")
	}
	var delegationID, groupID any
	if a.Delegation != "" {
		id, err := ensureDelegation(ctx, tx, a.Delegation)
		if err != nil {
			return 0, false, err
		}
		delegationID = id
	}
	if a.Group != "" {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM groups WHERE name = ?`, a.Group).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("%w %q", errUnknownGroup, a.Group)
		} else if err != nil {
			return 0, false, err
		}
		groupID = id
	}
	full, initials := searchKeys(a.Name)
	values := map[string]any{
		"name": a.Name, "gender": a.Gender, "ethnicity": a.Ethnicity, "organization": a.Organization,
		"title": a.Title, "rank": a.Rank, "category": a.Category, "delegation": delegationID, "group": groupID,
		"phone": a.Phone, "id_number": a.IDNumber, "diet": a.Diet, "access": a.Access, "notes": a.Notes,
		"arrival": a.Arrival, "departure": a.Departure,
	}
	column := func(f string) string {
		switch f {
		case "delegation":
			return "delegation_id"
		case "group":
			return "group_id"
		}
		return f
	}

	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM attendees WHERE key = ?`, a.Key).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		cols := []string{"key", "pinyin", "initials", "created_at", "updated_at"}
		args := []any{a.Key, full, initials, now, now}
		for _, f := range attendeeFields {
			cols = append(cols, column(f))
			args = append(args, values[f])
		}
		q := "INSERT INTO attendees (" + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)-1) + ") RETURNING id"
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
			return 0, false, err
		}
		return id, true, nil
	case err != nil:
		return 0, false, err
	}
	sets := []string{"updated_at = ?"}
	args := []any{now}
	for _, f := range attendeeFields {
		if fields != nil && !fields[f] {
			continue
		}
		sets = append(sets, column(f)+" = ?")
		args = append(args, values[f])
		if f == "name" {
			sets = append(sets, "pinyin = ?", "initials = ?")
			args = append(args, full, initials)
		}
	}
	args = append(args, id)
	if _, err := tx.ExecContext(ctx, "UPDATE attendees SET "+strings.Join(sets, ", ")+" WHERE id = ?", args...); err != nil {
		return 0, false, err
	}
	return id, false, nil
}

func ensureDelegation(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM delegations WHERE name = ?`, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO delegations (name, sort) VALUES (?, (SELECT coalesce(max(sort), 0) + 1 FROM delegations))
		RETURNING id`, name).Scan(&id); err != nil {
		return 0, fmt.Errorf("delegation %s: %w", name, err)
	}
	return id, nil
}

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// AttendeeIDsByKey maps every attendee's import key to its id.
func (db *DB) AttendeeIDsByKey(ctx context.Context) (map[string]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT key, id FROM attendees`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// AttendeeIDByKey finds an attendee's id by their import key; ErrNotFound
// when nobody has it.
func (db *DB) AttendeeIDByKey(ctx context.Context, key string) (int64, error) {
	return db.attendeeIDBy(ctx, "key", key)
}

// AttendeeIDByIDNumber finds the attendee with that ID number, so that a
// walk-in typed under another name is still known; ErrNotFound when nobody
// has it.
func (db *DB) AttendeeIDByIDNumber(ctx context.Context, idNumber string) (int64, error) {
	return db.attendeeIDBy(ctx, "id_number", idNumber)
}

// attendeeIDBy looks one attendee up by a column of this file's choosing
// (never the caller's text).
func (db *DB) attendeeIDBy(ctx context.Context, column, value string) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT id FROM attendees WHERE `+column+` = ?`, value).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("store: attendee by %s: %w", column, err)
	}
	return id, nil
}

// NextRank is the 排序 after everyone's: where a walk-in without one goes.
func (db *DB) NextRank(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT coalesce(max(rank), 0) + 1 FROM attendees`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next rank: %w", err)
	}
	return n, nil
}

// DelegationCount is a delegation with how many active attendees it has.
type DelegationCount struct {
	Name  string
	Count int
}

// DelegationCounts lists the delegations in the list's order with their
// active attendees, for the desk's suggestions wherever a delegation is
// typed.
func (db *DB) DelegationCounts(ctx context.Context) ([]DelegationCount, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT d.name,
		(SELECT count(*) FROM attendees a WHERE a.delegation_id = d.id AND a.status = 'active')
		FROM delegations d ORDER BY d.sort, d.name`)
	if err != nil {
		return nil, fmt.Errorf("store: delegations: %w", err)
	}
	defer rows.Close()
	out := []DelegationCount{}
	for rows.Next() {
		var d DelegationCount
		if err := rows.Scan(&d.Name, &d.Count); err != nil {
			return nil, fmt.Errorf("store: delegations: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ErrEditConflict refuses an edit made over a stale read: another desk
// saved the attendee after the form was filled, and its change would be
// lost.
var ErrEditConflict = errors.New("store: the attendee was changed meanwhile")

// AttendeeEdit is the desk's edit of one attendee: every editable field of
// Attendee is stored.
type AttendeeEdit struct {
	ID       int64
	Stamp    string // updated_at as AttendeeForEdit read it
	Attendee *domain.Attendee
	Detail   string   // the audit row's words for what changed
	Sessions []string // announced: a new category or group may move their 应到
	Actor    string
}

// EditAttendee stores the edit, recomputes the attendee's entitlements (a
// new category, delegation or group may change what the rules give) and
// writes its audit row, in one transaction. ErrEditConflict when the row
// changed since e.Stamp; an unknown group wraps ErrUnknownGroup.
func (db *DB) EditAttendee(ctx context.Context, e AttendeeEdit) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var stamp string
		if err := tx.QueryRowContext(ctx, `SELECT updated_at FROM attendees WHERE id = ?`, e.ID).Scan(&stamp); err != nil {
			return Change{}, fmt.Errorf("store: edit attendee: %w", err)
		}
		if stamp != e.Stamp {
			return Change{}, ErrEditConflict
		}
		now := time.Now()
		if err := updateAttendee(ctx, tx, e.ID, e.Attendee, FormatTime(now)); err != nil {
			return Change{}, err
		}
		if err := RecomputeEntitlements(ctx, tx, []int64{e.ID}); err != nil {
			return Change{}, err
		}
		if err := audit(ctx, tx, now, e.Actor, "attendee.edit", fmt.Sprint(e.ID), e.Detail); err != nil {
			return Change{}, fmt.Errorf("store: audit edit: %w", err)
		}
		return Change{Attendees: []int64{e.ID}, Recount: e.Sessions}, nil
	})
}

// updateAttendee sets every editable field of attendee id, adding the
// delegation if it is new; the group must exist.
func updateAttendee(ctx context.Context, tx *sql.Tx, id int64, a *domain.Attendee, now string) error {
	var delegation, group any
	if a.Delegation != "" {
		did, err := ensureDelegation(ctx, tx, a.Delegation)
		if err != nil {
			return fmt.Errorf("store: edit attendee: %w", err)
		}
		delegation = did
	}
	if a.Group != "" {
		var gid int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM groups WHERE name = ?`, a.Group).Scan(&gid)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: edit attendee: %w %q", ErrUnknownGroup, a.Group)
		} else if err != nil {
			return fmt.Errorf("store: edit attendee: %w", err)
		}
		group = gid
	}
	full, initials := searchKeys(a.Name)
	_, err := tx.ExecContext(ctx, `UPDATE attendees SET name = ?, pinyin = ?, initials = ?, gender = ?, ethnicity = ?,
		organization = ?, title = ?, rank = ?, category = ?, delegation_id = ?, group_id = ?, phone = ?, id_number = ?,
		diet = ?, access = ?, notes = ?, arrival = ?, departure = ?, updated_at = ? WHERE id = ?`,
		a.Name, full, initials, a.Gender, a.Ethnicity, a.Organization, a.Title, a.Rank, a.Category, delegation, group,
		a.Phone, a.IDNumber, a.Diet, a.Access, a.Notes, a.Arrival, a.Departure, now, id)
	if err != nil {
		return fmt.Errorf("store: edit attendee: %w", err)
	}
	return nil
}
