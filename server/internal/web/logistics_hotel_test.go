package web_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// apiErr is an error answer.
type apiErr struct {
	Error struct {
		Code    string
		Message struct{ Zh, En string }
		Details map[string]any
	}
}

// TestHotelDesk: the hotel desk's API on the demo — only desk and
// logistics see it; 换房 into a full room is refused with who is there
// (room_full), into a room the hotel lacks with no_such_room; 退房 before
// 入住 is not_checked_in; the 住宿登记表 prints (PDF, read back) and
// exports (XLSX, read back) with the night's figures and empty rooms;
// 清退客房 lists who has not checked out; a cancelled departure with a
// temporary room is registered in one call.
func TestHotelDesk(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	ctx := context.Background()
	alone, rooms, fullTwin, free := testkit.DemoGuests(t, srv)
	a, b, c := alone[0], alone[1], alone[2]

	for role, want := range map[string]int{"usher": 403, "screen": 403, "chair": 403, "logistics": 200, "desk": 200} {
		if st := srv.Call("GET", "/hotel/board?hotel=hotel", testkit.UserToken(t, srv, role), nil, nil); st != want {
			t.Errorf("%s reads the room board: HTTP %d, want %d", role, st, want)
		}
	}
	logistics := testkit.UserToken(t, srv, "logistics")

	// 入住 at the hotel desk's checkpoint, as its kiosk does.
	for _, id := range []int64{a, c} {
		var res struct{ Status string }
		if st := srv.Call("POST", "/checkins", testkit.AdminToken, map[string]any{"attendee_id": id, "checkpoint": "hotel-desk",
			"scan_id": fmt.Sprintf("hotel-%d", id), "reason": "测试"}, &res); st != 200 || res.Status != "ok" {
			t.Fatalf("check-in of %d: HTTP %d %s", id, st, res.Status)
		}
	}

	var e apiErr
	if st := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/move", a), logistics, map[string]any{"hotel": "hotel", "room": fullTwin,
		"reason": "换到双人间"}, &e); st != 409 || e.Error.Code != "room_full" || !strings.Contains(e.Error.Message.Zh, fullTwin) ||
		e.Error.Message.En == "" || e.Error.Details["room"] != fullTwin {
		t.Errorf("move into a full room: HTTP %d %+v", st, e)
	}
	e = apiErr{}
	if st := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/move", a), logistics, map[string]any{"hotel": "hotel", "room": "9999"}, &e); st != 404 ||
		e.Error.Code != "no_such_room" {
		t.Errorf("move into a room the hotel lacks: HTTP %d %+v", st, e)
	}
	var moved testkit.StayAnswer
	if st := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/move", a), logistics, map[string]any{"hotel": "hotel", "room": free,
		"reason": "空调故障"}, &moved); st != 200 || moved.Stay.Room != free || len(moved.Moves) != 1 || !strings.Contains(moved.Moves[0].By, "测试logistics") {
		t.Fatalf("move: HTTP %d %+v", st, moved)
	}
	if moved.Stay.CheckedInRoom != rooms[0] {
		t.Errorf("the room handed over at check-in became %q, want %q", moved.Stay.CheckedInRoom, rooms[0])
	}
	e = apiErr{}
	if st := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/checkout", b), logistics, map[string]any{}, &e); st != 409 || e.Error.Code != "not_checked_in" {
		t.Errorf("check-out before check-in: HTTP %d %+v", st, e)
	}
	var out testkit.StayAnswer
	if st := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/checkout", a), logistics, map[string]any{}, &out); st != 200 || out.Stay.CheckedOutAt == nil {
		t.Fatalf("check-out: HTTP %d %+v", st, out)
	}
	if n := audits(t, srv, "stay.move") + audits(t, srv, "stay.checkout"); n != 2 {
		t.Errorf("audited changes: %d", n)
	}

	var left []store.Stay
	srv.Call("GET", "/hotel/clearance?hotel=hotel", logistics, nil, &left)
	if len(left) != 1 || left[0].AttendeeID != c {
		t.Errorf("清退客房 lists %+v, want only %d", left, c)
	}

	// The 住宿登记表 of the night, on paper and in a workbook.
	var hotels struct{ Today string }
	srv.Call("GET", "/hotel/hotels", logistics, nil, &hotels)
	night := hotels.Today
	var names [2]string
	srv.App.DB.ForTest().R.QueryRow(`SELECT (SELECT name FROM attendees WHERE id = ?), (SELECT name FROM attendees WHERE id = ?)`, a, c).
		Scan(&names[0], &names[1])
	resp, pdf := get(t, srv.URL+"/api/v1/hotel/register.pdf?hotel=hotel&night="+night, "Authorization", admin)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("register.pdf: HTTP %d %.200s", resp.StatusCode, pdf)
	}
	pdftest.Shot(t, "hotel/register.pdf", pdf)
	text := strings.Join(strings.Fields(pdftotext(t, pdf)), "")
	for _, want := range []string{"会议酒店住宿登记表", names[1], rooms[2], "已入住", "未入住", "空房", "入住率", "3层"} {
		if !strings.Contains(text, want) {
			t.Errorf("the 住宿登记表 lacks %q", want)
		}
	}
	// Checked out today, a does not hold a room tonight.
	if strings.Contains(text, names[0]) {
		t.Errorf("the 住宿登记表 of tonight lists %s, who checked out today", names[0])
	}
	resp, xlsx := get(t, srv.URL+"/api/v1/hotel/register.xlsx?hotel=hotel&night="+night, "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("register.xlsx: HTTP %d", resp.StatusCode)
	}
	if cells := workbookText(t, xlsx); !strings.Contains(cells, names[1]) || !strings.Contains(cells, "空房") || !strings.Contains(cells, "入住率") {
		t.Errorf("the workbook lacks the night's guests or figures:\n%.600s", cells)
	}
	resp, pdf = get(t, srv.URL+"/api/v1/hotel/clearance.pdf?hotel=hotel", "Authorization", admin)
	pdftest.Shot(t, "hotel/clearance.pdf", pdf)
	if text := pdftotext(t, pdf); resp.StatusCode != 200 || !strings.Contains(text, names[1]) || strings.Contains(text, names[0]) {
		t.Errorf("清退客房 PDF: HTTP %d\n%.400s", resp.StatusCode, text)
	}

	// 滞留: c's flight home is cancelled; a temporary room for the night after.
	cat := srv.App.DB
	leg, err := cat.SaveLeg(ctx, store.Leg{AttendeeID: c, Direction: store.Departure, Mode: "flight", Number: "MU5101", OnDate: night}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var st testkit.StayAnswer
	srv.Call("GET", fmt.Sprintf("/hotel/stays/%d", c), logistics, nil, &st)
	until := testkit.NextDate(t, st.Stay.CheckOut)
	// alone[3] stays a night more (加住): that room is not free then.
	var longer testkit.StayAnswer
	if code := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/nights", alone[3]), logistics, map[string]any{"check_in": st.Stay.CheckIn,
		"check_out": until, "reason": "会期延长"}, &longer); code != 200 || longer.Stay.CheckOut != until {
		t.Fatalf("加住: HTTP %d %+v", code, longer)
	}
	var stranded testkit.StayAnswer
	e = apiErr{}
	if code := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/stranded", c), logistics, map[string]any{"departure": "cancel",
		"stay": "temporary", "hotel": "hotel", "room": rooms[3], "until": until, "reason": "航班取消（大雾）"}, &e); code != 409 ||
		e.Error.Code != "room_full" {
		t.Errorf("a temporary room someone holds: HTTP %d %+v", code, e)
	}
	if code := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/stranded", c), logistics, map[string]any{"departure": "cancel",
		"stay": "temporary", "hotel": "hotel", "room": free, "until": until, "reason": "航班取消（大雾）"}, &stranded); code != 200 ||
		stranded.Stay.Room != free || !stranded.Stay.Stranded || stranded.Leg == nil || stranded.Leg.ID != leg.ID || stranded.Leg.Cancelled == nil {
		t.Fatalf("stranded: HTTP %d %+v", code, stranded)
	}
	var board store.RoomBoard
	srv.Call("GET", "/hotel/board?hotel=hotel&from="+st.Stay.CheckIn+"&until="+until, logistics, nil, &board)
	found := false
	for _, r := range board.Rooms {
		for _, g := range r.Nights[len(board.Nights)-1].Guests {
			found = found || (r.Room == free && g.AttendeeID == c && g.Temporary && g.Stranded)
		}
	}
	if !found {
		t.Errorf("the board does not show %d in the temporary room %s on the extra night", c, free)
	}
}

// workbookText is every cell of every sheet, joined.
func workbookText(t *testing.T, xlsx []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	return b.String()
}
