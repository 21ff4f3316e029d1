package logistics

import (
	"cmp"
	"slices"
	"time"
)

// Defaults of FillOptions.
const (
	// DefaultRoundTrip is a drive from the hotel to a station and back.
	DefaultRoundTrip = 2 * time.Hour
	// DefaultLead is how long before the first departure of a group its
	// vehicle leaves the hotel.
	DefaultLead = 150 * time.Minute
)

// Why a rider was left without a seat (Unassigned.Reason).
const (
	ReasonNoTime    = "no_time"    // no time of arrival: nobody knows when to go
	ReasonNoStation = "no_station" // no station: nobody knows where to go
	ReasonTooLarge  = "too_large"  // the party needs more seats than any vehicle has
	ReasonNoVehicle = "no_vehicle" // every vehicle is full or out at that time
)

// Vehicle is a car, van or bus, by its seats for passengers (the driver
// not counted).
type Vehicle struct {
	ID    int64
	Seats int
}

// Run is one trip of a vehicle to a station or from one: one the desk
// made (ID set) or one Fill plans.
type Run struct {
	ID        int64
	Vehicle   int64
	Station   int64
	Departure bool
	// At is when an arrival run meets its group's first arrival, or when
	// a departure run leaves the hotel for the station.
	At    time.Time
	Legs  []int64 // the passengers' legs
	Seats int     // seats taken, companions included
	// Group is the key of the group Fill filled the run for.
	Group string
	// Added lists the legs Fill put on the run: all of a new run's, the
	// newcomers on one the desk made.
	Added []int64
}

// Unassigned is a rider Fill found no seat for, and why.
type Unassigned struct {
	Leg    int64
	Group  string
	Seats  int
	Reason string
}

// Plan is what Fill proposes: new runs and runs the desk made with
// passengers added, and whoever is left without a seat.
type Plan struct {
	Runs       []Run
	Unassigned []Unassigned
}

// FillOptions shape a fill; zero values take the defaults.
type FillOptions struct {
	// Window is the groups' window (DefaultWindow): an arrival run waits
	// at the station that long after its first arrival.
	Window time.Duration
	// RoundTrip is the drive to the station and back (DefaultRoundTrip).
	RoundTrip time.Duration
	// Departure fills departures: a run leaves Lead (DefaultLead) before
	// its group's first departure.
	Departure bool
	Lead      time.Duration
}

func (o FillOptions) defaults() FillOptions {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.RoundTrip <= 0 {
		o.RoundTrip = DefaultRoundTrip
	}
	if o.Lead <= 0 {
		o.Lead = DefaultLead
	}
	return o
}

// runAt is when a run for g starts (see Run.At).
func (o FillOptions) runAt(g Group) time.Time {
	if o.Departure {
		return g.From.Add(-o.Lead)
	}
	return g.From
}

// busy is when a run keeps its vehicle: an arrival run drives out half
// the round trip before it meets the first arrival, waits the window, and
// drives back; a departure run leaves, drops its passengers and comes
// back.
func (o FillOptions) busy(r Run) (from, to time.Time) {
	if r.Departure {
		return r.At, r.At.Add(o.RoundTrip)
	}
	return r.At.Add(-o.RoundTrip / 2), r.At.Add(o.Window + o.RoundTrip/2)
}

// serves reports whether the desk's run r is one for group g: the same
// station and direction, and it carries one of the group or meets the
// group's window.
func (o FillOptions) serves(r *Run, g Group, inGroup map[int64]bool) bool {
	if r.Station != g.Station || r.Departure != o.Departure {
		return false
	}
	if slices.ContainsFunc(r.Legs, func(l int64) bool { return inGroup[l] }) {
		return true
	}
	anchor := r.At
	if o.Departure {
		anchor = anchor.Add(o.Lead)
	}
	return !anchor.Before(g.From) && anchor.Before(g.From.Add(o.Window))
}

