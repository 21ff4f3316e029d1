// Package transport is the secretariat's pickups and drop-offs (issue
// 12.2, and 12.6's departures grouped the same way): the day's arrivals
// or departures grouped by station and window with the vehicles sent for
// them (the 接站一览表), vehicles filled automatically, and the printed
// sheets per station and per vehicle. It joins what the store reads with
// what package logistics decides; the web handlers call one function here
// each.
package transport

import (
	"context"
	"errors"
	"slices"
	"time"

	"huiwu/server/internal/logistics"
	"huiwu/server/internal/store"
)

// Query picks a day's travel in one direction.
type Query struct {
	Direction string // store.Arrival (the default) or store.Departure
	// Date is the day (YYYY-MM-DD, the event's zone); "" is the first day
	// with travel from today on, else the last day with any.
	Date    string
	Station int64         // 0 for every station
	Window  time.Duration // the groups' window; 0 is logistics.DefaultWindow
}

// ErrBadQuery is a direction or date that is not one.
var ErrBadQuery = errors.New("transport: bad query")

// View is a day's 接站一览表 (or its departures) as the page shows it.
type View struct {
	Direction string          `json:"direction"`
	Date      string          `json:"date"`
	Dates     []string        `json:"dates"`  // days with travel in this direction
	Window    int             `json:"window"` // minutes
	Stations  []store.Station `json:"stations"`
	Groups    []GroupView     `json:"groups"`
	// SelfDrive counts those coming or going by car on their own (自驾):
	// nobody meets them.
	SelfDrive int `json:"self_drive"`
	// Own counts those coming some other way and to no station (with
	// their delegation's coach, say): nobody meets them either.
	Own      int                    `json:"own"`
	Runs     []store.Run            `json:"runs"`
	Vehicles []store.Vehicle        `json:"vehicles"`
	Contact  store.TransportContact `json:"contact"`
}

// GroupView is one group with its people and the runs that carry them.
type GroupView struct {
	Key        string      `json:"key"`
	StationID  int64       `json:"station_id"`
	Date       string      `json:"date"`
	From       *time.Time  `json:"from,omitempty"` // absent: no time known
	To         *time.Time  `json:"to,omitempty"`
	People     int         `json:"people"`
	Companions int         `json:"companions"`
	Seats      int         `json:"seats"`
	Unseated   int         `json:"unseated"` // seats still needed: riders on no run, not settled
	Riders     []RiderView `json:"riders"`
	Runs       []int64     `json:"runs"` // runs carrying any of them
	// Free lists, smallest first, the vehicles no run keeps busy when a
	// run for the group would go (default round trip and lead).
	Free  []int64 `json:"free"`
	group logistics.Group
}

// RiderView is one person of a group. It carries no phone: the desk
// decides only whether drivers get it (PhoneToDriver).
type RiderView struct {
	LegID         int64      `json:"leg_id"`
	AttendeeID    int64      `json:"attendee_id"`
	Name          string     `json:"name"`
	Organization  string     `json:"organization,omitempty"`
	Delegation    string     `json:"delegation,omitempty"`
	CategoryName  string     `json:"category_name,omitempty"`
	Mode          string     `json:"mode,omitempty"`
	Number        string     `json:"number,omitempty"`
	At            *time.Time `json:"at,omitempty"`
	Companions    int        `json:"companions"`
	State         string     `json:"state"`
	RunID         int64      `json:"run_id,omitempty"`
	PhoneToDriver bool       `json:"phone_to_driver"`
	row           store.TravelRow
}

// day is one day's travel read and grouped.
type day struct {
	q        Query
	loc      *time.Location
	start    time.Time // the day's midnight in the event's zone
	dates    []string
	groups   []GroupView
	self     int
	own      int
	stations []store.Station
}

