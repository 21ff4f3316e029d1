package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Refusals of the duty log.
var (
	// ErrDutyBadEntry refuses an entry of no known kind, without content,
	// or dated more than a few minutes ahead.
	ErrDutyBadEntry = errors.New("store: a log entry needs a kind, what was said and a time not in the future")
	// ErrDutyUnchanged refuses a correction that changes nothing, or
	// gives no reason.
	ErrDutyUnchanged = errors.New("store: a correction changes something and says why")
	// ErrDutyDone refuses closing an item already done.
	ErrDutyDone = errors.New("store: the item is done already")
	// ErrDutyOutcome refuses closing an item without saying what was done.
	ErrDutyOutcome = errors.New("store: say what was done")
)

// The kinds of log entry.
var DutyKinds = []string{"call", "visit", "message", "other"}

// DutyKindNames are the kinds as the secretariat says them.
var DutyKindNames = map[string]string{"call": "来电", "visit": "来访", "message": "信息传递", "other": "其他"}

// The follow-up states of an item.
const (
	DutyOpen = "open" // 待办
	DutyDone = "done" // 已办
)

// DutyWriter is the signed-in account that writes: its name as the audit
// trail gives it, and its user id (0 for the admin token).
type DutyWriter struct {
	Name string
	User int64
	// At is the moment of writing: zero for now (the demo writes its log
	// at the moments it happened).
	At time.Time
}

func (w DutyWriter) now() time.Time {
	if w.At.IsZero() {
		return time.Now()
	}
	return w.At
}

// DutyInput is what the desk types for an entry or its correction.
type DutyInput struct {
	Kind      string    `json:"kind"`
	At        time.Time `json:"at"` // when it happened; zero: now
	PlaceID   int64     `json:"place_id"`
	FromName  string    `json:"from_name"`
	FromUnit  string    `json:"from_unit"`
	FromPhone string    `json:"from_phone"`
	Content   string    `json:"content"`
	ToWhom    string    `json:"to_whom"`
	// Open says the entry needs a follow-up (待办); otherwise it is done
	// when written, with Outcome (what was done on the spot).
	Open    bool   `json:"open"`
	Outcome string `json:"outcome"`
	// Reason says why a correction was made.
	Reason string `json:"reason"`
}

// DutyVersion is one version of an entry's text.
type DutyVersion struct {
	Version   int       `json:"version"`
	Kind      string    `json:"kind"`
	At        time.Time `json:"at"`
	FromName  string    `json:"from_name"`
	FromUnit  string    `json:"from_unit"`
	FromPhone string    `json:"from_phone"`
	Content   string    `json:"content"`
	ToWhom    string    `json:"to_whom"`
	Reason    string    `json:"reason,omitempty"`
	WrittenAt time.Time `json:"written_at"`
	WrittenBy string    `json:"written_by"`
}

