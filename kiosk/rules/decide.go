package rules

import (
	"slices"
	"time"
)

// Decide answers a scan from its facts: the Result's decision (status,
// code, late, first_at, window, guidance, session or meal, attendee,
// message, and the offline_duplicate flag; the caller adds the scan's id,
// time and its own flags) and what the scan changes.
func Decide(f *Facts) (Result, Change) {
	d := &decision{f: f, loc: f.Location}
	if d.loc == nil {
		d.loc = time.UTC
	}
	r := &d.res
	if f.Badge.Invalid != "" {
		r.Status, r.Code = StatusInvalid, f.Badge.Invalid
	} else {
		if !f.Holder.Unknown {
			p := f.Holder.Attendee
			r.Attendee = &p
		}
		switch {
		case f.Badge.Revoked:
			r.Status, r.Code = StatusRevoked, CodeRevoked
		case f.Holder.Cancelled:
			r.Status, r.Code = StatusCancelled, CodeCancelled
		case f.Unsynced:
			d.unsynced()
		case f.Checkpoint.Kind == Entrance || f.Checkpoint.Kind == Exit:
			d.session()
		case f.Checkpoint.Kind == Meal:
			d.meal()
		case f.Checkpoint.Kind == Lodging:
			d.lodging()
		}
	}
	d.face()
	// Two kiosks that both lost the server let the same person through:
	// the desk should know.
	if f.Offline && (r.Status == StatusAlready || r.Status == StatusMealUsed) {
		r.Flags = append(r.Flags, "offline_duplicate")
	}
	r.Message = message(f.Checkpoint.Kind, r)
	return d.res, d.change
}

// decision is the working state of Decide.
type decision struct {
	f      *Facts
	loc    *time.Location
	res    Result
	change Change
}

// at is t in the event's zone, as answers show times.
func (d *decision) at(t time.Time) *time.Time {
	t = t.In(d.loc)
	return &t
}

// session decides an entrance or exit scan. The session is the one whose
// window holds the scan time (the first the person is expected at, if
// several are open); with none open, the answer names the next window (or
// the last). A person with no session open here but one open elsewhere is
// sent there instead (elsewhere).
func (d *decision) session() {
	f, r := d.f, &d.res
	open := OpenAt(f.Checkpoint.Kind, f.Openings, f.At)
	var sess *Opening
	var seat Seat
	for i := range open {
		if s, ok := f.Holder.Sessions[open[i].ID]; ok || f.Holder.Unknown {
			sess, seat = &open[i], s
			break
		}
	}
	if sess == nil && f.Checkpoint.Kind == Entrance && d.elsewhere() {
		if len(open) > 0 {
			r.Session = open[0].ID
		}
		return
	}
	if len(open) == 0 {
		if len(f.Openings) == 0 {
			r.Status, r.Code = StatusOutsideWindow, CodeNoSession
			return
		}
		next := &f.Openings[len(f.Openings)-1]
		for i := range f.Openings {
			if f.Openings[i].Opens.After(f.At) {
				next = &f.Openings[i]
				break
			}
		}
		r.Session = next.ID
		r.Status, r.Code = StatusOutsideWindow, CodeSessionClosed
		r.Window = &Window{Opens: next.Opens.In(d.loc), Closes: next.Closes.In(d.loc), Name: next.Name}
		return
	}
	if sess == nil {
		r.Session = open[0].ID
		r.Status, r.Code = StatusNotEntitled, CodeNotOnList
		return
	}
	r.Session = sess.ID
	g := &Guidance{Venue: sess.Venue, VenueEn: sess.VenueEn, Door: f.Checkpoint.Door,
		Seat: seat.Label, Section: seat.Section, Row: seat.Row, Number: seat.Number}
	if seat.Label != "" && f.Checkpoint.Kind == Entrance {
		// The door is where the person stands; the way to the seat is
		// told from there.
		if seat.Door != "" && seat.Door != f.Checkpoint.Door {
			g.SeatDoor = seat.Door
		}
		g.Route = route(f.Checkpoint.Door, seat)
	}
	if sess.Group {
		g.GroupRoom = sess.Venue
	}
	r.Guidance = g

	p := f.Holder.Known.Sessions[sess.ID]
	seen := !p.FirstIn.IsZero()
	if seen {
		r.FirstAt = d.at(p.FirstIn)
	}
	if f.Checkpoint.Kind == Exit {
		r.Status, r.Code = StatusExit, CodeExit
		switch {
		case !seen:
			r.Code = CodeExitWithoutEntry
		case !p.Inside:
			r.Code = CodeExitAgain
		default:
			d.change = Leave
		}
		return
	}
	switch {
	case !seen:
		r.Status, r.Code = StatusOK, CodeOK
		r.Late = f.At.After(sess.Starts)
		r.FirstAt = d.at(f.At)
		d.change = Enter
		if slices.Contains(f.Holder.Leaves, sess.ID) {
			// Come all the same: present, and the desk is told.
			r.Flags = append(r.Flags, FlagLeaveWithdrawn)
		}
	case p.Inside:
		r.Status, r.Code = StatusAlready, CodeAlready
		if f.Offline {
			// An offline scan that happened before the online one it
			// duplicates still moves the first arrival earlier.
			d.change = Inside
		}
	default:
		r.Status, r.Code = StatusReentry, CodeReentry
		d.change = Inside
	}
}

