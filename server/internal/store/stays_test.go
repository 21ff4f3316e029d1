package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
	"huiwu/server/internal/store"
)

// hotelEvent is the small meeting with two hotels — 会议宾馆 (301 and 303
// single, 302 twin) and 江景酒店 (801 single, 802 twin) — and people whose
// stays end today, the day their departures leave: 张伟 in 301, 李娜 in
// 303, 王芳 in 302 for the two nights before today; 刘洋 in 801 from
// yesterday to tomorrow; 陈静 arriving in 301 today for two nights. day(n)
// is today plus n days on the event's clock.
func hotelEvent(t *testing.T) (db *store.DB, cat *store.Catalog, ids map[string]int64, day func(int) string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	def := example.Small(now)
	for i, v := range def.Venues {
		if v.Code == "hotel" {
			def.Venues[i].Rooms = []eventdef.Room{{Number: "301", Beds: 1}, {Number: "302", Beds: 2}, {Number: "303", Beds: 1}}
		}
	}
	def.Venues = append(def.Venues, eventdef.Venue{Code: "river", Name: "江景酒店", NameEn: "Riverside Hotel", Kind: eventdef.KindHotel,
		Doors: []string{"大堂"}, Rooms: []eventdef.Room{{Number: "801", Beds: 1}, {Number: "802", Beds: 2}}})
	db = open(t, t.TempDir())
	apply(t, db, def, eventdef.All(), false)
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today := now.In(cat.Location)
	day = func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	stay := func(hotel, room string, from, to int) *domain.Lodging {
		return &domain.Lodging{Venue: hotel, Room: room, CheckIn: day(from), CheckOut: day(to)}
	}
	people := []domain.Attendee{
		{Key: "d1", Name: "张伟", Category: "deputy", Rank: 1, Lodging: stay("hotel", "301", -2, 0)},
		{Key: "d2", Name: "李娜", Category: "deputy", Rank: 2, Lodging: stay("hotel", "303", -2, 0)},
		{Key: "d3", Name: "王芳", Category: "deputy", Rank: 3, Lodging: stay("hotel", "302", -2, 0)},
		{Key: "o1", Name: "刘洋", Category: "observer", Rank: 4, Lodging: stay("river", "801", -1, 1)},
		{Key: "s1", Name: "陈静", Category: "staff", Rank: 5, Lodging: stay("hotel", "301", 0, 2)},
	}
	rows := make([]store.ImportRow, len(people))
	for i, p := range people {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: p}
	}
	if _, err := db.ImportAttendees(ctx, rows, nil, false, "test"); err != nil {
		t.Fatal(err)
	}
	if ids, err = db.AttendeeIDsByKey(ctx); err != nil {
		t.Fatal(err)
	}
	return db, cat, ids, day
}

// checkIn does what the hotel desk's kiosk does at 入住.
func checkIn(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	if _, err := db.ForTest().W.Exec(`INSERT INTO hotel_checkins (attendee_id, checked_in_at, venue_id, room)
		SELECT attendee_id, ?, venue_id, room FROM lodging WHERE attendee_id = ?`, store.FormatTime(time.Now()), id); err != nil {
		t.Fatal(err)
	}
}

// cell is who is in room on the board's night n, by name and state.
func cell(t *testing.T, b *store.RoomBoard, room string, n int) map[string]string {
	t.Helper()
	for _, r := range b.Rooms {
		if r.Room == room {
			out := map[string]string{}
			for _, g := range r.Nights[n].Guests {
				out[g.Name] = g.State
			}
			return out
		}
	}
	t.Fatalf("room %s is not on the board of %s", room, b.Hotel)
	return nil
}

