package checkin

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// clockSkewAllowance is how far ahead of the server an offline kiosk's clock
// may be before its times are distrusted.
const clockSkewAllowance = 2 * time.Minute

// decider decides the scans of one transaction.
type decider struct {
	ctx    context.Context
	tx     *sql.Tx
	st     *statements
	cat    *store.Catalog
	now    time.Time
	change store.Change
}

func (d *decider) stmt(s *sql.Stmt) *sql.Stmt { return d.tx.StmtContext(d.ctx, s) }

// scan is the working state of one decision.
type scan struct {
	req      *Request
	cp       *domain.Checkpoint
	at       time.Time // logical time the decision uses
	res      Result
	attendee int64
	serial   int64
	diet     string
}

func (d *decider) decide(r *Request, claims credential.Claims, tokenErr error) (Result, error) {
	var stored, key string
	err := d.stmt(d.st.replay).QueryRow(r.source(), r.ScanID).Scan(&stored, &key)
	if err == nil {
		// The same scan sent again (a resend after a lost answer) gets the
		// first answer; the id reused for another badge or checkpoint is
		// refused. Scans logged before keys existed have none.
		if key != "" && key != r.key() {
			return Result{}, ErrScanIDReused
		}
		var res Result
		if err := json.Unmarshal([]byte(stored), &res); err != nil {
			return Result{}, err
		}
		return res, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return Result{}, err
	}

	s := &scan{req: r, cp: d.cat.Checkpoints[r.Checkpoint]}
	// Milliseconds are all anyone needs of a scan time, and a fixed
	// precision keeps answers and their replays identical.
	s.at = d.now.Truncate(time.Millisecond)
	if r.Offline && !r.ScannedAt.IsZero() {
		s.at = r.ScannedAt.Truncate(time.Millisecond)
		if s.at.After(d.now.Add(clockSkewAllowance)) {
			s.at = d.now.Truncate(time.Millisecond)
			s.res.Flags = append(s.res.Flags, "clock_ahead")
		}
	}
	s.res.ScanID, s.res.Checkpoint, s.res.Offline = r.ScanID, r.Checkpoint, r.Offline
	s.res.ScannedAt = s.at.In(d.cat.Location)
	if r.Offline {
		s.res.Flags = append(s.res.Flags, "offline")
	}
	if r.Token == "" {
		s.res.Flags = append(s.res.Flags, "manual")
	}

	if err := d.identify(s, claims, tokenErr); err != nil {
		return Result{}, err
	}
	if s.res.Status == "" {
		var err error
		switch s.cp.Kind {
		case domain.CheckpointEntrance, domain.CheckpointExit:
			err = d.session(s)
		case domain.CheckpointMeal:
			err = d.meal(s)
		case domain.CheckpointLodging:
			err = d.lodging(s)
		}
		if err != nil {
			return Result{}, err
		}
	}
	if r.Offline && (s.res.Status == StatusAlready || s.res.Status == StatusMealUsed) {
		s.res.Flags = append(s.res.Flags, "offline_duplicate")
	}
	s.res.Message = message(s)
	return s.res, d.record(s)
}

// identify resolves the credential or the manual attendee id to a person,
// deciding invalid, revoked and cancelled on the way.
func (d *decider) identify(s *scan, claims credential.Claims, tokenErr error) error {
	if s.req.Token != "" {
		switch {
		case tokenErr != nil:
			return d.reject(s, StatusInvalid, credential.ScanCode(tokenErr))
		case claims.Event != d.cat.Event.ID:
			return d.reject(s, StatusInvalid, "other_event")
		}
		var revoked bool
		err := d.stmt(d.st.credential).QueryRow(claims.Serial).Scan(&s.attendee, &revoked)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && s.attendee != claims.Attendee) {
			s.attendee = 0
			return d.reject(s, StatusInvalid, "unknown_serial")
		} else if err != nil {
			return err
		}
		s.serial = claims.Serial
		if revoked {
			s.res.Status, s.res.Code = StatusRevoked, "revoked"
		}
	} else {
		s.attendee = s.req.AttendeeID
	}
	p := &Person{ID: s.attendee}
	var status string
	err := d.stmt(d.st.person).QueryRow(s.attendee).Scan(&p.DisplayName, &p.Category, &status, &p.Delegation, &s.diet)
	if errors.Is(err, sql.ErrNoRows) {
		s.attendee = 0
		return d.reject(s, StatusInvalid, "unknown_attendee")
	} else if err != nil {
		return err
	}
	k := d.cat.Categories[p.Category]
	p.CategoryName, p.CategoryColor = k.Name, k.Color
	s.res.Attendee = p
	if s.res.Status == "" && status == "cancelled" {
		s.res.Status, s.res.Code = StatusCancelled, "cancelled"
	}
	return nil
}

// reject settles a scan that names no usable attendee.
func (d *decider) reject(s *scan, st Status, code string) error {
	s.res.Status, s.res.Code = st, code
	return nil
}

