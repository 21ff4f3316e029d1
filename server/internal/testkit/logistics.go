package testkit

// Logistics days: the pickup board's travel, the transport desk's own day
// and the demo hotel's guests.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// LogisticsDay is a demo server with two stations and travel legs for
// today made by the test (the demo's own travel may come later):
// arrivals at the airport half an hour late and in an hour (with a
// companion), one at the railway station in two hours, and a departure.
type LogisticsDay struct {
	Server            *Server
	Airport, Rail     store.Station
	Late, Soon, Rail1 store.Leg
	Leave             store.Leg
	People            []int64 // lodged, with phones: the first four travel
	Names             map[int64]string
	Phones            map[int64]string
	Loc               *time.Location
}

// NewLogisticsDay starts the demo server and adds the day's travel.
func NewLogisticsDay(t *testing.T) *LogisticsDay {
	t.Helper()
	srv := Serve(t)
	ctx := context.Background()
	db := srv.App.DB
	d := &LogisticsDay{Server: srv, Names: map[int64]string{}, Phones: map[int64]string{}, Loc: srv.App.Engine.Catalog().Location}
	var err error
	if d.Airport, err = db.SaveStation(ctx, store.Station{Code: "t-pek", Name: "测试首都机场", Kind: "airport", Sort: 1}, nil, "test"); err != nil {
		t.Fatal(err)
	}
	if d.Rail, err = db.SaveStation(ctx, store.Station{Code: "t-bjs", Name: "测试北京南站", Kind: "rail", Sort: 2}, nil, "test"); err != nil {
		t.Fatal(err)
	}
	// People with a hotel room and a phone, so that the test can look for
	// the phone where it must not be.
	rows, err := db.ForTest().R.Query(`SELECT a.id, a.name, a.phone FROM attendees a JOIN lodging l ON l.attendee_id = a.id
		WHERE a.status = 'active' AND a.phone <> '' ORDER BY a.id LIMIT 6`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var name, phone string
		if err := rows.Scan(&id, &name, &phone); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		d.Names[id], d.Phones[id] = name, phone
	}
	rows.Close()
	d.People = ids
	if len(ids) < 6 {
		t.Fatalf("the demo has %d lodged people with phones", len(ids))
	}
	now := time.Now().Truncate(time.Minute)
	today := now.In(d.Loc).Format(time.DateOnly)
	leg := func(who int64, dir, number string, station store.Station, at time.Time, companions int) store.Leg {
		l, err := db.SaveLeg(ctx, store.Leg{AttendeeID: who, Direction: dir, Mode: "flight", Number: number,
			StationID: station.ID, OnDate: today, At: &at, Companions: companions}, "test")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	d.Late = leg(ids[0], store.Arrival, "CA1234", d.Airport, now.Add(-30*time.Minute), 0)
	d.Soon = leg(ids[1], store.Arrival, "MU5101", d.Airport, now.Add(time.Hour), 1)
	d.Rail1 = leg(ids[2], store.Arrival, "G123", d.Rail, now.Add(2*time.Hour), 0)
	d.Leave = leg(ids[3], store.Departure, "G124", d.Rail, now.Add(3*time.Hour), 0)
	return d
}

// User makes a token-only account with role.
func (d *LogisticsDay) User(t *testing.T, role string) string {
	t.Helper()
	var u struct{ Token string }
	if st := d.Server.Call("POST", "/users", AdminToken, map[string]string{"name": role + "测试", "role": role}, &u); st != 201 || u.Token == "" {
		t.Fatalf("create %s: HTTP %d", role, st)
	}
	return u.Token
}

// Raw answers a GET's status and body as text.
func (d *LogisticsDay) Raw(t *testing.T, path, token string) (int, string) {
	t.Helper()
	st, b, _ := d.Server.Get(t, path, token)
	return st, string(b)
}

// TransportDay is a demo server with the test's own pickups on a day of
// its own, 20 days on, at two stations of its own, and a fleet of its
// own (the demo's vehicles removed): a van of 7 and two cars of 4.
type TransportDay struct {
	Server        *Server
	Date          string
	Air, Rail     store.Station
	People        []TransportPerson // the first 10 arrive at the airport 09:00–09:36
	Late, Railway store.Leg         // at the airport at 11:00, at the railway station at 10:00
	Untimed, self store.Leg         // a day but no time; by car on their own
	Leave         store.Leg         // a departure
	Desk          string
	Van, Car1     int64
}

// TransportPerson is one of a TransportDay's travellers and their arrival.
type TransportPerson struct {
	ID                    int64
	Name, Phone, IDNumber string
	Leg                   store.Leg
}

// NewTransportDay starts the demo server and sets the day up; Desk is a
// desk account's token.
func NewTransportDay(t *testing.T) *TransportDay {
	t.Helper()
	srv := Serve(t)
	ctx := context.Background()
	db := srv.App.DB
	loc := srv.App.Engine.Catalog().Location
	d := &TransportDay{Server: srv, Desk: UserToken(t, srv, "desk")}
	day := time.Now().In(loc).AddDate(0, 0, 20)
	d.Date = day.Format(time.DateOnly)
	var err error
	if d.Air, err = db.SaveStation(ctx, store.Station{Code: "tb-air", Name: "测试机场", Kind: "airport"}, nil, "test"); err != nil {
		t.Fatal(err)
	}
	if d.Rail, err = db.SaveStation(ctx, store.Station{Code: "tb-rail", Name: "测试南站", Kind: "rail"}, nil, "test"); err != nil {
		t.Fatal(err)
	}
	// Sixteen people with phones and ID numbers, a minority name first.
	rows, err := db.ForTest().R.Query(`SELECT id, name, phone, id_number FROM attendees WHERE status = 'active' AND phone <> '' AND id_number <> ''
		ORDER BY name NOT LIKE '%·%', id LIMIT 16`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p TransportPerson
		if err := rows.Scan(&p.ID, &p.Name, &p.Phone, &p.IDNumber); err != nil {
			t.Fatal(err)
		}
		d.People = append(d.People, p)
	}
	rows.Close()
	if len(d.People) < 16 || !strings.Contains(d.People[0].Name, "·") {
		t.Fatalf("the demo's people: %+v", d.People)
	}
	clock := func(h, m int) *time.Time {
		at := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
		return &at
	}
	leg := func(p TransportPerson, l store.Leg) store.Leg {
		l.AttendeeID, l.OnDate = p.ID, d.Date
		if l.Direction == "" {
			l.Direction = store.Arrival
		}
		saved, err := db.SaveLeg(ctx, l, "test")
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	for i := range 10 {
		companions := map[int]int{0: 2, 1: 1}[i]
		d.People[i].Leg = leg(d.People[i], store.Leg{Mode: "flight", Number: fmt.Sprintf("CA%d", 1200+i), StationID: d.Air.ID,
			At: clock(9, 4*i), Companions: companions})
	}
	d.Late = leg(d.People[10], store.Leg{Mode: "flight", Number: "MU5100", StationID: d.Air.ID, At: clock(11, 0)})
	d.Railway = leg(d.People[11], store.Leg{Mode: "train", Number: "G123", StationID: d.Rail.ID, At: clock(10, 0)})
	d.Untimed = leg(d.People[12], store.Leg{Mode: "flight", Number: "CZ3100", StationID: d.Air.ID})
	d.self = leg(d.People[13], store.Leg{Mode: "car", StationID: d.Air.ID})
	d.Leave = leg(d.People[14], store.Leg{Direction: store.Departure, Mode: "train", Number: "G124", StationID: d.Rail.ID, At: clock(15, 0)})
	leg(d.People[15], store.Leg{Mode: "other", At: clock(9, 30), Notes: "随代表团乘大巴"})

	// The demo comes with cars, vans and buses, each with a plate, a
	// driver and a phone, and a contact for the drivers.
	var fleet []store.Vehicle
	srv.Call("GET", "/transport/vehicles", d.Desk, nil, &fleet)
	kinds := map[string]bool{}
	for _, v := range fleet {
		kinds[v.Kind] = v.Plate != "" && v.Driver != "" && v.DriverPhone != ""
	}
	var contact store.TransportContact
	srv.Call("GET", "/transport/contact", d.Desk, nil, &contact)
	if !kinds["car"] || !kinds["van"] || !kinds["bus"] || contact.Phone == "" {
		t.Errorf("the demo's vehicles: %+v, contact %+v", fleet, contact)
	}
	for _, v := range fleet {
		if st := srv.Call("DELETE", fmt.Sprintf("/transport/vehicles/%d", v.ID), d.Desk, nil, nil); st != 204 {
			t.Fatalf("remove the demo's vehicle %s: HTTP %d", v.Code, st)
		}
	}
	for _, v := range []map[string]any{
		{"code": "tb-van", "kind": "van", "seats": 7, "plate": "云A·T0001", "driver": "王师傅", "driver_phone": "13900000001"},
		{"code": "tb-car1", "kind": "car", "seats": 4, "plate": "云A·T0002", "driver": "李师傅", "driver_phone": "13900000002"},
		{"code": "tb-car2", "kind": "car", "seats": 4, "plate": "云A·T0003", "driver": "赵师傅", "driver_phone": "13900000003"},
	} {
		var made store.Vehicle
		if st := srv.Call("POST", "/transport/vehicles", d.Desk, v, &made); st != 201 {
			t.Fatalf("vehicle %v: HTTP %d", v, st)
		}
		switch made.Code {
		case "tb-van":
			d.Van = made.ID
		case "tb-car1":
			d.Car1 = made.ID
		}
	}
	return d
}

// Fetch GETs path under /api/v1 with token and answers the status and body.
func (d *TransportDay) Fetch(t *testing.T, path, token string) (int, []byte, http.Header) {
	t.Helper()
	return d.Server.Get(t, path, token)
}

// StayAnswer is what the hotel desk's writes answer.
type StayAnswer struct {
	Stay       store.Stay       `json:"stay"`
	Moves      []store.RoomMove `json:"moves"`
	Departures []store.Leg      `json:"departures"`
	Leg        *store.Leg       `json:"leg"`
}

// DemoGuests picks, from the demo hotel, people alone in single rooms (ids
// and rooms), a twin room with two people in it, and an empty single room.
func DemoGuests(t *testing.T, srv *Server) (alone []int64, rooms []string, fullTwin, free string) {
	t.Helper()
	var b store.RoomBoard
	if st := srv.Call("GET", "/hotel/board?hotel=hotel", AdminToken, nil, &b); st != 200 || len(b.Nights) == 0 {
		t.Fatalf("board: HTTP %d %+v", st, b.Nights)
	}
	for _, r := range b.Rooms {
		g := r.Nights[0].Guests
		switch {
		case r.Beds == 1 && len(g) == 1 && len(alone) < 4:
			alone, rooms = append(alone, g[0].AttendeeID), append(rooms, r.Room)
		case r.Beds == 2 && len(g) == 2 && fullTwin == "":
			fullTwin = r.Room
		case r.Beds == 1 && len(g) == 0 && free == "":
			free = r.Room
		}
	}
	if len(alone) < 4 || fullTwin == "" || free == "" {
		t.Fatalf("the demo hotel lacks the rooms this test needs: %v %q %q", alone, fullTwin, free)
	}
	return alone, rooms, fullTwin, free
}

// NextDate answers the day after d (both YYYY-MM-DD): a stay's next night.
func NextDate(t *testing.T, d string) string {
	t.Helper()
	day, err := time.Parse(time.DateOnly, d)
	if err != nil {
		t.Fatal(err)
	}
	return day.AddDate(0, 0, 1).Format(time.DateOnly)
}
