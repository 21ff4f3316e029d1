package demo

import (
	"slices"
	"testing"
	"time"

	"huiwu/server/internal/domain"
)

// nows are start times a newcomer might have, in Shanghai and elsewhere.
func nows() []time.Time {
	var out []time.Time
	for _, hm := range [][2]int{{3, 0}, {12, 0}, {23, 50}, {0, 4}, {8, 59}, {19, 33}} {
		out = append(out, time.Date(2026, 6, 30, hm[0], hm[1], 17, 123, shanghai))
	}
	return append(out,
		time.Date(2027, 12, 31, 15, 58, 0, 0, time.UTC), // 23:58 in Shanghai, New Year's Eve
		time.Date(2028, 2, 28, 17, 1, 0, 0, time.UTC),   // 01:01 on leap day
		time.Now(), // carries a monotonic reading
	)
}

func TestNewcomerCanScanAtOnce(t *testing.T) {
	for _, now := range nows() {
		ev := Generate(now)
		first := ev.Sessions[0]
		if first.OpensAt.After(now) || !now.Before(first.StartsAt) || !now.Before(first.ClosesAt) {
			t.Errorf("now %v: first session %v–%v (starts %v) does not hold now before its start",
				now, first.OpensAt, first.ClosesAt, first.StartsAt)
		}
		if lead := first.StartsAt.Sub(now); lead < 50*time.Minute || lead > 65*time.Minute {
			t.Errorf("now %v: first session starts %v later, want about an hour", now, lead)
		}
		if ago := now.Sub(first.OpensAt); ago < 15*time.Minute || ago >= 20*time.Minute {
			t.Errorf("now %v: doors opened %v ago, want 15–20 minutes", now, ago)
		}
		if m := first.OpensAt.In(shanghai).Minute(); m%5 != 0 || first.OpensAt.Second() != 0 {
			t.Errorf("now %v: doors open at an odd time %v", now, first.OpensAt)
		}
		open := ""
		for _, m := range ev.Meals {
			if !now.Before(m.OpensAt) && now.Before(m.ClosesAt) {
				open = m.ID
			}
		}
		if open == "" {
			t.Errorf("now %v: no meal is being served", now)
		}
		date := now.In(shanghai).Format(time.DateOnly)
		if ev.Event.StartsOn != date || ev.Event.ID != "demo-"+now.In(shanghai).Format("20060102") {
			t.Errorf("now %v: event %s starts on %s, want the Shanghai date %s", now, ev.Event.ID, ev.Event.StartsOn, date)
		}
	}
}

func TestTimelineIsOrdered(t *testing.T) {
	for _, now := range nows() {
		ev := Generate(now)
		for _, s := range ev.Sessions {
			if !(s.OpensAt.Before(s.StartsAt) && s.StartsAt.Before(s.EndsAt) && !s.ClosesAt.Before(s.EndsAt)) {
				t.Errorf("%s: opens %v starts %v ends %v closes %v", s.ID, s.OpensAt, s.StartsAt, s.EndsAt, s.ClosesAt)
			}
		}
		// Sessions in one venue, and meals (served in both halls), never
		// overlap: a scan must find one window.
		type window struct {
			id         string
			from, till time.Time
		}
		byVenue := map[string][]window{}
		for _, s := range ev.Sessions {
			byVenue[s.Venue] = append(byVenue[s.Venue], window{s.ID, s.OpensAt, s.ClosesAt})
		}
		for _, m := range ev.Meals {
			byVenue["dining"] = append(byVenue["dining"], window{m.ID, m.OpensAt, m.ClosesAt})
		}
		for v, ws := range byVenue {
			for i := 1; i < len(ws); i++ {
				if ws[i].from.Before(ws[i-1].till) {
					t.Errorf("%s: %s (from %v) overlaps or precedes %s (till %v)", v, ws[i].id, ws[i].from, ws[i-1].id, ws[i-1].till)
				}
			}
		}
		// The programme keeps its order: breakfast, opening, lunch, groups,
		// dinner, then the same on day 2 with the closing meeting.
		at := func(id string) time.Time {
			for _, s := range ev.Sessions {
				if s.ID == id {
					return s.StartsAt
				}
			}
			for _, m := range ev.Meals {
				if m.ID == id {
					return m.OpensAt
				}
			}
			t.Fatalf("no %s", id)
			return time.Time{}
		}
		order := []string{"d1-breakfast", "opening", "d1-lunch", "group-1", "d1-dinner",
			"d2-breakfast", "plenary-2", "d2-lunch", "closing", "d2-dinner"}
		if !slices.IsSortedFunc(order, func(a, b string) int { return at(a).Compare(at(b)) }) {
			t.Errorf("programme out of order for now %v", now)
		}
		if d := at("plenary-2").Sub(at("opening")); d != 24*time.Hour {
			t.Errorf("day 2 is %v after day 1", d)
		}
	}
}

func TestQuorumAndRules(t *testing.T) {
	ev := Generate(fixedNow)
	want := map[string]domain.Quorum{
		"opening":   {Base: "members", Num: 1, Den: 2, Strict: true},
		"group-1":   {Base: "expected", Num: 1, Den: 2, Strict: true},
		"group-2":   {Base: "expected", Num: 1, Den: 2, Strict: true},
		"plenary-2": {Base: "members", Num: 1, Den: 2, Strict: true},
		"closing":   {Base: "members", Num: 2, Den: 3, Strict: false},
	}
	if len(ev.Sessions) != len(want) {
		t.Fatalf("%d sessions, want %d", len(ev.Sessions), len(want))
	}
	for _, s := range ev.Sessions {
		q := want[s.ID]
		if s.Quorum.Base != q.Base || s.Quorum.Num != q.Num || s.Quorum.Den != q.Den || s.Quorum.Strict != q.Strict {
			t.Errorf("%s quorum %+v, want %+v", s.ID, s.Quorum, q)
		}
		if (s.Kind == domain.SessionPlenary) != (s.PresidiumRule != "" && s.Honour == "left") {
			t.Errorf("%s: %s with presidium rule %q/%q", s.ID, s.Kind, s.PresidiumRule, s.Honour)
		}
	}
}