func board(t *testing.T, db *store.DB, cat *store.Catalog, hotel, from, to string) *store.RoomBoard {
	t.Helper()
	b, err := db.RoomBoard(context.Background(), cat, hotel, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoomMove: 换房 to a room that is full for the nights is refused
// with who is in it, unless forced with a reason; a room that does not
// exist is refused; a move keeps the nights already slept in the old room
// on the board, records who moved whom and why, and leaves the room
// handed over at check-in as it was.
func TestRoomMove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, cat, ids, day := hotelEvent(t)
	zw := ids["d1"]
	checkIn(t, db, zw)

	_, err := db.MoveRoom(ctx, cat, zw, store.RoomChange{Hotel: "hotel", Room: "303", From: day(-1), Reason: "空调坏了"}, "前台甲")
	var full *store.RoomFullError
	if !errors.As(err, &full) || full.Room != "303" || len(full.Nights) != 1 || full.Nights[0].Night != day(-1) ||
		len(full.Nights[0].Names) != 1 || full.Nights[0].Names[0] != "李娜" {
		t.Fatalf("move into a full room: %v (%+v)", err, full)
	}
	_, err = db.MoveRoom(ctx, cat, zw, store.RoomChange{Hotel: "hotel", Room: "303", From: day(-1), Force: true}, "前台甲")
	if !errors.Is(err, store.ErrReasonRequired) {
		t.Errorf("forced without a reason: %v", err)
	}
	for _, c := range []store.RoomChange{{Hotel: "hotel", Room: "999"}, {Hotel: "river", Room: "301"}, {Hotel: "hall", Room: "301"}} {
		c.From = day(-1)
		if _, err := db.MoveRoom(ctx, cat, zw, c, "前台甲"); !errors.Is(err, store.ErrNoSuchRoom) {
			t.Errorf("move to %s/%s: %v", c.Hotel, c.Room, err)
		}
	}
	if _, err := db.MoveRoom(ctx, cat, zw, store.RoomChange{Hotel: "hotel", Room: "302"}, "前台甲"); !errors.Is(err, store.ErrStayOver) {
		t.Errorf("a move from today, the day the stay ends: %v", err)
	}

	st, err := db.MoveRoom(ctx, cat, zw, store.RoomChange{Hotel: "hotel", Room: "302", From: day(-1), Reason: "空调坏了"}, "前台甲")
	if err != nil || st.Hotel != "hotel" || st.Room != "302" || st.CheckIn != day(-2) || st.CheckOut != day(0) {
		t.Fatalf("moved: %+v %v", st, err)
	}
	if st.CheckedInRoom != "301" || st.CheckedInHotel != "hotel" {
		t.Errorf("the room handed over at check-in changed: %s/%s", st.CheckedInHotel, st.CheckedInRoom)
	}
	b := board(t, db, cat, "hotel", day(-2), day(1))
	if len(b.Nights) != 3 || b.Nights[0] != day(-2) {
		t.Fatalf("nights %v", b.Nights)
	}
	if got := cell(t, b, "301", 0); got["张伟"] != "moved" || len(got) != 1 {
		t.Errorf("301 the first night: %v", got)
	}
	if got := cell(t, b, "301", 1); len(got) != 0 {
		t.Errorf("301 after the move: %v", got)
	}
	if got := cell(t, b, "302", 1); got["张伟"] != "in" || got["王芳"] != "expected" || len(got) != 2 {
		t.Errorf("302 after the move: %v", got)
	}
	if got := cell(t, b, "301", 2); got["陈静"] != "expected" || len(got) != 1 {
		t.Errorf("301 tonight: %v", got)
	}
	if tot := b.Totals[1]; tot.Rooms != 3 || tot.Occupied != 2 || tot.Empty != 1 || tot.Heads != 3 || tot.Beds != 4 || tot.CheckedIn != 1 {
		t.Errorf("totals of the second night: %+v", tot)
	}
	moves, err := db.RoomMoves(ctx, cat, zw)
	if err != nil || len(moves) != 1 {
		t.Fatalf("moves: %+v %v", moves, err)
	}
	if m := moves[0]; m.Kind != "move" || m.FromRoom != "301" || m.ToRoom != "302" || m.By != "前台甲" || m.Reason != "空调坏了" ||
		m.FromNights != day(-2)+".."+day(-1) {
		t.Errorf("move recorded as %+v", m)
	}
	var audited int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'stay.move' AND actor = '前台甲'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("audited moves: %d", audited)
	}
	// Forced: 王芳 joins 李娜 in the single room 303 for a night.
	if _, err := db.MoveRoom(ctx, cat, ids["d3"], store.RoomChange{Hotel: "hotel", Room: "303", From: day(-1), Force: true,
		Reason: "家属同住"}, "前台甲"); err != nil {
		t.Fatal(err)
	}
	b = board(t, db, cat, "hotel", day(-2), day(1))
	if b.Totals[1].Over != 1 {
		t.Errorf("a forced room is not over-full on the board: %+v", b.Totals[1])
	}
}

