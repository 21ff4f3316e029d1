package web_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

type groupsAnswer struct {
	Date      string `json:"date"`
	Window    int    `json:"window"`
	SelfDrive int    `json:"self_drive"`
	Own       int    `json:"own"`
	Groups    []struct {
		Key                                 string
		StationID                           int64 `json:"station_id"`
		People, Companions, Seats, Unseated int
		Runs                                []int64
		From                                *time.Time
		Riders                              []struct {
			LegID int64 `json:"leg_id"`
			Name  string
			RunID int64 `json:"run_id"`
		}
	}
	Runs []store.Run
}

type fillAnswer struct {
	Plan    string
	Applied bool
	Seated  int
	Left    int
	Runs    []struct {
		RunID     int64 `json:"run_id"`
		VehicleID int64 `json:"vehicle_id"`
		Legs      []int64
		Seats     int
		Capacity  int
	}
	Unassigned []struct {
		LegID  int64 `json:"leg_id"`
		Reason string
	}
}

// TestTransportGroupsAndFill: the day's arrivals come grouped by station
// and window with their counts (companions too; those driving themselves
// apart); the fill is previewed without storing anything, then applied
// as previewed, never over a vehicle's seats, the first window kept on
// as few vehicles as take it; a stale preview is refused; passengers move
// by hand within the seats; a vehicle with runs stays.
func TestTransportGroupsAndFill(t *testing.T) {
	t.Parallel()
	d := testkit.NewTransportDay(t)
	srv, desk := d.Server, d.Desk
	q := fmt.Sprintf("/transport/groups?direction=arrival&date=%s&station=%d", d.Date, d.Air.ID)
	var g groupsAnswer
	if st := srv.Call("GET", q, desk, nil, &g); st != 200 {
		t.Fatalf("groups: HTTP %d", st)
	}
	if len(g.Groups) != 3 || g.Window != 45 || g.SelfDrive != 1 {
		t.Fatalf("groups: %+v", g)
	}
	first := g.Groups[0]
	if first.People != 10 || first.Companions != 3 || first.Seats != 13 || first.Unseated != 13 || first.Riders[0].Name != d.People[0].Name {
		t.Errorf("the 09:00 group: %+v", first)
	}
	if g.Groups[1].People != 1 || g.Groups[2].From != nil {
		t.Errorf("the 11:00 group and the untimed one: %+v", g.Groups[1:])
	}
	var narrow groupsAnswer
	srv.Call("GET", q+"&window=20", desk, nil, &narrow)
	if len(narrow.Groups) != 4 || narrow.Window != 20 {
		t.Errorf("a 20-minute window: %d groups", len(narrow.Groups))
	}
	for _, bad := range []string{q + "&window=2", "/transport/groups?direction=sideways"} {
		if st := srv.Call("GET", bad, desk, nil, nil); st != 400 {
			t.Errorf("%s: HTTP %d, want 400", bad, st)
		}
	}

	body := map[string]any{"direction": "arrival", "date": d.Date}
	var preview fillAnswer
	if st := srv.Call("POST", "/transport/fill?dry_run=1", desk, body, &preview); st != 200 || preview.Plan == "" || preview.Applied {
		t.Fatalf("preview: HTTP %d %+v", st, preview)
	}
	if len(preview.Runs) != 3 || preview.Seated != 10 || preview.Left != 3 {
		t.Errorf("preview: %+v", preview)
	}
	reasons := map[int64]string{}
	for _, u := range preview.Unassigned {
		reasons[u.LegID] = u.Reason
	}
	if reasons[d.Late.ID] != "no_vehicle" || reasons[d.Railway.ID] != "no_vehicle" || reasons[d.Untimed.ID] != "no_time" {
		t.Errorf("left: %+v", preview.Unassigned)
	}
	for _, r := range preview.Runs {
		if r.Seats > r.Capacity {
			t.Errorf("over capacity: %+v", r)
		}
	}
	if preview.Runs[0].VehicleID != d.Van || len(preview.Runs[0].Legs) != 4 || preview.Runs[0].Legs[0] != d.People[0].Leg.ID {
		t.Errorf("the earliest arrivals should fill the van: %+v", preview.Runs[0])
	}
	srv.Call("GET", q, desk, nil, &g)
	if len(g.Runs) != 0 {
		t.Fatalf("a dry run stored runs: %+v", g.Runs)
	}
	if st := srv.Call("POST", "/transport/fill", desk, body, nil); st != 400 {
		t.Errorf("applied without a preview: HTTP %d", st)
	}
	body["plan"] = preview.Plan
	var applied fillAnswer
	if st := srv.Call("POST", "/transport/fill", desk, body, &applied); st != 200 || !applied.Applied || applied.Plan != preview.Plan {
		t.Fatalf("apply: HTTP %d %+v", st, applied)
	}
	srv.Call("GET", q, desk, nil, &g)
	if len(g.Runs) != 3 || g.Groups[0].Unseated != 0 || len(g.Groups[0].Runs) != 3 {
		t.Errorf("after the fill: %d runs, the first group %+v", len(g.Runs), g.Groups[0])
	}
	var stale struct{ Error struct{ Code string } }
	if st := srv.Call("POST", "/transport/fill", desk, body, &stale); st != 409 || stale.Error.Code != "plan_changed" {
		t.Errorf("a stale plan applied: HTTP %d %+v", st, stale)
	}

	van := applied.Runs[0].RunID
	var refused struct {
		Error struct {
			Code    string
			Message struct{ Zh string }
		}
	}
	if st := srv.Call("PUT", fmt.Sprintf("/transport/legs/%d/run", d.Late.ID), desk, map[string]int64{"run_id": van}, &refused); st != 409 ||
		refused.Error.Code != "over_capacity" || !strings.Contains(refused.Error.Message.Zh, "7 个座位") {
		t.Errorf("onto a full van: HTTP %d %+v", st, refused)
	}
	if st := srv.Call("PUT", fmt.Sprintf("/transport/legs/%d/run", d.Railway.ID), desk, map[string]int64{"run_id": van}, &refused); st != 409 ||
		refused.Error.Code != "leg_mismatch" {
		t.Errorf("another station's arrival onto the van: HTTP %d %+v", st, refused)
	}
	if st := srv.Call("PUT", fmt.Sprintf("/transport/legs/%d/run", d.People[3].Leg.ID), desk, map[string]int64{"run_id": 0}, nil); st != 200 {
		t.Errorf("off the van: HTTP %d", st)
	}
	if st := srv.Call("PUT", fmt.Sprintf("/transport/legs/%d/run", d.Late.ID), desk, map[string]int64{"run_id": van}, nil); st != 200 {
		t.Errorf("onto the van with a seat free: HTTP %d", st)
	}
	if st := srv.Call("PATCH", fmt.Sprintf("/transport/vehicles/%d", d.Van), desk, map[string]int{"seats": 3}, &refused); st != 409 || refused.Error.Code != "over_capacity" {
		t.Errorf("the van shrunk under its passengers: HTTP %d %+v", st, refused)
	}
	if st := srv.Call("DELETE", fmt.Sprintf("/transport/vehicles/%d", d.Van), desk, nil, &refused); st != 409 || refused.Error.Code != "vehicle_has_runs" {
		t.Errorf("a vehicle with runs removed: HTTP %d %+v", st, refused)
	}
	var made store.Run
	at := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	if st := srv.Call("POST", "/transport/runs", desk, map[string]any{"vehicle_id": d.Car1, "direction": "arrival", "station_id": d.Rail.ID,
		"at": at, "legs": []int64{d.Railway.ID}}, &made); st != 201 || made.Seats != 1 {
		t.Errorf("a run by hand: HTTP %d %+v", st, made)
	}
	if st := srv.Call("DELETE", fmt.Sprintf("/transport/runs/%d", made.ID), desk, nil, nil); st != 204 {
		t.Errorf("remove the run: HTTP %d", st)
	}

	var all groupsAnswer
	srv.Call("GET", "/transport/groups?date="+d.Date, desk, nil, &all)
	if all.Own != 1 || all.SelfDrive != 1 || len(all.Groups) != 4 {
		t.Errorf("every station: %d on their own, %d driving, %d groups", all.Own, all.SelfDrive, len(all.Groups))
	}
	var dep groupsAnswer
	srv.Call("GET", fmt.Sprintf("/transport/groups?direction=departure&date=%s", d.Date), desk, nil, &dep)
	if n := len(dep.Groups); n == 0 || dep.Groups[n-1].Riders[0].LegID != d.Leave.ID {
		t.Errorf("departures: %+v", dep.Groups)
	}
}

