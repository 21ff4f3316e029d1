package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiwu/server/internal/domain"
)

// Hotel stays (issue 12.5, 12.6). A person's stay is their lodging row: the
// room they hold now and the nights of the whole stay, check_in (the first
// night) to check_out (the day they leave). Each change the desk makes is a
// room_moves row; a 换房 or a temporary room keeps, in from_nights, the
// nights already spent in the room left behind, so that the room board of
// an earlier night shows who slept where. A stay's nights in its present
// room are its nights less those kept by its moves, and less the nights
// from the day of an early 退房.

// The states of a guest on a night, as the room board shows them.
const (
	GuestExpected = "expected" // not checked in yet (未入住)
	GuestIn       = "in"       // checked in (已入住)
	GuestOut      = "out"      // checked out (已退房), or left for a temporary room
	GuestMoved    = "moved"    // moved to another room from a later night (已换房)
)

// Errors of the hotel desk.
var (
	ErrNotLodged      = errors.New("store: this person has no hotel room")
	ErrNoSuchRoom     = errors.New("store: no such hotel room")
	ErrNoSuchHotel    = errors.New("store: no such hotel")
	ErrNotCheckedIn   = errors.New("store: not checked in at the hotel")
	ErrCheckedOut     = errors.New("store: already checked out")
	ErrSameRoom       = errors.New("store: already in that room")
	ErrReasonRequired = errors.New("store: a reason is required")
	ErrBadNights      = errors.New("store: the nights are not a stay (check-in before check-out, YYYY-MM-DD)")
	ErrStayOver       = errors.New("store: the stay has no nights left from that day")
	ErrNoDeparture    = errors.New("store: no departure is recorded for this person")
)

// RoomFullError refuses a room that has no bed left on some of the nights
// asked for; it names who holds them.
type RoomFullError struct {
	Hotel  string      `json:"hotel"`
	Room   string      `json:"room"`
	Beds   int         `json:"beds"`
	Nights []NightLoad `json:"nights"`
}

// NightLoad is a room's guests on one night (companions count as heads).
type NightLoad struct {
	Night string   `json:"night"`
	Heads int      `json:"heads"`
	Names []string `json:"names"`
}

func (e *RoomFullError) Error() string {
	return fmt.Sprintf("store: room %s/%s is full on %d night(s)", e.Hotel, e.Room, len(e.Nights))
}

// Stay is a person's hotel stay as it stands.
type Stay struct {
	AttendeeID   int64  `json:"attendee_id"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
	Delegation   string `json:"delegation,omitempty"`
	Gender       string `json:"gender,omitempty"`
	Hotel        string `json:"hotel"` // venue code
	Room         string `json:"room"`
	CheckIn      string `json:"check_in"`  // the first night, YYYY-MM-DD
	CheckOut     string `json:"check_out"` // the day of leaving
	// Companions (随行人员) share the room: the most any live leg names.
	Companions int `json:"companions"`
	// CheckedInAt is the hotel desk's check-in (入住), with the room the
	// key was handed over for then.
	CheckedInAt    *time.Time `json:"checked_in_at,omitempty"`
	CheckedInHotel string     `json:"checked_in_hotel,omitempty"`
	CheckedInRoom  string     `json:"checked_in_room,omitempty"`
	CheckedOutAt   *time.Time `json:"checked_out_at,omitempty"`
	CheckedOutBy   string     `json:"checked_out_by,omitempty"`
	// Stranded says a departure called off kept this person on (滞留).
	Stranded bool `json:"stranded,omitempty"`
	// Departure is the live departure leg, if one is recorded.
	Departure *Leg `json:"departure,omitempty"`

	venueID int64
	outAt   string
}

// RoomMove is one change the desk made to a stay.
type RoomMove struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"` // move, nights, checkout, temporary
	FromHotel  string    `json:"from_hotel,omitempty"`
	FromRoom   string    `json:"from_room,omitempty"`
	ToHotel    string    `json:"to_hotel,omitempty"`
	ToRoom     string    `json:"to_room,omitempty"`
	FromNights string    `json:"from_nights,omitempty"` // first..after: the nights before, or those left in the old room
	ToNights   string    `json:"to_nights,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	LegID      int64     `json:"leg_id,omitempty"`
	Stranded   bool      `json:"stranded,omitempty"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
}

