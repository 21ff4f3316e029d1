package checkin

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiwu/badge/credential"
	"huiwu/kiosk/rules"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// clockSkewAllowance is how far ahead of the server an offline kiosk's clock
// may be before its times are distrusted.
const clockSkewAllowance = 2 * time.Minute

// decider decides the scans of one transaction: it gathers each scan's
// facts with the engine's statements, lets kiosk/rules decide, and stores
// what the decision changes.
type decider struct {
	ctx      context.Context
	tx       *sql.Tx
	st       *statements
	cat      *store.Catalog
	now      time.Time
	change   store.Change
	openings map[string]places // by checkpoint, for this transaction
}

// places are the sessions or meals a checkpoint serves and, at an
// entrance, the sessions it does not.
type places struct{ here, elsewhere []rules.Opening }

func (d *decider) stmt(s *sql.Stmt) *sql.Stmt { return d.tx.StmtContext(d.ctx, s) }

// scan is the working state of one decision.
type scan struct {
	req      *Request
	cp       *domain.Checkpoint
	at       time.Time // logical time the decision uses
	res      Result
	attendee int64
	serial   int64
	halls    map[string]int64 // meal id → the ticket's dining hall (venue row id)
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
	var flags []string
	// Milliseconds are all anyone needs of a scan time, and a fixed
	// precision keeps answers and their replays identical.
	s.at = d.now.Truncate(time.Millisecond)
	if r.Offline && !r.ScannedAt.IsZero() {
		s.at = r.ScannedAt.Truncate(time.Millisecond)
		if s.at.After(d.now.Add(clockSkewAllowance)) {
			s.at = d.now.Truncate(time.Millisecond)
			flags = append(flags, "clock_ahead")
		}
	}
	if r.Offline {
		flags = append(flags, "offline")
	}
	if r.Token == "" {
		flags = append(flags, "manual")
	}

	pl := d.places(s.cp)
	f := &rules.Facts{Checkpoint: Place(s.cp), Openings: pl.here, Elsewhere: pl.elsewhere, Location: d.cat.Location,
		At: s.at, Offline: r.Offline, Face: r.Face}
	f.Checkpoint.Face = FaceMode(d.cat, s.cp)
	if err := d.identify(s, f, claims, tokenErr); err != nil {
		return Result{}, err
	}
	if err := d.faceRef(s, f); err != nil {
		return Result{}, err
	}
	if !f.Settled() {
		var err error
		switch s.cp.Kind {
		case domain.CheckpointEntrance, domain.CheckpointExit:
			err = d.sessionFacts(s, f)
		case domain.CheckpointMeal:
			err = d.mealFacts(s, f)
		case domain.CheckpointLodging:
			err = d.lodgingFacts(s, f)
		}
		if err != nil {
			return Result{}, err
		}
	}
	res, change := rules.Decide(f)
	res.ScanID, res.Checkpoint, res.Offline = r.ScanID, r.Checkpoint, r.Offline
	res.ScannedAt = s.at.In(d.cat.Location)
	res.Flags = append(flags, res.Flags...)
	s.res = res
	if err := d.apply(s, change); err != nil {
		return Result{}, err
	}
	if err := d.handout(s); err != nil {
		return Result{}, err
	}
	if err := d.record(s); err != nil {
		return Result{}, err
	}
	return s.res, d.faceCheck(s)
}

// places are the sessions or meals cp serves and the sessions it does
// not, worked out once per transaction.
func (d *decider) places(cp *domain.Checkpoint) places {
	if p, ok := d.openings[cp.ID]; ok {
		return p
	}
	if d.openings == nil {
		d.openings = map[string]places{}
	}
	p := places{Openings(d.cat, cp), Elsewhere(d.cat, cp)}
	d.openings[cp.ID] = p
	return p
}

// identify resolves the credential or the manual attendee id to a person:
// the badge facts (invalid, revoked) and who holds it.
func (d *decider) identify(s *scan, f *rules.Facts, claims credential.Claims, tokenErr error) error {
	if s.req.Token != "" {
		switch {
		case tokenErr != nil:
			f.Badge.Invalid = credential.ScanCode(tokenErr)
			return nil
		case claims.Event != d.cat.Event.ID:
			f.Badge.Invalid = "other_event"
			return nil
		}
		var revoked bool
		err := d.stmt(d.st.credential).QueryRow(claims.Serial).Scan(&s.attendee, &revoked)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && s.attendee != claims.Attendee) {
			s.attendee = 0
			f.Badge.Invalid = "unknown_serial"
			return nil
		} else if err != nil {
			return err
		}
		s.serial = claims.Serial
		f.Badge.Revoked = revoked
	} else {
		s.attendee = s.req.AttendeeID
	}
	h := &f.Holder
	p := &h.Attendee
	p.ID = s.attendee
	var status string
	err := d.stmt(d.st.person).QueryRow(s.attendee).Scan(&p.DisplayName, &p.Category, &status, &p.Delegation, &h.Diet)
	if errors.Is(err, sql.ErrNoRows) {
		s.attendee = 0
		f.Badge.Invalid = "unknown_attendee"
		return nil
	} else if err != nil {
		return err
	}
	k := d.cat.Categories[p.Category]
	p.CategoryName, p.CategoryColor = k.Name, k.Color
	h.Cancelled = status == "cancelled"
	return nil
}