// TestTransportSheets: the station's 接站一览表 and a driver's 派车单, as
// PDF and XLSX, carry names (a minority name as written), flights and
// trains, times, the vehicle and its driver, and the transport desk's
// phone; an attendee's phone only once the desk lets drivers have it; no
// ID number ever; and nothing of it for an usher.
func TestTransportSheets(t *testing.T) {
	t.Parallel()
	d := testkit.NewTransportDay(t)
	srv, desk := d.Server, d.Desk
	var preview fillAnswer
	body := map[string]any{"direction": "arrival", "date": d.Date}
	srv.Call("POST", "/transport/fill?dry_run=1", desk, body, &preview)
	body["plan"] = preview.Plan
	if st := srv.Call("POST", "/transport/fill", desk, body, nil); st != 200 {
		t.Fatalf("fill: HTTP %d", st)
	}
	if st := srv.Call("PUT", "/transport/contact", desk, map[string]string{"name": "会务组 赵敏", "phone": "010-66668888"}, nil); st != 200 {
		t.Fatalf("contact: HTTP %d", st)
	}
	allowed := d.People[0]
	if st := srv.Call("PUT", fmt.Sprintf("/transport/driver-phones/%d", allowed.ID), desk, map[string]bool{"phone_to_driver": true}, nil); st != 200 {
		t.Fatalf("driver phone: HTTP %d", st)
	}

	station := fmt.Sprintf("/transport/stations/%d/sheet", d.Air.ID)
	vehicle := fmt.Sprintf("/transport/vehicles/%d/sheet", d.Van)
	for _, c := range []struct {
		path string
		want []string
	}{
		{station + ".pdf?date=" + d.Date, []string{"测试机场接站一览表", "会务组联系人：会务组赵敏010-66668888", "云A·T0001王师傅13900000001",
			"CA1200", "09:00–09:36", "10人（随行3人）", "MU5100", "时间未定", "自驾1人", "待派车"}},
		{vehicle + ".pdf?date=" + d.Date, []string{"司机派车单", "王师傅13900000001", "会务组联系人：会务组赵敏010-66668888", "测试机场", "接站",
			"CA1200", "09:00"}},
	} {
		st, pdf, h := d.Fetch(t, c.path, desk)
		if st != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: HTTP %d %s", c.path, st, pdf)
		}
		name := strings.ReplaceAll(strings.TrimPrefix(c.path, "/transport/"), "/", "-")
		pdftest.Shot(t, "transport/"+name[:strings.Index(name, "?")], pdf)
		text := strings.Join(strings.Fields(pdftest.Text(t, pdf)), "")
		for _, w := range append(c.want, allowed.Name, allowed.Phone) {
			if !strings.Contains(text, strings.ReplaceAll(w, " ", "")) {
				t.Errorf("%s lacks %q", c.path, w)
			}
		}
		for _, p := range d.People {
			if p.ID != allowed.ID && strings.Contains(text, p.Phone) {
				t.Errorf("%s prints %s's phone, which the desk did not give", c.path, p.Name)
			}
			if strings.Contains(text, p.IDNumber) {
				t.Errorf("%s prints %s's ID number", c.path, p.Name)
			}
		}
	}

	st, book, _ := d.Fetch(t, station+".xlsx?date="+d.Date, desk)
	if st != 200 {
		t.Fatalf("xlsx: HTTP %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 6 {
		t.Errorf("the heads are not frozen: %+v %v", panes, err)
	}
	if head, _ := f.GetCellValue(sheet, "B6"); head != "姓名" {
		t.Errorf("B6 = %q, want the heads", head)
	}
	names := f.GetDefinedName()
	printTitles := false
	for _, n := range names {
		printTitles = printTitles || (n.Name == "_xlnm.Print_Titles" && strings.Contains(n.RefersTo, "$6:$6"))
	}
	if !printTitles {
		t.Errorf("no print titles: %+v", names)
	}
	rows, _ := f.GetRows(sheet)
	all := fmt.Sprint(rows)
	if !strings.Contains(all, allowed.Name) || !strings.Contains(all, "CA1209") || !strings.Contains(all, allowed.Phone) ||
		strings.Contains(all, d.People[1].Phone) || strings.Contains(all, d.People[1].IDNumber) {
		t.Errorf("the workbook's rows: %s", all)
	}

	// The page's JSON never carries a phone or an ID number.
	_, js, _ := d.Fetch(t, "/transport/groups?date="+d.Date, desk)
	for _, p := range d.People {
		if bytes.Contains(js, []byte(p.Phone)) || bytes.Contains(js, []byte(p.IDNumber)) {
			t.Errorf("the groups' JSON carries %s's phone or ID number", p.Name)
		}
	}
	usher := testkit.UserToken(t, srv, "usher")
	logi := testkit.UserToken(t, srv, "logistics")
	for _, p := range []string{"/transport/groups?date=" + d.Date, station + ".pdf?date=" + d.Date, vehicle + ".xlsx?date=" + d.Date, "/transport/vehicles"} {
		if st, _, _ := d.Fetch(t, p, usher); st != 403 {
			t.Errorf("usher %s: HTTP %d", p, st)
		}
		if st, _, _ := d.Fetch(t, p, logi); st != 200 {
			t.Errorf("logistics %s: HTTP %d", p, st)
		}
	}
}

