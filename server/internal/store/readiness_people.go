package store

import (
	"context"
	"fmt"
)

// The readiness board's (会前检查, package readiness) questions about
// people: badges, photos and seats. Each method answers every item a check
// looks at, in the order the board lists them, with what the check needs
// to say whether it fails; the check words the failure.

// ReadyPerson names an attendee on the readiness board.
type ReadyPerson struct {
	ID           int64
	Name         string
	Organization string
}

// attending is the join of a session's expected attendees (应到) who are
// active, with their leave if they hold one: WHERE l.id IS NULL keeps the
// people who should be in the room.
const attending = `session_attendees sa
	JOIN sessions s ON s.id = sa.session_id
	JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
	LEFT JOIN active_leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id`

// BadgeState is whether an active attendee expected somewhere holds a
// live credential, and whether the badge carrying it has been printed.
type BadgeState struct {
	ReadyPerson
	Issued  bool // a live credential
	Printed bool // badge_prints has the live serial on a badge
}

// BadgeStates answers, for every active attendee expected at some session
// (by rank), whether their badge is issued and printed: a reissued badge
// counts as unprinted until the new serial is printed.
func (db *DB) BadgeStates(ctx context.Context) ([]BadgeState, error) {
	return readAll(ctx, db.r, "badge states", func(r interface{ Scan(...any) error }) (BadgeState, error) {
		var b BadgeState
		err := r.Scan(&b.ID, &b.Name, &b.Organization, &b.Issued, &b.Printed)
		return b, err
	}, `SELECT a.id, a.name, a.organization, c.serial IS NOT NULL,
		EXISTS (SELECT 1 FROM badge_prints p WHERE p.attendee_id = a.id AND p.kind = 'badge' AND p.serial = c.serial)
		FROM attendees a LEFT JOIN credentials c ON c.attendee_id = a.id AND c.revoked_at IS NULL
		WHERE a.status = 'active' AND EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.attendee_id = a.id)
		ORDER BY a.rank, a.id`)
}

// BadgePhotoState is what the badge photo check weighs of an active
// attendee: their category (which decides whether a layout prints a
// photo), whether they have a photo, and the layout of the badge in hand.
type BadgePhotoState struct {
	ReadyPerson
	Category   string
	HasPhoto   bool
	LastLayout string // of the last badge printed; "" when none was
}

// BadgePhotoStates answers for every active attendee, by rank. Whether
// they have a photo is PhotoPeople's answer: only photos.go reads the
// photos' table (TestPhotoTableReadOnlyHere).
func (db *DB) BadgePhotoStates(ctx context.Context) ([]BadgePhotoState, error) {
	photos, err := db.PhotoPeople(ctx)
	if err != nil {
		return nil, err
	}
	has := make(map[int64]bool, len(photos))
	for _, p := range photos {
		has[p.ID] = p.HasPhoto
	}
	return readAll(ctx, db.r, "badge photo states", func(r interface{ Scan(...any) error }) (BadgePhotoState, error) {
		var b BadgePhotoState
		err := r.Scan(&b.ID, &b.Name, &b.Organization, &b.Category, &b.LastLayout)
		b.HasPhoto = has[b.ID]
		return b, err
	}, `SELECT a.id, a.name, a.organization, a.category,
		coalesce((SELECT b.layout FROM badge_prints b WHERE b.attendee_id = a.id AND b.kind = 'badge' ORDER BY b.id DESC LIMIT 1), '')
		FROM attendees a WHERE a.status = 'active' ORDER BY a.rank, a.id`)
}

// SessionCoverage is one person who should be in a session's room, and
// whether they lack what the check asks for (a seat, a name card).
type SessionCoverage struct {
	SessionID   string
	SessionName string
	ReadyPerson
	Missing bool
}

func scanCoverage(r interface{ Scan(...any) error }) (SessionCoverage, error) {
	var c SessionCoverage
	err := r.Scan(&c.SessionID, &c.SessionName, &c.ID, &c.Name, &c.Organization, &c.Missing)
	return c, err
}

