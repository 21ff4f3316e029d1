package attendance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"huiwu/server/internal/store"
)

// roster is one session's expected attendees and the running sums of
// their states. The sums hold Expected, Present, Left, OnLeave and
// LeaveWithdrawn; NotYet, Absent and Entered follow from them and the
// clock when counts are asked for (Figures.split).
type roster struct {
	starts      time.Time
	entries     map[int64]*entry // active expected attendees only
	all, voting Figures
	late        int
	members     int // active members of the counted categories, for Base "members"
}

type entry struct {
	voting                 bool // in a category that counts for this session
	present, inside, leave bool
	firstIn                time.Time
}

// state is the one classification every figure and list derives from;
// absent says those not accounted for are 缺席 by now (AbsentCounted).
func (e entry) state(absent bool) State {
	switch {
	case e.present && e.inside:
		return StatePresent
	case e.present:
		return StateLeft // came, so a leave they held is withdrawn
	case e.leave:
		return StateOnLeave
	case absent:
		return StateAbsent
	}
	return StateNotYet
}

// add adds (sign 1) or removes (sign -1) an entry's part in the sums.
func (r *roster) add(e *entry, sign int) {
	for _, f := range []*Figures{&r.all, &r.voting} {
		if f == &r.voting && !e.voting {
			continue
		}
		f.Expected += sign
		switch e.state(false) {
		case StatePresent:
			f.Present += sign
		case StateLeft:
			f.Left += sign
		case StateOnLeave:
			f.OnLeave += sign
		}
		if e.present && e.leave {
			f.LeaveWithdrawn += sign
		}
	}
	if e.voting && e.present && e.firstIn.After(r.starts) {
		r.late += sign
	}
}

// counts are the roster's figures at now.
func (r *roster) counts(s *store.Session, cat *store.Catalog, now time.Time) Counts {
	return assemble(s, cat, r.all, r.voting, r.late, r.members, now)
}

// copyEntries copies the entries, for lists built outside the lock.
func (r *roster) copyEntries() map[int64]entry {
	out := make(map[int64]entry, len(r.entries))
	for id, e := range r.entries {
		out[id] = *e
	}
	return out
}

// read loads the rosters of every session (or of only that one) from one
// read of the store, so the parts agree.
func read(ctx context.Context, db *store.DB, cat *store.Catalog, only string) (map[string]*roster, error) {
	stored, err := db.SessionRosters(ctx, only)
	if err != nil {
		return nil, fmt.Errorf("attendance: %w", err)
	}
	rosters := map[string]*roster{}
	counted := map[string][]string{}
	for _, s := range cat.SessionList {
		if only != "" && s.ID != only {
			continue
		}
		cats := cat.VotingCategories(s)
		counted[s.ID] = cats
		r := &roster{starts: s.StartsAt, entries: map[int64]*entry{}}
		for _, c := range cats {
			r.members += stored.Members[c]
		}
		rosters[s.ID] = r
	}
	for _, se := range stored.Entries {
		r := rosters[se.Session]
		if r == nil {
			continue
		}
		e := &entry{present: se.Present, inside: se.Inside, leave: se.OnLeave, firstIn: se.FirstIn,
			voting: slices.Contains(counted[se.Session], se.Category)}
		r.entries[se.Attendee] = e
		r.add(e, 1)
	}
	return rosters, nil
}

// Person is a name on a list.
type Person struct {
	AttendeeID int64  `json:"attendee_id"`
	Name       string `json:"name"`
}

// Member is one expected attendee on the usher's list of a session.
type Member struct {
	AttendeeID int64  `json:"attendee_id"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	// Counted says the figures count this person (Counts.Basis).
	Counted bool  `json:"counted"`
	State   State `json:"state"`
	// Leave: the person holds a leave; withdrawn when State is present
	// or left.
	Leave     bool       `json:"leave,omitempty"`
	ArrivedAt *time.Time `json:"arrived_at,omitempty"`
	rank      int
}

// Roster is a session's counts and everyone expected there, from one
// snapshot: the usher's view of a room without a seat map.
type Roster struct {
	Counts Counts   `json:"counts"`
	People []Member `json:"people"`
}

// Detail is what the chair's page shows, from one snapshot: the counts,
// the arrival curve and the absentees.
type Detail struct {
	Counts   Counts   `json:"counts"`
	Arrivals Arrivals `json:"arrivals"`
	// Absentees are the counted people who are 缺席: none before the
	// start (or the close, by the session's rule). Nil when the caller may
	// not see names.
	Absentees []Person `json:"absentees"`
}

// Arrivals is the arrival curve: first entries per minute of the counted
// people, re-entries not counted again. Total is Counts.Entered.
type Arrivals struct {
	Session  string    `json:"session_id"`
	Bucket   int       `json:"bucket_seconds"`
	StartsAt time.Time `json:"starts_at"` // the session's start, for the chart's marker
	Minutes  []Minute  `json:"minutes"`
	Total    int       `json:"total"`
}

// Minute is one bar of the arrival curve.
type Minute struct {
	At time.Time `json:"at"`
	N  int       `json:"n"`
}

// arrivals buckets the counted people's first entries by minute.
func arrivals(s *store.Session, loc *time.Location, entries map[int64]entry) Arrivals {
	out := Arrivals{Session: s.ID, Bucket: 60, StartsAt: s.StartsAt.In(loc), Minutes: []Minute{}}
	by := map[time.Time]int{}
	for _, e := range entries {
		if e.voting && e.present {
			by[e.firstIn.UTC().Truncate(time.Minute)]++
			out.Total++
		}
	}
	for at, n := range by {
		out.Minutes = append(out.Minutes, Minute{At: at.In(loc), N: n})
	}
	slices.SortFunc(out.Minutes, func(a, b Minute) int { return a.At.Compare(b.At) })
	return out
}

type nameRank struct {
	name, category string
	rank           int
}

// names reads the names of the session's expected attendees.
func names(ctx context.Context, db *store.DB, session string) (map[int64]nameRank, error) {
	people, err := db.SessionExpected(ctx, session)
	if err != nil {
		return nil, fmt.Errorf("attendance: names: %w", err)
	}
	out := make(map[int64]nameRank, len(people))
	for _, p := range people {
		out[p.ID] = nameRank{name: p.Name, category: p.Category, rank: p.Rank}
	}
	return out, nil
}

// members lists the entries with names, in list order (rank, then id).
func members(entries map[int64]entry, who map[int64]nameRank, absent bool, loc *time.Location) []Member {
	out := make([]Member, 0, len(entries))
	for id, e := range entries {
		n := who[id]
		m := Member{AttendeeID: id, Name: n.name, Category: n.category, Counted: e.voting, State: e.state(absent),
			Leave: e.leave, rank: n.rank}
		if e.present {
			at := e.firstIn.In(loc)
			m.ArrivedAt = &at
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Member) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.AttendeeID, b.AttendeeID))
	})
	return out
}
