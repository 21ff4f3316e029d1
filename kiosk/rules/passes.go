package rules

import (
	"slices"
	"time"
)

// Pass is what a kiosk saw of one person at one of its answers — its own
// offline ones and the server's answers while online — and keeps, so that a
// badge shown twice while the server is away is caught. It is an
// observation, not an event: "as of At, the person first came in (or ate,
// or checked in) at First, and is inside or not".
type Pass struct {
	Event    string    `json:"event,omitempty"` // a kiosk used at another event ignores it
	Attendee int64     `json:"attendee"`
	Kind     PassKind  `json:"kind"`
	Window   string    `json:"window,omitempty"` // the session or meal
	At       time.Time `json:"at"`
	First    time.Time `json:"first,omitzero"`
	Inside   bool      `json:"inside,omitempty"`
}

// PassKind says what a Pass is about.
type PassKind string

// The pass kinds.
const (
	PassSession PassKind = "session"
	PassMeal    PassKind = "meal"
	PassHotel   PassKind = "hotel"
)

// PassOf is what an answer tells about the person's passes, if anything:
// an entry, exit, redeemed meal or hotel check-in. Refusals tell nothing.
func PassOf(r *Result) (Pass, bool) {
	p := Pass{At: r.ScannedAt}
	if r.Attendee != nil {
		p.Attendee = r.Attendee.ID
	}
	if r.FirstAt != nil {
		p.First = *r.FirstAt
	}
	switch r.Code {
	case CodeOK, CodeAlready, CodeReentry, CodeExit, CodeExitAgain, CodeExitWithoutEntry:
		p.Kind, p.Window, p.Inside = PassSession, r.Session, r.Status != StatusExit
	case CodeMealOK, CodeMealUsed:
		p.Kind, p.Window = PassMeal, r.Meal
	case CodeHotelOK, CodeAlreadyCheckedIn:
		p.Kind = PassHotel
	default:
		return Pass{}, false
	}
	if p.Kind != PassHotel && p.Window == "" {
		return Pass{}, false
	}
	return p, true
}

// Merge adds a kiosk's own passes to what its cache knew as of asOf. First
// times only ever move earlier; whether someone is inside is taken from a
// pass newer than the cache, or from any pass when the cache knew of no
// entry (an offline scan not yet uploaded when the cache was built).
func (k *Known) Merge(passes []Pass, asOf time.Time) {
	passes = slices.Clone(passes)
	slices.SortStableFunc(passes, func(a, b Pass) int { return a.At.Compare(b.At) })
	for _, p := range passes {
		first := p.First
		switch p.Kind {
		case PassSession:
			if k.Sessions == nil {
				k.Sessions = map[string]Presence{}
			}
			pr := k.Sessions[p.Window]
			had := !pr.FirstIn.IsZero()
			if !first.IsZero() && (!had || first.Before(pr.FirstIn)) {
				pr.FirstIn = first
			}
			if p.At.After(asOf) || !had {
				pr.Inside = p.Inside
			}
			if !pr.FirstIn.IsZero() {
				k.Sessions[p.Window] = pr
			}
		case PassMeal:
			if first.IsZero() {
				first = p.At
			}
			if k.Meals == nil {
				k.Meals = map[string]time.Time{}
			}
			if t := k.Meals[p.Window]; t.IsZero() || first.Before(t) {
				k.Meals[p.Window] = first
			}
		case PassHotel:
			if first.IsZero() {
				first = p.At
			}
			if k.Hotel.IsZero() || first.Before(k.Hotel) {
				k.Hotel = first
			}
		}
	}
}
