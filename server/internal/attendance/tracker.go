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
// microseconds however many people a congress has: the live feed recounts
// on every change, and doing that in SQL over 20,000 expected attendees
// would take tens of milliseconds a time.
//
// It holds states, not counters: who is expected, who is present and
// inside, who is on leave. Counts are computed from those states on demand,
// and every update sets a state rather than adding to a number, so an
// update applied twice (a reload that already saw it) changes nothing. The
// engine's transitions arrive through the store's change feed after each
// commit; anything else that moves a roster (a leave, an import, an edit)
// makes the tracker re-read the sessions concerned, and a full re-read runs
// every ReconcileEvery in case something changed behind its back.
type Tracker struct {
	db      *store.DB
	catalog func() *store.Catalog

	reload sync.Mutex // one re-read at a time
	mu     sync.Mutex
	people map[int64]person
	state  map[string]map[int64]*entry // session -> expected attendee -> state
	// During a re-read, transitions are also kept here and applied again
	// on top of what was read.
	reading bool
	during  []store.Presence
}

// ReconcileEvery is how often the tracker re-reads everything from the
// database.
const ReconcileEvery = time.Minute

type person struct {
	category string
	active   bool
}

type entry struct {
	present, inside, leave bool
	firstIn                time.Time
}

// NewTracker reads the current state and follows db's changes from then on.
// Run keeps it reconciled until ctx ends.
func NewTracker(ctx context.Context, db *store.DB, catalog func() *store.Catalog) (*Tracker, error) {
	t := &Tracker{db: db, catalog: catalog, state: map[string]map[int64]*entry{}}
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
	e, ok := t.state[p.Session][p.Attendee]
	if !ok {
		return // not expected there (the engine would have said not_entitled)
	}
	if !e.present || p.At.Before(e.firstIn) {
		e.firstIn = p.At
	}
	e.present = true
	e.inside = p.Inside
}

// Reload re-reads people, expected lists, presence and leaves.
func (t *Tracker) Reload(ctx context.Context) error {
	t.reload.Lock()
	defer t.reload.Unlock()
	t.mu.Lock()
	t.reading, t.during = true, nil
	t.mu.Unlock()
	people, state, err := read(ctx, t.db)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reading = false
	if err != nil {
		t.during = nil
		return err
	}
	t.people, t.state = people, state
	for _, p := range t.during {
		t.set(p)
	}
	t.during = nil
	return nil
}

// read loads everything in one read transaction, so the parts agree.
func read(ctx context.Context, db *store.DB) (map[int64]person, map[string]map[int64]*entry, error) {
	tx, err := db.R.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	people := map[int64]person{}
	state := map[string]map[int64]*entry{}
	rows, err := tx.QueryContext(ctx, `SELECT id, category, status = 'active' FROM attendees`)
	if err != nil {
		return nil, nil, fmt.Errorf("attendance: read people: %w", err)
	}
	for rows.Next() {
		var id int64
		var p person
		if err := rows.Scan(&id, &p.category, &p.active); err != nil {
			rows.Close()
			return nil, nil, err
		}
		people[id] = p
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT sa.session_id, sa.attendee_id, p.first_in_at, coalesce(p.inside, 0), l.id IS NOT NULL
		FROM session_attendees sa
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL`)
	if err != nil {
		return nil, nil, fmt.Errorf("attendance: read rosters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var session string
		var id int64
		var firstIn *string
		e := &entry{}
		if err := rows.Scan(&session, &id, &firstIn, &e.inside, &e.leave); err != nil {
			return nil, nil, err
		}
		if firstIn != nil {
			e.present, e.firstIn = true, store.MustTime(*firstIn)
		}
		if state[session] == nil {
			state[session] = map[int64]*entry{}
		}
		state[session][id] = e
	}
	return people, state, rows.Err()
}

// Counts computes a session's figures, quorum and statement from memory.
func (t *Tracker) Counts(sessionID string) (Counts, error) {
	cat := t.catalog()
	s, ok := cat.Sessions[sessionID]
	if !ok {
		return Counts{}, store.ErrNotFound
	}
	counted := cat.VotingCategories(s)
	t.mu.Lock()
	var all, voting Figures
	late := 0
	for id, e := range t.state[sessionID] {
		p := t.people[id]
		if !p.active {
			continue
		}
		isVoting := slices.Contains(counted, p.category)
		for _, f := range []*Figures{&all, &voting} {
			if f == &voting && !isVoting {
				continue
			}
			f.Expected++
			switch {
			case e.present:
				f.Present++
				if !e.inside {
					f.Left++
				}
			case e.leave:
				f.OnLeave++
			}
		}
		if isVoting && e.present && e.firstIn.After(s.StartsAt) {
			late++
		}
	}
	members := 0
	if s.Quorum.Base == "members" {
		for _, p := range t.people {
			if p.active && slices.Contains(counted, p.category) {
				members++
			}
		}
	}
	t.mu.Unlock()
	all.Absent = all.Expected - all.Present - all.OnLeave
	voting.Absent = voting.Expected - voting.Present - voting.OnLeave
	if s.Quorum.Base != "members" {
		members = voting.Expected
	}
	return assemble(s, counted, all, voting, late, members), nil
}