// ---- nights ----

// span is the nights from (the first) up to after (the day of leaving).
type span struct{ from, after string }

func (s span) String() string { return s.from + ".." + s.after }

func parseSpan(s string) span {
	from, after, _ := strings.Cut(s, "..")
	return span{from, after}
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func nextDay(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return "9999-12-31"
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// nights lists the nights of s.
func (s span) nights() []string {
	var out []string
	for d := s.from; d < s.after && len(out) < 400; d = nextDay(d) {
		out = append(out, d)
	}
	return out
}

func (s span) has(night string) bool { return s.from <= night && night < s.after }

// defaultNights are the nights of a stay the list gave no dates for: from
// the meeting's first day to its last, at least one.
func defaultNights(cat *Catalog) span {
	s := span{from: cat.Event.StartsOn}
	if end := cat.Ends(); !end.IsZero() {
		s.after = end.In(cat.Location).Format(time.DateOnly)
	}
	if s.after <= s.from {
		s.after = nextDay(s.from)
	}
	return s
}

func today(cat *Catalog) string { return time.Now().In(cat.Location).Format(time.DateOnly) }

// localDay is the event-clock date of a stored time.
func localDay(cat *Catalog, stored string) string {
	return ReadTime(stored).In(cat.Location).Format(time.DateOnly)
}

// ---- who holds which room on which night ----

// segment is a stretch of nights one person holds one room.
type segment struct {
	stay      *Stay
	venueID   int64
	room      string
	nights    []string
	state     string
	temporary bool
}

// occupancy is everyone's segments in one hotel (or every hotel, for
// venueID 0).
type occupancy struct {
	stays    map[int64]*Stay
	segments []segment
}

const stayColumns = `l.attendee_id, a.name, a.organization, coalesce(d.name, ''), a.gender, l.venue_id, l.room, l.check_in, l.check_out,
	l.checked_out_at, l.checked_out_by, coalesce(h.checked_in_at, ''), coalesce(h.venue_id, 0), coalesce(h.room, ''),
	coalesce((SELECT max(t.companions) FROM travel_legs t WHERE t.attendee_id = l.attendee_id AND t.cancelled_at IS NULL), 0),
	EXISTS (SELECT 1 FROM room_moves m WHERE m.attendee_id = l.attendee_id AND m.stranded = 1)`

const stayFrom = ` FROM lodging l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
	LEFT JOIN delegations d ON d.id = a.delegation_id
	LEFT JOIN hotel_checkins h ON h.attendee_id = l.attendee_id`

func scanStay(cat *Catalog, row interface{ Scan(...any) error }) (*Stay, error) {
	s := &Stay{}
	var inAt string
	var inVenue int64
	if err := row.Scan(&s.AttendeeID, &s.Name, &s.Organization, &s.Delegation, &s.Gender, &s.venueID, &s.Room, &s.CheckIn, &s.CheckOut,
		&s.outAt, &s.CheckedOutBy, &inAt, &inVenue, &s.CheckedInRoom, &s.Companions, &s.Stranded); err != nil {
		return nil, err
	}
	s.Hotel = cat.VenueByID[s.venueID]
	if s.CheckIn == "" || s.CheckOut == "" {
		d := defaultNights(cat)
		s.CheckIn, s.CheckOut = orDefault(s.CheckIn, d.from), orDefault(s.CheckOut, d.after)
	}
	s.CheckedInAt, s.CheckedOutAt = optTime(inAt), optTime(s.outAt)
	if s.CheckedInAt != nil {
		s.CheckedInHotel = cat.VenueByID[inVenue]
	}
	return s, nil
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// state is how the board shows s in its present room.
func (s *Stay) state() string {
	switch {
	case s.CheckedOutAt != nil:
		return GuestOut
	case s.CheckedInAt != nil:
		return GuestIn
	}
	return GuestExpected
}

// loadOccupancy reads the stays and moves that touch hotel venueID (every
// hotel for 0) and works out who holds which room on which night.
func loadOccupancy(ctx context.Context, q querier, cat *Catalog, venueID int64) (*occupancy, error) {
	who, args := `1 = 1`, []any{}
	if venueID != 0 {
		who, args = `l.attendee_id IN (SELECT attendee_id FROM lodging WHERE venue_id = ?1
			UNION SELECT attendee_id FROM room_moves WHERE from_venue_id = ?1 AND from_nights <> '')`, []any{venueID}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+stayColumns+stayFrom+` WHERE `+who+` ORDER BY l.attendee_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: stays: %w", err)
	}
	o := &occupancy{stays: map[int64]*Stay{}}
	for rows.Next() {
		s, err := scanStay(cat, rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		o.stays[s.AttendeeID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT m.attendee_id, m.kind, coalesce(m.from_venue_id, 0), m.from_room, m.from_nights
		FROM room_moves m JOIN lodging l ON l.attendee_id = m.attendee_id
		WHERE m.kind IN ('move', 'temporary') AND m.from_nights <> '' AND `+who+` ORDER BY m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: room moves: %w", err)
	}
	kept := map[int64][]string{} // nights each person spent in rooms left behind
	for rows.Next() {
		var id, venue int64
		var kind, room, nights string
		if err := rows.Scan(&id, &kind, &venue, &room, &nights); err != nil {
			rows.Close()
			return nil, err
		}
		s := o.stays[id]
		if s == nil {
			continue
		}
		ns := parseSpan(nights).nights()
		kept[id] = append(kept[id], ns...)
		state := GuestMoved
		if kind == "temporary" {
			state = GuestOut
		}
		o.segments = append(o.segments, segment{stay: s, venueID: venue, room: room, nights: ns, state: state})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	temporary, err := temporaryStays(ctx, q)
	if err != nil {
		return nil, err
	}
	for id, s := range o.stays {
		o.segments = append(o.segments, segment{stay: s, venueID: s.venueID, room: s.Room, nights: s.present(cat, kept[id]),
			state: s.state(), temporary: temporary[id]})
	}
	return o, nil
}

// temporaryStays are the people whose present room is a temporary one: their
// last move was to one.
func temporaryStays(ctx context.Context, q querier) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT attendee_id, kind = 'temporary' FROM room_moves
		WHERE id IN (SELECT max(id) FROM room_moves WHERE kind IN ('move', 'temporary') GROUP BY attendee_id)`)
	if err != nil {
		return nil, fmt.Errorf("store: temporary rooms: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		var temp bool
		if err := rows.Scan(&id, &temp); err != nil {
			return nil, err
		}
		out[id] = temp
	}
	return out, rows.Err()
}

// present lists the nights s holds its present room: the stay's nights
// less those kept in rooms left behind, and less those from the day of an
// early check-out.
func (s *Stay) present(cat *Catalog, kept []string) []string {
	var out []string
	cut := ""
	if s.outAt != "" {
		cut = localDay(cat, s.outAt)
	}
	for _, n := range (span{s.CheckIn, s.CheckOut}).nights() {
		if !slices.Contains(kept, n) && (cut == "" || n < cut) {
			out = append(out, n)
		}
	}
	return out
}

// load is who holds room on each of nights, but for the person except.
func (o *occupancy) load(venueID int64, room string, nights []string, except int64) []NightLoad {
	out := make([]NightLoad, len(nights))
	for i, n := range nights {
		out[i].Night, out[i].Names = n, []string{}
	}
	for _, g := range o.segments {
		if g.venueID != venueID || g.room != room || g.stay.AttendeeID == except {
			continue
		}
		for i, n := range nights {
			if slices.Contains(g.nights, n) {
				out[i].Heads += 1 + g.stay.Companions
				out[i].Names = append(out[i].Names, g.stay.Name)
			}
		}
	}
	return out
}

// beds is the number of beds of a room, and whether the hotel has it.
func beds(ctx context.Context, q querier, venueID int64, room string) (int, bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT beds FROM hotel_rooms WHERE venue_id = ? AND number = ?`, venueID, room).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, err
}

// ---- reads ----

// Stay reads one person's stay with their live departure.
func (db *DB) Stay(ctx context.Context, cat *Catalog, id int64) (Stay, error) {
	s, err := readStay(ctx, db.r, cat, id)
	if err != nil {
		return Stay{}, err
	}
	return *s, nil
}

func readStay(ctx context.Context, q querier, cat *Catalog, id int64) (*Stay, error) {
	s, err := scanStay(cat, q.QueryRowContext(ctx, `SELECT `+stayColumns+stayFrom+` WHERE l.attendee_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotLodged
	} else if err != nil {
		return nil, fmt.Errorf("store: stay of %d: %w", id, err)
	}
	l, err := scanLeg(q.QueryRowContext(ctx, `SELECT `+legColumns+` FROM travel_legs
		WHERE attendee_id = ? AND direction = 'departure' AND cancelled_at IS NULL`, id))
	if err == nil {
		s.Departure = &l
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: departure of %d: %w", id, err)
	}
	return s, nil
}

// StayFilter picks stays: in a hotel (its code), matching a name, its
// pinyin or initials, or a room number; at most Limit (default 50).
type StayFilter struct {
	Hotel string
	Q     string
	Limit int
}

// Stays lists the stays f picks, by hotel and room.
func (db *DB) Stays(ctx context.Context, cat *Catalog, f StayFilter) ([]Stay, error) {
	q, args := `SELECT `+stayColumns+stayFrom+` WHERE 1 = 1`, []any{}
	if f.Hotel != "" {
		v, ok := cat.Venues[f.Hotel]
		if !ok || v.Kind != domain.VenueHotel {
			return nil, ErrNoSuchHotel
		}
		q, args = q+` AND l.venue_id = ?`, append(args, v.ID)
	}
	if t := strings.TrimSpace(f.Q); t != "" {
		like, prefix := "%"+escapeLike(t)+"%", escapeLike(strings.ToLower(t))+"%"
		q, args = q+` AND (a.name LIKE ? ESCAPE '\' OR a.initials LIKE ? ESCAPE '\' OR a.pinyin LIKE ? ESCAPE '\' OR l.room LIKE ? ESCAPE '\')`,
			append(args, like, prefix, prefix, escapeLike(t)+"%")
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY l.venue_id, length(l.room), l.room, a.rank, a.id LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: stays: %w", err)
	}
	defer rows.Close()
	out := []Stay{}
	for rows.Next() {
		s, err := scanStay(cat, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// RoomMoves lists the changes made to a person's stay, oldest first.
func (db *DB) RoomMoves(ctx context.Context, cat *Catalog, id int64) ([]RoomMove, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, kind, coalesce(from_venue_id, 0), from_room, coalesce(to_venue_id, 0), to_room,
		from_nights, to_nights, reason, coalesce(leg_id, 0), stranded, at, by FROM room_moves WHERE attendee_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: room moves: %w", err)
	}
	defer rows.Close()
	out := []RoomMove{}
	for rows.Next() {
		var m RoomMove
		var from, to int64
		var at string
		if err := rows.Scan(&m.ID, &m.Kind, &from, &m.FromRoom, &to, &m.ToRoom, &m.FromNights, &m.ToNights, &m.Reason,
			&m.LegID, &m.Stranded, &at, &m.By); err != nil {
			return nil, err
		}
		m.FromHotel, m.ToHotel, m.At = cat.VenueByID[from], cat.VenueByID[to], ReadTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Clearance is 清退客房: who is checked in and has not checked out, in
// hotel (every hotel for ""), leaving by the day by (any day for ""), by
// hotel and room.
func (db *DB) Clearance(ctx context.Context, cat *Catalog, hotel, by string) ([]Stay, error) {
	all, err := db.Stays(ctx, cat, StayFilter{Hotel: hotel, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	out := []Stay{}
	for _, s := range all {
		if s.CheckedInAt != nil && s.CheckedOutAt == nil && (by == "" || s.CheckOut <= by) {
			out = append(out, s)
		}
	}
	if err := db.departures(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// departures fills in each stay's live departure leg.
func (db *DB) departures(ctx context.Context, stays []Stay) error {
	legs, err := db.Legs(ctx, LegFilter{Direction: Departure})
	if err != nil {
		return err
	}
	by := map[int64]*Leg{}
	for i := range legs {
		by[legs[i].AttendeeID] = &legs[i]
	}
	for i := range stays {
		stays[i].Departure = by[stays[i].AttendeeID]
	}
	return nil
}
