// Package logistics is the secretariat's reasoning about travel (issue 12),
// apart from storage: no SQL here. It groups arrivals and departures by
// station and time window (the 接站一览表), fills vehicles for the groups,
// and reads the free text of travel plans.
package logistics

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// DefaultWindow is how long a pickup waits at a station: arrivals within
// 45 minutes of the first one not yet met go together.
const DefaultWindow = 45 * time.Minute

// Rider is one person to be met at a station, or taken to one: an arrival
// or departure leg, with the companions (随行人员) who travel with them and
// need seats too.
type Rider struct {
	Leg      int64
	Attendee int64
	Station  int64  // 0 when not known
	Date     string // YYYY-MM-DD in the event's zone
	// At is the moment of arrival or departure, zero when only the date
	// is known.
	At         time.Time
	Companions int
	// Settled riders need no seat now (met already, not on the flight,
	// rebooked to a time not yet known): they stay in their group's list
	// and counts, and Fill leaves them alone.
	Settled bool
}

// Seats is the seats the rider's party takes.
func (r Rider) Seats() int { return 1 + r.Companions }

// Group is the riders at one station within one window of time (or, for
// those whose time is not known, on one day): one line of the 接站一览表
// and what a vehicle, or several, is sent for.
type Group struct {
	// Key names the group while its first rider stays: the station, the
	// day and the moment of the first arrival (or "-" for no time).
	Key     string
	Station int64
	Date    string
	// From and To are the first and the last moment in the group, zero
	// when the group's riders have no time.
	From, To   time.Time
	Riders     []Rider // in time order, then by leg
	People     int
	Companions int
}

// Timed reports whether the group's riders have times.
func (g Group) Timed() bool { return !g.From.IsZero() }

// Seats is the seats the whole group takes.
func (g Group) Seats() int { return g.People + g.Companions }

// Groups puts riders into groups by station and day, then by window: a
// group begins at the earliest rider not yet in one and takes everyone
// arriving before that moment plus window (an arrival exactly at its end
// begins the next group, so a chain of arrivals 30 minutes apart does not
// stretch one pickup over hours). Riders with a date but no time make one
// group per day and station. A window of 0 is DefaultWindow. Groups come
// by day, timed ones first by time and station, then the untimed ones by
// station.
func Groups(riders []Rider, window time.Duration) []Group {
	if window <= 0 {
		window = DefaultWindow
	}
	rs := slices.Clone(riders)
	slices.SortFunc(rs, func(a, b Rider) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Station, b.Station),
			cmpTime(a.At, b.At), cmp.Compare(a.Leg, b.Leg))
	})
	var out []Group
	for i := 0; i < len(rs); {
		r := rs[i]
		g := Group{Station: r.Station, Date: r.Date, From: r.At, To: r.At}
		j := i
		for ; j < len(rs) && rs[j].Station == r.Station && rs[j].Date == r.Date; j++ {
			if r.At.IsZero() != rs[j].At.IsZero() || (!r.At.IsZero() && !rs[j].At.Before(r.At.Add(window))) {
				break
			}
			g.To = rs[j].At
			g.People++
			g.Companions += rs[j].Companions
		}
		g.Riders = rs[i:j:j]
		g.Key = groupKey(g)
		out = append(out, g)
		i = j
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmpTime(a.From, b.From), cmp.Compare(a.Station, b.Station))
	})
	return out
}

// cmpTime orders moments, no time (zero) last.
func cmpTime(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func groupKey(g Group) string {
	if !g.Timed() {
		return fmt.Sprintf("%d-%s--", g.Station, g.Date)
	}
	return fmt.Sprintf("%d-%s-%d", g.Station, g.Date, g.From.Unix())
}