// DutyEntry is a log item as it now reads (its latest version), who wrote
// it first, and its follow-up.
type DutyEntry struct {
	ID      int64  `json:"id"`
	PlaceID int64  `json:"place_id"`
	Place   string `json:"place"`
	DutyVersion
	// CreatedAt and CreatedBy are the first version's.
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	State     string    `json:"state"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	ClosedBy  string    `json:"closed_by,omitempty"`
	Outcome   string    `json:"outcome,omitempty"`
	// Shift holds the item now; Origin was on duty when it was written.
	// CarriedOver says a handover moved it on.
	Shift       int64         `json:"shift_id,omitempty"`
	Origin      int64         `json:"origin_shift_id,omitempty"`
	CarriedOver bool          `json:"carried_over"`
	Versions    []DutyVersion `json:"versions,omitempty"`
}

// DutyFilter picks log entries: happened in From–Until (zero: open),
// held by or written in Shift, of Kind, in State, at Place, containing Q
// (name, unit, phone, content, to whom). Limit 0 is every one.
type DutyFilter struct {
	From, Until time.Time
	Shift       int64
	Kind        string
	State       string
	Place       int64
	Q           string
	Limit       int
}

// dutyFuture is how far ahead of the server's clock an entry may be dated
// (a desk computer's clock a little fast).
const dutyFuture = 5 * time.Minute

func (in *DutyInput) clean(now time.Time) error {
	in.FromName, in.FromUnit = dutyClip(in.FromName, dutyNameMax), dutyClip(in.FromUnit, dutyNameMax*2)
	in.FromPhone, in.ToWhom = dutyClip(in.FromPhone, dutyPhoneMax), dutyClip(in.ToWhom, dutyNameMax*2)
	in.Content, in.Outcome, in.Reason = dutyClip(in.Content, dutyTextMax), dutyClip(in.Outcome, dutyTextMax), dutyClip(in.Reason, dutyTextMax)
	if in.At.IsZero() {
		in.At = now
	}
	if DutyKindNames[in.Kind] == "" || in.Content == "" || in.At.After(now.Add(dutyFuture)) {
		return ErrDutyBadEntry
	}
	return nil
}

// AddDutyEntry writes an entry in the log as who, at the place (the main
// one when none is given), held by the shift on there now.
func (db *DB) AddDutyEntry(ctx context.Context, in DutyInput, who DutyWriter) (DutyEntry, error) {
	now := who.now()
	if err := in.clean(now); err != nil {
		return DutyEntry{}, err
	}
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		place, err := dutyPlace(ctx, tx, in.PlaceID)
		if err != nil {
			return Change{}, err
		}
		shift, err := shiftAt(ctx, tx, place, now)
		if err != nil {
			return Change{}, fmt.Errorf("store: duty shift: %w", err)
		}
		held := sql.NullInt64{Int64: shift, Valid: shift != 0}
		state, closedAt, closedBy, outcome := DutyOpen, "", "", ""
		if !in.Open {
			state, closedAt, closedBy, outcome = DutyDone, FormatTime(now), who.Name, in.Outcome
			if outcome == "" {
				outcome = "当场办结"
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_items (place_id, origin_shift, shift_id, state, closed_at, closed_by, outcome,
			created_at, created_by, created_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			place, held, held, state, closedAt, closedBy, outcome, FormatTime(now), who.Name, dutyUID(who)).Scan(&id); err != nil {
			return Change{}, fmt.Errorf("store: add log entry: %w", err)
		}
		if err := writeDutyVersion(ctx, tx, id, 1, in, now, who); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, now, who.Name, "duty.entry.add", fmt.Sprint(id),
			fmt.Sprintf("%s %s %s: %s", in.Kind, in.FromName, in.FromUnit, in.Content))
	})
	if err != nil {
		return DutyEntry{}, err
	}
	return db.DutyEntry(ctx, id)
}

// CorrectDutyEntry writes a new version of an entry as who; the old
// versions stay beside it. The follow-up is not changed here.
func (db *DB) CorrectDutyEntry(ctx context.Context, id int64, in DutyInput, who DutyWriter) (DutyEntry, error) {
	now := who.now()
	if err := in.clean(now); err != nil {
		return DutyEntry{}, err
	}
	if in.Reason == "" {
		return DutyEntry{}, ErrDutyUnchanged
	}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		old, err := dutyEntries(ctx, tx, DutyFilter{}, id)
		if err != nil {
			return Change{}, err
		}
		if len(old) == 0 {
			return Change{}, ErrNotFound
		}
		o := old[0]
		if o.Kind == in.Kind && o.At.Equal(in.At) && o.FromName == in.FromName && o.FromUnit == in.FromUnit &&
			o.FromPhone == in.FromPhone && o.Content == in.Content && o.ToWhom == in.ToWhom {
			return Change{}, ErrDutyUnchanged
		}
		if err := writeDutyVersion(ctx, tx, id, o.Version+1, in, now, who); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, now, who.Name, "duty.entry.correct", fmt.Sprint(id),
			fmt.Sprintf("v%d→v%d: %s", o.Version, o.Version+1, in.Reason))
	})
	if err != nil {
		return DutyEntry{}, err
	}
	return db.DutyEntry(ctx, id)
}

// CloseDutyEntry marks an open item done (已办) by who, now, with what was
// done.
func (db *DB) CloseDutyEntry(ctx context.Context, id int64, outcome string, who DutyWriter) (DutyEntry, error) {
	outcome = dutyClip(outcome, dutyTextMax)
	if outcome == "" {
		return DutyEntry{}, ErrDutyOutcome
	}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM duty_items WHERE id = ?`, id).Scan(&state); errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: log entry: %w", err)
		}
		if state == DutyDone {
			return Change{}, ErrDutyDone
		}
		now := who.now()
		if _, err := tx.ExecContext(ctx, `UPDATE duty_items SET state = 'done', closed_at = ?, closed_by = ?, outcome = ? WHERE id = ?`,
			FormatTime(now), who.Name, outcome, id); err != nil {
			return Change{}, fmt.Errorf("store: close log entry: %w", err)
		}
		return Change{}, audit(ctx, tx, now, who.Name, "duty.entry.close", fmt.Sprint(id), outcome)
	})
	if err != nil {
		return DutyEntry{}, err
	}
	return db.DutyEntry(ctx, id)
}

// DutyEntry is one entry with every version, oldest first.
func (db *DB) DutyEntry(ctx context.Context, id int64) (DutyEntry, error) {
	list, err := dutyEntries(ctx, db.r, DutyFilter{}, id)
	if err != nil {
		return DutyEntry{}, err
	}
	if len(list) == 0 {
		return DutyEntry{}, ErrNotFound
	}
	e := list[0]
	e.Versions, err = readAll(ctx, db.r, "log versions", scanDutyVersion,
		`SELECT `+dutyVersionCols+` FROM duty_versions v WHERE v.item_id = ? ORDER BY v.version`, id)
	return e, err
}