// TestNightsCheckoutClearance: 加住 into nights someone else holds is
// refused; 退房 needs a check-in first and happens once; 清退客房 lists who
// is checked in and has not checked out.
func TestNightsCheckoutClearance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, cat, ids, day := hotelEvent(t)
	zw, wf := ids["d1"], ids["d3"]

	_, err := db.SetNights(ctx, cat, zw, store.NightsChange{CheckIn: day(-2), CheckOut: day(1), Reason: "会期延长"}, "前台甲")
	var full *store.RoomFullError
	if !errors.As(err, &full) || full.Nights[0].Night != day(0) || full.Nights[0].Names[0] != "陈静" {
		t.Fatalf("a night 陈静 holds: %v", err)
	}
	st, err := db.SetNights(ctx, cat, wf, store.NightsChange{CheckIn: day(-2), CheckOut: day(1), Reason: "会期延长"}, "前台甲")
	if err != nil || st.CheckOut != day(1) {
		t.Fatalf("加住: %+v %v", st, err)
	}
	if _, err := db.SetNights(ctx, cat, wf, store.NightsChange{CheckIn: day(1), CheckOut: day(1)}, "前台甲"); !errors.Is(err, store.ErrBadNights) {
		t.Errorf("no nights: %v", err)
	}

	if _, err := db.CheckOut(ctx, cat, zw, "", "前台甲"); !errors.Is(err, store.ErrNotCheckedIn) {
		t.Errorf("check-out before check-in: %v", err)
	}
	checkIn(t, db, zw)
	checkIn(t, db, wf)
	st, err = db.CheckOut(ctx, cat, zw, "", "前台乙")
	if err != nil || st.CheckedOutAt == nil || st.CheckedOutBy != "前台乙" {
		t.Fatalf("checked out: %+v %v", st, err)
	}
	if _, err := db.CheckOut(ctx, cat, zw, "", "前台乙"); !errors.Is(err, store.ErrCheckedOut) {
		t.Errorf("checked out twice: %v", err)
	}
	b := board(t, db, cat, "hotel", day(-2), day(1))
	if got := cell(t, b, "301", 1); got["张伟"] != "out" {
		t.Errorf("301 after the check-out: %v", got)
	}
	left, err := db.Clearance(ctx, cat, "", day(0))
	if err != nil || len(left) != 0 {
		t.Errorf("due to leave by today and not checked out: %+v %v", left, err)
	}
	left, err = db.Clearance(ctx, cat, "hotel", "")
	if err != nil || len(left) != 1 || left[0].Name != "王芳" || left[0].Room != "302" {
		t.Errorf("not checked out: %+v %v", left, err)
	}
	moves, _ := db.RoomMoves(ctx, cat, zw)
	if len(moves) != 1 || moves[0].Kind != "checkout" || moves[0].By != "前台乙" {
		t.Errorf("check-out recorded as %+v", moves)
	}
	// Checked out, then back for more nights: the stay is open again.
	if _, err := db.CheckOut(ctx, cat, wf, "", "前台乙"); err != nil {
		t.Fatal(err)
	}
	st, err = db.SetNights(ctx, cat, wf, store.NightsChange{CheckIn: day(-2), CheckOut: day(2), Reason: "返回续住"}, "前台乙")
	if err != nil || st.CheckedOutAt != nil || st.CheckOut != day(2) {
		t.Fatalf("nights after a check-out: %+v %v", st, err)
	}
	if got := cell(t, board(t, db, cat, "hotel", day(-2), day(2)), "302", 3); got["王芳"] != "in" {
		t.Errorf("302 tomorrow night: %v", got)
	}
}

