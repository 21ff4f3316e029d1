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

// Refusals of a stranding.
var (
	// ErrBadStranding refuses a stranding that changes nothing, or names
	// an action that does not exist.
	ErrBadStranding = errors.New("store: a stranding cancels or rebooks the departure, or changes the stay")
	// ErrBadLeg refuses a departure booked in place of another that the
	// travel tables would not hold.
	ErrBadLeg = errors.New("store: not a valid leg")
)

// RoomChange is a 换房: to Room of Hotel (a venue code) from the night
// From (the first night in the new room: "" for today; never before the
// nights already kept in rooms left behind). A room without a bed left on
// those nights is refused unless Force, which needs a Reason.
type RoomChange struct {
	Hotel  string `json:"hotel"`
	Room   string `json:"room"`
	From   string `json:"from,omitempty"`
	Reason string `json:"reason,omitempty"`
	Force  bool   `json:"force,omitempty"`
}

// NightsChange sets a stay's nights (加住, or arriving or leaving on
// another day): CheckIn the first night, CheckOut the day of leaving.
// Nights added where the room has no bed left are refused unless Force.
type NightsChange struct {
	CheckIn  string `json:"check_in"`
	CheckOut string `json:"check_out"`
	Reason   string `json:"reason,omitempty"`
	Force    bool   `json:"force,omitempty"`
}

// Stranding registers a departure called off or missed (滞留): the live
// departure leg cancelled, rebooked (Next) or kept as it is; and the stay
// extended in its room to Until (the new day of leaving), moved to a
// temporary room (Hotel, Room) from From ("" for the day the stay ended,
// or the day of an earlier check-out) to Until, or left as it is.
type Stranding struct {
	Departure string `json:"departure"` // cancel, rebook, keep
	Next      Leg    `json:"next"`
	Stay      string `json:"stay"` // extend, temporary, none
	Hotel     string `json:"hotel,omitempty"`
	Room      string `json:"room,omitempty"`
	From      string `json:"from,omitempty"`
	Until     string `json:"until,omitempty"`
	Reason    string `json:"reason"`
	Force     bool   `json:"force,omitempty"`
}

// Stranded is a registered stranding: the stay as it now is and the leg
// cancelled or booked in place of the old one.
type Stranded struct {
	Stay Stay `json:"stay"`
	Leg  *Leg `json:"leg,omitempty"`
}

// stayTx is one change to a stay inside a write transaction.
type stayTx struct {
	ctx   context.Context
	tx    *sql.Tx
	cat   *Catalog
	now   time.Time
	actor string
	s     *Stay
	kept  []string // nights kept in rooms left behind
}

// moveRow is a room_moves row to write.
type moveRow struct {
	kind                 string
	toVenue              int64
	toRoom               string
	fromNights, toNights string
	reason               string
	leg                  int64
	stranded             bool
}

// stayWrite runs fn on person id's stay in one transaction and answers
// the stay as it then is.
func (db *DB) stayWrite(ctx context.Context, cat *Catalog, id int64, actor string, fn func(w *stayTx) error) (Stay, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		s, err := readStay(ctx, tx, cat, id)
		if err != nil {
			return Change{}, err
		}
		w := &stayTx{ctx: ctx, tx: tx, cat: cat, now: time.Now(), actor: actor, s: s}
		if w.kept, err = keptNights(ctx, tx, id); err != nil {
			return Change{}, err
		}
		if err := fn(w); err != nil {
			return Change{}, err
		}
		return Change{Logistics: true, Attendees: []int64{id}}, nil
	})
	if err != nil {
		return Stay{}, err
	}
	return db.Stay(ctx, cat, id)
}

