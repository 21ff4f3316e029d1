package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"huiwu/server/internal/domain"
)

// ImportRow is one validated row of an attendee list.
type ImportRow struct {
	Line     int // spreadsheet row number, for errors
	Attendee domain.Attendee
}

// RowError is a problem found while storing a row (the importer has
// already checked the file itself).
type RowError struct {
	Line  int
	Field string // importer field name, e.g. "group"
	Err   error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d, %s: %v", e.Line, e.Field, e.Err) }

// ImportSummary counts what an import did (or, for a dry run, would do).
type ImportSummary struct {
	Created int
	Updated int
	// ConsentKept are the rows (spreadsheet lines) whose 人脸核验同意 the
	// list gives otherwise than the person said at the desk: the desk's
	// record stands (faces.go).
	ConsentKept []int
}

// errDryRun rolls a dry run's transaction back after it has gone through
// everything (the definition's dry runs; an import's dry run writes
// nothing at all).
var errDryRun = errors.New("dry run")

// How an import shares the single writer with the door. An import of up
// to smallImport rows is one transaction, as a desk edit is. A larger one
// is stored in chunks, each its own transaction, under an import marker
// and an undo journal (import_undo.go) that keep it all or nothing:
//
//   - a chunk ends once another writer waits for the connection (the
//     check-in engine with scans, a desk edit) and it holds minChunk rows
//     or has held the writer for contendedHold, whichever comes first (so
//     on a starved machine a chunk is fewer rows, not a longer wait), and
//     at maxChunk rows in any case;
//   - entitlements are recomputed every recomputeEvery rows, so that a
//     writer that starts waiting mid-chunk waits for at most that many
//     rows' recompute and the commit;
//   - after a chunk that someone waited for, the import rests three times
//     as long as it held the writer (at most maxRest): while scans come
//     in it takes at most a quarter of the writer, and of a core, from
//     the door;
//   - checkpoints are taken off the writer meanwhile (import_wal.go).
//
// Measured with scripts/load -import-rows 10000 (README, "Load"): scans
// due during the import had a p99 of 12–19 ms at 500 to 2,000 scans a
// second, where the one long transaction before gave 1.6–2.1 s.
const (
	smallImport    = 100
	minChunk       = 20
	recomputeEvery = 100
	contendedHold  = 5 * time.Millisecond
	maxRest        = 50 * time.Millisecond
)

// maxChunk bounds the rows of one chunk, waiting writer or not; a
// variable so that tests can stop an import between two chunks.
const maxChunk = 1000

// ImportAttendees upserts rows by key: all of them are stored, or none.
// fields names the columns the file had; an existing attendee keeps what
// the file does not mention. Every imported attendee's entitlements are
// then recomputed from the definition's rules (see recompute); a row with
// a room gets that room. With dryRun nothing is stored but the answer is
// the same.
//
// The rows are checked against the stored event first, from the read
// pool, so a list with a bad row is refused without taking the writer at
// all, and a dry run never takes it. A large list is then written in
// chunks (see smallImport): readers may see part of it while it is being
// stored, each attendee whole (record and entitlements change in the same
// transaction), but the change is announced to live screens once, at the
// end. If a chunk fails, or the process dies, the chunks already stored
// are undone (at once, or when the database is next opened), so that in
// the end the import is wholly there or not at all.
func (db *DB) ImportAttendees(ctx context.Context, rows []ImportRow, fields map[string]bool, dryRun bool, actor string) (ImportSummary, error) {
	p, err := db.planImport(ctx, rows)
	if err != nil {
		return ImportSummary{}, err
	}
	if dryRun {
		return p.sum, nil
	}
	held, err := db.imports.lock(ctx)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("store: import: %w", err)
	}
	defer held.release()
	// Holding the lock, an import still applying was cut short: take it
	// back before storing anything else.
	if left, err := importsLeft(ctx, db.r); err != nil {
		return ImportSummary{}, err
	} else if left {
		if err := undoApplying(ctx, db.Write); err != nil {
			return ImportSummary{}, err
		}
	}
	a := &applier{plan: p, fields: fields, now: FormatTime(time.Now()), actor: actor, seats: seatMemory{}, lock: held}
	if len(rows) <= smallImport {
		err = db.Write(ctx, func(tx *sql.Tx) (Change, error) {
			if _, err := a.apply(ctx, tx, rows, nil); err != nil {
				return Change{}, err
			}
			return a.finish(ctx, tx)
		})
		return a.sum, err
	}
	defer db.checkpointAside(ctx)()
	return a.sum, a.applyChunked(ctx, db, rows)
}

// applier stores an import's rows, one chunk (transaction) at a time.
type applier struct {
	plan   *importPlan
	fields map[string]bool
	now    string
	actor  string
	sum    ImportSummary
	ids    []int64 // attendees stored, for the change announced at the end
	undo   *journal
	seats  seatMemory
	travel bool // a leg was stored: the logistics board is told
	lock   heldImports
}

