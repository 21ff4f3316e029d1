package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

type pickupRow struct {
	ID           int64      `json:"id"`
	AttendeeID   int64      `json:"attendee_id"`
	Name         string     `json:"name"`
	Initials     string     `json:"initials"`
	Pinyin       string     `json:"pinyin"`
	CategoryName string     `json:"category_name"`
	Number       string     `json:"number"`
	At           *time.Time `json:"at"`
	Companions   int        `json:"companions"`
	State        string     `json:"state"`
	Status       string     `json:"status"`
	StateBy      string     `json:"state_by"`
	Replaces     int64      `json:"replaces"`
}

// dialLogistics follows the logistics topic as token and reads its snapshot.
func dialLogistics(t *testing.T, srv *testkit.Server, token string) *websocket.Conn {
	t.Helper()
	u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=logistics"
	ws, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v (HTTP %v)", err, resp)
	}
	t.Cleanup(func() { ws.Close() })
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m struct{ Topic, Type string }
	if err := ws.ReadJSON(&m); err != nil || m.Type != "snapshot" || m.Topic != "logistics" {
		t.Fatalf("snapshot: %v %+v", err, m)
	}
	return ws
}

// nextDelta waits up to d for a logistics delta and answers how long it took.
func nextDelta(t *testing.T, ws *websocket.Conn, d time.Duration, what string) time.Duration {
	t.Helper()
	start := time.Now()
	ws.SetReadDeadline(start.Add(d))
	for {
		var m struct {
			Topic, Type string
			Data        json.RawMessage
		}
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatalf("%s: no logistics message within %v: %v", what, d, err)
		}
		if m.Topic == "logistics" && m.Type == "delta" {
			if len(m.Data) > 200 {
				t.Errorf("%s: a logistics message of %d bytes; it only says that something changed: %s", what, len(m.Data), m.Data)
			}
			return time.Since(start)
		}
	}
}

