package eventdef

import (
	"cmp"
	"time"
)

// Default values a stored definition always has, so that a definition read
// back compares equal to the one that was put.
const (
	DefaultColor  = "#888888"
	DefaultRatio  = "1/2"
	DefaultBase   = "expected"
	DefaultRule   = "odd"
	DefaultHonour = "left"
	// DefaultFaceRetentionDays is how many days after the meeting's last
	// day its face data is deleted when the definition does not say.
	DefaultFaceRetentionDays = 30
	// MaxFaceRetentionDays bounds the setting: a registration office has
	// no need of faces a year after the meeting.
	MaxFaceRetentionDays = 365
)

// Normalize puts a valid definition (Validate found nothing) into the form
// the store keeps: defaults filled in, times in the event's timezone, seats
// that Presidium and Sections make dropped from Seats, empty rules removed,
// lists never nil. Two definitions that mean the same normalise equal.
func Normalize(d *Definition) {
	loc, err := time.LoadLocation(d.Event.Timezone)
	if err != nil {
		loc = time.UTC
	}
	d.Event.BadgeLayout = cmp.Or(d.Event.BadgeLayout, DefaultBadgeLayout)
	d.Event.FaceRetentionDays = cmp.Or(d.Event.FaceRetentionDays, DefaultFaceRetentionDays)
	d.Categories = nonNil(d.Categories)
	d.Venues = nonNil(d.Venues)
	d.Sessions = nonNil(d.Sessions)
	d.Meals = nonNil(d.Meals)
	d.Checkpoints = nonNil(d.Checkpoints)
	for i := range d.Categories {
		d.Categories[i].Color = cmp.Or(d.Categories[i].Color, DefaultColor)
	}
	for i := range d.Venues {
		v := &d.Venues[i]
		all := Layout(*v)
		for j := range all {
			all[j] = normalSeat(all[j])
		}
		v.Seats = Overrides(*v, all)
		if v.Capacity == 0 {
			v.Capacity = DefaultCapacity(*v)
		}
		if len(v.Doors) == 0 {
			v.Doors = nil
		}
	}
	for i := range d.Sessions {
		s := &d.Sessions[i]
		s.OpensAt, s.StartsAt = canonicalTime(s.OpensAt, loc), canonicalTime(s.StartsAt, loc)
		s.EndsAt, s.ClosesAt = canonicalTime(s.EndsAt, loc), canonicalTime(s.ClosesAt, loc)
		if s.Expected.Empty() {
			s.Expected = nil
		} else {
			s.Expected = normalRule(*s.Expected)
		}
		if s.Quorum == nil {
			s.Quorum = &Quorum{Base: DefaultBase, Ratio: DefaultRatio, Strict: true}
		}
		if len(s.Quorum.Categories) == 0 {
			s.Quorum.Categories = nil
		}
		if s.Presidium == nil {
			s.Presidium = &Presidium{Rule: DefaultRule, Honour: DefaultHonour}
		}
		s.AbsentFrom = cmp.Or(s.AbsentFrom, AbsentFromStart)
	}
	for i := range d.Checkpoints {
		d.Checkpoints[i].Face = cmp.Or(d.Checkpoints[i].Face, FaceOff)
	}
	for i := range d.Meals {
		m := &d.Meals[i]
		m.OpensAt, m.ClosesAt = canonicalTime(m.OpensAt, loc), canonicalTime(m.ClosesAt, loc)
		for j := range m.Halls {
			m.Halls[j].Rule = *normalRule(m.Halls[j].Rule)
		}
	}
}

// DefaultCapacity is what a venue holds when the definition does not say:
// its seats, its tables' seats or its rooms' beds.
func DefaultCapacity(v Venue) int {
	n := len(Layout(v))
	for _, t := range v.Tables {
		n += t.Seats
	}
	for _, r := range v.Rooms {
		n += r.Beds
	}
	return n
}

func normalRule(r Rule) *Rule {
	if len(r.Categories) == 0 {
		r.Categories = nil
	}
	if len(r.Delegations) == 0 {
		r.Delegations = nil
	}
	if len(r.Groups) == 0 {
		r.Groups = nil
	}
	return &r
}

// canonicalTime writes a valid time in loc; anything else is left as it is.
func canonicalTime(s string, loc *time.Location) string {
	t, err := ParseTime(s)
	if err != nil {
		return s
	}
	return FormatTime(t, loc)
}

// FormatTime writes t as RFC 3339 in loc, the form a stored definition has.
func FormatTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.RFC3339)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