// sessionFacts reads, for each session open at the scan time, whether the
// person is expected, their seat, leave and presence; and at an entrance,
// which of the sessions open elsewhere they are expected at.
func (d *decider) sessionFacts(s *scan, f *rules.Facts) error {
	h := &f.Holder
	for _, o := range rules.OpenAt(f.Checkpoint.Kind, f.Elsewhere, f.At) {
		if ok, err := d.expected(o.ID, s.attendee); err != nil {
			return err
		} else if ok {
			h.Elsewhere = append(h.Elsewhere, o.ID)
		}
	}
	for _, o := range rules.OpenAt(f.Checkpoint.Kind, f.Openings, f.At) {
		ok, err := d.expected(o.ID, s.attendee)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		var leave int
		if err := d.stmt(d.st.leave).QueryRow(o.ID, s.attendee).Scan(&leave); err != nil {
			return err
		}
		if leave > 0 {
			h.Leaves = append(h.Leaves, o.ID)
		}
		var seat rules.Seat
		err = d.stmt(d.st.seat).QueryRow(o.ID, s.attendee).Scan(&seat.Label, &seat.Section, &seat.Row, &seat.Number, &seat.Door)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if h.Sessions == nil {
			h.Sessions = map[string]rules.Seat{}
		}
		h.Sessions[o.ID] = seat

		var firstIn, firstDoor string
		var inside bool
		err = d.stmt(d.st.presence).QueryRow(o.ID, s.attendee).Scan(&firstIn, &firstDoor, &inside)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return err
		}
		if h.Known.Sessions == nil {
			h.Known.Sessions = map[string]rules.Presence{}
		}
		h.Known.Sessions[o.ID] = rules.Presence{FirstIn: store.ReadTime(firstIn), Inside: inside}
	}
	return nil
}

// expected reports whether attendee is expected at session.
func (d *decider) expected(session string, attendee int64) (bool, error) {
	var n int
	err := d.stmt(d.st.expected).QueryRow(session, attendee).Scan(&n)
	return n > 0, err
}

// mealFacts reads, for each meal being served at the scan time, the
// person's ticket and whether it was used.
func (d *decider) mealFacts(s *scan, f *rules.Facts) error {
	h := &f.Holder
	for _, o := range rules.OpenAt(rules.Meal, f.Openings, f.At) {
		var venueID int64
		var table int
		err := d.stmt(d.st.ticket).QueryRow(o.ID, s.attendee).Scan(&venueID, &table)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return err
		}
		hall := d.cat.Venues[d.cat.VenueByID[venueID]]
		if h.Meals == nil {
			h.Meals, s.halls = map[string]rules.Ticket{}, map[string]int64{}
		}
		h.Meals[o.ID] = rules.Ticket{Hall: hall.Code, Name: hall.Name, NameEn: hall.NameEn, Table: table}
		s.halls[o.ID] = venueID

		var used string
		err = d.stmt(d.st.redemption).QueryRow(o.ID, s.attendee).Scan(&used)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return err
		}
		if h.Known.Meals == nil {
			h.Known.Meals = map[string]time.Time{}
		}
		h.Known.Meals[o.ID] = store.ReadTime(used)
	}
	return nil
}

// lodgingFacts reads the person's room and hotel check-in.
func (d *decider) lodgingFacts(s *scan, f *rules.Facts) error {
	h := &f.Holder
	var venueID int64
	var room string
	err := d.stmt(d.st.lodging).QueryRow(s.attendee).Scan(&venueID, &room)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	hotel := d.cat.Venues[d.cat.VenueByID[venueID]]
	h.Lodging = &rules.Room{Hotel: hotel.Code, Name: hotel.Name, NameEn: hotel.NameEn, Room: room}
	var at string
	err = d.stmt(d.st.hotelCheckin).QueryRow(s.attendee).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	h.Known.Hotel = store.ReadTime(at)
	return nil
}

// apply stores what the decision changed.
func (d *decider) apply(s *scan, change rules.Change) error {
	at := store.FormatTime(s.at)
	var err error
	switch sess, meal := s.res.Session, s.res.Meal; change {
	case rules.Enter:
		_, err = d.stmt(d.st.presenceInsert).Exec(sess, s.attendee, at, s.cp.ID, at)
		d.touched(sess, s.attendee, true, s.at)
		if err == nil && slices.Contains(s.res.Flags, rules.FlagLeaveWithdrawn) {
			err = d.leaveWithdrawn(s)
		}
	case rules.Inside, rules.Leave:
		inside := change == rules.Inside
		_, err = d.stmt(d.st.presenceUpdate).Exec(inside, at, at, sess, s.attendee)
		d.touched(sess, s.attendee, inside, s.at)
	case rules.Redeem:
		d.change.Meals = append(d.change.Meals, meal)
		_, err = d.stmt(d.st.redeem).Exec(meal, s.attendee, at, s.halls[meal])
	case rules.CheckIn:
		_, err = d.stmt(d.st.hotelCheckinSave).Exec(s.attendee, at)
		d.change.Logistics = true // who is at the hotel: the logistics board
	}
	return err
}

// leaveWithdrawn puts on the person's record at the desk that their leave
// from the session was withdrawn by this entry: by whom (the kiosk, or the
// desk's 补签) and when. The leave itself stays as it is: the counts show
// it as withdrawn because the person came (DESIGN.md, Counts), whereas a
// leave the desk revokes makes the person absent again.
func (d *decider) leaveWithdrawn(s *scan) error {
	actor := s.req.Actor
	if actor == "" {
		actor = s.req.Device
	}
	name := s.res.Session
	if sess := d.cat.Sessions[s.res.Session]; sess != nil {
		name = sess.Name
	}
	detail := fmt.Sprintf("%s（%s）请假因到场签到撤销，签到点 %s · leave withdrawn: came in at %s",
		name, s.res.Session, s.cp.Name, s.cp.ID)
	_, err := d.stmt(d.st.auditLeave).Exec(store.FormatTime(s.at), actor, fmt.Sprint(s.attendee), detail)
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
