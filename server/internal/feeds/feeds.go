// Package feeds turns committed changes into live messages: it provides the
// hub's snapshots and, after each commit the store announces, publishes the
// new counts and seat states. Handlers never publish; commits do, so that the
// same feed can later come from PostgreSQL's LISTEN/NOTIFY.
package feeds

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/live"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/store"
)

// Topic names.
const (
	TopicAttendance  = "attendance"
	TopicSeatsPrefix = "seats"
	// TopicEvent says the event definition changed: pages and kiosks fetch
	// what they show again. It carries only a version number.
	TopicEvent = "event"
	// TopicLogistics says travel, vehicles or hotel stays changed (a
	// pickup marked, a run sent out, a hotel check-in): the logistics
	// board and the pickup phones read what they show again. It carries
	// only the moment of the change.
	TopicLogistics = "logistics"
)

// LogisticsState is the logistics topic's message: when travel, vehicles
// or stays last changed (zero in a snapshot taken before any change since
// the server started).
type LogisticsState struct {
	Changed time.Time `json:"changed_at"`
}

// EventState is the event topic's message: the definition's version (it
// rises with every change) and whether there is an event at all.
type EventState struct {
	Version  int64 `json:"version"`
	HasEvent bool  `json:"has_event"`
}

// Feeds connects the store's changes to the hub.
type Feeds struct {
	db         *store.DB
	hub        *live.Hub
	catalog    func() *store.Catalog
	attendance *attendance.Tracker

	seats *seatmap.Lookup

	mu      sync.Mutex
	pending store.Change
	// moved names sessions whose seats were given or taken (not just
	// arrivals): their deltas go out even when nobody in them holds a seat.
	moved map[string]bool
	wake  chan struct{}
	// logistics is when travel, vehicles or stays last changed.
	logistics time.Time
}

// Start registers the snapshot providers, listens to db's commits and
// publishes until ctx ends.
func Start(ctx context.Context, db *store.DB, hub *live.Hub, catalog func() *store.Catalog, counts *attendance.Tracker) (*Feeds, error) {
	seats, err := seatmap.NewLookup(ctx, db)
	if err != nil {
		return nil, err
	}
	f := &Feeds{db: db, hub: hub, catalog: catalog, attendance: counts, seats: seats, wake: make(chan struct{}, 1)}
	hub.Provide(TopicAttendance, f.attendanceSnapshot)
	hub.Provide(TopicSeatsPrefix, f.seatsSnapshot)
	hub.Provide(TopicEvent, func(ctx context.Context, _ string) (any, error) { return f.eventState(ctx) })
	hub.Provide(TopicLogistics, func(context.Context, string) (any, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return LogisticsState{Changed: f.logistics}, nil
	})
	db.OnChange(f.note)
	go f.loop(ctx)
	return f, nil
}

// AttendanceSnapshot is the attendance topic's snapshot: every session.
type AttendanceSnapshot struct {
	Sessions []attendance.Counts `json:"sessions"`
}

func (f *Feeds) attendanceSnapshot(ctx context.Context, _ string) (any, error) {
	cat := f.catalog()
	out := AttendanceSnapshot{Sessions: make([]attendance.Counts, 0, len(cat.SessionList))}
	for _, s := range cat.SessionList {
		c, err := f.attendance.Counts(s.ID)
		if err != nil {
			return nil, err
		}
		out.Sessions = append(out.Sessions, c)
	}
	return out, nil
}

// SeatsMessage is the data of a seats:SESSION message: the whole map in a
// snapshot, only the changed seats in a delta. A delta also names every
// attendee it concerns: one it gives no seat has lost the seat they held.
type SeatsMessage struct {
	Session   string         `json:"session_id"`
	Seats     []seatmap.Seat `json:"seats"`
	Attendees []int64        `json:"attendees,omitempty"`
}

func (f *Feeds) seatsSnapshot(ctx context.Context, topic string) (any, error) {
	session := strings.TrimPrefix(topic, TopicSeatsPrefix+":")
	if _, ok := f.catalog().Sessions[session]; !ok {
		return nil, store.ErrNotFound
	}
	seats, err := seatmap.Of(ctx, f.db, session, nil)
	if err != nil {
		return nil, err
	}
	return SeatsMessage{Session: session, Seats: seats}, nil
}

func (f *Feeds) eventState(ctx context.Context) (EventState, error) {
	v, err := f.db.DefinitionVersion(ctx)
	return EventState{Version: v, HasEvent: f.catalog().Event.ID != ""}, err
}