// elsewhere sends a person expected at a session open now that this
// entrance does not serve to it, and reports whether it did: to its room
// (wrong_venue), or, when this entrance is pinned to another session of
// the same hall, to another entrance (wrong_door).
func (d *decision) elsewhere() bool {
	f, r := d.f, &d.res
	for _, o := range OpenAt(Entrance, f.Elsewhere, f.At) {
		if !slices.Contains(f.Holder.Elsewhere, o.ID) {
			continue
		}
		r.Status, r.Code = StatusNotEntitled, CodeWrongVenue
		if o.Hall == f.Checkpoint.Venue {
			r.Code = CodeWrongDoor
		}
		r.Guidance = &Guidance{Venue: o.Venue, VenueEn: o.VenueEn}
		r.Window = &Window{Opens: o.Opens.In(d.loc), Closes: o.Closes.In(d.loc), Name: o.Name}
		return true
	}
	return false
}

// meal decides a dining-hall scan: the meal being served at the scan time,
// one redemption per meal and person, in the hall on the ticket.
func (d *decision) meal() {
	f, r := d.f, &d.res
	open := OpenAt(Meal, f.Openings, f.At)
	if len(open) == 0 {
		r.Status, r.Code = StatusOutsideWindow, CodeNoMealNow
		for _, m := range f.Openings {
			if m.Opens.After(f.At) {
				r.Window = &Window{Opens: m.Opens.In(d.loc), Closes: m.Closes.In(d.loc), Name: m.Name}
				break
			}
		}
		return
	}
	m := open[0]
	r.Meal = m.ID
	t, ok := f.Holder.Meals[m.ID]
	if !ok && !f.Holder.Unknown {
		r.Status, r.Code = StatusNotEntitled, CodeNoMealTicket
		return
	}
	if ok {
		r.Guidance = &Guidance{Venue: t.Name, VenueEn: t.NameEn, MealTable: t.Table, Diet: f.Holder.Diet}
		if t.Hall != f.Checkpoint.Venue {
			r.Status, r.Code = StatusNotEntitled, CodeWrongHall
			return
		}
	}
	if used := f.Holder.Known.Meals[m.ID]; !used.IsZero() {
		r.FirstAt = d.at(used)
		r.Status, r.Code = StatusMealUsed, CodeMealUsed
		return
	}
	r.FirstAt = d.at(f.At)
	r.Status, r.Code = StatusOK, CodeMealOK
	d.change = Redeem
}

// lodging decides a hotel-desk scan: one check-in per person, at the hotel
// of their room.
func (d *decision) lodging() {
	f, r := d.f, &d.res
	if l := f.Holder.Lodging; l != nil {
		if l.Hotel != f.Checkpoint.Venue {
			r.Status, r.Code = StatusNotEntitled, CodeWrongHotel
			r.Guidance = &Guidance{Hotel: l.Name, HotelEn: l.NameEn}
			return
		}
		r.Guidance = &Guidance{Hotel: l.Name, HotelEn: l.NameEn, Room: l.Room}
	} else if !f.Holder.Unknown {
		r.Status, r.Code = StatusNotEntitled, CodeNoLodging
		return
	}
	if at := f.Holder.Known.Hotel; !at.IsZero() {
		r.FirstAt = d.at(at)
		r.Status, r.Code = StatusAlready, CodeAlreadyCheckedIn
		return
	}
	r.FirstAt = d.at(f.At)
	r.Status, r.Code = StatusOK, CodeHotelOK
	d.change = CheckIn
}

// unsynced admits a genuine badge at a kiosk that knows nothing else.
func (d *decision) unsynced() {
	r := &d.res
	r.FirstAt = d.at(d.f.At)
	switch d.f.Checkpoint.Kind {
	case Entrance:
		r.Status, r.Code = StatusOK, CodeOK
	case Exit:
		r.Status, r.Code, r.FirstAt = StatusExit, CodeExit, nil
	case Meal:
		r.Status, r.Code = StatusOK, CodeMealOK
	case Lodging:
		r.Status, r.Code = StatusOK, CodeHotelOK
	}
}