// filler is one Fill's state: each vehicle's runs, old and new.
type filler struct {
	o        FillOptions
	vehicles []Vehicle // by seats, then id
	seats    map[int64]int
	runs     map[int64][]*Run // by vehicle
	largest  int
}

// Fill gives vehicles to groups. Larger groups choose first, so the
// larger vehicles go to them; a group goes in the smallest free vehicle
// that takes it whole, and only when none does is it spread over the
// fewest (largest first, its people in arrival order, a party never
// split). Runs the desk made are kept with their passengers, filled up
// first when they serve a group, and keep their vehicles busy. A vehicle
// is never given two runs at overlapping times (see FillOptions.busy) nor
// more passengers than seats. Riders already on a run stay where they are;
// the rest with no seat are reported with the reason.
func Fill(groups []Group, vehicles []Vehicle, existing []Run, o FillOptions) Plan {
	o = o.defaults()
	f := &filler{o: o, vehicles: slices.Clone(vehicles), seats: map[int64]int{}, runs: map[int64][]*Run{}}
	slices.SortFunc(f.vehicles, func(a, b Vehicle) int { return cmp.Or(cmp.Compare(a.Seats, b.Seats), cmp.Compare(a.ID, b.ID)) })
	for _, v := range vehicles {
		f.seats[v.ID] = v.Seats
		f.largest = max(f.largest, v.Seats)
	}
	carried := map[int64]bool{}
	var desk []*Run
	for _, r := range existing {
		r.Legs, r.Added = slices.Clone(r.Legs), nil
		desk = append(desk, &r)
		f.runs[r.Vehicle] = append(f.runs[r.Vehicle], &r)
		for _, l := range r.Legs {
			carried[l] = true
		}
	}
	slices.SortFunc(desk, func(a, b *Run) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })

	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(groups[b].Seats(), groups[a].Seats()), cmpTime(groups[a].From, groups[b].From))
	})
	reasons := make([]map[int64]string, len(groups))
	var made []*Run
	for _, gi := range order {
		g := groups[gi]
		reasons[gi] = map[int64]string{}
		var pending []Rider
		for _, r := range g.Riders {
			switch {
			case carried[r.Leg], r.Settled:
			case g.Station == 0:
				reasons[gi][r.Leg] = ReasonNoStation
			case !g.Timed():
				reasons[gi][r.Leg] = ReasonNoTime
			case r.Seats() > f.largest && f.largest > 0:
				reasons[gi][r.Leg] = ReasonTooLarge
			default:
				pending = append(pending, r)
			}
		}
		if len(pending) == 0 {
			continue
		}
		inGroup := map[int64]bool{}
		for _, r := range g.Riders {
			inGroup[r.Leg] = true
		}
		for _, r := range desk {
			if len(pending) > 0 && o.serves(r, g, inGroup) {
				if pending = f.board(r, pending); len(r.Added) > 0 && r.Group == "" {
					r.Group = g.Key
				}
			}
		}
		var runs []*Run
		runs, pending = f.newRuns(g, pending)
		made = append(made, runs...)
		for _, r := range pending {
			reasons[gi][r.Leg] = ReasonNoVehicle
		}
	}
	return f.plan(groups, desk, made, reasons)
}

// board seats riders on r while it has room, in their order, and answers
// those who did not fit.
func (f *filler) board(r *Run, riders []Rider) []Rider {
	var rest []Rider
	for _, p := range riders {
		if r.Seats+p.Seats() <= f.seats[r.Vehicle] {
			r.Legs = append(r.Legs, p.Leg)
			r.Added = append(r.Added, p.Leg)
			r.Seats += p.Seats()
		} else {
			rest = append(rest, p)
		}
	}
	return rest
}