func keptNights(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT from_nights FROM room_moves
		WHERE attendee_id = ? AND kind IN ('move', 'temporary') AND from_nights <> ''`, id)
	if err != nil {
		return nil, fmt.Errorf("store: room moves: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, parseSpan(s).nights()...)
	}
	return out, rows.Err()
}

// start is the first night of the stay in its present room.
func (w *stayTx) start() string {
	s := w.s.CheckIn
	for _, n := range w.kept {
		if d := nextDay(n); d > s {
			s = d
		}
	}
	return s
}

// room resolves a hotel's room to its venue id.
func (w *stayTx) room(hotel, room string) (int64, error) {
	v, ok := w.cat.Venues[hotel]
	if !ok || v.Kind != domain.VenueHotel {
		return 0, ErrNoSuchRoom
	}
	if _, ok, err := beds(w.ctx, w.tx, v.ID, room); err != nil {
		return 0, err
	} else if !ok {
		return 0, ErrNoSuchRoom
	}
	return v.ID, nil
}

// fits refuses room on nights where the person's heads find no bed left,
// unless forced.
func (w *stayTx) fits(venueID int64, room string, nights []string, force bool) error {
	if len(nights) == 0 {
		return nil
	}
	n, listed, err := beds(w.ctx, w.tx, venueID, room)
	if err != nil || !listed {
		return err // a room the hotel's list lacks has no known beds to count
	}
	o, err := loadOccupancy(w.ctx, w.tx, w.cat, venueID)
	if err != nil {
		return err
	}
	full := &RoomFullError{Hotel: w.cat.VenueByID[venueID], Room: room, Beds: n}
	for _, l := range o.load(venueID, room, nights, w.s.AttendeeID) {
		if l.Heads+1+w.s.Companions > n {
			full.Nights = append(full.Nights, l)
		}
	}
	if len(full.Nights) > 0 && !force {
		return full
	}
	return nil
}

// record writes m, from the stay's present room, and audits it.
func (w *stayTx) record(m moveRow) error {
	leg := sql.NullInt64{Int64: m.leg, Valid: m.leg != 0}
	to := sql.NullInt64{Int64: m.toVenue, Valid: m.toVenue != 0}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO room_moves (attendee_id, kind, from_venue_id, from_room, to_venue_id, to_room,
			from_nights, to_nights, reason, at, by, leg_id, stranded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.s.AttendeeID, m.kind, w.s.venueID, w.s.Room, to, m.toRoom, m.fromNights, m.toNights, m.reason,
		FormatTime(w.now), w.actor, leg, flag(m.stranded)); err != nil {
		return fmt.Errorf("store: record %s: %w", m.kind, err)
	}
	detail := fmt.Sprintf("%s/%s %s", w.s.Hotel, w.s.Room, m.fromNights)
	if m.toRoom != "" {
		detail += fmt.Sprintf(" → %s/%s %s", w.cat.VenueByID[m.toVenue], m.toRoom, m.toNights)
	} else if m.toNights != "" {
		detail += " → " + m.toNights
	}
	if m.reason != "" {
		detail += ": " + m.reason
	}
	return audit(w.ctx, w.tx, w.now, w.actor, "stay."+m.kind, fmt.Sprint(w.s.AttendeeID), detail)
}

func (w *stayTx) exec(q string, args ...any) error {
	if _, err := w.tx.ExecContext(w.ctx, q, args...); err != nil {
		return fmt.Errorf("store: stay of %d: %w", w.s.AttendeeID, err)
	}
	return nil
}

func needReason(force bool, reason string) error {
	if force && strings.TrimSpace(reason) == "" {
		return ErrReasonRequired
	}
	return nil
}

// MoveRoom changes a person's room (换房), keeping on record the nights
// already spent in the room left behind.
func (db *DB) MoveRoom(ctx context.Context, cat *Catalog, id int64, c RoomChange, actor string) (Stay, error) {
	return db.stayWrite(ctx, cat, id, actor, func(w *stayTx) error { return w.move(c) })
}

func (w *stayTx) move(c RoomChange) error {
	if err := needReason(c.Force, c.Reason); err != nil {
		return err
	}
	if w.s.CheckedOutAt != nil {
		return ErrCheckedOut
	}
	from := c.From
	if from == "" {
		from = today(w.cat)
	} else if !validDate(from) {
		return ErrBadNights
	}
	return w.relocate(c.Hotel, c.Room, from, w.s.CheckOut, c.Force, ErrStayOver,
		moveRow{kind: "move", reason: strings.TrimSpace(c.Reason)})
}

// relocate puts the stay in room of hotel for the nights from (never
// before the nights already kept elsewhere) up to until, keeping the
// nights before from in the room left behind, and records m; a stay with
// no nights left there is refused with none.
func (w *stayTx) relocate(hotel, room, from, until string, force bool, none error, m moveRow) error {
	s := w.s
	venue, err := w.room(hotel, room)
	if err != nil {
		return err
	}
	if venue == s.venueID && room == s.Room {
		return ErrSameRoom
	}
	start := w.start()
	from = max(from, start)
	if until <= from {
		return none
	}
	if err := w.fits(venue, room, span{from, until}.nights(), force); err != nil {
		return err
	}
	m.toVenue, m.toRoom, m.toNights = venue, room, span{from, until}.String()
	if start < from {
		m.fromNights = span{start, from}.String()
	}
	if err := w.record(m); err != nil {
		return err
	}
	return w.exec(`UPDATE lodging SET venue_id = ?, room = ?, check_in = ?, check_out = ?, checked_out_at = '', checked_out_by = ''
		WHERE attendee_id = ?`, venue, room, s.CheckIn, until, s.AttendeeID)
}

// SetNights changes the nights of a person's stay (加住): nights added in
// the room must find a bed. Nights added after a check-out reopen the
// stay: the person is back.
func (db *DB) SetNights(ctx context.Context, cat *Catalog, id int64, c NightsChange, actor string) (Stay, error) {
	return db.stayWrite(ctx, cat, id, actor, func(w *stayTx) error { return w.nights(c, 0, false) })
}

func (w *stayTx) nights(c NightsChange, leg int64, stranded bool) error {
	s := w.s
	if !validDate(c.CheckIn) || !validDate(c.CheckOut) || c.CheckOut <= c.CheckIn {
		return ErrBadNights
	}
	if err := needReason(c.Force, c.Reason); err != nil {
		return err
	}
	before := s.present(w.cat, w.kept)
	after := *s
	after.CheckIn, after.CheckOut = c.CheckIn, c.CheckOut
	reopen := s.outAt != "" && c.CheckOut > localDay(w.cat, s.outAt)
	if reopen {
		after.outAt = ""
	}
	var added []string
	for _, n := range after.present(w.cat, w.kept) {
		if !slices.Contains(before, n) {
			added = append(added, n)
		}
	}
	if err := w.fits(s.venueID, s.Room, added, c.Force); err != nil {
		return err
	}
	if err := w.record(moveRow{kind: "nights", toVenue: s.venueID, toRoom: s.Room, fromNights: span{s.CheckIn, s.CheckOut}.String(),
		toNights: span{c.CheckIn, c.CheckOut}.String(), reason: strings.TrimSpace(c.Reason), leg: leg, stranded: stranded}); err != nil {
		return err
	}
	if reopen {
		if err := w.exec(`UPDATE lodging SET checked_out_at = '', checked_out_by = '' WHERE attendee_id = ?`, s.AttendeeID); err != nil {
			return err
		}
	}
	return w.exec(`UPDATE lodging SET check_in = ?, check_out = ? WHERE attendee_id = ?`, c.CheckIn, c.CheckOut, s.AttendeeID)
}

// CheckOut records a person's 退房: they must have checked in, and not
// out already.
func (db *DB) CheckOut(ctx context.Context, cat *Catalog, id int64, reason, actor string) (Stay, error) {
	return db.stayWrite(ctx, cat, id, actor, func(w *stayTx) error {
		s := w.s
		switch {
		case s.CheckedInAt == nil:
			return ErrNotCheckedIn
		case s.CheckedOutAt != nil:
			return ErrCheckedOut
		}
		if err := w.record(moveRow{kind: "checkout", fromNights: span{s.CheckIn, s.CheckOut}.String(),
			reason: strings.TrimSpace(reason)}); err != nil {
			return err
		}
		return w.exec(`UPDATE lodging SET checked_out_at = ?, checked_out_by = ? WHERE attendee_id = ?`,
			FormatTime(w.now), w.actor, s.AttendeeID)
	})
}

// Strand registers a departure called off or missed (滞留) in one step:
// the leg and the stay change together, or neither does.
func (db *DB) Strand(ctx context.Context, cat *Catalog, id int64, st Stranding, actor string) (Stranded, error) {
	var legID int64
	var rebooked bool
	s, err := db.stayWrite(ctx, cat, id, actor, func(w *stayTx) error {
		var err error
		legID, rebooked, err = w.strand(st)
		return err
	})
	if err != nil {
		return Stranded{}, err
	}
	out := Stranded{Stay: s}
	if legID != 0 && (rebooked || st.Departure == "cancel") {
		l, err := db.Leg(ctx, legID)
		if err != nil {
			return Stranded{}, err
		}
		out.Leg = &l
	}
	return out, nil
}

// strand answers the leg cancelled, or the one booked in its place.
func (w *stayTx) strand(st Stranding) (legID int64, rebooked bool, err error) {
	reason := strings.TrimSpace(st.Reason)
	if reason == "" {
		return 0, false, ErrReasonRequired
	}
	okDeparture := map[string]bool{"cancel": true, "rebook": true, "keep": true}
	okStay := map[string]bool{"extend": true, "temporary": true, "none": true}
	if !okDeparture[st.Departure] || !okStay[st.Stay] || (st.Departure == "keep" && st.Stay == "none") {
		return 0, false, ErrBadStranding
	}
	if w.s.Departure != nil {
		legID = w.s.Departure.ID
	} else if st.Departure != "keep" {
		return 0, false, ErrNoDeparture
	}
	old := legID
	switch st.Departure {
	case "cancel":
		if _, err := cancelLeg(w.ctx, w.tx, legID, w.actor, w.now); err != nil {
			return 0, false, err
		}
	case "rebook":
		// The same party travels: the companions go with the new booking.
		st.Next.Companions = w.s.Departure.Companions
		if err := validLeg(w.ctx, w.tx, st.Next); err != nil {
			return 0, false, err
		}
		if legID, err = rebook(w.ctx, w.tx, legID, st.Next, reason, w.actor, w.now); err != nil {
			return 0, false, err
		}
		rebooked = true
	}
	switch st.Stay {
	case "extend":
		if !validDate(st.Until) || st.Until <= w.s.CheckOut {
			return 0, false, ErrBadNights
		}
		err = w.nights(NightsChange{CheckIn: w.s.CheckIn, CheckOut: st.Until, Reason: reason, Force: st.Force}, old, true)
	case "temporary":
		err = w.temporary(st, reason, old)
	default:
		err = audit(w.ctx, w.tx, w.now, w.actor, "stay.stranded", fmt.Sprint(w.s.AttendeeID), st.Departure+": "+reason)
	}
	return legID, rebooked, err
}

// temporary moves a stranded person to another room for the extra nights:
// from the day the stay ended, or the day of an earlier check-out.
func (w *stayTx) temporary(st Stranding, reason string, leg int64) error {
	s := w.s
	if !validDate(st.Until) || (st.From != "" && !validDate(st.From)) {
		return ErrBadNights
	}
	from := st.From
	if from == "" {
		from = s.CheckOut
		if s.outAt != "" {
			from = min(from, localDay(w.cat, s.outAt))
		}
	}
	return w.relocate(st.Hotel, st.Room, from, st.Until, st.Force, ErrBadNights,
		moveRow{kind: "temporary", reason: reason, leg: leg, stranded: true})
}

// validLeg checks a departure the desk books in place of another.
func validLeg(ctx context.Context, tx *sql.Tx, l Leg) error {
	modes := map[string]bool{"": true, "flight": true, "train": true, "car": true, "other": true}
	tickets := map[string]bool{"": true, "needed": true, "booked": true, "self": true}
	if !modes[l.Mode] || !tickets[l.Ticket] || (l.OnDate != "" && !validDate(l.OnDate)) || l.Companions < 0 || l.Companions > 20 {
		return ErrBadLeg
	}
	if l.StationID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stations WHERE id = ?`, l.StationID).Scan(&n); err != nil {
			return fmt.Errorf("store: station %d: %w", l.StationID, err)
		} else if n == 0 {
			return ErrBadLeg
		}
	}
	return nil
}