// applyChunked stores rows in chunks under an import marker and its undo
// journal; the last chunk marks the import done. Any failure undoes the
// chunks already stored.
func (a *applier) applyChunked(ctx context.Context, db *DB, rows []ImportRow) error {
	for i := 0; i < len(rows); {
		var begun *journal
		next, contended, start := i, false, time.Now()
		err := db.writeChunk(ctx, func(tx *sql.Tx, waited func() bool) (Change, error) {
			// Under the writers' lock: no other server undoes this import
			// between the check and the commit.
			if err := a.lock.check(ctx, tx); err != nil {
				return Change{}, err
			}
			if a.undo == nil {
				j, err := beginImport(ctx, tx, a.actor, a.now)
				if err != nil {
					return Change{}, err
				}
				begun, a.undo = j, j
			}
			held := time.Now()
			n, err := a.apply(ctx, tx, rows[i:], func(n int) bool {
				contended = contended || waited()
				return n >= db.chunkLimit() || contended && (n >= minChunk || time.Since(held) >= contendedHold)
			})
			if err != nil {
				return Change{}, err
			}
			if next = i + n; next < len(rows) {
				return Change{}, nil
			}
			return a.finish(ctx, tx)
		})
		if err != nil {
			if begun != nil && !importBegun(context.WithoutCancel(ctx), db, begun.id) {
				a.undo = nil // its first transaction never committed
			}
			if a.undo != nil {
				if uerr := undoImport(context.WithoutCancel(ctx), db.Write, a.undo.id); uerr != nil {
					slog.Error("an import failed and could not be undone yet; it will be when the database is next opened or imported to",
						"import", a.undo.id, "err", uerr)
				}
			}
			return err
		}
		i = next
		// While scans come in, the import rests three times as long as it
		// held the writer: it takes at most a quarter of the writer, and
		// of a core, from the door.
		if contended && i < len(rows) {
			time.Sleep(min(3*time.Since(start), maxRest))
		}
	}
	if err := purgeUndo(context.WithoutCancel(ctx), db.Write, a.undo.id); err != nil {
		slog.Warn("import done; its undo journal is dropped later", "import", a.undo.id, "err", err)
	}
	return nil
}

// writeChunk is DB.Write for one chunk of an import, with a way to ask
// whether another writer waits for the connection: someone did if the
// pool counted a wait since just before this transaction began (the
// import's own wait for the connection included, which means that someone
// else held it). Counting from before BEGIN leaves no gap in which a
// writer could start waiting unseen.
func (db *DB) writeChunk(ctx context.Context, fn func(tx *sql.Tx, waited func() bool) (Change, error)) error {
	w0 := db.w.Stats().WaitCount
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	ch, err := fn(tx, func() bool { return db.w.Stats().WaitCount > w0 })
	if err != nil {
		return err
	}
	a, err := db.commit(ctx, tx, ch) // on PostgreSQL, through the feed between servers (feed_pg.go)
	if err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.settle(a)
	return nil
}

// apply stores rows inside tx, from the first, until stop says that the
// transaction has enough (stop may be nil), and gives how many it stored.
// Their entitlements are recomputed every recomputeEvery rows and at the
// end; what they change is journalled when the import is chunked. A row's
// error is the row's, unless the caller gave up: then it is the
// context's.
func (a *applier) apply(ctx context.Context, tx *sql.Tx, rows []ImportRow, stop func(n int) bool) (int, error) {
	n, err := a.applyRows(ctx, tx, rows, stop)
	if err != nil && ctx.Err() != nil {
		return n, fmt.Errorf("store: import: %w", ctx.Err())
	}
	return n, err
}