// TestPickupAPI: the pickup phone's calls. Today's arrivals at a station
// come in time order with what a pickup needs (name, initials and pinyin
// to search, category, number, time, companions, state) and no phone or
// ID number; marks are recorded with who made them; 改签 with a new time
// makes a new leg in place of the old, and a mark sent for the old one
// afterwards is refused, naming the new; every change is announced on the
// logistics topic within moments, which ushers, screens and chairs may not
// follow; they are refused the API too.
func TestPickupAPI(t *testing.T) {
	t.Parallel()
	d := testkit.NewLogisticsDay(t)
	srv := d.Server
	staff := d.User(t, "logistics")
	ws := dialLogistics(t, srv, staff)

	var stations []struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		Arrivals int    `json:"arrivals"`
		Waiting  int    `json:"waiting"`
	}
	if st := srv.Call("GET", "/pickup/stations", staff, nil, &stations); st != 200 {
		t.Fatalf("stations: HTTP %d", st)
	}
	counted := map[int64]int{}
	for _, s := range stations {
		counted[s.ID] = s.Arrivals
	}
	if counted[d.Airport.ID] != 2 || counted[d.Rail.ID] != 1 {
		t.Errorf("stations with today's arrivals: %+v", stations)
	}

	path := fmt.Sprintf("/pickup/arrivals?station=%d", d.Airport.ID)
	st, body := d.Raw(t, path, staff)
	if st != 200 {
		t.Fatalf("arrivals: HTTP %d %s", st, body)
	}
	for id, phone := range d.Phones {
		if strings.Contains(body, phone) || strings.Contains(body, phone[len(phone)-4:]+`"`) {
			t.Errorf("the pickup list carries the phone of %d", id)
		}
	}
	if strings.Contains(body, "id_number") || strings.Contains(body, `"phone"`) {
		t.Errorf("the pickup list has a phone or ID number field: %.300s", body)
	}
	var list struct {
		Date string      `json:"date"`
		Rows []pickupRow `json:"rows"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Rows) != 2 || list.Rows[0].ID != d.Late.ID || list.Rows[1].ID != d.Soon.ID {
		t.Fatalf("airport rows: %+v", list.Rows)
	}
	late, soon := list.Rows[0], list.Rows[1]
	if late.Status != "late" || late.Name != d.Names[d.Late.AttendeeID] || late.Initials == "" || late.CategoryName == "" || late.Number != "CA1234" {
		t.Errorf("late row: %+v", late)
	}
	if soon.Status != "waiting" || soon.Companions != 1 {
		t.Errorf("soon row: %+v", soon)
	}

	// 已接.
	var marked pickupRow
	if st := srv.Call("PATCH", fmt.Sprintf("/pickup/legs/%d", d.Late.ID), staff, map[string]string{"state": "picked_up"}, &marked); st != 200 {
		t.Fatalf("mark: HTTP %d", st)
	}
	if marked.Status != "picked_up" || !strings.Contains(marked.StateBy, "logistics测试") || marked.Name == "" {
		t.Errorf("marked: %+v", marked)
	}
	took := nextDelta(t, ws, 2*time.Second, "picked up")
	t.Logf("a pickup reached the logistics topic in %v", took)

	var bad struct{ Error struct{ Code string } }
	if st := srv.Call("PATCH", fmt.Sprintf("/pickup/legs/%d", d.Soon.ID), staff, map[string]string{"state": "departed"}, &bad); st != 422 || bad.Error.Code != "bad_state" {
		t.Errorf("an arrival marked departed: HTTP %d %+v", st, bad)
	}

	// 改签: a new flight tomorrow at 09:30.
	tomorrow := time.Now().In(d.Loc).AddDate(0, 0, 1).Format(time.DateOnly)
	var next pickupRow
	if st := srv.Call("POST", fmt.Sprintf("/pickup/legs/%d/rebook", d.Soon.ID), staff,
		map[string]string{"on_date": tomorrow, "time": "09:30", "number": "MU5103"}, &next); st != 200 {
		t.Fatalf("rebook: HTTP %d", st)
	}
	wantAt, _ := time.ParseInLocation("2006-01-02 15:04", tomorrow+" 09:30", d.Loc)
	if next.ID == d.Soon.ID || next.Replaces != d.Soon.ID || next.Number != "MU5103" || next.At == nil || !next.At.Equal(wantAt) || next.Companions != 1 {
		t.Errorf("rebooked: %+v (want at %v)", next, wantAt)
	}
	nextDelta(t, ws, 2*time.Second, "rebooked")
	var gone struct {
		Error struct {
			Code    string
			Details struct{ Current int64 }
		}
	}
	if st := srv.Call("PATCH", fmt.Sprintf("/pickup/legs/%d", d.Soon.ID), staff, map[string]string{"state": "picked_up"}, &gone); st != 409 ||
		gone.Error.Code != "leg_changed" || gone.Error.Details.Current != next.ID {
		t.Errorf("a mark for the rebooked leg: HTTP %d %+v", st, gone)
	}
	if st := srv.Call("GET", path, staff, nil, &list); st != 200 || len(list.Rows) != 1 {
		t.Errorf("today's airport list after the rebooking: %+v", list.Rows)
	}
	if st := srv.Call("POST", fmt.Sprintf("/pickup/legs/%d/rebook", d.Rail1.ID), staff, map[string]string{"time": "25:00"}, &bad); st != 422 || bad.Error.Code != "bad_time" {
		t.Errorf("a rebooking at 25:00: HTTP %d %+v", st, bad)
	}

	// The desk may too; ushers, screens and chairs may not, nor follow the topic.
	desk := d.User(t, "desk")
	if st := srv.Call("GET", path, desk, nil, nil); st != 200 {
		t.Errorf("desk: HTTP %d", st)
	}
	for _, role := range []string{"usher", "screen", "chair"} {
		tok := d.User(t, role)
		for _, c := range []struct{ method, path string }{
			{"GET", "/pickup/stations"}, {"GET", path}, {"GET", "/logistics/board"},
			{"PATCH", fmt.Sprintf("/pickup/legs/%d", d.Rail1.ID)}, {"POST", fmt.Sprintf("/pickup/legs/%d/rebook", d.Rail1.ID)},
		} {
			if st := srv.Call(c.method, c.path, tok, map[string]string{"state": "missed"}, nil); st != 403 {
				t.Errorf("%s %s %s: HTTP %d", role, c.method, c.path, st)
			}
		}
		u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=logistics"
		if c, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + tok}}); err == nil {
			c.Close()
			t.Errorf("%s follows the logistics topic", role)
		} else if resp == nil || resp.StatusCode != 403 {
			t.Errorf("%s on the logistics topic: %v %v", role, err, resp)
		}
	}
}

type boardGroup struct {
	Station struct{ ID int64 }
	Counts  struct {
		Total    int `json:"total"`
		PickedUp int `json:"picked_up"`
		Waiting  int `json:"waiting"`
		Late     int `json:"late"`
	}
	Rows []pickupRow
}

// groupOf is the group of station id (the demo's own stations are there too).
func groupOf(t *testing.T, groups []boardGroup, id int64) boardGroup {
	t.Helper()
	for _, g := range groups {
		if g.Station.ID == id {
			return g
		}
	}
	t.Fatalf("no group for station %d in %+v", id, groups)
	return boardGroup{}
}

type boardRun struct {
	Vehicle    string `json:"vehicle"`
	Plate      string `json:"plate"`
	Passengers []struct {
		Name       string `json:"name"`
		Companions int    `json:"companions"`
	} `json:"passengers"`
}

type boardJSON struct {
	Arrivals   []boardGroup
	Departures []boardGroup
	Runs       []boardRun
	Hotels     []struct {
		Name   string `json:"name"`
		Booked int    `json:"booked"`
		In     int    `json:"in"`
		Guests []struct {
			Name string `json:"name"`
			Room string `json:"room"`
		} `json:"guests"`
	}
}

// TestLogisticsBoardAPI: the board's one snapshot: arrivals by station
// with 已接 / 待接 / 延误, vehicles out with their passengers, who is in
// the hotel (a kiosk's check-in at the hotel desk moves it, and is
// announced on the logistics topic), and today's departures.
func TestLogisticsBoardAPI(t *testing.T) {
	t.Parallel()
	d := testkit.NewLogisticsDay(t)
	srv := d.Server
	staff := d.User(t, "logistics")
	ws := dialLogistics(t, srv, staff)

	// A van out to the airport carrying the late arrival (vehicles are
	// made by another part of the work; the rows are written as it does).
	db := srv.App.DB
	now := store.FormatTime(time.Now())
	res, err := db.ForTest().W.Exec(`INSERT INTO vehicles (code, kind, seats, plate, driver, driver_phone) VALUES ('T-V1', 'van', 6, '京A·12345', '赵师傅', '13900000000')`)
	if err != nil {
		t.Fatal(err)
	}
	vid, _ := res.LastInsertId()
	res, err = db.ForTest().W.Exec(`INSERT INTO vehicle_runs (vehicle_id, direction, station_id, at, state, created_at, updated_at) VALUES (?, 'arrival', ?, ?, 'out', ?, ?)`,
		vid, d.Airport.ID, now, now, now)
	if err != nil {
		t.Fatal(err)
	}
	rid, _ := res.LastInsertId()
	if _, err := db.ForTest().W.Exec(`INSERT INTO run_passengers (run_id, leg_id) VALUES (?, ?)`, rid, d.Late.ID); err != nil {
		t.Fatal(err)
	}

	var b boardJSON
	if st := srv.Call("GET", "/logistics/board", staff, nil, &b); st != 200 {
		t.Fatalf("board: HTTP %d", st)
	}
	if c := groupOf(t, b.Arrivals, d.Airport.ID).Counts; c.Total != 2 || c.Late != 1 || c.Waiting != 1 || c.PickedUp != 0 {
		t.Errorf("airport counts %+v", c)
	}
	ours := slices.IndexFunc(b.Runs, func(r boardRun) bool { return r.Vehicle == "T-V1" })
	if ours < 0 || len(b.Runs[ours].Passengers) != 1 || b.Runs[ours].Passengers[0].Name != d.Names[d.Late.AttendeeID] {
		t.Errorf("runs out: %+v", b.Runs)
	}
	if g := groupOf(t, b.Departures, d.Rail.ID); len(g.Rows) != 1 || g.Rows[0].ID != d.Leave.ID {
		t.Errorf("departures: %+v", g)
	}
	if len(b.Hotels) == 0 || b.Hotels[0].Booked == 0 {
		t.Fatalf("hotels: %+v", b.Hotels)
	}
	before := b.Hotels[0].In

	// The hotel desk checks one of them in.
	guest := d.Rail1.AttendeeID
	var scan struct{ Status string }
	if st := srv.Call("POST", "/checkins", testkit.AdminToken, map[string]any{"attendee_id": guest, "checkpoint": "hotel-desk", "scan_id": "hotel-1"}, &scan); st != 200 || scan.Status != "ok" {
		t.Fatalf("hotel check-in: HTTP %d %+v", st, scan)
	}
	nextDelta(t, ws, 2*time.Second, "hotel check-in")
	if st := srv.Call("GET", "/logistics/board", staff, nil, &b); st != 200 {
		t.Fatalf("board: HTTP %d", st)
	}
	if b.Hotels[0].In != before+1 || len(b.Hotels[0].Guests) == 0 || b.Hotels[0].Guests[0].Name != d.Names[guest] || b.Hotels[0].Guests[0].Room == "" {
		t.Errorf("after the check-in: in %d (was %d), guests %+v", b.Hotels[0].In, before, b.Hotels[0].Guests)
	}

	// Picked up: the board's counts move.
	if st := srv.Call("PATCH", fmt.Sprintf("/pickup/legs/%d", d.Late.ID), staff, map[string]string{"state": "picked_up"}, nil); st != 200 {
		t.Fatalf("mark: HTTP %d", st)
	}
	if st := srv.Call("GET", "/logistics/board", staff, nil, &b); st != 200 {
		t.Fatalf("board: HTTP %d", st)
	}
	if c := groupOf(t, b.Arrivals, d.Airport.ID).Counts; c.PickedUp != 1 || c.Late != 0 {
		t.Errorf("airport counts after the pickup %+v", c)
	}
}

// TestLogisticsPages: /pickup and /logistics are pages, the start page
// links them, and a logistics account that signs in lands on the board.
func TestLogisticsPages(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, p := range []string{"/pickup", "/logistics"} {
		if st, body := get(p); st != 200 || !strings.Contains(body, "<!doctype html>") {
			t.Errorf("%s: HTTP %d %.100s", p, st, body)
		}
	}
	if _, start := get("/"); !strings.Contains(start, `href="/pickup"`) || !strings.Contains(start, `href="/logistics"`) {
		t.Error("the start page does not link /pickup and /logistics")
	}
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"login": "jiezhan", "name": "接站员", "role": "logistics", "password": "pickup-pass-2026"}, nil); st != 201 {
		t.Fatalf("create: HTTP %d", st)
	}
	body, _ := json.Marshal(map[string]string{"login": "jiezhan", "password": "pickup-pass-2026"})
	req, _ := http.NewRequest("POST", srv.URL+"/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", srv.URL)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var in struct{ Next string }
	json.NewDecoder(resp.Body).Decode(&in)
	if resp.StatusCode != 200 || in.Next != "/logistics" {
		t.Errorf("a logistics account lands on %q (HTTP %d)", in.Next, resp.StatusCode)
	}
}