// newRuns sends vehicles for the riders of g: one that takes them all,
// else the fewest, and more while some are left and vehicles are free.
func (f *filler) newRuns(g Group, riders []Rider) ([]*Run, []Rider) {
	tried := map[int64]bool{}
	var out []*Run
	for len(riders) > 0 {
		proto := Run{Station: g.Station, Departure: f.o.Departure, At: f.o.runAt(g), Group: g.Key}
		need := 0
		for _, r := range riders {
			need += r.Seats()
		}
		chosen := f.choose(need, proto, tried)
		if len(chosen) == 0 {
			break
		}
		for _, v := range chosen {
			tried[v.ID] = true
			r := proto
			r.Vehicle = v.ID
			riders = f.board(&r, riders)
			if len(r.Legs) > 0 {
				f.runs[v.ID] = append(f.runs[v.ID], &r)
				out = append(out, &r)
			}
		}
	}
	return out, riders
}

// choose picks vehicles free for a run like proto, not yet tried, for
// need seats: the smallest that has them all, else the largest ones until
// the seats suffice, the last of them swapped for the smallest that still
// covers what the others leave.
func (f *filler) choose(need int, proto Run, tried map[int64]bool) []Vehicle {
	var free []Vehicle // smallest first
	for _, v := range f.vehicles {
		if !tried[v.ID] && f.free(v.ID, proto) {
			free = append(free, v)
		}
	}
	if i := slices.IndexFunc(free, func(v Vehicle) bool { return v.Seats >= need }); i >= 0 {
		return free[i : i+1]
	}
	largest := slices.Clone(free)
	slices.SortStableFunc(largest, func(a, b Vehicle) int { return cmp.Compare(b.Seats, a.Seats) })
	var chosen []Vehicle
	total := 0
	for _, v := range largest {
		if total >= need {
			break
		}
		chosen = append(chosen, v)
		total += v.Seats
	}
	if n := len(chosen); n > 1 && total >= need {
		last := chosen[n-1]
		rest := need - (total - last.Seats)
		for _, v := range free {
			if v.Seats >= rest && !slices.Contains(chosen[:n-1], v) {
				chosen[n-1] = v
				break
			}
		}
	}
	return chosen
}

// FreeVehicles answers, smallest first, the vehicles no run keeps busy
// when a run for g would go (none for a group without a time): the ones
// the desk may send for it without a vehicle being in two places at once.
func FreeVehicles(g Group, vehicles []Vehicle, runs []Run, o FillOptions) []Vehicle {
	if !g.Timed() {
		return nil
	}
	o = o.defaults()
	f := &filler{o: o, runs: map[int64][]*Run{}}
	for _, r := range runs {
		f.runs[r.Vehicle] = append(f.runs[r.Vehicle], &r)
	}
	proto := Run{Station: g.Station, Departure: o.Departure, At: o.runAt(g)}
	out := []Vehicle{}
	for _, v := range vehicles {
		if f.free(v.ID, proto) {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b Vehicle) int { return cmp.Compare(a.Seats, b.Seats) })
	return out
}

// free reports whether vehicle id has no run overlapping one like r.
func (f *filler) free(id int64, r Run) bool {
	from, to := f.o.busy(r)
	for _, other := range f.runs[id] {
		a, b := f.o.busy(*other)
		if a.Before(to) && from.Before(b) {
			return false
		}
	}
	return true
}

// plan lists the runs made and the desk's runs added to, in time order,
// and the riders left, in the groups' order.
func (f *filler) plan(groups []Group, desk, made []*Run, reasons []map[int64]string) Plan {
	p := Plan{Runs: []Run{}, Unassigned: []Unassigned{}}
	for _, r := range desk {
		if len(r.Added) > 0 {
			p.Runs = append(p.Runs, *r)
		}
	}
	for _, r := range made {
		p.Runs = append(p.Runs, *r)
	}
	slices.SortStableFunc(p.Runs, func(a, b Run) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Station, b.Station)) })
	for gi, g := range groups {
		for _, r := range g.Riders {
			if why, ok := reasons[gi][r.Leg]; ok {
				p.Unassigned = append(p.Unassigned, Unassigned{Leg: r.Leg, Group: g.Key, Seats: r.Seats(), Reason: why})
			}
		}
	}
	return p
}