func (a *applier) applyRows(ctx context.Context, tx *sql.Tx, rows []ImportRow, stop func(n int) bool) (int, error) {
	cat := a.plan.cat
	ids := make([]int64, 0, recomputeEvery)
	flush := func() error {
		if err := recomputeWith(ctx, tx, ids, a.seats); err != nil {
			return fmt.Errorf("store: recompute entitlements: %w", err)
		}
		a.ids, ids = append(a.ids, ids...), ids[:0]
		return nil
	}
	trips := &tripStore{tx: tx, loc: cat.Location, source: "import", now: ReadTime(a.now), stations: map[string]int64{}}
	n := 0
	for _, r := range rows {
		at := r.Attendee
		if _, ok := cat.Categories[at.Category]; !ok {
			return n, &RowError{Line: r.Line, Field: "category", Err: fmt.Errorf("unknown category %q", at.Category)}
		}
		var before *attendeeBefore
		if a.undo != nil {
			var err error
			if before, err = a.undo.before(ctx, tx, &at); err != nil {
				return n, &RowError{Line: r.Line, Field: "name", Err: err}
			}
		}
		id, created, err := upsertAttendee(ctx, tx, &at, a.now, a.fields)
		if err != nil {
			field := "name"
			if at.Group != "" && errors.Is(err, errUnknownGroup) {
				field = "group"
			}
			return n, &RowError{Line: r.Line, Field: field, Err: err}
		}
		ids = append(ids, id)
		if created {
			a.sum.Created++
			if err := legacyEntitlements(ctx, tx, id, &at); err != nil {
				return n, &RowError{Line: r.Line, Field: "name", Err: err}
			}
		} else {
			a.sum.Updated++
		}
		if at.Lodging != nil && at.Lodging.Room != "" {
			if err := setRoom(ctx, tx, cat, id, at.Lodging); err != nil {
				return n, &RowError{Line: r.Line, Field: "room", Err: err}
			}
		}
		// Travel before the attendee's journal entry: undone last entry
		// first, a new attendee (and its legs) goes before a station the
		// row made for them.
		if err := a.putTrips(ctx, trips, r.Line, id, created, &at); err != nil {
			return n, err
		}
		if a.undo != nil {
			if err := a.undo.after(ctx, tx, id, created, before); err != nil {
				return n, fmt.Errorf("store: import journal: %w", err)
			}
		}
		// The consent after the attendee's journal entry: undone first.
		if err := a.putConsent(ctx, tx, r.Line, id, at.FaceConsent); err != nil {
			return n, err
		}
		n++
		if len(ids) == recomputeEvery {
			if err := flush(); err != nil {
				return n, err
			}
		}
		if stop != nil && stop(n) {
			break
		}
	}
	return n, flush()
}

// putConsent records the row's 人脸核验同意, if the list gives one,
// journalled when the import is chunked.
func (a *applier) putConsent(ctx context.Context, tx *sql.Tx, line int, id int64, consent *bool) error {
	if consent == nil {
		return nil
	}
	w, err := importConsent(ctx, tx, id, *consent, a.actor, a.now)
	if err != nil {
		return &RowError{Line: line, Field: "face_consent", Err: err}
	}
	if w.kept {
		a.sum.ConsentKept = append(a.sum.ConsentKept, line)
	}
	if !w.wrote || a.undo == nil {
		return nil
	}
	e := undoEntry{Kind: "consent", ID: id, Old: w.old, New: map[string]any{"at": a.now, "actor": a.actor}}
	if err := a.undo.add(ctx, tx, e); err != nil {
		return fmt.Errorf("store: import journal: %w", err)
	}
	return nil
}

// finish ends the import in its last transaction: marked done (when
// chunked) and written to the audit log. The change names everyone
// stored and every session, whose 应到 may have moved.
func (a *applier) finish(ctx context.Context, tx *sql.Tx) (Change, error) {
	detail := fmt.Sprintf("created %d, updated %d", a.sum.Created, a.sum.Updated)
	if a.undo != nil {
		if err := a.undo.done(ctx, tx, a.now, detail); err != nil {
			return Change{}, err
		}
	}
	if err := audit(ctx, tx, ReadTime(a.now), a.actor, "import", "", detail); err != nil {
		return Change{}, err
	}
	change := Change{Attendees: a.ids, Recount: make([]string, 0, len(a.plan.cat.SessionList)), Logistics: a.travel}
	for _, s := range a.plan.cat.SessionList {
		change.Recount = append(change.Recount, s.ID)
	}
	return change, nil
}

// legacyEntitlements puts a new attendee on the lists of sessions that
// have no 应到 rule, which only a database from before rules has: every
// plenary but for the press, and their own group's sessions.
func legacyEntitlements(ctx context.Context, tx *sql.Tx, id int64, a *domain.Attendee) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO session_attendees (session_id, attendee_id)
		SELECT s.id, ?1 FROM sessions s LEFT JOIN groups g ON g.id = s.group_id
		WHERE s.expected IS NULL AND ((s.kind = 'plenary' AND ?2 <> ?3) OR (g.name <> '' AND g.name = ?4))
		ON CONFLICT DO NOTHING`,
		id, a.Category, domain.CategoryPress, a.Group)
	return err
}

func setRoom(ctx context.Context, tx *sql.Tx, cat *Catalog, id int64, l *domain.Lodging) error {
	v, ok := cat.Venues[l.Venue]
	if !ok || v.Kind != domain.VenueHotel {
		for _, cand := range cat.Venues {
			if cand.Kind == domain.VenueHotel {
				v, ok = cand, true
				break
			}
		}
	}
	if !ok {
		return errors.New("the event has no hotel")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO lodging (attendee_id, venue_id, room, check_in, check_out) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (attendee_id) DO UPDATE SET venue_id = excluded.venue_id, room = excluded.room`,
		id, v.ID, l.Room, l.CheckIn, l.CheckOut)
	return err
}

// chunkLimit is the most rows one chunk of an import takes.
func (db *DB) chunkLimit() int {
	if db.chunkRows > 0 {
		return db.chunkRows
	}
	return maxChunk
}
