package store

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Change says what a committed transaction touched, for the listeners that
// keep memory and screens in step with the database. Each field is one kind
// of news with one meaning: none depends on whether another is empty.
type Change struct {
	// Presence lists the check-in engine's attendance transitions in commit
	// order. The attendance tracker applies them in memory as they come
	// (no re-read); the live feed sends their sessions' counts and the
	// seats of those who hold one there.
	Presence []Presence
	// Recount names sessions whose attendance moved by a write other than
	// a scan (a leave, an import, an edit, a new definition): the tracker
	// re-reads them from the database, and then their counts go out.
	Recount []string
	// Seated lists, by session, attendees whose seat was given or taken (a
	// plan, a swap, a leave): the live feed sends what they hold now, even
	// when none of them holds a seat any more.
	Seated    map[string][]int64
	Meals     []string // meals redeemed
	Attendees []int64  // attendees whose record or credential changed
	// Catalog says the catalog changed without a new definition (a venue
	// imported, a session's seating rules): it is read again, and no page
	// is told.
	Catalog bool
	// Definition says the event definition changed (venues, sessions,
	// meals, checkpoints): the catalog is read again and pages are told.
	Definition bool
	// Logistics says travel, vehicles or hotel stays changed: the
	// logistics board and the pickup phones are told.
	Logistics bool
	// FaceAlerts are face checks (face_checks ids) that call the usher: a
	// face that did not match, or a person refused for their face.
	FaceAlerts []int64
}

// Presence is one attendee's state at a session after a scan: inside or
// gone out, and the time of the scan that put them there.
type Presence struct {
	Session  string
	Attendee int64
	Inside   bool
	At       time.Time
}

// Recount is the change of a write that moved attendance at sessions
// other than by a scan: the tracker re-reads them.
func Recount(sessions ...string) Change { return Change{Recount: sessions} }

// Empty reports whether the change touched nothing.
func (c Change) Empty() bool {
	return !c.Definition && !c.Catalog && !c.Logistics && len(c.Recount) == 0 && len(c.Meals) == 0 && len(c.Attendees) == 0 &&
		len(c.Seated) == 0 && len(c.Presence) == 0 && len(c.FaceAlerts) == 0
}

// ReadsCatalog reports whether the catalog is to be read again: the
// definition or some other part of the catalog changed.
func (c Change) ReadsCatalog() bool { return c.Catalog || c.Definition }