// DutyEntries are the entries f picks, as they now read, in the order
// they happened.
func (db *DB) DutyEntries(ctx context.Context, f DutyFilter) ([]DutyEntry, error) {
	return dutyEntries(ctx, db.r, f, 0)
}

const dutyVersionCols = `v.version, v.kind, v.at, v.from_name, v.from_unit, v.from_phone, v.content, v.to_whom, v.reason, v.written_at, v.written_by`

func scanDutyVersion(r interface{ Scan(...any) error }) (DutyVersion, error) {
	var v DutyVersion
	var at, written string
	err := r.Scan(&v.Version, &v.Kind, &at, &v.FromName, &v.FromUnit, &v.FromPhone, &v.Content, &v.ToWhom, &v.Reason, &written, &v.WrittenBy)
	v.At, v.WrittenAt = ReadTime(at), ReadTime(written)
	return v, err
}

func dutyEntries(ctx context.Context, q querier, f DutyFilter, id int64) ([]DutyEntry, error) {
	where, args := []string{"v.version = (SELECT max(version) FROM duty_versions WHERE item_id = i.id)"}, []any{}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if id != 0 {
		add("i.id = ?", id)
	}
	if !f.From.IsZero() {
		add("v.at >= ?", FormatTime(f.From))
	}
	if !f.Until.IsZero() {
		add("v.at < ?", FormatTime(f.Until))
	}
	if f.Shift != 0 {
		add("(i.shift_id = ? OR i.origin_shift = ?)", f.Shift, f.Shift)
	}
	if f.Kind != "" {
		add("v.kind = ?", f.Kind)
	}
	if f.State != "" {
		add("i.state = ?", f.State)
	}
	if f.Place != 0 {
		add("i.place_id = ?", f.Place)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
		cols := []string{"v.from_name", "v.from_unit", "v.from_phone", "v.content", "v.to_whom", "i.outcome"}
		conds, likes := make([]string, len(cols)), make([]any, len(cols))
		for i, c := range cols {
			conds[i], likes[i] = c+` LIKE ? ESCAPE '\'`, like
		}
		add("("+strings.Join(conds, " OR ")+")", likes...)
	}
	query := `SELECT i.id, i.place_id, p.name, ` + dutyVersionCols + `, i.created_at, i.created_by, i.state, i.closed_at, i.closed_by, i.outcome,
		coalesce(i.shift_id, 0), coalesce(i.origin_shift, 0)
		FROM duty_items i JOIN duty_versions v ON v.item_id = i.id JOIN duty_places p ON p.id = i.place_id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY v.at, i.id`
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return readAll(ctx, q, "log entries", func(r interface{ Scan(...any) error }) (DutyEntry, error) {
		var e DutyEntry
		var at, written, created, closed string
		v := &e.DutyVersion
		err := r.Scan(&e.ID, &e.PlaceID, &e.Place, &v.Version, &v.Kind, &at, &v.FromName, &v.FromUnit, &v.FromPhone, &v.Content, &v.ToWhom,
			&v.Reason, &written, &v.WrittenBy, &created, &e.CreatedBy, &e.State, &closed, &e.ClosedBy, &e.Outcome, &e.Shift, &e.Origin)
		v.At, v.WrittenAt, e.CreatedAt, e.ClosedAt = ReadTime(at), ReadTime(written), ReadTime(created), ReadTime(closed)
		e.CarriedOver = e.Shift != e.Origin
		return e, err
	}, query, args...)
}

func writeDutyVersion(ctx context.Context, tx *sql.Tx, id int64, version int, in DutyInput, now time.Time, who DutyWriter) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO duty_versions (item_id, version, kind, at, from_name, from_unit, from_phone, content, to_whom,
		reason, written_at, written_by, written_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, version, in.Kind, FormatTime(in.At), in.FromName, in.FromUnit, in.FromPhone, in.Content, in.ToWhom,
		in.Reason, FormatTime(now), who.Name, dutyUID(who)); err != nil {
		return fmt.Errorf("store: log entry version: %w", err)
	}
	return nil
}

func dutyUID(who DutyWriter) sql.NullInt64 {
	return sql.NullInt64{Int64: who.User, Valid: who.User != 0}
}

// dutyPlace checks a place id, or answers the main place for 0.
func dutyPlace(ctx context.Context, q querier, id int64) (int64, error) {
	query, args := `SELECT id FROM duty_places WHERE id = ?`, []any{id}
	if id == 0 {
		query, args = `SELECT id FROM duty_places WHERE main = 1`, nil
	}
	var got int64
	if err := q.QueryRowContext(ctx, query, args...).Scan(&got); errors.Is(err, sql.ErrNoRows) {
		return 0, ErrDutyNoPlace
	} else if err != nil {
		return 0, fmt.Errorf("store: duty place: %w", err)
	}
	return got, nil
}
