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

	mu sync.Mutex
	// pending is what changed since the last round, merged.
	pending store.Change
	wake    chan struct{}
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
	db.Follow(publishes, f.note)
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

// publishes says which changes the feeds follow: those that move counts,
// seats, the definition or logistics.
func publishes(c store.Change) bool {
	return len(c.Presence) > 0 || len(c.Recount) > 0 || len(c.Seated) > 0 || c.Definition || c.Logistics
}

// note merges a committed change into the pending set and wakes the loop.
// It is the feeds' follower of the store: it runs after the catalog was
// read again and the tracker recounted for the change, so the round it
// wakes publishes what they made of it.
func (f *Feeds) note(c store.Change) {
	f.mu.Lock()
	f.pending = f.pending.Merge(c)
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
		c := f.pending
		f.pending = store.Change{}
		f.mu.Unlock()
		f.publish(ctx, c, crossed)
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

// publish sends one round: logistics, the event, the counts of the
// sessions the change moved and of those that crossed a phase boundary,
// and the seats of those who arrived (when they hold one) or whose seat
// was given or taken (always).
func (f *Feeds) publish(ctx context.Context, c store.Change, crossed []string) {
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
	sessions := c.Sessions()
	for _, s := range crossed {
		if !slices.Contains(sessions, s) {
			sessions = append(sessions, s)
		}
	}
	for _, s := range sessions {
		counts, err := f.attendance.Counts(s)
		if err != nil {
			slog.Error("live: attendance", "session", s, "err", err)
			continue
		}
		f.hub.Publish(TopicAttendance, counts)
	}
	seated := map[string][]int64{}
	for _, p := range c.Presence {
		seated[p.Session] = append(seated[p.Session], p.Attendee)
	}
	for s, ids := range c.Seated {
		seated[s] = append(seated[s], ids...)
	}
	for s, ids := range seated {
		_, moved := c.Seated[s]
		slices.Sort(ids)
		ids = slices.Compact(ids)
		seats, err := f.seats.Held(ctx, s, ids)
		if err != nil {
			slog.Error("live: seats", "session", s, "err", err)
			continue
		}
		if len(seats) == 0 && !moved {
			continue // arrivals of people without a seat here
		}
		if seats == nil {
			seats = []seatmap.Seat{}
		}
		f.hub.Publish(TopicSeatsPrefix+":"+s, SeatsMessage{Session: s, Seats: seats, Attendees: ids})
	}
}