// SeatCoverage answers, for every session held in a hall with a seat map,
// whether each person who should attend (active, expected, not on leave)
// lacks a seat; in schedule order, then by rank.
func (db *DB) SeatCoverage(ctx context.Context) ([]SessionCoverage, error) {
	return readAll(ctx, db.r, "seat coverage", scanCoverage, `SELECT s.id, s.name, a.id, a.name, a.organization,
		NOT EXISTS (SELECT 1 FROM seat_assignments x WHERE x.session_id = s.id AND x.attendee_id = a.id)
		FROM `+attending+`
		WHERE l.id IS NULL AND EXISTS (SELECT 1 FROM seats st WHERE st.venue_id = s.venue_id)
		ORDER BY s.starts_at, s.sort, a.rank, a.id`)
}

// PresidiumCoverage answers, for every presidium member (someone seated on
// the 主席台 at any session) and every session they should attend whose
// hall has a 主席台, whether they lack a 主席台 seat there (and so a name
// card); in schedule order, then by rank.
func (db *DB) PresidiumCoverage(ctx context.Context) ([]SessionCoverage, error) {
	return readAll(ctx, db.r, "presidium coverage", scanCoverage, `
		WITH members AS MATERIALIZED (SELECT DISTINCT x.attendee_id FROM seat_assignments x
			JOIN seats st ON st.id = x.seat_id AND st.kind = 'presidium')
		SELECT s.id, s.name, a.id, a.name, a.organization,
			NOT EXISTS (SELECT 1 FROM seat_assignments x JOIN seats st ON st.id = x.seat_id AND st.kind = 'presidium'
				WHERE x.session_id = s.id AND x.attendee_id = a.id)
		FROM `+attending+`
		JOIN members m ON m.attendee_id = a.id
		WHERE l.id IS NULL AND EXISTS (SELECT 1 FROM seats st WHERE st.venue_id = s.venue_id AND st.kind = 'presidium')
		ORDER BY s.starts_at, s.sort, a.rank, a.id`)
}

// The problems SeatProblem.Problem names.
const (
	SeatShared     = "shared"     // two people on one seat
	SeatElsewhere  = "venue"      // a seat of another venue
	SeatBlocked    = "blocked"    // a blocked seat
	SeatCancelled  = "cancelled"  // held by a cancelled attendee
	SeatUnexpected = "unexpected" // held by someone the session does not expect
)

// SeatProblem is a seat assignment that is wrong, and why.
type SeatProblem struct {
	SessionID, SessionName string
	Label                  string // the seat's
	Name, Organization     string // of its holder
	Problem                string // SeatShared…SeatUnexpected
}

// SeatAssignmentCount is how many seats are given, over all sessions: what
// the seat conflicts check looked at.
func (db *DB) SeatAssignmentCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM seat_assignments`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: seat assignment count: %w", err)
	}
	return n, nil
}

// SeatProblems lists every seat assignment that is wrong, in schedule and
// seat order. The schema's key (session, seat) already forbids two people
// on one seat within a session; the query still asks, so that the check
// stays true if seats ever move to another table.
func (db *DB) SeatProblems(ctx context.Context) ([]SeatProblem, error) {
	return readAll(ctx, db.r, "seat problems", func(r interface{ Scan(...any) error }) (SeatProblem, error) {
		var p SeatProblem
		err := r.Scan(&p.SessionID, &p.SessionName, &p.Label, &p.Name, &p.Organization, &p.Problem)
		return p, err
	}, `
		SELECT session_id, session_name, label, name, organization, problem FROM (
		SELECT x.session_id, s.name AS session_name, st.label, a.name, a.organization, s.starts_at, s.sort,
			CASE
			WHEN (SELECT count(*) FROM seat_assignments y WHERE y.session_id = x.session_id AND y.seat_id = x.seat_id) > 1 THEN 'shared'
			WHEN st.venue_id != s.venue_id THEN 'venue'
			WHEN st.kind = 'blocked' THEN 'blocked'
			WHEN a.status != 'active' THEN 'cancelled'
			WHEN NOT EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.session_id = x.session_id AND sa.attendee_id = x.attendee_id) THEN 'unexpected'
			ELSE '' END AS problem
		FROM seat_assignments x
		JOIN sessions s ON s.id = x.session_id
		JOIN seats st ON st.id = x.seat_id
		JOIN attendees a ON a.id = x.attendee_id) checked
		WHERE problem != ''
		ORDER BY starts_at, sort, label`)
}
