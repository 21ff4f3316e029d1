package store

import (
	"context"
	"time"
)

// The readiness board's questions about places: halls, dining tables,
// rooms and kiosks (see readiness_people.go).

// SessionCapacity is a session's venue against the people it expects.
type SessionCapacity struct {
	SessionID, SessionName string
	VenueName              string
	Capacity               int // the venue's stated capacity
	Seats                  int // seats on its map; 0 when it has none
	Usable                 int // seats on its map that are not blocked
	Expected               int // active attendees the session expects
}

// SessionCapacities answers for every session, in schedule order.
func (db *DB) SessionCapacities(ctx context.Context) ([]SessionCapacity, error) {
	return readAll(ctx, db.r, "session capacities", func(r interface{ Scan(...any) error }) (SessionCapacity, error) {
		var c SessionCapacity
		err := r.Scan(&c.SessionID, &c.SessionName, &c.VenueName, &c.Capacity, &c.Seats, &c.Usable, &c.Expected)
		return c, err
	}, `SELECT s.id, s.name, v.name, v.capacity,
		(SELECT count(*) FROM seats st WHERE st.venue_id = s.venue_id),
		(SELECT count(*) FROM seats st WHERE st.venue_id = s.venue_id AND st.kind != 'blocked'),
		(SELECT count(*) FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
			WHERE sa.session_id = s.id)
		FROM sessions s JOIN venues v ON v.id = s.venue_id ORDER BY s.starts_at, s.sort`)
}

// MealCover is how many meal tickets an active attendee expected somewhere
// holds, and how many of them name a table the hall does not have.
type MealCover struct {
	ReadyPerson
	Tickets int
	NoTable int
}

// MealCovers answers for every active attendee expected at some session,
// by rank.
func (db *DB) MealCovers(ctx context.Context) ([]MealCover, error) {
	// One pass over the tickets grouped by attendee: meal_tickets is keyed
	// by meal first, so a per-attendee subquery would scan it each time.
	return readAll(ctx, db.r, "meal covers", func(r interface{ Scan(...any) error }) (MealCover, error) {
		var m MealCover
		err := r.Scan(&m.ID, &m.Name, &m.Organization, &m.Tickets, &m.NoTable)
		return m, err
	}, `WITH t AS (
			SELECT t.attendee_id, count(*) AS n, count(*) FILTER (WHERE d.number IS NULL) AS bad
			FROM meal_tickets t LEFT JOIN dining_tables d ON d.venue_id = t.venue_id AND d.number = t.table_no
			GROUP BY t.attendee_id)
		SELECT a.id, a.name, a.organization, coalesce(t.n, 0), coalesce(t.bad, 0)
		FROM attendees a LEFT JOIN t ON t.attendee_id = a.id
		WHERE a.status = 'active' AND EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.attendee_id = a.id)
		ORDER BY a.rank, a.id`)
}

// CrowdedTable is a dining table given more active people at a meal than
// it seats.
type CrowdedTable struct {
	MealID, MealName string
	Hall             string // the dining hall's name
	Table            int
	Seats            int
	People           int
}

// CrowdedTables lists them in meal, hall and table order.
func (db *DB) CrowdedTables(ctx context.Context) ([]CrowdedTable, error) {
	return readAll(ctx, db.r, "crowded tables", func(r interface{ Scan(...any) error }) (CrowdedTable, error) {
		var t CrowdedTable
		err := r.Scan(&t.MealID, &t.MealName, &t.Hall, &t.Table, &t.Seats, &t.People)
		return t, err
	}, `SELECT t.meal_id, m.name, v.name, t.table_no, d.seats, count(*)
		FROM meal_tickets t JOIN attendees a ON a.id = t.attendee_id AND a.status = 'active'
		JOIN meals m ON m.id = t.meal_id JOIN venues v ON v.id = t.venue_id
		JOIN dining_tables d ON d.venue_id = t.venue_id AND d.number = t.table_no
		GROUP BY t.meal_id, t.venue_id, t.table_no, m.name, m.opens_at, v.name, d.seats HAVING count(*) > d.seats
		ORDER BY m.opens_at, v.name, t.table_no`)
}

// RoomGiven is one room given to active attendees, and whether its hotel
// has it.
type RoomGiven struct {
	Hotel, Room string
	Exists      bool
	People      int
	Names       string // joined with 、
}

// RoomsGiven lists every room given, by hotel name and room.
func (db *DB) RoomsGiven(ctx context.Context) ([]RoomGiven, error) {
	return readAll(ctx, db.r, "rooms given", func(r interface{ Scan(...any) error }) (RoomGiven, error) {
		var g RoomGiven
		err := r.Scan(&g.Hotel, &g.Room, &g.Exists, &g.People, &g.Names)
		return g, err
	}, `SELECT v.name, l.room, h.beds IS NOT NULL, count(*), string_agg(a.name, '、' ORDER BY a.rank, a.id)
		FROM lodging l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		JOIN venues v ON v.id = l.venue_id
		LEFT JOIN hotel_rooms h ON h.venue_id = l.venue_id AND h.number = l.room
		GROUP BY l.venue_id, l.room, v.name, h.beds ORDER BY v.name, l.room`)
}

// KioskSighting is a live kiosk: where it stands and when it was last
// heard from.
type KioskSighting struct {
	ID, Name   string
	Checkpoint string // "" when none is set
	Paired     bool
	// LastSeen is the latest of its last request, its last scan received
	// and its page's last status report; zero when never.
	LastSeen time.Time
}

// KioskSightings lists every kiosk not revoked, by name.
func (db *DB) KioskSightings(ctx context.Context) ([]KioskSighting, error) {
	return readAll(ctx, db.r, "kiosk sightings", func(r interface{ Scan(...any) error }) (KioskSighting, error) {
		var k KioskSighting
		var request, scan, report string
		err := r.Scan(&k.ID, &k.Name, &k.Checkpoint, &k.Paired, &request, &scan, &report)
		// The latest of the three, taken here: SQLite's max of several
		// arguments is PostgreSQL's greatest.
		if seen := max(request, scan, report); seen != "" {
			k.LastSeen = ReadTime(seen)
		}
		return k, err
	}, `SELECT d.id, d.name, coalesce(d.checkpoint_id, ''), d.paired_at IS NOT NULL,
		coalesce(d.last_seen_at, ''), coalesce((SELECT max(s.received_at) FROM scans s WHERE s.device_id = d.id), ''),
		coalesce((SELECT ks.reported_at FROM kiosk_status ks WHERE ks.device_id = d.id), '')
		FROM devices d WHERE d.kind = 'kiosk' AND d.revoked_at IS NULL ORDER BY d.name, d.id`)
}

// UnwatchedCheckpoint is an entrance or dining checkpoint without a
// paired, live kiosk.
type UnwatchedCheckpoint struct {
	ID, Name string
}

// UnwatchedCheckpoints lists them by id.
func (db *DB) UnwatchedCheckpoints(ctx context.Context) ([]UnwatchedCheckpoint, error) {
	return readAll(ctx, db.r, "checkpoints without a kiosk", func(r interface{ Scan(...any) error }) (UnwatchedCheckpoint, error) {
		var p UnwatchedCheckpoint
		err := r.Scan(&p.ID, &p.Name)
		return p, err
	}, `SELECT p.id, p.name FROM checkpoints p WHERE p.kind IN ('entrance', 'meal')
		AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.checkpoint_id = p.id AND d.kind = 'kiosk'
			AND d.revoked_at IS NULL AND d.paired_at IS NOT NULL)
		ORDER BY p.id`)
}
