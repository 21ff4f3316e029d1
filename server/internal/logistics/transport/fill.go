package transport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/logistics"
	"huiwu/server/internal/store"
)

// FillRequest asks vehicles for a day's groups (at one station, or all).
type FillRequest struct {
	Query
	RoundTrip time.Duration // 0: logistics.DefaultRoundTrip
	Lead      time.Duration // departures; 0: logistics.DefaultLead
	// Plan is the id a dry run answered; applying takes it, and refuses
	// when the plan is no longer the one the desk looked at.
	Plan string
}

// Errors of a fill.
var (
	ErrNoPlan      = errors.New("transport: apply a fill after its preview (plan id missing)")
	ErrPlanChanged = errors.New("transport: the plan changed since its preview")
)

// FillAnswer is a fill's plan, or what was stored of it.
type FillAnswer struct {
	Plan       string     `json:"plan"`
	Applied    bool       `json:"applied"`
	Runs       []FillRun  `json:"runs"`
	Unassigned []FillLeft `json:"unassigned"`
	Seated     int        `json:"seated"` // people given a seat, companions apart
	Left       int        `json:"left"`   // people left without one
}

// FillRun is a run the fill makes, or a desk's run it adds to (RunID
// set; once applied, every run has its id).
type FillRun struct {
	RunID     int64     `json:"run_id,omitempty"`
	VehicleID int64     `json:"vehicle_id"`
	StationID int64     `json:"station_id"`
	At        time.Time `json:"at"`
	Group     string    `json:"group"`
	Legs      []int64   `json:"legs"`
	Added     []int64   `json:"added"`
	Seats     int       `json:"seats"`
	Capacity  int       `json:"capacity"`
}

// FillLeft is a person the fill found no seat for, and why, in words.
type FillLeft struct {
	LegID   int64  `json:"leg_id"`
	Name    string `json:"name"`
	Group   string `json:"group"`
	Seats   int    `json:"seats"`
	Reason  string `json:"reason"`
	Message Words  `json:"message"`
}

// Words are a sentence in Chinese and English.
type Words struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

var reasonWords = map[string]Words{
	logistics.ReasonNoTime:    {"时间未定，无法派车", "no time known: no vehicle can be sent"},
	logistics.ReasonNoStation: {"站点未定，无法派车", "no station known: no vehicle can be sent"},
	logistics.ReasonTooLarge:  {"同行人数超过任何一辆车的座位", "the party needs more seats than any vehicle has"},
	logistics.ReasonNoVehicle: {"该时段没有空余的车辆或座位", "no vehicle or seat is free at that time"},
}

// Fill plans vehicles for req's groups (a dry run), or, with apply,
// plans again and stores the plan in one transaction if it is still the
// one previewed (ErrPlanChanged if not).
func Fill(ctx context.Context, db *store.DB, loc *time.Location, req FillRequest, apply bool, now time.Time, actor string) (*FillAnswer, error) {
	if apply && req.Plan == "" {
		return nil, ErrNoPlan
	}
	d, err := read(ctx, db, loc, req.Query, now)
	if err != nil {
		return nil, err
	}
	vehicles, fleet, existing, err := d.fleet(ctx, db)
	if err != nil {
		return nil, err
	}
	seats := map[int64]int{}
	for _, v := range vehicles {
		seats[v.ID] = v.Seats
	}
	groups := make([]logistics.Group, len(d.groups))
	names := map[int64]string{}
	for i, g := range d.groups {
		groups[i] = g.group
		for _, r := range g.Riders {
			names[r.LegID] = r.Name
		}
	}
	o := logistics.FillOptions{Window: d.q.Window, RoundTrip: req.RoundTrip, Departure: d.q.Direction == store.Departure, Lead: req.Lead}
	plan := logistics.Fill(groups, fleet, existing, o)
	ans := answer(plan, seats, names)
	if !apply {
		return ans, nil
	}
	if ans.Plan != req.Plan {
		return ans, ErrPlanChanged
	}
	plans := make([]store.RunPlan, len(plan.Runs))
	for i, r := range plan.Runs {
		plans[i] = store.RunPlan{Run: store.Run{ID: r.ID, VehicleID: r.Vehicle, Direction: d.q.Direction, StationID: r.Station, At: r.At},
			Add: r.Added}
	}
	stored, err := db.ApplyRuns(ctx, plans, actor)
	if err != nil {
		return nil, err
	}
	for i := range ans.Runs {
		ans.Runs[i].RunID = stored[i].ID
	}
	ans.Applied = true
	return ans, nil
}

// fleet reads the vehicles, as they are and as package logistics takes
// them, and every run around the day: each keeps its vehicle busy,
// whatever its direction or station.
func (d *day) fleet(ctx context.Context, db *store.DB) ([]store.Vehicle, []logistics.Vehicle, []logistics.Run, error) {
	vehicles, err := db.Vehicles(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	fleet := make([]logistics.Vehicle, len(vehicles))
	for i, v := range vehicles {
		fleet[i] = logistics.Vehicle{ID: v.ID, Seats: v.Seats}
	}
	runs, err := db.Runs(ctx, store.RunFilter{From: d.start.Add(-24 * time.Hour), To: d.start.Add(48 * time.Hour)})
	if err != nil {
		return nil, nil, nil, err
	}
	existing := make([]logistics.Run, len(runs))
	for i, r := range runs {
		existing[i] = logistics.Run{ID: r.ID, Vehicle: r.VehicleID, Station: r.StationID, Departure: r.Direction == store.Departure,
			At: r.At.In(d.loc), Legs: r.Legs, Seats: r.Seats}
	}
	return vehicles, fleet, existing, nil
}

// answer words a plan and gives it its id: a digest of every run and
// every person left, so that the same plan has the same id.
func answer(p logistics.Plan, seats map[int64]int, names map[int64]string) *FillAnswer {
	a := &FillAnswer{Runs: []FillRun{}, Unassigned: []FillLeft{}}
	h := sha256.New()
	for _, r := range p.Runs {
		a.Runs = append(a.Runs, FillRun{RunID: r.ID, VehicleID: r.Vehicle, StationID: r.Station, At: r.At, Group: r.Group,
			Legs: r.Legs, Added: r.Added, Seats: r.Seats, Capacity: seats[r.Vehicle]})
		a.Seated += len(r.Added)
		fmt.Fprintf(h, "run %d %d %d %d %v %v\n", r.ID, r.Vehicle, r.Station, r.At.Unix(), r.Legs, r.Added)
	}
	for _, u := range p.Unassigned {
		a.Unassigned = append(a.Unassigned, FillLeft{LegID: u.Leg, Name: names[u.Leg], Group: u.Group, Seats: u.Seats,
			Reason: u.Reason, Message: reasonWords[u.Reason]})
		fmt.Fprintf(h, "left %d %s\n", u.Leg, u.Reason)
	}
	a.Left = len(p.Unassigned)
	a.Plan = hex.EncodeToString(h.Sum(nil))[:16]
	return a
}