// session decides an entrance or exit scan.
func (d *decider) session(s *scan) error {
	sess, open, err := d.pickSession(s)
	if err != nil || sess == nil {
		return err
	}
	s.res.Session = sess.ID
	if !open {
		s.res.Status, s.res.Code = StatusOutsideWindow, "session_closed"
		s.res.Window = &Window{Opens: sess.OpensAt.In(d.cat.Location), Closes: sess.ClosesAt.In(d.cat.Location), Name: sess.Name}
		return nil
	}
	venue := d.cat.Venues[sess.Venue]
	g := &Guidance{Venue: venue.Name, VenueEn: venue.NameEn, Door: s.cp.Door}
	if sess.Kind == domain.SessionGroup {
		g.GroupRoom = venue.Name
	}
	var seatDoor string
	err = d.stmt(d.st.seat).QueryRow(sess.ID, s.attendee).Scan(&g.Seat, &g.Section, &g.Row, &g.Number, &seatDoor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if seatDoor != "" {
		g.Door = seatDoor
	}
	s.res.Guidance = g

	var firstIn, firstDoor string
	var inside bool
	err = d.stmt(d.st.presence).QueryRow(sess.ID, s.attendee).Scan(&firstIn, &firstDoor, &inside)
	seen := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if seen {
		t := store.MustTime(firstIn).In(d.cat.Location)
		s.res.FirstAt = &t
	}
	at := store.FormatTime(s.at)
	if s.cp.Kind == domain.CheckpointExit {
		s.res.Status, s.res.Code = StatusExit, "exit"
		if !seen {
			s.res.Code = "exit_without_entry"
			return nil
		}
		if !inside {
			s.res.Code = "exit_again"
			return nil
		}
		_, err := d.stmt(d.st.presenceUpdate).Exec(false, at, at, sess.ID, s.attendee)
		d.touched(sess.ID, s.attendee, false, s.at)
		return err
	}
	switch {
	case !seen:
		s.res.Status, s.res.Code = StatusOK, "ok"
		s.res.Late = s.at.After(sess.StartsAt)
		t := s.at.In(d.cat.Location)
		s.res.FirstAt = &t
		_, err = d.stmt(d.st.presenceInsert).Exec(sess.ID, s.attendee, at, s.cp.ID, at)
	case inside:
		s.res.Status, s.res.Code = StatusAlready, "already"
		if s.req.Offline {
			// An offline scan that happened before the online one it
			// duplicates still moves the first arrival earlier.
			_, err = d.stmt(d.st.presenceUpdate).Exec(true, at, at, sess.ID, s.attendee)
			d.touched(sess.ID, s.attendee, true, s.at)
		}
		return err
	default:
		s.res.Status, s.res.Code = StatusReentry, "reentry"
		_, err = d.stmt(d.st.presenceUpdate).Exec(true, at, at, sess.ID, s.attendee)
	}
	d.touched(sess.ID, s.attendee, true, s.at)
	return err
}

// touched notes that an attendee's presence at a session changed, for the
// live counts and seat maps.
func (d *decider) touched(session string, attendee int64, inside bool, at time.Time) {
	d.change.Presence = append(d.change.Presence, store.Presence{Session: session, Attendee: attendee, Inside: inside, At: at})
	if !slices.Contains(d.change.Sessions, session) {
		d.change.Sessions = append(d.change.Sessions, session)
	}
	if d.change.Seated == nil {
		d.change.Seated = map[string][]int64{}
	}
	d.change.Seated[session] = append(d.change.Seated[session], attendee)
}

// pickSession finds the session a scan at an entrance or exit is for: the
// checkpoint's pinned session, or else the session in its venue whose window
// holds the scan time (one the attendee is expected at, if several are
// open). With none open it returns the next one (or the last) and open=false;
// not_entitled is settled here too.
func (d *decider) pickSession(s *scan) (*store.Session, bool, error) {
	var candidates []*store.Session
	if s.cp.Session != "" {
		candidates = []*store.Session{d.cat.Sessions[s.cp.Session]}
	} else {
		for _, sess := range d.cat.SessionList {
			if sess.Venue == s.cp.Venue {
				candidates = append(candidates, sess)
			}
		}
	}
	var open []*store.Session
	for _, sess := range candidates {
		if !s.at.Before(sess.OpensAt) && !s.at.After(sess.ClosesAt) {
			open = append(open, sess)
		}
	}
	if len(open) == 0 {
		if len(candidates) == 0 {
			s.res.Status, s.res.Code = StatusOutsideWindow, "no_session"
			return nil, false, nil
		}
		next := candidates[len(candidates)-1]
		for _, sess := range candidates {
			if sess.OpensAt.After(s.at) {
				next = sess
				break
			}
		}
		return next, false, nil
	}
	for _, sess := range open {
		var n int
		if err := d.stmt(d.st.expected).QueryRow(sess.ID, s.attendee).Scan(&n); err != nil {
			return nil, false, err
		}
		if n > 0 {
			return sess, true, nil
		}
	}
	s.res.Session = open[0].ID
	s.res.Status, s.res.Code = StatusNotEntitled, "not_on_list"
	return nil, false, nil
}

// meal decides a dining-hall scan: one redemption per meal and person.
func (d *decider) meal(s *scan) error {
	m := d.pickMeal(s)
	if m == nil {
		return nil
	}
	s.res.Meal = m.ID
	var venueID int64
	g := &Guidance{Diet: s.diet}
	err := d.stmt(d.st.ticket).QueryRow(m.ID, s.attendee).Scan(&venueID, &g.MealTable)
	if errors.Is(err, sql.ErrNoRows) {
		s.res.Status, s.res.Code = StatusNotEntitled, "no_meal_ticket"
		return nil
	} else if err != nil {
		return err
	}
	hall := d.cat.Venues[d.cat.VenueByID[venueID]]
	g.Venue, g.VenueEn = hall.Name, hall.NameEn
	s.res.Guidance = g
	if hall.Code != s.cp.Venue {
		s.res.Status, s.res.Code = StatusNotEntitled, "wrong_hall"
		return nil
	}
	var used string
	err = d.stmt(d.st.redemption).QueryRow(m.ID, s.attendee).Scan(&used)
	if err == nil {
		t := store.MustTime(used).In(d.cat.Location)
		s.res.FirstAt = &t
		s.res.Status, s.res.Code = StatusMealUsed, "meal_used"
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	t := s.at.In(d.cat.Location)
	s.res.FirstAt = &t
	s.res.Status, s.res.Code = StatusOK, "meal_ok"
	d.change.Meals = append(d.change.Meals, m.ID)
	_, err = d.stmt(d.st.redeem).Exec(m.ID, s.attendee, store.FormatTime(s.at), venueID)
	return err
}

// pickMeal finds the meal being served at the scan time (or the
// checkpoint's pinned meal); outside every window it settles the scan.
func (d *decider) pickMeal(s *scan) *domain.Meal {
	meals := d.cat.MealList
	if s.cp.Meal != "" {
		meals = []*domain.Meal{d.cat.Meals[s.cp.Meal]}
	}
	for _, m := range meals {
		if !s.at.Before(m.OpensAt) && s.at.Before(m.ClosesAt) {
			return m
		}
	}
	s.res.Status, s.res.Code = StatusOutsideWindow, "no_meal_now"
	for _, m := range meals {
		if m.OpensAt.After(s.at) {
			s.res.Window = &Window{Opens: m.OpensAt.In(d.cat.Location), Closes: m.ClosesAt.In(d.cat.Location), Name: m.Name}
			break
		}
	}
	return nil
}

// lodging decides a hotel-desk scan.
func (d *decider) lodging(s *scan) error {
	var venueID int64
	var room string
	err := d.stmt(d.st.lodging).QueryRow(s.attendee).Scan(&venueID, &room)
	if errors.Is(err, sql.ErrNoRows) {
		s.res.Status, s.res.Code = StatusNotEntitled, "no_lodging"
		return nil
	} else if err != nil {
		return err
	}
	hotel := d.cat.Venues[d.cat.VenueByID[venueID]]
	if hotel.Code != s.cp.Venue {
		s.res.Status, s.res.Code = StatusNotEntitled, "wrong_hotel"
		s.res.Guidance = &Guidance{Hotel: hotel.Name}
		return nil
	}
	s.res.Guidance = &Guidance{Hotel: hotel.Name, Room: room}
	var at string
	err = d.stmt(d.st.hotelCheckin).QueryRow(s.attendee).Scan(&at)
	if err == nil {
		t := store.MustTime(at).In(d.cat.Location)
		s.res.FirstAt = &t
		s.res.Status, s.res.Code = StatusAlready, "already_checked_in"
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	t := s.at.In(d.cat.Location)
	s.res.FirstAt = &t
	s.res.Status, s.res.Code = StatusOK, "hotel_ok"
	_, err = d.stmt(d.st.hotelCheckinSave).Exec(s.attendee, store.FormatTime(s.at))
	return err
}

// record appends the scan to the log with the answer it got.
func (d *decider) record(s *scan) error {
	resp, err := json.Marshal(s.res)
	if err != nil {
		return err
	}
	var clientTime string
	if !s.req.ScannedAt.IsZero() {
		clientTime = store.FormatTime(s.req.ScannedAt)
	}
	_, err = d.stmt(d.st.insertScan).Exec(s.req.ScanID, s.req.source(), s.req.key(), s.req.Device, s.req.Actor, s.cp.ID,
		nullInt(s.attendee), nullInt(s.serial), nullStr(s.res.Session), nullStr(s.res.Meal),
		string(s.res.Status), s.res.Late, s.req.Offline, s.req.Token == "", strings.Join(s.res.Flags, ","),
		s.req.Reason, store.FormatTime(s.at), clientTime, store.FormatTime(d.now), string(resp))
	return err
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
