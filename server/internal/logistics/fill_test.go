package logistics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// riders makes n riders at station from leg first on, one a minute from
// when, without companions.
func riders(first int64, n int, station int64, when string) []Rider {
	t := at(when)
	out := make([]Rider, n)
	for i := range out {
		out[i] = rider(first+int64(i), station, "", 0)
		out[i].At = t.Add(time.Duration(i) * time.Minute)
	}
	return out
}

// planShape writes a plan as "V<vehicle>@<station> HH:MM[legs]" per run
// ("R<id>+[added]" for an existing run added to) and "leg:reason" for the
// unassigned, to compare with a table's expectation.
func planShape(p Plan) string {
	var parts []string
	for _, r := range p.Runs {
		if r.ID != 0 {
			parts = append(parts, fmt.Sprintf("R%d+%s", r.ID, legList(r.Added)))
			continue
		}
		parts = append(parts, fmt.Sprintf("V%d@%d %s%s", r.Vehicle, r.Station, r.At.In(zone).Format("15:04"), legList(r.Legs)))
	}
	for _, u := range p.Unassigned {
		parts = append(parts, fmt.Sprintf("%d:%s", u.Leg, u.Reason))
	}
	return strings.Join(parts, " ")
}

func legList(legs []int64) string {
	s := make([]string, len(legs))
	for i, l := range legs {
		s[i] = fmt.Sprint(l)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func seq(from, to int64) string {
	var s []int64
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return legList(s)
}

// TestFill: vehicles are given to groups by time and station, never over
// their seats (companions take seats), a group kept in one vehicle where
// one can take it, the larger vehicles for the larger groups, no vehicle
// out twice at once, what the desk assigned by hand kept, and whoever is
// left over reported with the reason.
func TestFill(t *testing.T) {
	car1, car2, car3 := Vehicle{ID: 1, Seats: 4}, Vehicle{ID: 2, Seats: 4}, Vehicle{ID: 3, Seats: 4}
	van := func(id int64, seats int) Vehicle { return Vehicle{ID: id, Seats: seats} }
	party := func(leg, station int64, when string, companions int) []Rider {
		return []Rider{rider(leg, station, when, companions)}
	}
	cases := []struct {
		name     string
		riders   []Rider
		vehicles []Vehicle
		existing []Run
		opt      FillOptions
		want     string
	}{
		{name: "a window together in the van, not split over cars",
			riders: riders(1, 7, 1, "14:00"), vehicles: []Vehicle{car1, car2, van(3, 8)},
			want: "V3@1 14:00" + seq(1, 7)},
		{name: "the smallest vehicle that takes them",
			riders: riders(1, 3, 1, "14:00"), vehicles: []Vehicle{van(1, 40), van(2, 8), car3},
			want: "V3@1 14:00[1 2 3]"},
		{name: "companions take seats",
			riders: slices.Concat(party(1, 1, "14:00", 1), party(2, 1, "14:10", 1), party(3, 1, "14:20", 0)), vehicles: []Vehicle{car1, van(2, 8)},
			want: "V2@1 14:00[1 2 3]"},
		{name: "larger vehicles for larger groups",
			riders: slices.Concat(riders(1, 7, 1, "14:00"), riders(11, 12, 2, "14:10")), vehicles: []Vehicle{van(1, 12), car2, car3},
			want: "V2@1 14:00[1 2 3 4] V3@1 14:00[5 6 7] V1@2 14:10" + seq(11, 22)},
		{name: "a group larger than any vehicle goes in several, in arrival order",
			riders: riders(1, 10, 1, "14:00"), vehicles: []Vehicle{car1, van(2, 8)},
			want: "V2@1 14:00" + seq(1, 8) + " V1@1 14:00[9 10]"},
		{name: "more people than seats: the rest unassigned, never over",
			riders: riders(1, 15, 1, "14:00"), vehicles: []Vehicle{car1, van(2, 8)},
			want: "V2@1 14:00" + seq(1, 8) + " V1@1 14:00[9 10 11 12] 13:no_vehicle 14:no_vehicle 15:no_vehicle"},
		{name: "a party larger than any vehicle is not split",
			riders: slices.Concat(party(1, 1, "14:00", 5), riders(2, 2, 1, "14:05")), vehicles: []Vehicle{car1, car2},
			want: "V1@1 14:00[2 3] 1:too_large"},
		{name: "parties that do not pack",
			riders: slices.Concat(party(1, 1, "14:00", 2), party(2, 1, "14:01", 2), party(3, 1, "14:02", 1)), vehicles: []Vehicle{car1, car2},
			want: "V1@1 14:00[1] V2@1 14:00[2] 3:no_vehicle"},
		{name: "a vehicle is not out twice at once",
			riders:   slices.Concat(riders(1, 3, 1, "14:00"), riders(11, 2, 2, "14:30"), riders(21, 2, 2, "17:30")),
			vehicles: []Vehicle{car1}, opt: FillOptions{RoundTrip: 2 * time.Hour},
			want: "V1@1 14:00[1 2 3] V1@2 17:30[21 22] 11:no_vehicle 12:no_vehicle"},
		{name: "hand assignments kept and topped up",
			riders: riders(1, 3, 1, "14:00"), vehicles: []Vehicle{car1, van(2, 8)},
			existing: []Run{{ID: 10, Vehicle: 1, Station: 1, At: at("14:00"), Legs: []int64{1}, Seats: 1}},
			want:     "R10+[2 3]"},
		{name: "a hand-made run elsewhere keeps its vehicle and its passenger",
			riders: riders(1, 3, 1, "14:00"), vehicles: []Vehicle{car1, van(2, 8)},
			existing: []Run{{ID: 10, Vehicle: 2, Station: 2, At: at("14:20"), Legs: []int64{1}, Seats: 1}},
			want:     "V1@1 14:00[2 3]"},
		{name: "a full hand-made run, the rest in another vehicle",
			riders: riders(1, 6, 1, "14:00"), vehicles: []Vehicle{car1, van(2, 8)},
			existing: []Run{{ID: 10, Vehicle: 1, Station: 1, At: at("14:00"), Legs: []int64{1, 2, 3}, Seats: 4}},
			want:     "V2@1 14:00[4 5 6]"},
		{name: "no time, no station",
			riders: slices.Concat(party(1, 1, "", 0), party(2, 0, "14:00", 0), party(3, 1, "14:00", 0)), vehicles: []Vehicle{car1},
			want: "V1@1 14:00[3] 2:no_station 1:no_time"},
		{name: "those met already, missed or rebooked are left alone",
			riders:   slices.Concat(riders(1, 3, 1, "14:00"), []Rider{{Leg: 4, Station: 1, Date: "2026-03-04", At: at("14:03"), Settled: true}}),
			vehicles: []Vehicle{car1}, want: "V1@1 14:00[1 2 3]"},
		{name: "no vehicles",
			riders: riders(1, 2, 1, "14:00"),
			want:   "1:no_vehicle 2:no_vehicle"},
		{name: "departures leave ahead of the first train",
			riders: riders(1, 2, 1, "14:00"), vehicles: []Vehicle{car1}, opt: FillOptions{Departure: true, Lead: 150 * time.Minute},
			want: "V1@1 11:30[1 2]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gs := Groups(c.riders, c.opt.Window)
			p := Fill(gs, c.vehicles, c.existing, c.opt)
			if got := planShape(p); got != c.want {
				t.Errorf("plan\n got %s\nwant %s", got, c.want)
			}
			checkPlan(t, gs, c.vehicles, c.existing, c.opt, p)
		})
	}
}

// TestFreeVehicles: the vehicles free for a group are those with no run
// overlapping the group's (the desk's runs and the other direction's
// count), smallest first; a group without a time has none.
func TestFreeVehicles(t *testing.T) {
	vs := []Vehicle{{ID: 1, Seats: 45}, {ID: 2, Seats: 4}, {ID: 3, Seats: 7}}
	runs := []Run{
		{ID: 10, Vehicle: 2, Station: 2, At: at("14:30")},                  // busy 13:30–16:15
		{ID: 11, Vehicle: 1, Station: 1, At: at("08:00"), Departure: true}, // busy 08:00–10:00
	}
	g := Groups(riders(1, 2, 1, "14:00"), 0)[0]
	var got []int64
	for _, v := range FreeVehicles(g, vs, runs, FillOptions{}) {
		got = append(got, v.ID)
	}
	if !slices.Equal(got, []int64{3, 1}) {
		t.Errorf("free at 14:00: %v, want [3 1]", got)
	}
	early := Groups(riders(1, 2, 1, "09:00"), 0)[0]
	got = nil
	for _, v := range FreeVehicles(early, vs, runs, FillOptions{}) {
		got = append(got, v.ID)
	}
	if !slices.Equal(got, []int64{2, 3}) {
		t.Errorf("free at 09:00: %v, want [2 3]", got)
	}
	if free := FreeVehicles(Groups([]Rider{rider(1, 1, "", 0)}, 0)[0], vs, nil, FillOptions{}); len(free) != 0 {
		t.Errorf("free for an untimed group: %v", free)
	}
}

// checkPlan holds every plan to the rules whatever the case: no vehicle
// over its seats, no vehicle in two places at once, no leg in two runs,
// and every leg of a group either carried or reported.
func checkPlan(t *testing.T, gs []Group, vehicles []Vehicle, existing []Run, o FillOptions, p Plan) {
	t.Helper()
	o = o.defaults()
	seatsOf := map[int64]int{}
	for _, g := range gs {
		for _, r := range g.Riders {
			if !r.Settled {
				seatsOf[r.Leg] = r.Seats()
			}
		}
	}
	capacity := map[int64]int{}
	for _, v := range vehicles {
		capacity[v.ID] = v.Seats
	}
	runs := map[int64]Run{}
	for _, r := range existing {
		runs[r.ID] = r
	}
	var all []Run
	carried := map[int64]int{}
	for _, r := range p.Runs {
		used := 0
		if r.ID != 0 {
			old, ok := runs[r.ID]
			if !ok {
				t.Errorf("plan adds to run %d, which does not exist", r.ID)
			}
			used = old.Seats
			delete(runs, r.ID)
		} else if len(r.Added) != len(r.Legs) {
			t.Errorf("new run %+v: added %v, legs %v", r, r.Added, r.Legs)
		}
		for _, l := range r.Added {
			used += seatsOf[l]
		}
		if used != r.Seats {
			t.Errorf("run %+v says %d seats, its passengers take %d", r, r.Seats, used)
		}
		if used > capacity[r.Vehicle] {
			t.Errorf("vehicle %d carries %d, it has %d seats", r.Vehicle, used, capacity[r.Vehicle])
		}
		all = append(all, r)
	}
	for _, r := range runs {
		all = append(all, r)
	}
	for i, a := range all {
		for _, l := range a.Legs {
			carried[l]++
		}
		for _, b := range all[i+1:] {
			if a.Vehicle != b.Vehicle {
				continue
			}
			a0, a1 := o.busy(a)
			b0, b1 := o.busy(b)
			if a0.Before(b1) && b0.Before(a1) {
				t.Errorf("vehicle %d out twice at once: %v and %v", a.Vehicle, a.At, b.At)
			}
		}
	}
	for _, u := range p.Unassigned {
		carried[u.Leg]++
	}
	for l := range seatsOf {
		if carried[l] != 1 {
			t.Errorf("leg %d carried or reported %d times", l, carried[l])
		}
	}
}

// TestFillNeverOver throws random arrivals, parties and fleets at Fill
// and holds every plan to checkPlan's rules.
func TestFillNeverOver(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2))
	for round := range 200 {
		var rs []Rider
		for i := range r.IntN(80) {
			when := fmt.Sprintf("%02d:%02d", 6+r.IntN(16), r.IntN(60))
			if r.IntN(15) == 0 {
				when = ""
			}
			companions := 0
			if r.IntN(5) == 0 {
				companions = r.IntN(12)
			}
			rs = append(rs, rider(int64(i+1), int64(r.IntN(3)), when, companions))
			rs[len(rs)-1].Settled = r.IntN(10) == 0
		}
		var vs []Vehicle
		for i := range r.IntN(6) {
			vs = append(vs, Vehicle{ID: int64(i + 1), Seats: []int{4, 4, 6, 8, 12, 40}[r.IntN(6)]})
		}
		o := FillOptions{Window: time.Duration(15+r.IntN(90)) * time.Minute, RoundTrip: time.Duration(r.IntN(240)) * time.Minute,
			Departure: r.IntN(3) == 0, Lead: time.Duration(r.IntN(200)) * time.Minute}
		gs := Groups(rs, o.Window)
		var existing []Run
		if len(vs) > 0 && len(gs) > 0 && gs[0].Timed() && gs[0].Station != 0 {
			g := gs[0]
			existing = append(existing, Run{ID: 99, Vehicle: vs[0].ID, Station: g.Station, Departure: o.Departure,
				At: o.runAt(g), Legs: []int64{g.Riders[0].Leg}, Seats: min(g.Riders[0].Seats(), vs[0].Seats)})
			if g.Riders[0].Seats() > vs[0].Seats {
				existing = nil
			}
		}
		p := Fill(gs, vs, existing, o)
		t.Run(fmt.Sprint(round), func(t *testing.T) { checkPlan(t, gs, vs, existing, o, p) })
	}
}

// BenchmarkGroupFill groups and fills 3,000 arrivals at three stations
// over two days with a fleet of 40 vehicles (issue 12 aims under 200 ms).
func BenchmarkGroupFill(b *testing.B) {
	r := rand.New(rand.NewPCG(3000, 12))
	rs := make([]Rider, 3000)
	for i := range rs {
		when := fmt.Sprintf("%02d:%02d", 6+r.IntN(16), r.IntN(60))
		if i%2 == 1 {
			when = "d2 " + when
		}
		companions := 0
		if r.IntN(8) == 0 {
			companions = 1 + r.IntN(2)
		}
		rs[i] = rider(int64(i+1), int64(1+r.IntN(3)), when, companions)
	}
	var vs []Vehicle
	for i := range 40 {
		vs = append(vs, Vehicle{ID: int64(i + 1), Seats: []int{4, 4, 4, 7, 12, 45}[i%6]})
	}
	b.ReportAllocs()
	for b.Loop() {
		p := Fill(Groups(rs, 0), vs, nil, FillOptions{})
		if len(p.Runs) == 0 {
			b.Fatal("no runs")
		}
	}
}
