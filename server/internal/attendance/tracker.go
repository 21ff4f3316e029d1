package attendance

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
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
// engine's transitions arrive through the store's change feed after each
// commit; anything else that moves a roster (a leave, an import, an edit)
// makes the tracker re-read, and a full re-read runs every ReconcileEvery in
// case something changed behind its back.
type Tracker struct {
	db      *store.DB
	catalog func() *store.Catalog

	reload  sync.Mutex // one re-read at a time
	mu      sync.Mutex
	rosters map[string]*roster
	// During a re-read, transitions are also kept here and applied again
	// on top of what was read.
	reading bool
	during  []store.Presence
}

// ReconcileEvery is how often the tracker re-reads everything from the
// database.
const ReconcileEvery = time.Minute

// roster is one session's expected attendees and their figures.
type roster struct {
	starts      time.Time
	entries     map[int64]*entry // active expected attendees only
	all, voting Figures          // Absent is derived when counts are asked for
	late        int
	members     int // active voting members of the event, for Base "members"
}

type entry struct {
	voting                 bool // in a category that counts for this session
	present, inside, leave bool
	firstIn                time.Time
}

// add adds (sign 1) or removes (sign -1) an entry's part in the figures.
func (r *roster) add(e *entry, sign int) {
	for _, f := range []*Figures{&r.all, &r.voting} {
		if f == &r.voting && !e.voting {
			continue
		}
		switch {
		case e.present:
			f.Present += sign
			if !e.inside {
				f.Left += sign
			}
		case e.leave:
			f.OnLeave += sign
		}
	}
	if e.voting && e.present && e.firstIn.After(r.starts) {
		r.late += sign
	}
}

// NewTracker reads the current state and follows db's changes from then on.
// Run keeps it reconciled until ctx ends.
func NewTracker(ctx context.Context, db *store.DB, catalog func() *store.Catalog) (*Tracker, error) {
	t := &Tracker{db: db, catalog: catalog, rosters: map[string]*roster{}}
	db.OnChange(t.apply)
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
// goroutine: engine transitions are applied at once; other changes to
// sessions re-read them.
func (t *Tracker) apply(c store.Change) {
	if len(c.Presence) > 0 {
		t.mu.Lock()
		for _, p := range c.Presence {
			t.set(p)
		}
		if t.reading {
			t.during = append(t.during, c.Presence...)
		}
		t.mu.Unlock()
		return
	}
	if len(c.Sessions) > 0 {
		if err := t.Reload(context.Background()); err != nil {
			slog.Error("attendance: re-read after a change", "err", err)
		}
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
	rosters, err := read(ctx, t.db, t.catalog())
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

// read loads everything in one read transaction, so the parts agree.
func read(ctx context.Context, db *store.DB, cat *store.Catalog) (map[string]*roster, error) {
	tx, err := db.R.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	type person struct {
		category string
		active   bool
	}
	people := map[int64]person{}
	rows, err := tx.QueryContext(ctx, `SELECT id, category, status = 'active' FROM attendees`)
	if err != nil {
		return nil, fmt.Errorf("attendance: read people: %w", err)
	}
	for rows.Next() {
		var id int64
		var p person
		if err := rows.Scan(&id, &p.category, &p.active); err != nil {
			rows.Close()
			return nil, err
		}
		people[id] = p
	}
	rows.Close()

	rosters := map[string]*roster{}
	counted := map[string][]string{}
	for _, s := range cat.SessionList {
		cats := cat.VotingCategories(s)
		counted[s.ID] = cats
		r := &roster{starts: s.StartsAt, entries: map[int64]*entry{}}
		for _, p := range people {
			if p.active && slices.Contains(cats, p.category) {
				r.members++
			}
		}
		rosters[s.ID] = r
	}
	rows, err = tx.QueryContext(ctx, `SELECT sa.session_id, sa.attendee_id, p.first_in_at, coalesce(p.inside, 0), l.id IS NOT NULL
		FROM session_attendees sa
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("attendance: read rosters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var session string
		var id int64
		var firstIn *string
		e := &entry{}
		if err := rows.Scan(&session, &id, &firstIn, &e.inside, &e.leave); err != nil {
			return nil, err
		}
		r, p := rosters[session], people[id]
		if r == nil || !p.active {
			continue // cancelled attendees are nobody's 应到
		}
		if firstIn != nil {
			e.present, e.firstIn = true, store.MustTime(*firstIn)
		}
		e.voting = slices.Contains(counted[session], p.category)
		r.entries[id] = e
		r.all.Expected++
		if e.voting {
			r.voting.Expected++
		}
		r.add(e, 1)
	}
	return rosters, rows.Err()
}

// Counts returns a session's figures, quorum and statement from memory.
func (t *Tracker) Counts(sessionID string) (Counts, error) {
	cat := t.catalog()
	s, ok := cat.Sessions[sessionID]
	if !ok {
		return Counts{}, store.ErrNotFound
	}
	t.mu.Lock()
	r := t.rosters[sessionID]
	var all, voting Figures
	late, members := 0, 0
	if r != nil {
		all, voting, late, members = r.all, r.voting, r.late, r.members
	}
	t.mu.Unlock()
	all.Absent = all.Expected - all.Present - all.OnLeave
	voting.Absent = voting.Expected - voting.Present - voting.OnLeave
	base := voting.Expected
	if s.Quorum.Base == "members" {
		base = members
	}
	return assemble(s, cat.VotingCategories(s), all, voting, late, base), nil
}