// Sessions names the sessions whose counts may have moved, each once: those
// of the engine's transitions, then those to recount.
func (c Change) Sessions() []string {
	var out []string
	for _, p := range c.Presence {
		if !slices.Contains(out, p.Session) {
			out = append(out, p.Session)
		}
	}
	for _, s := range c.Recount {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Merge returns c with o added after it: transitions and alerts in order,
// sessions to recount once each, the flags or'ed. Use it as append: the
// result may share c's storage, so keep merging into a Change that Merge
// made (or the zero Change), never into one announced.
func (c Change) Merge(o Change) Change {
	c.Presence = append(c.Presence, o.Presence...)
	for _, s := range o.Recount {
		if !slices.Contains(c.Recount, s) {
			c.Recount = append(c.Recount, s)
		}
	}
	if o.Seated != nil && c.Seated == nil {
		c.Seated = make(map[string][]int64, len(o.Seated))
	}
	for s, ids := range o.Seated {
		c.Seated[s] = append(c.Seated[s], ids...) // the key stays even with no ids
	}
	c.Meals = append(c.Meals, o.Meals...)
	c.Attendees = append(c.Attendees, o.Attendees...)
	c.Catalog = c.Catalog || o.Catalog
	c.Definition = c.Definition || o.Definition
	c.Logistics = c.Logistics || o.Logistics
	c.FaceAlerts = append(c.FaceAlerts, o.FaceAlerts...)
	return c
}

// feed hands committed changes to the listeners (on the committing
// goroutine) and to the followers (each on its own).
type feed struct {
	mu        sync.Mutex
	handled   sync.Cond // broadcast when a follower ends a round, and at close
	seq       uint64    // the last change announced
	listeners []func(Change)
	followers []*follower
	closed    bool
	running   sync.WaitGroup
	// pg is the feed between servers on PostgreSQL (feed_pg.go); nil on
	// SQLite.
	pg *pgFeed
}

// follower is one Follow registration: the changes it took and has not
// handled yet, merged, and the round it is in.
type follower struct {
	takes   func(Change) bool
	handle  func(Change)
	pending Change
	first   uint64 // the number of the first change in pending (0: none)
	last    uint64 // the number of the last change in pending
	round   uint64 // the first change of the round in progress (0: none)
	wake    chan struct{}
}

// owes reports whether the follower has yet to handle a change numbered
// seq or lower. The caller holds the feed's mu.
func (fl *follower) owes(seq uint64) bool {
	return (fl.first != 0 && fl.first <= seq) || (fl.round != 0 && fl.round <= seq)
}

// OnChange registers fn to be called after each committed change, on the
// committing goroutine (for scans, the check-in writer) before Announce
// returns, in the order listeners registered. fn must not block: it
// applies the change to memory or notes it, and never reads the database;
// a listener that reads registers with Follow instead.
func (db *DB) OnChange(fn func(Change)) {
	db.feed.mu.Lock()
	defer db.feed.mu.Unlock()
	db.feed.listeners = append(db.feed.listeners, fn)
}

// Follow registers handle to be called, on a goroutine of its own, with
// the committed changes that takes accepts (takes runs on the committing
// goroutine and must be quick). Changes that arrive while handle runs are
// merged (Merge) into one call. For any change, handle runs only after
// every follower registered before it has handled that change, so a
// follower sees what earlier ones made of it (the catalog read again
// before the tracker recounts, the recount before the counts go out).
// Write returns only once every follower has handled its change; handle
// must therefore never write to the database itself.
func (db *DB) Follow(takes func(Change) bool, handle func(Change)) {
	f := &db.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	fl := &follower{takes: takes, handle: handle, wake: make(chan struct{}, 1)}
	f.followers = append(f.followers, fl)
	f.running.Add(1)
	go f.run(len(f.followers)-1, fl)
}

// Announce tells the listeners about a committed change and queues it for
// the followers that take it, without waiting for them: the check-in
// writer calls it between its commit and its answers. Write announces
// and waits.
func (db *DB) Announce(c Change) { db.announce(c) }

// announced is a change handed to the followers, for settle: its number
// and the followers that took it.
type announced struct {
	seq    uint64
	takers []*follower
}

// announce is Announce, saying who took the change.
func (db *DB) announce(c Change) announced {
	if c.Empty() {
		return announced{}
	}
	f := &db.feed
	f.mu.Lock()
	ls := f.listeners
	f.mu.Unlock()
	for _, fn := range ls {
		fn(c)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return announced{}
	}
	f.seq++
	a := announced{seq: f.seq}
	for _, fl := range f.followers {
		if !fl.takes(c) {
			continue
		}
		a.takers = append(a.takers, fl)
		fl.pending = fl.pending.Merge(c)
		if fl.first == 0 {
			fl.first = f.seq
		}
		fl.last = f.seq
		select {
		case fl.wake <- struct{}{}:
		default: // a round is due already: it takes this change too
		}
	}
	return a
}

// settle waits until every follower that took the change has handled it
// (or the database is closed).
func (db *DB) settle(a announced) {
	if len(a.takers) == 0 {
		return
	}
	f := &db.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	for !f.closed && !handled(a.takers, a.seq) {
		f.handled.Wait()
	}
}

// handled reports whether the followers have handled every change they
// took up to seq. The caller holds the feed's mu.
func handled(followers []*follower, seq uint64) bool {
	for _, fl := range followers {
		if fl.owes(seq) {
			return false
		}
	}
	return true
}

// run is follower i's goroutine: each round takes what is pending, waits
// for the followers before it to have handled as much, and handles it.
func (f *feed) run(i int, fl *follower) {
	defer f.running.Done()
	for range fl.wake {
		f.mu.Lock()
		if fl.first == 0 { // this round's changes went with the last one
			f.mu.Unlock()
			continue
		}
		c, last := fl.pending, fl.last
		fl.pending, fl.round, fl.first = Change{}, fl.first, 0
		for !f.closed && !handled(f.followers[:i], last) {
			f.handled.Wait()
		}
		closed := f.closed
		f.mu.Unlock()
		if closed {
			return
		}
		fl.handle(c)
		f.mu.Lock()
		fl.round = 0
		f.handled.Broadcast()
		f.mu.Unlock()
	}
}

// close stops the followers once their rounds in progress end, and frees
// whoever waits for them.
func (f *feed) close() {
	if f.pg != nil {
		f.pg.close() // first: its listener announces into the feed
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	for _, fl := range f.followers {
		close(fl.wake)
	}
	f.handled.Broadcast()
	f.mu.Unlock()
	f.running.Wait()
}

// FollowCatalog keeps a catalog in step with the change feed: after every
// change that says the catalog changed (ReadsCatalog), it reads it again
// (the empty catalog when the event is gone) and hands it to set, before
// the writer's Write returns and before later followers hear of the
// change. Register it before the followers that read the catalog.
func (db *DB) FollowCatalog(set func(*Catalog)) {
	db.Follow(Change.ReadsCatalog, func(Change) {
		c, err := db.Catalog(context.Background())
		if errors.Is(err, ErrNotFound) {
			c, err = EmptyCatalog(), nil
		}
		if err != nil {
			slog.Error("store: read the catalog again after a change", "err", err)
			return
		}
		set(c)
	})
}
