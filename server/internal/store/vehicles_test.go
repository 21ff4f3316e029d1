package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// transportSetup is the small meeting with a station, arrivals for d1
// (one companion), d2 and d3 (two companions) at 14:00–14:20, a departure
// for d1, a car of 4 and a van of 7.
func transportSetup(t *testing.T) (db *store.DB, legs map[string]int64, car, van store.Vehicle, station int64) {
	t.Helper()
	ctx := context.Background()
	db, ids := small(t)
	st, err := db.SaveStation(ctx, store.Station{Code: "pek", Name: "首都机场", Kind: "airport"}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	legs = map[string]int64{}
	base := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	for i, p := range []struct {
		key        string
		companions int
	}{{"d1", 1}, {"d2", 0}, {"d3", 2}} {
		at := base.Add(time.Duration(i) * 10 * time.Minute)
		l, err := db.SaveLeg(ctx, store.Leg{AttendeeID: ids[p.key], Direction: store.Arrival, Mode: "flight", Number: "CA123" + p.key,
			StationID: st.ID, OnDate: "2026-12-01", At: &at, Companions: p.companions}, "test")
		if err != nil {
			t.Fatal(err)
		}
		legs[p.key] = l.ID
	}
	back := base.Add(48 * time.Hour)
	l, err := db.SaveLeg(ctx, store.Leg{AttendeeID: ids["d1"], Direction: store.Departure, Mode: "train", Number: "G1",
		StationID: st.ID, OnDate: "2026-12-03", At: &back, Companions: 1}, "test")
	if err != nil {
		t.Fatal(err)
	}
	legs["d1-back"] = l.ID
	if car, err = db.SaveVehicle(ctx, store.Vehicle{Code: "car1", Kind: "car", Seats: 4, Plate: "京A12345", Driver: "王师傅", DriverPhone: "13800000001"}, "test"); err != nil {
		t.Fatal(err)
	}
	if van, err = db.SaveVehicle(ctx, store.Vehicle{Code: "van1", Kind: "van", Seats: 7, Plate: "京B67890", Driver: "李师傅"}, "test"); err != nil {
		t.Fatal(err)
	}
	return db, legs, car, van, st.ID
}

func audits(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	var n int
	if err := db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVehicles: vehicles are made, changed and listed; a code is one
// vehicle's; a vehicle with runs stays; every change is audited and tells
// the logistics board.
func TestVehicles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, legs, car, van, station := transportSetup(t)
	changes := 0
	db.OnChange(func(c store.Change) {
		if c.Logistics {
			changes++
		}
	})
	if _, err := db.SaveVehicle(ctx, store.Vehicle{Code: "car1", Kind: "car", Seats: 4}, "test"); !errors.Is(err, store.ErrVehicleCode) {
		t.Errorf("a second car1: %v", err)
	}
	for _, bad := range []store.Vehicle{{Code: "x", Kind: "boat", Seats: 4}, {Code: "y", Kind: "car", Seats: 0}, {Code: "z", Kind: "bus", Seats: 101}} {
		if _, err := db.SaveVehicle(ctx, bad, "test"); !errors.Is(err, store.ErrBadVehicle) {
			t.Errorf("%+v saved: %v", bad, err)
		}
	}
	car.Seats, car.Driver = 5, "王建国"
	got, err := db.SaveVehicle(ctx, car, "test")
	if err != nil || got.ID != car.ID || got.Seats != 5 || got.Driver != "王建国" {
		t.Fatalf("changed: %+v %v", got, err)
	}
	all, err := db.Vehicles(ctx)
	if err != nil || len(all) != 2 || all[0].Code != "car1" || all[1].Code != "van1" {
		t.Fatalf("vehicles: %+v %v", all, err)
	}

	at := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	run, err := db.CreateRun(ctx, store.Run{VehicleID: van.ID, Direction: store.Arrival, StationID: station, At: at, Legs: []int64{legs["d2"]}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveVehicle(ctx, van.ID, "test"); !errors.Is(err, store.ErrVehicleHasRuns) {
		t.Errorf("a vehicle with a run removed: %v", err)
	}
	if err := db.RemoveRun(ctx, run.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveVehicle(ctx, van.ID, "test"); err != nil {
		t.Fatalf("remove a vehicle without runs: %v", err)
	}
	if err := db.RemoveVehicle(ctx, van.ID, "test"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removed twice: %v", err)
	}
	if n := audits(t, db, "vehicle.save"); n != 3 {
		t.Errorf("%d vehicle.save audited, want 3", n)
	}
	if n := audits(t, db, "vehicle.remove"); n != 1 {
		t.Errorf("%d vehicle.remove audited, want 1", n)
	}
	if changes != 4 {
		t.Errorf("%d logistics changes announced, want 4 (save, run, run removed, vehicle removed)", changes)
	}
}

// TestRuns: a run carries legs of its direction and station up to its
// vehicle's seats, companions counted; a passenger moves between runs or
// off; a vehicle cannot lose seats its runs fill; a removed run frees its
// passengers.
func TestRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, legs, car, van, station := transportSetup(t)
	at := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	run, err := db.CreateRun(ctx, store.Run{VehicleID: car.ID, Direction: store.Arrival, StationID: station, At: at,
		Legs: []int64{legs["d1"], legs["d2"]}}, "test")
	if err != nil || run.Seats != 3 || len(run.Legs) != 2 || run.State != "planned" {
		t.Fatalf("run: %+v %v", run, err)
	}
	var cap *store.CapacityError
	if _, err := db.CreateRun(ctx, store.Run{VehicleID: car.ID, Direction: store.Arrival, StationID: station, At: at,
		Legs: []int64{legs["d3"], legs["d2"]}}, "test"); !errors.Is(err, store.ErrLegTaken) {
		t.Errorf("a leg on two runs: %v", err)
	}
	if err := db.MoveLeg(ctx, legs["d3"], run.ID, "test"); !errors.As(err, &cap) || cap.Seats != 4 || cap.Need != 6 {
		t.Errorf("over the car's seats: %v (%+v)", err, cap)
	}
	if err := db.MoveLeg(ctx, legs["d1-back"], run.ID, "test"); !errors.Is(err, store.ErrLegMismatch) {
		t.Errorf("a departure on an arrival run: %v", err)
	}
	other, err := db.SaveStation(ctx, store.Station{Code: "bjn", Name: "北京南站", Kind: "rail"}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateRun(ctx, store.Run{VehicleID: van.ID, Direction: store.Arrival, StationID: other.ID, At: at,
		Legs: []int64{legs["d3"]}}, "test"); !errors.Is(err, store.ErrLegMismatch) {
		t.Errorf("a leg at another station: %v", err)
	}
	vrun, err := db.CreateRun(ctx, store.Run{VehicleID: van.ID, Direction: store.Arrival, StationID: station, At: at}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MoveLeg(ctx, legs["d2"], vrun.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.MoveLeg(ctx, legs["d3"], vrun.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Run(ctx, run.ID); got.Seats != 2 || len(got.Legs) != 1 {
		t.Errorf("the car after d2 moved: %+v", got)
	}
	if got, _ := db.Run(ctx, vrun.ID); got.Seats != 4 || len(got.Legs) != 2 {
		t.Errorf("the van: %+v", got)
	}
	van.Seats = 3
	if _, err := db.SaveVehicle(ctx, van, "test"); !errors.As(err, &cap) {
		t.Errorf("the van shrunk below its passengers: %v", err)
	}
	if err := db.MoveLeg(ctx, legs["d3"], 0, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Run(ctx, vrun.ID); got.Seats != 1 {
		t.Errorf("the van after d3 got off: %+v", got)
	}
	later := at.Add(time.Hour)
	moved, err := db.ChangeRun(ctx, run.ID, store.RunChange{VehicleID: van.ID, At: &later, State: "out"}, "test")
	if err != nil || moved.VehicleID != van.ID || !moved.At.Equal(later) || moved.State != "out" {
		t.Errorf("changed: %+v %v", moved, err)
	}
	if err := db.RemoveRun(ctx, run.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if l, err := db.Leg(ctx, legs["d1"]); err != nil || l.ID == 0 {
		t.Errorf("the leg went with its run: %v", err)
	}
	runs, err := db.Runs(ctx, store.RunFilter{Direction: store.Arrival})
	if err != nil || len(runs) != 1 || runs[0].ID != vrun.ID {
		t.Errorf("runs left: %+v %v", runs, err)
	}
	for _, a := range []string{"run.create", "run.move", "run.change", "run.remove"} {
		if audits(t, db, a) == 0 {
			t.Errorf("%s not audited", a)
		}
	}
}

// TestApplyRuns: a fill is stored in one transaction: new runs and
// passengers added to the desk's runs, or, when any of it no longer holds
// (a seat gone, a leg taken meanwhile), nothing at all.
func TestApplyRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, legs, car, van, station := transportSetup(t)
	at := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	desk, err := db.CreateRun(ctx, store.Run{VehicleID: car.ID, Direction: store.Arrival, StationID: station, At: at,
		Legs: []int64{legs["d1"]}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	count := func() (runs, riders int) {
		db.ForTest().R.QueryRow(`SELECT (SELECT count(*) FROM vehicle_runs), (SELECT count(*) FROM run_passengers)`).Scan(&runs, &riders)
		return
	}
	bad := []store.RunPlan{
		{Run: store.Run{VehicleID: van.ID, Direction: store.Arrival, StationID: station, At: at}, Add: []int64{legs["d2"]}},
		{Run: store.Run{ID: desk.ID}, Add: []int64{legs["d3"]}}, // 2 + 3 seats in a car of 4
	}
	if _, err := db.ApplyRuns(ctx, bad, "test"); !errors.As(err, new(*store.CapacityError)) {
		t.Errorf("over capacity: %v", err)
	}
	if r, p := count(); r != 1 || p != 1 {
		t.Errorf("after a refused fill: %d runs, %d passengers; want 1, 1", r, p)
	}
	taken := []store.RunPlan{{Run: store.Run{VehicleID: van.ID, Direction: store.Arrival, StationID: station, At: at}, Add: []int64{legs["d3"], legs["d1"]}}}
	if _, err := db.ApplyRuns(ctx, taken, "test"); !errors.Is(err, store.ErrLegTaken) {
		t.Errorf("a leg taken meanwhile: %v", err)
	}
	good := []store.RunPlan{
		{Run: store.Run{VehicleID: van.ID, Direction: store.Arrival, StationID: station, At: at}, Add: []int64{legs["d3"]}},
		{Run: store.Run{ID: desk.ID}, Add: []int64{legs["d2"]}},
	}
	runs, err := db.ApplyRuns(ctx, good, "test")
	if err != nil || len(runs) != 2 || runs[0].Seats != 3 || runs[1].ID != desk.ID || runs[1].Seats != 3 {
		t.Fatalf("applied: %+v %v", runs, err)
	}
	if r, p := count(); r != 2 || p != 3 {
		t.Errorf("after the fill: %d runs, %d passengers; want 2, 3", r, p)
	}
	if audits(t, db, "run.fill") != 1 {
		t.Error("the fill is not audited once")
	}
}

// TestDriverPhones: the desk's leave to give a driver an attendee's
// phone is given and withdrawn; the drivers' contact is set.
func TestDriverPhones(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, legs, _, _, _ := transportSetup(t)
	d3, _ := db.Leg(ctx, legs["d3"])
	var phone string
	db.ForTest().R.QueryRow(`SELECT phone FROM attendees WHERE id = ?`, d3.AttendeeID).Scan(&phone)
	if err := db.SetPhoneToDriver(ctx, d3.AttendeeID, true, "test"); err != nil {
		t.Fatal(err)
	}
	if got, err := db.DriverPhones(ctx); err != nil || len(got) != 1 || got[d3.AttendeeID] != phone {
		t.Errorf("driver phones: %v %v", got, err)
	}
	if err := db.SetPhoneToDriver(ctx, d3.AttendeeID, false, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DriverPhones(ctx); len(got) != 0 {
		t.Errorf("withdrawn, still: %v", got)
	}
	if err := db.SetPhoneToDriver(ctx, 99999, true, "test"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no such attendee: %v", err)
	}
	if audits(t, db, "travel.driver_phone") != 2 {
		t.Error("not audited")
	}
	c, err := db.SetTransportContact(ctx, store.TransportContact{Name: "会务组 赵敏", Phone: "010-12345678"}, "test")
	if err != nil || c.Name != "会务组 赵敏" {
		t.Fatalf("contact: %+v %v", c, err)
	}
	if got, err := db.TransportContact(ctx); err != nil || got.Phone != "010-12345678" {
		t.Errorf("contact read back: %+v %v", got, err)
	}
}
