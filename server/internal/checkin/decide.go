package checkin

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
// facts from the batch's transaction, lets kiosk/rules decide, and stores
// what the decision changes.
type decider struct {
	tx       *store.ScanTx
	cat      *store.Catalog
	now      time.Time
	change   store.Change
	openings map[string]places // by checkpoint, for this transaction
}

// places are the sessions or meals a checkpoint serves and, at an
// entrance, the sessions it does not.
type places struct{ here, elsewhere []rules.Opening }

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
	stored, key, err := d.tx.Replay(r.source(), r.ScanID)
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
	} else if !errors.Is(err, store.ErrNotFound) {
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
			f.Badge.Invalid = rules.Code(credential.ScanCode(tokenErr))
			return nil
		case claims.Event != d.cat.Event.ID:
			f.Badge.Invalid = rules.CodeOtherEvent
			return nil
		}
		var revoked bool
		var err error
		s.attendee, revoked, err = d.tx.Credential(claims.Serial)
		if errors.Is(err, store.ErrNotFound) || (err == nil && s.attendee != claims.Attendee) {
			s.attendee = 0
			f.Badge.Invalid = rules.CodeUnknownSerial
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
	who, err := d.tx.Person(s.attendee)
	if errors.Is(err, store.ErrNotFound) {
		s.attendee = 0
		f.Badge.Invalid = rules.CodeUnknownAttendee
		return nil
	} else if err != nil {
		return err
	}
	p.DisplayName, p.Category, p.Delegation, h.Diet = who.Name, who.Category, who.Delegation, who.Diet
	k := d.cat.Categories[p.Category]
	p.CategoryName, p.CategoryColor = k.Name, k.Color
	h.Cancelled = who.Cancelled
	return nil
}

// sessionFacts reads, for each session open at the scan time, whether the
// person is expected, their seat, leave and presence; and at an entrance,
// which of the sessions open elsewhere they are expected at.
func (d *decider) sessionFacts(s *scan, f *rules.Facts) error {
	h := &f.Holder
	for _, o := range rules.OpenAt(f.Checkpoint.Kind, f.Elsewhere, f.At) {
		if ok, err := d.tx.Expected(o.ID, s.attendee); err != nil {
			return err
		} else if ok {
			h.Elsewhere = append(h.Elsewhere, o.ID)
		}
	}
	for _, o := range rules.OpenAt(f.Checkpoint.Kind, f.Openings, f.At) {
		ok, err := d.tx.Expected(o.ID, s.attendee)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		leave, err := d.tx.OnLeave(o.ID, s.attendee)
		if err != nil {
			return err
		}
		if leave {
			h.Leaves = append(h.Leaves, o.ID)
		}
		seat, err := d.tx.Seat(o.ID, s.attendee)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if h.Sessions == nil {
			h.Sessions = map[string]rules.Seat{}
		}
		h.Sessions[o.ID] = rules.Seat{Label: seat.Label, Section: seat.Section, Row: seat.Row, Number: seat.Number, Door: seat.Door}

		firstIn, inside, err := d.tx.Presence(o.ID, s.attendee)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if h.Known.Sessions == nil {
			h.Known.Sessions = map[string]rules.Presence{}
		}
		h.Known.Sessions[o.ID] = rules.Presence{FirstIn: firstIn, Inside: inside}
	}
	return nil
}

// mealFacts reads, for each meal being served at the scan time, the
// person's ticket and whether it was used.
func (d *decider) mealFacts(s *scan, f *rules.Facts) error {
	h := &f.Holder
	for _, o := range rules.OpenAt(rules.Meal, f.Openings, f.At) {
		venueID, table, err := d.tx.Ticket(o.ID, s.attendee)
		if errors.Is(err, store.ErrNotFound) {
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

		used, err := d.tx.Redemption(o.ID, s.attendee)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if h.Known.Meals == nil {
			h.Known.Meals = map[string]time.Time{}
		}
		h.Known.Meals[o.ID] = used
	}
	return nil
}

// lodgingFacts reads the person's room and hotel check-in.
func (d *decider) lodgingFacts(s *scan, f *rules.Facts) error {
	h := &f.Holder
	venueID, room, err := d.tx.Lodging(s.attendee)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	hotel := d.cat.Venues[d.cat.VenueByID[venueID]]
	h.Lodging = &rules.Room{Hotel: hotel.Code, Name: hotel.Name, NameEn: hotel.NameEn, Room: room}
	at, err := d.tx.HotelCheckin(s.attendee)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	h.Known.Hotel = at
	return nil
}

// apply stores what the decision changed.
func (d *decider) apply(s *scan, change rules.Change) error {
	var err error
	switch sess, meal := s.res.Session, s.res.Meal; change {
	case rules.Enter:
		err = d.tx.Enter(sess, s.attendee, s.cp.ID, s.at)
		d.touched(sess, s.attendee, true, s.at)
		if err == nil && slices.Contains(s.res.Flags, rules.FlagLeaveWithdrawn) {
			err = d.leaveWithdrawn(s)
		}
	case rules.Inside, rules.Leave:
		inside := change == rules.Inside
		err = d.tx.SetInside(sess, s.attendee, inside, s.at)
		d.touched(sess, s.attendee, inside, s.at)
	case rules.Redeem:
		d.change.Meals = append(d.change.Meals, meal)
		err = d.tx.Redeem(meal, s.attendee, s.at, s.halls[meal])
	case rules.CheckIn:
		err = d.tx.CheckInHotel(s.attendee, s.at)
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
	return d.tx.LeaveWithdrawn(s.at, actor, s.attendee, detail)
}

// touched notes that an attendee's presence at a session changed: the
// tracker applies the transition, and the live feed sends the session's
// counts and the attendee's seat from it.
func (d *decider) touched(session string, attendee int64, inside bool, at time.Time) {
	d.change.Presence = append(d.change.Presence, store.Presence{Session: session, Attendee: attendee, Inside: inside, At: at})
}

// record appends the scan to the log with the answer it got.
func (d *decider) record(s *scan) error {
	resp, err := json.Marshal(s.res)
	if err != nil {
		return err
	}
	return d.tx.SaveScan(store.ScanRecord{ScanID: s.req.ScanID, Source: s.req.source(), Key: s.req.key(),
		Device: s.req.Device, Actor: s.req.Actor, Checkpoint: s.cp.ID, Attendee: s.attendee, Serial: s.serial,
		Session: s.res.Session, Meal: s.res.Meal, Status: string(s.res.Status), Late: s.res.Late,
		Offline: s.req.Offline, Manual: s.req.Token == "", Flags: s.res.Flags, Reason: s.req.Reason,
		At: s.at, ClientTime: s.req.ScannedAt, ReceivedAt: d.now, Response: resp})
}
