package attendance

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"huiwu/server/internal/store"
)

// Tracker keeps every session's attendance in memory so that counts cost
// nanoseconds however many people a congress has: the live feed recounts on
// every change and every screen that connects asks for all sessions, and
// doing either in SQL over 20,000 expected attendees takes milliseconds a
// time.
//
// It holds each expected attendee's state (present, inside, on leave) and
// keeps each session's figures in step with those states: an update takes
// the entry's old contribution out and puts the new one in, so an update
// applied twice (a re-read that already saw it) changes nothing. The
// engine's transitions (store.Change.Presence) arrive through the store's
// change feed on the committing goroutine and are applied at once; a
// change that asks for a recount (a leave, an import, an edit) makes the
// tracker re-read on its own goroutine, as a follower of the feed; and a
// full re-read runs every ReconcileEvery in case something changed behind
// its back.
type Tracker struct {
	db      *store.DB
	catalog func() *store.Catalog

	reload  sync.Mutex // one re-read at a time
	mu      sync.Mutex
	now     func() time.Time
	rosters map[string]*roster
	// During a re-read, transitions are also kept here and applied again
	// on top of what was read.
	reading bool
	during  []store.Presence
}

// ReconcileEvery is how often the tracker re-reads everything from the
// database.
const ReconcileEvery = time.Minute

// NewTracker reads the current state and follows db's changes from then on.
// Run keeps it reconciled until ctx ends.
func NewTracker(ctx context.Context, db *store.DB, catalog func() *store.Catalog) (*Tracker, error) {
	t := &Tracker{db: db, catalog: catalog, now: time.Now, rosters: map[string]*roster{}}
	db.OnChange(t.apply)
	db.Follow(recounts, t.recount)
	if err := t.Reload(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// Run re-reads everything every ReconcileEvery until ctx ends.
func (t *Tracker) Run(ctx context.Context) {
	tick := time.NewTicker(ReconcileEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := t.Reload(ctx); err != nil && ctx.Err() == nil {
				slog.Error("attendance: reconcile", "err", err)
			}
		}
	}
}

// apply is the store's change listener. It runs on the committing
// goroutine (the check-in writer's, for scans) and only touches memory:
// the engine's transitions are applied at once.
func (t *Tracker) apply(c store.Change) {
	if len(c.Presence) == 0 {
		return
	}
	t.mu.Lock()
	for _, p := range c.Presence {
		t.set(p)
	}
	if t.reading {
		t.during = append(t.during, c.Presence...)
	}
	t.mu.Unlock()
}

// recounts says which changes the tracker follows: those asking for a
// recount.
func recounts(c store.Change) bool { return len(c.Recount) > 0 }

// recount is the tracker's follower: it re-reads after changes that ask
// for a recount, on its own goroutine, with those that came meanwhile
// merged into one re-read. The store's Write returns after it, so the
// writer's answer (and the counts asked right after it) include the
// change.
func (t *Tracker) recount(store.Change) {
	if err := t.Reload(context.Background()); err != nil {
		slog.Error("attendance: re-read after a change", "err", err)
	}
}

// set records one transition; the caller holds mu.
func (t *Tracker) set(p store.Presence) {
	r := t.rosters[p.Session]
	if r == nil {
		return
	}
	e, ok := r.entries[p.Attendee]
	if !ok {
		return // not expected there (the engine would have said not_entitled)
	}
	r.add(e, -1)
	if !e.present || p.At.Before(e.firstIn) {
		e.firstIn = p.At
	}
	e.present = true
	e.inside = p.Inside
	r.add(e, 1)
}

// Reload re-reads people, expected lists, presence and leaves.
func (t *Tracker) Reload(ctx context.Context) error {
	t.reload.Lock()
	defer t.reload.Unlock()
	t.mu.Lock()
	t.reading, t.during = true, nil
	t.mu.Unlock()
	rosters, err := read(ctx, t.db, t.catalog(), "")
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reading = false
	if err != nil {
		t.during = nil
		return err
	}
	t.rosters = rosters
	for _, p := range t.during {
		t.set(p)
	}
	t.during = nil
	return nil
}

// SetClock sets the clock the phases are judged by (tests move it).
func (t *Tracker) SetClock(now func() time.Time) {
	t.mu.Lock()
	t.now = now
	t.mu.Unlock()
}

// Counts returns a session's figures, quorum and statement from memory.
func (t *Tracker) Counts(sessionID string) (Counts, error) {
	c, _, err := t.snapshot(sessionID, false)
	return c, err
}

// snapshot takes a session's counts and, when entries is true, a copy of
// its roster, under one lock: the lists then agree with the counts.
func (t *Tracker) snapshot(sessionID string, entries bool) (Counts, map[int64]entry, error) {
	cat := t.catalog()
	s, ok := cat.Sessions[sessionID]
	if !ok {
		return Counts{}, nil, store.ErrNotFound
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rosters[sessionID]
	if r == nil {
		r = &roster{starts: s.StartsAt}
	}
	var copied map[int64]entry
	if entries {
		copied = r.copyEntries()
	}
	return r.counts(s, cat, t.now()), copied, nil
}

// Detail is the chair's view of a session: counts, arrival curve and, when
// names is true, the absentees, all from one snapshot.
func (t *Tracker) Detail(ctx context.Context, sessionID string, withNames bool) (Detail, error) {
	c, entries, err := t.snapshot(sessionID, true)
	if err != nil {
		return Detail{}, err
	}
	cat := t.catalog()
	d := Detail{Counts: c, Arrivals: arrivals(cat.Sessions[sessionID], cat.Location, entries)}
	if !withNames {
		return d, nil
	}
	who, err := names(ctx, t.db, sessionID)
	if err != nil {
		return Detail{}, err
	}
	d.Absentees = []Person{}
	for _, m := range members(entries, who, c.AbsentCounted, cat.Location) {
		if m.Counted && m.State == StateAbsent {
			d.Absentees = append(d.Absentees, Person{AttendeeID: m.AttendeeID, Name: m.Name})
		}
	}
	return d, nil
}

// Roster is everyone expected at a session with their state, and the
// counts, from one snapshot.
func (t *Tracker) Roster(ctx context.Context, sessionID string) (Roster, error) {
	c, entries, err := t.snapshot(sessionID, true)
	if err != nil {
		return Roster{}, err
	}
	who, err := names(ctx, t.db, sessionID)
	if err != nil {
		return Roster{}, err
	}
	return Roster{Counts: c, People: members(entries, who, c.AbsentCounted, t.catalog().Location)}, nil
}