// TestStationMerge: two spellings of one place became two stations (the
// import makes a station of a name it has not seen); the desk merges one
// into the other and the day's arrivals group at one station, its people
// and runs kept; the old spelling now reads as the station kept.
func TestStationMerge(t *testing.T) {
	t.Parallel()
	d := testkit.NewTransportDay(t)
	srv, desk := d.Server, d.Desk
	path := fmt.Sprintf("/transport/stations/%d/merge", d.Rail.ID)
	var bad struct{ Error struct{ Code string } }
	if st := srv.Call("POST", path, desk, map[string]any{"into": d.Rail.ID}, &bad); st != 422 || bad.Error.Code != "same_station" {
		t.Fatalf("merge into itself: HTTP %d %q, want 422 same_station", st, bad.Error.Code)
	}
	if st := srv.Call("POST", path, desk, map[string]any{"into": 999999}, nil); st != 404 {
		t.Fatalf("merge into no station: HTTP %d, want 404", st)
	}
	if st := srv.Call("POST", path, desk, map[string]any{"into": d.Air.ID}, nil); st != 204 {
		t.Fatalf("merge: HTTP %d, want 204", st)
	}
	var g groupsAnswer
	if st := srv.Call("GET", fmt.Sprintf("/transport/groups?direction=arrival&date=%s", d.Date), desk, nil, &g); st != 200 {
		t.Fatalf("groups: HTTP %d", st)
	}
	found := false
	for _, grp := range g.Groups {
		if grp.StationID == d.Rail.ID {
			t.Errorf("a group still at the merged station: %+v", grp)
		}
		for _, r := range grp.Riders {
			found = found || r.LegID == d.Railway.ID && grp.StationID == d.Air.ID
		}
	}
	if !found {
		t.Errorf("the railway arrival is not at the kept station: %+v", g.Groups)
	}
	if st := srv.Call("POST", path, desk, map[string]any{"into": d.Air.ID}, nil); st != 404 {
		t.Errorf("merging a station already merged: HTTP %d, want 404", st)
	}
	aliases, err := srv.App.DB.StationAliases(context.Background())
	if id := aliases[store.StationAlias("测试南站")]; err != nil || id != d.Air.ID {
		t.Errorf("the old spelling reads as station %d (%v), want %d", id, err, d.Air.ID)
	}
}