// read reads q's day: the legs of active attendees, grouped.
func read(ctx context.Context, db *store.DB, loc *time.Location, q Query, now time.Time) (*day, error) {
	if q.Direction == "" {
		q.Direction = store.Arrival
	}
	if q.Direction != store.Arrival && q.Direction != store.Departure {
		return nil, ErrBadQuery
	}
	if q.Window <= 0 {
		q.Window = logistics.DefaultWindow
	}
	rows, err := db.TravelRows(ctx, store.LegFilter{Direction: q.Direction})
	if err != nil {
		return nil, err
	}
	d := &day{q: q, loc: loc}
	for _, r := range rows {
		if r.OnDate != "" && !slices.Contains(d.dates, r.OnDate) {
			d.dates = append(d.dates, r.OnDate)
		}
	}
	slices.Sort(d.dates)
	if d.q.Date == "" {
		d.q.Date = firstDay(d.dates, now.In(loc).Format(time.DateOnly))
	}
	if d.start, err = time.ParseInLocation(time.DateOnly, d.q.Date, loc); err != nil {
		return nil, ErrBadQuery
	}
	phones, err := db.DriverPhones(ctx)
	if err != nil {
		return nil, err
	}
	var riders []logistics.Rider
	views := map[int64]RiderView{}
	for _, r := range rows {
		if r.OnDate != d.q.Date || (q.Station != 0 && r.StationID != q.Station) {
			continue
		}
		switch {
		case r.Mode == "car":
			d.self++
			continue
		case r.Mode == "other" && r.StationID == 0:
			d.own++
			continue
		}
		var at time.Time
		var shown *time.Time
		if r.At != nil {
			at = r.At.In(loc)
			shown = &at
		}
		riders = append(riders, logistics.Rider{Leg: r.ID, Attendee: r.AttendeeID, Station: r.StationID, Date: r.OnDate,
			At: at, Companions: r.Companions, Settled: r.State != "expected"})
		_, toDriver := phones[r.AttendeeID]
		views[r.ID] = RiderView{LegID: r.ID, AttendeeID: r.AttendeeID, Name: r.Name, Organization: r.Organization,
			Delegation: r.Delegation, CategoryName: r.CategoryName, Mode: r.Mode, Number: r.Number, At: shown,
			Companions: r.Companions, State: r.State, RunID: r.RunID, PhoneToDriver: toDriver, row: r}
	}
	for _, g := range logistics.Groups(riders, q.Window) {
		gv := GroupView{Key: g.Key, StationID: g.Station, Date: g.Date, People: g.People, Companions: g.Companions,
			Seats: g.Seats(), Riders: []RiderView{}, Runs: []int64{}, group: g}
		if g.Timed() {
			from, to := g.From, g.To
			gv.From, gv.To = &from, &to
		}
		for _, r := range g.Riders {
			v := views[r.Leg]
			gv.Riders = append(gv.Riders, v)
			if v.RunID != 0 && !slices.Contains(gv.Runs, v.RunID) {
				gv.Runs = append(gv.Runs, v.RunID)
			}
			if v.RunID == 0 && !r.Settled {
				gv.Unseated += r.Seats()
			}
		}
		d.groups = append(d.groups, gv)
	}
	if d.stations, err = db.Stations(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// firstDay is the first of dates on or after today, else the last one,
// else today.
func firstDay(dates []string, today string) string {
	for _, d := range dates {
		if d >= today {
			return d
		}
	}
	if len(dates) > 0 {
		return dates[len(dates)-1]
	}
	return today
}

// runs reads the runs of the day's direction that carry its riders or,
// empty, start that day (a departure run up to half a day before).
func (d *day) runs(ctx context.Context, db *store.DB) ([]store.Run, error) {
	from, to := d.start, d.start.AddDate(0, 0, 1)
	if d.q.Direction == store.Departure {
		from = from.Add(-12 * time.Hour)
	}
	all, err := db.Runs(ctx, store.RunFilter{Direction: d.q.Direction, StationID: d.q.Station,
		From: d.start.Add(-24 * time.Hour), To: to.Add(24 * time.Hour)})
	if err != nil {
		return nil, err
	}
	ours := map[int64]bool{}
	for _, g := range d.groups {
		for _, r := range g.Runs {
			ours[r] = true
		}
	}
	out := []store.Run{}
	for _, r := range all {
		if ours[r.ID] || (len(r.Legs) == 0 && !r.At.Before(from) && r.At.Before(to)) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Load reads q's day as the page shows it.
func Load(ctx context.Context, db *store.DB, loc *time.Location, q Query, now time.Time) (*View, error) {
	d, err := read(ctx, db, loc, q, now)
	if err != nil {
		return nil, err
	}
	v := &View{Direction: d.q.Direction, Date: d.q.Date, Dates: d.dates, Window: int(d.q.Window / time.Minute),
		Stations: d.stations, Groups: d.groups, SelfDrive: d.self, Own: d.own}
	if v.Dates == nil {
		v.Dates = []string{}
	}
	if v.Groups == nil {
		v.Groups = []GroupView{}
	}
	if v.Runs, err = d.runs(ctx, db); err != nil {
		return nil, err
	}
	var fleet []logistics.Vehicle
	var busy []logistics.Run
	if v.Vehicles, fleet, busy, err = d.fleet(ctx, db); err != nil {
		return nil, err
	}
	o := logistics.FillOptions{Window: d.q.Window, Departure: d.q.Direction == store.Departure}
	for i := range v.Groups {
		v.Groups[i].Free = []int64{}
		for _, f := range logistics.FreeVehicles(v.Groups[i].group, fleet, busy, o) {
			v.Groups[i].Free = append(v.Groups[i].Free, f.ID)
		}
	}
	if v.Contact, err = db.TransportContact(ctx); err != nil {
		return nil, err
	}
	return v, nil
}