// note merges a committed change into the pending set. It runs on the
// committing goroutine (the check-in writer), so it only records and wakes.
func (f *Feeds) note(c store.Change) {
	if len(c.Sessions) == 0 && len(c.Seated) == 0 && !c.Definition && !c.Logistics {
		return
	}
	f.mu.Lock()
	f.pending.Definition = f.pending.Definition || c.Definition
	f.pending.Logistics = f.pending.Logistics || c.Logistics
	for _, s := range c.Sessions {
		if !slices.Contains(f.pending.Sessions, s) {
			f.pending.Sessions = append(f.pending.Sessions, s)
		}
	}
	for s, ids := range c.Seated {
		if f.pending.Seated == nil {
			f.pending.Seated = map[string][]int64{}
		}
		f.pending.Seated[s] = append(f.pending.Seated[s], ids...)
		if len(c.Presence) == 0 {
			if f.moved == nil {
				f.moved = map[string]bool{}
			}
			f.moved[s] = true
		}
	}
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// minInterval spaces publishing rounds. Each round recounts every changed
// session, so under a burst of scans one round per interval keeps the cost
// flat while a check-in still reaches the screens well within 100 ms.
const minInterval = 40 * time.Millisecond

// loop publishes what changed. Changes that arrive while a round runs, or
// within minInterval of it, go out together in the next round. A session
// also changes with the clock alone — at its start its 未到 become 缺席, or
// at its close for a session whose rule says so — so the loop wakes at each session's next phase boundary and sends the
// counts of the sessions that crossed one.
func (f *Feeds) loop(ctx context.Context) {
	var last time.Time
	checked := time.Now()
	for {
		boundary := time.NewTimer(time.Until(nextBoundary(f.catalog(), checked)))
		select {
		case <-ctx.Done():
			boundary.Stop()
			return
		case <-f.wake:
		case <-boundary.C:
		}
		boundary.Stop()
		now := time.Now()
		crossed := crossedBoundary(f.catalog(), checked, now)
		checked = now
		if wait := minInterval - time.Since(last); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		last = time.Now()
		f.mu.Lock()
		c, moved := f.pending, f.moved
		f.pending, f.moved = store.Change{}, nil
		f.mu.Unlock()
		for _, s := range crossed {
			if !slices.Contains(c.Sessions, s) {
				c.Sessions = append(c.Sessions, s)
			}
		}
		f.publish(ctx, c, moved)
	}
}

// farAway stands for "no boundary ahead": the loop still wakes on changes.
const farAway = 24 * time.Hour

// nextBoundary is the first phase boundary of any session after since.
func nextBoundary(cat *store.Catalog, since time.Time) time.Time {
	next := since.Add(farAway)
	for _, s := range cat.SessionList {
		for _, b := range attendance.Boundaries(s) {
			if b.After(since) && b.Before(next) {
				next = b
			}
		}
	}
	return next
}

// crossedBoundary lists the sessions with a phase boundary in (from, to].
func crossedBoundary(cat *store.Catalog, from, to time.Time) []string {
	var out []string
	for _, s := range cat.SessionList {
		for _, b := range attendance.Boundaries(s) {
			if b.After(from) && !b.After(to) {
				out = append(out, s.ID)
				break
			}
		}
	}
	return out
}

func (f *Feeds) publish(ctx context.Context, c store.Change, moved map[string]bool) {
	if c.Logistics {
		f.mu.Lock()
		f.logistics = time.Now()
		st := LogisticsState{Changed: f.logistics}
		f.mu.Unlock()
		f.hub.Publish(TopicLogistics, st)
	}
	if c.Definition {
		if st, err := f.eventState(ctx); err != nil {
			slog.Error("live: event", "err", err)
		} else {
			f.hub.Publish(TopicEvent, st)
		}
	}
	for _, s := range c.Sessions {
		counts, err := f.attendance.Counts(s)
		if err != nil {
			slog.Error("live: attendance", "session", s, "err", err)
			continue
		}
		f.hub.Publish(TopicAttendance, counts)
	}
	for s, ids := range c.Seated {
		slices.Sort(ids)
		ids = slices.Compact(ids)
		seats, err := f.seats.Held(ctx, s, ids)
		if err != nil {
			slog.Error("live: seats", "session", s, "err", err)
			continue
		}
		if len(seats) == 0 && !moved[s] {
			continue // arrivals of people without a seat here
		}
		if seats == nil {
			seats = []seatmap.Seat{}
		}
		f.hub.Publish(TopicSeatsPrefix+":"+s, SeatsMessage{Session: s, Seats: seats, Attendees: ids})
	}
}