// TestStranded: a departure called off (滞留) is registered in one step:
// the departure leg cancelled or rebooked, and the stay extended in its
// room or moved to a temporary room for the extra nights, each marked as
// a stranding with the leg it answers.
func TestStranded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, cat, ids, day := hotelEvent(t)
	zw, ln, wf := ids["d1"], ids["d2"], ids["d3"]
	pek, err := db.SaveStation(ctx, store.Station{Code: "pek", Name: "首都机场", Kind: "airport"}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	leave := map[int64]store.Leg{}
	for id, no := range map[int64]string{zw: "CA1501", ln: "MU5101", wf: "CZ3101"} {
		l, err := db.SaveLeg(ctx, store.Leg{AttendeeID: id, Direction: store.Departure, Mode: "flight", Number: no,
			StationID: pek.ID, OnDate: day(0)}, "test")
		if err != nil {
			t.Fatal(err)
		}
		leave[id] = l
	}
	for _, id := range []int64{zw, ln, wf} {
		checkIn(t, db, id)
	}
	if _, err := db.CheckOut(ctx, cat, ln, "", "前台甲"); err != nil {
		t.Fatal(err)
	}

	// 李娜 checked out, her flight is cancelled: a temporary room tonight.
	res, err := db.Strand(ctx, cat, ln, store.Stranding{Departure: "cancel", Stay: "temporary", Hotel: "river", Room: "802",
		Until: day(1), Reason: "航班取消（大雾）"}, "会务组甲")
	if err != nil || res.Stay.Hotel != "river" || res.Stay.Room != "802" || res.Stay.CheckOut != day(1) || res.Stay.CheckedOutAt != nil ||
		!res.Stay.Stranded || res.Leg == nil || res.Leg.Cancelled == nil {
		t.Fatalf("stranded with a temporary room: %+v %v", res, err)
	}
	if live, _ := db.Legs(ctx, store.LegFilter{Attendee: ln, Direction: store.Departure}); len(live) != 0 {
		t.Errorf("a cancelled departure is still live: %+v", live)
	}
	river := board(t, db, cat, "river", day(-2), day(1))
	if got := cell(t, river, "802", 2); got["李娜"] != "in" {
		t.Errorf("802 tonight: %v", got)
	}
	for _, r := range river.Rooms {
		for _, g := range r.Nights[2].Guests {
			if g.Name == "李娜" && (!g.Temporary || !g.Stranded) {
				t.Errorf("李娜 tonight is not marked temporary and stranded: %+v", g)
			}
		}
	}
	hotel := board(t, db, cat, "hotel", day(-2), day(1))
	if got := cell(t, hotel, "303", 1); got["李娜"] != "out" {
		t.Errorf("303 before the stranding: %v", got)
	}
	moves, _ := db.RoomMoves(ctx, cat, ln)
	if m := moves[len(moves)-1]; m.Kind != "temporary" || m.LegID != leave[ln].ID || !m.Stranded || m.ToNights != day(0)+".."+day(1) {
		t.Errorf("temporary room recorded as %+v", m)
	}

	// 张伟's room 301 is 陈静's tonight: extending it is refused.
	_, err = db.Strand(ctx, cat, zw, store.Stranding{Departure: "cancel", Stay: "extend", Until: day(1), Reason: "航班取消"}, "会务组甲")
	var full *store.RoomFullError
	if !errors.As(err, &full) {
		t.Fatalf("extended into 陈静's night: %v", err)
	}
	if live, _ := db.Legs(ctx, store.LegFilter{Attendee: zw, Direction: store.Departure}); len(live) != 1 {
		t.Errorf("a refused stranding cancelled the leg anyway: %+v", live)
	}

	// 王芳 flies tomorrow instead and keeps her twin room a night more.
	at := time.Now().Add(24 * time.Hour)
	res, err = db.Strand(ctx, cat, wf, store.Stranding{Departure: "rebook", Next: store.Leg{Mode: "flight", Number: "CZ3103",
		StationID: pek.ID, OnDate: day(1), At: &at}, Stay: "extend", Until: day(1), Reason: "航班取消（大雾）"}, "会务组甲")
	if err != nil || res.Stay.Room != "302" || res.Stay.CheckOut != day(1) || res.Leg == nil || res.Leg.Number != "CZ3103" ||
		res.Leg.Replaces != leave[wf].ID {
		t.Fatalf("rebooked and extended: %+v %v", res, err)
	}
	hotel = board(t, db, cat, "hotel", day(-2), day(1))
	if got := cell(t, hotel, "302", 2); got["王芳"] != "in" {
		t.Errorf("302 tonight: %v", got)
	}

	if _, err := db.Strand(ctx, cat, ids["o1"], store.Stranding{Departure: "cancel", Stay: "extend", Until: day(2), Reason: "x"}, "会务组甲"); !errors.Is(err, store.ErrNoDeparture) {
		t.Errorf("cancelling a departure nobody recorded: %v", err)
	}
	if _, err := db.Strand(ctx, cat, wf, store.Stranding{Departure: "cancel", Stay: "none"}, "会务组甲"); !errors.Is(err, store.ErrReasonRequired) {
		t.Errorf("a stranding without a reason: %v", err)
	}
}

// TestCancelLeg: a leg cancelled without a replacement stays on record,
// cancelled, and cannot be cancelled twice.
func TestCancelLeg(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ids := small(t)
	l, err := db.SaveLeg(ctx, store.Leg{AttendeeID: ids["d1"], Direction: store.Departure, Mode: "train", Number: "G102", OnDate: "2026-12-02"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.CancelLeg(ctx, l.ID, "误车", "会务组甲")
	if err != nil || got.Cancelled == nil || got.ID != l.ID {
		t.Fatalf("cancelled: %+v %v", got, err)
	}
	if _, err := db.CancelLeg(ctx, l.ID, "误车", "会务组甲"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cancelled twice: %v", err)
	}
	if live, _ := db.Legs(ctx, store.LegFilter{Attendee: ids["d1"]}); len(live) != 0 {
		t.Errorf("live legs: %+v", live)
	}
}
