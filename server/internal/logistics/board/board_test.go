package board_test

import (
	"testing"
	"time"

	"huiwu/server/internal/logistics/board"
	"huiwu/server/internal/store"
)

var now = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

func at(hm string) *time.Time {
	t, err := time.Parse("15:04", hm)
	if err != nil {
		panic(err)
	}
	v := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	return &v
}

func row(id int64, dir, state string, when *time.Time, station int64, companions int) store.TravelRow {
	return store.TravelRow{Leg: store.Leg{ID: id, AttendeeID: id, Direction: dir, Mode: "flight", State: state, At: when,
		StationID: station, OnDate: "2026-03-04", Companions: companions}, Traveller: store.Traveller{Name: "人" + string(rune('A'+id))}}
}

// TestStatus: an arrival past its time and not picked up is 延误 (late); one
// without a time never is; a departure is never late (people leave on
// their own); the recorded states stand as they are.
func TestStatus(t *testing.T) {
	for _, c := range []struct {
		dir, state string
		at         *time.Time
		want       string
	}{
		{store.Arrival, "expected", at("15:00"), board.Waiting},
		{store.Arrival, "expected", at("13:59"), board.Late},
		{store.Arrival, "expected", nil, board.Waiting},
		{store.Arrival, "picked_up", at("13:00"), board.PickedUp},
		{store.Arrival, "missed", at("13:00"), board.Missed},
		{store.Arrival, "changed", at("13:00"), board.Changed},
		{store.Departure, "expected", at("13:00"), board.Waiting},
		{store.Departure, "departed", at("13:00"), board.Departed},
	} {
		l := store.Leg{Direction: c.dir, Mode: "flight", State: c.state, At: c.at}
		if got := board.Status(l, now); got != c.want {
			t.Errorf("%s %s at %v: %s, want %s", c.dir, c.state, c.at, got, c.want)
		}
	}
	// By car or the delegation's coach: nobody meets them, nobody is late.
	for _, mode := range []string{"car", "other"} {
		if got := board.Status(store.Leg{Direction: store.Arrival, Mode: mode, State: "expected", At: at("09:00")}, now); got != board.Own {
			t.Errorf("an arrival by %s is %s", mode, got)
		}
	}
}

// TestBuild: arrivals by station in the stations' order (legs without a
// station last), counts over the whole day with companions, and rows
// only for the hours ahead, the late (however late), the recently
// handled and those whose time is unknown; departures of the rest of
// the day.
func TestBuild(t *testing.T) {
	stations := []store.Station{{ID: 2, Name: "北京南站", Sort: 1}, {ID: 1, Name: "首都机场", Sort: 2}, {ID: 3, Name: "大兴机场", Sort: 3}}
	own := row(11, store.Arrival, "expected", at("09:30"), 0, 0)
	own.Mode = "car"
	in := board.Input{
		Stations: stations,
		Arrivals: []store.TravelRow{
			row(1, store.Arrival, "expected", at("08:00"), 1, 0),  // late, long ago: shown
			row(2, store.Arrival, "picked_up", at("09:00"), 1, 2), // handled long ago: counted only
			row(3, store.Arrival, "picked_up", at("13:30"), 1, 0), // handled lately: shown
			row(4, store.Arrival, "expected", at("15:30"), 1, 1),  // ahead: shown
			row(5, store.Arrival, "expected", at("20:00"), 1, 0),  // beyond the hours: counted only
			row(6, store.Arrival, "expected", nil, 1, 0),          // time unknown: shown
			row(7, store.Arrival, "missed", at("10:00"), 2, 0),
			row(8, store.Arrival, "expected", at("14:30"), 0, 0), // no station
			own, // by car: counted only
		},
		Departures: []store.TravelRow{
			row(9, store.Departure, "departed", at("11:00"), 2, 0),
			row(10, store.Departure, "expected", at("16:00"), 2, 0),
		},
	}
	b := board.Build(in, now, 4)
	if c := b.Arrivals[2].Counts; c.Own != 1 || c.Waiting != 1 || len(b.Arrivals[2].Rows) != 1 {
		t.Errorf("no station: %+v, %d rows", c, len(b.Arrivals[2].Rows))
	}
	if len(b.Arrivals) != 3 {
		t.Fatalf("arrival groups: %+v", b.Arrivals)
	}
	if b.Arrivals[0].Station.ID != 2 || b.Arrivals[1].Station.ID != 1 || b.Arrivals[2].Station.ID != 0 {
		t.Errorf("group order: %d %d %d", b.Arrivals[0].Station.ID, b.Arrivals[1].Station.ID, b.Arrivals[2].Station.ID)
	}
	airport := b.Arrivals[1]
	want := board.Counts{Total: 6, People: 9, PickedUp: 2, Waiting: 3, WaitingPeople: 5, Late: 1}
	if airport.Counts != want {
		t.Errorf("airport counts %+v, want %+v", airport.Counts, want)
	}
	var shown []int64
	for _, r := range airport.Rows {
		shown = append(shown, r.ID)
	}
	if len(shown) != 4 || shown[0] != 1 || shown[1] != 3 || shown[2] != 4 || shown[3] != 6 {
		t.Errorf("airport rows %v, want [1 3 4 6]", shown)
	}
	if airport.Rows[0].Status != board.Late {
		t.Errorf("row 1 is %s", airport.Rows[0].Status)
	}
	if b.Arrivals[0].Counts.Missed != 1 || b.Arrivals[2].Station.Name == "" {
		t.Errorf("rail %+v, none %+v", b.Arrivals[0].Counts, b.Arrivals[2].Station)
	}
	if len(b.Departures) != 1 || b.Departures[0].Counts.Departed != 1 || len(b.Departures[0].Rows) != 1 || b.Departures[0].Rows[0].ID != 10 {
		t.Errorf("departures %+v", b.Departures)
	}
	if b.Hours != 4 || !b.Now.Equal(now) {
		t.Errorf("hours %d now %v", b.Hours, b.Now)
	}
}
