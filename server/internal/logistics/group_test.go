package logistics

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var zone = time.FixedZone("CST", 8*3600)

// at is 2026-03-04 (or 2026-03-05 after a "d2 " prefix) at hh:mm in the
// event's zone; no hh:mm is no time.
func at(s string) time.Time {
	day, s := dayOf(s)
	if s == "" {
		return time.Time{}
	}
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil {
		panic(err)
	}
	return time.Date(2026, 3, day, h, m, 0, 0, zone)
}

func dayOf(s string) (int, string) {
	if rest, ok := strings.CutPrefix(s, "d2"); ok {
		return 5, strings.TrimSpace(rest)
	}
	return 4, s
}

func rider(leg, station int64, when string, companions int) Rider {
	day, _ := dayOf(when)
	return Rider{Leg: leg, Attendee: leg + 1000, Station: station, Date: fmt.Sprintf("2026-03-%02d", day),
		At: at(when), Companions: companions}
}

// shape writes groups as "station@HH:MM[legs]" (no time: "station@-"),
// the legs in order, to compare with a table's expectation.
func shape(gs []Group) string {
	var parts []string
	for _, g := range gs {
		when := "-"
		if g.Timed() {
			when = g.From.In(zone).Format("15:04")
			if g.Date == "2026-03-05" {
				when = "d2 " + when
			}
		}
		var legs []string
		for _, r := range g.Riders {
			legs = append(legs, fmt.Sprint(r.Leg))
		}
		parts = append(parts, fmt.Sprintf("%d@%s[%s]", g.Station, when, strings.Join(legs, " ")))
	}
	return strings.Join(parts, " ")
}

// TestGroups: arrivals fall in a window that starts at the earliest one
// not yet grouped and runs for the window's length (an arrival at its
// very end starts the next); stations and days never mix; arrivals with
// a date but no time make a group of their own per day and station; the
// counts add companions.
func TestGroups(t *testing.T) {
	cases := []struct {
		name   string
		riders []Rider
		window time.Duration
		want   string
	}{
		{"empty", nil, 0, ""},
		{"one window", []Rider{rider(1, 1, "14:05", 0), rider(2, 1, "14:30", 1), rider(3, 1, "14:49", 0)}, 0,
			"1@14:05[1 2 3]"},
		{"the window's end starts the next", []Rider{rider(1, 1, "14:00", 0), rider(2, 1, "14:45", 0), rider(3, 1, "14:44", 0)}, 0,
			"1@14:00[1 3] 1@14:45[2]"},
		{"a chain does not stretch a window", []Rider{
			rider(1, 1, "09:00", 0), rider(2, 1, "09:30", 0), rider(3, 1, "10:00", 0), rider(4, 1, "10:30", 0), rider(5, 1, "11:00", 0)}, 0,
			"1@09:00[1 2] 1@10:00[3 4] 1@11:00[5]"},
		{"stations apart", []Rider{rider(1, 1, "14:00", 0), rider(2, 2, "14:10", 0), rider(3, 1, "14:20", 0)}, 0,
			"1@14:00[1 3] 2@14:10[2]"},
		{"days apart, untimed per day and station", []Rider{
			rider(1, 1, "d2 08:00", 0), rider(2, 1, "", 0), rider(3, 2, "", 2), rider(4, 1, "23:50", 0), rider(5, 1, "d2", 0)}, 0,
			"1@23:50[4] 1@-[2] 2@-[3] 1@d2 08:00[1] 1@-[5]"},
		{"a wider window", []Rider{rider(1, 1, "09:00", 0), rider(2, 1, "10:30", 0), rider(3, 1, "10:59", 0)}, 2 * time.Hour,
			"1@09:00[1 2 3]"},
		{"a narrow window", []Rider{rider(1, 1, "09:00", 0), rider(2, 1, "09:10", 0), rider(3, 1, "09:14", 0)}, 10 * time.Minute,
			"1@09:00[1] 1@09:10[2 3]"},
		{"no station is a station of its own", []Rider{rider(1, 0, "09:00", 0), rider(2, 1, "09:00", 0)}, 0,
			"0@09:00[1] 1@09:00[2]"},
		{"same moment in leg order", []Rider{rider(7, 1, "09:00", 0), rider(3, 1, "09:00", 0)}, 0,
			"1@09:00[3 7]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gs := Groups(c.riders, c.window)
			if got := shape(gs); got != c.want {
				t.Errorf("groups\n got %s\nwant %s", got, c.want)
			}
			n := 0
			for _, g := range gs {
				n += len(g.Riders)
			}
			if n != len(c.riders) {
				t.Errorf("%d riders grouped, %d given", n, len(c.riders))
			}
		})
	}
}

// TestGroupCounts: a group counts its people and their companions, and
// knows the span of its arrivals.
func TestGroupCounts(t *testing.T) {
	gs := Groups([]Rider{rider(1, 1, "14:05", 0), rider(2, 1, "14:30", 2), rider(3, 1, "14:40", 1)}, 0)
	if len(gs) != 1 {
		t.Fatalf("groups: %s", shape(gs))
	}
	g := gs[0]
	if g.People != 3 || g.Companions != 3 || g.Seats() != 6 {
		t.Errorf("people %d companions %d seats %d, want 3 3 6", g.People, g.Companions, g.Seats())
	}
	if !g.From.Equal(at("14:05")) || !g.To.Equal(at("14:40")) || g.Key == "" {
		t.Errorf("span %v–%v key %q", g.From, g.To, g.Key)
	}
	other := Groups([]Rider{rider(9, 1, "14:05", 0)}, 0)[0]
	if other.Key != g.Key {
		t.Errorf("a group starting at the same moment and station has key %q, want %q", other.Key, g.Key)
	}
	if un := Groups([]Rider{rider(4, 1, "", 0)}, 0)[0]; un.Timed() || un.Key == g.Key || un.Key == "" {
		t.Errorf("untimed group: %+v", un)
	}
}
