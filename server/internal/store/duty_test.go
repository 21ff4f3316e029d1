package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// dutyRoom is an empty database with the main duty room and a hotel
// point, and two shifts at the main room: the one on now and the next.
func dutyRoom(t *testing.T) (db *store.DB, main, hotel store.DutyPlace, now, next store.DutyShift) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, testkit.StoreConfig(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if main, err = db.SaveDutyPlace(ctx, store.DutyPlace{Name: "会务组值班室", Phone: "0871-65550100", Main: true}, "test"); err != nil {
		t.Fatal(err)
	}
	if hotel, err = db.SaveDutyPlace(ctx, store.DutyPlace{Name: "酒店值班点", Sort: 2}, "test"); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Hour)
	if now, err = db.AddDutyShift(ctx, store.DutyShift{PlaceID: main.ID, StartsAt: start, EndsAt: start.Add(4 * time.Hour),
		People: []store.DutyPerson{{Name: "李娜", Phone: "13900000001", Lead: true}, {Name: "赵磊", Phone: "13900000002"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	if next, err = db.AddDutyShift(ctx, store.DutyShift{PlaceID: main.ID, StartsAt: now.EndsAt, EndsAt: now.EndsAt.Add(4 * time.Hour),
		People: []store.DutyPerson{{Name: "王芳", Phone: "13900000003"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	return db, main, hotel, now, next
}

var (
	liNa   = store.DutyWriter{Name: "李娜 (lina)", User: 0}
	wangFa = store.DutyWriter{Name: "王芳 (wangf)", User: 0}
)

// TestDutyShiftOverlap: a shift overlapping another at one place is
// refused, naming the other, unless the desk says why; another place is
// free; a shift with nobody on it or ending before it starts is refused.
func TestDutyShiftOverlap(t *testing.T) {
	t.Parallel()
	db, main, hotel, now, _ := dutyRoom(t)
	ctx := context.Background()
	s := store.DutyShift{PlaceID: main.ID, StartsAt: now.StartsAt.Add(time.Hour), EndsAt: now.EndsAt.Add(time.Hour),
		People: []store.DutyPerson{{Name: "张伟"}}}
	var over *store.DutyOverlapError
	if _, err := db.AddDutyShift(ctx, s, "test"); !errors.As(err, &over) || over.With.ID != now.ID {
		t.Fatalf("overlapping shift: %v", err)
	}
	s.OverlapReason = "开幕式前后加派一人"
	if got, err := db.AddDutyShift(ctx, s, "test"); err != nil || got.OverlapReason == "" {
		t.Fatalf("with a reason: %+v %v", got, err)
	}
	s.PlaceID, s.OverlapReason = hotel.ID, ""
	if _, err := db.AddDutyShift(ctx, s, "test"); err != nil {
		t.Fatalf("at the hotel: %v", err)
	}
	for _, bad := range []store.DutyShift{
		{PlaceID: hotel.ID, StartsAt: now.EndsAt.Add(48 * time.Hour), EndsAt: now.EndsAt.Add(49 * time.Hour)},
		{PlaceID: hotel.ID, StartsAt: now.EndsAt, EndsAt: now.StartsAt, People: []store.DutyPerson{{Name: "张伟"}}},
	} {
		if _, err := db.AddDutyShift(ctx, bad, "test"); !errors.Is(err, store.ErrDutyBadShift) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// TestDutyCorrectionKeepsTheOld: a correction is a new version written by
// its own writer with a reason; the first version stays as it was, and the
// entry's first writer stays its writer. A correction that changes nothing
// or gives no reason is refused.
func TestDutyCorrectionKeepsTheOld(t *testing.T) {
	t.Parallel()
	db, _, _, shift, _ := dutyRoom(t)
	ctx := context.Background()
	at := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	e, err := db.AddDutyEntry(ctx, store.DutyInput{Kind: "call", At: at, FromName: "陈主任", FromUnit: "省政府办公厅", FromPhone: "0871-63600001",
		Content: "询问开幕式时间", ToWhom: "秘书组", Open: true}, liNa)
	if err != nil {
		t.Fatal(err)
	}
	if e.CreatedBy != liNa.Name || e.State != store.DutyOpen || e.Shift != shift.ID || e.Version != 1 {
		t.Fatalf("written: %+v", e)
	}
	fix := store.DutyInput{Kind: "call", At: at, FromName: "陈主任", FromUnit: "省政府办公厅", FromPhone: "0871-63600002",
		Content: "询问开幕式时间", ToWhom: "秘书组"}
	if _, err := db.CorrectDutyEntry(ctx, e.ID, fix, wangFa); !errors.Is(err, store.ErrDutyUnchanged) {
		t.Fatalf("a correction without a reason: %v", err)
	}
	fix.Reason = "电话号码记错"
	got, err := db.CorrectDutyEntry(ctx, e.ID, fix, wangFa)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.FromPhone != "0871-63600002" || got.WrittenBy != wangFa.Name || got.CreatedBy != liNa.Name || len(got.Versions) != 2 {
		t.Fatalf("corrected: %+v", got)
	}
	if v := got.Versions[0]; v.FromPhone != "0871-63600001" || v.WrittenBy != liNa.Name || v.Version != 1 {
		t.Errorf("the first version changed: %+v", v)
	}
	if v := got.Versions[1]; v.Reason != "电话号码记错" {
		t.Errorf("the correction's reason: %+v", v)
	}
	if _, err := db.CorrectDutyEntry(ctx, e.ID, fix, wangFa); !errors.Is(err, store.ErrDutyUnchanged) {
		t.Errorf("the same text again: %v", err)
	}
	var audits int
	if err := db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'duty.entry.correct' AND subject = ? AND actor = ?`, fmt.Sprint(e.ID), wangFa.Name).Scan(&audits); err != nil || audits != 1 {
		t.Errorf("audited corrections: %d %v", audits, err)
	}
}

// TestDutyClose: closing an open item records who, when and what was
// done; closing it again is refused, and so is closing without saying
// what was done. An entry written as needing nothing more is done at once,
// by its writer.
func TestDutyClose(t *testing.T) {
	t.Parallel()
	db, _, _, _, _ := dutyRoom(t)
	ctx := context.Background()
	e, err := db.AddDutyEntry(ctx, store.DutyInput{Kind: "message", Content: "请通知各代表团团长 15:00 开会", ToWhom: "各代表团联络员", Open: true}, liNa)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseDutyEntry(ctx, e.ID, " ", wangFa); !errors.Is(err, store.ErrDutyOutcome) {
		t.Fatalf("closed without an outcome: %v", err)
	}
	before := time.Now()
	got, err := db.CloseDutyEntry(ctx, e.ID, "已逐一电话通知", wangFa)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.DutyDone || got.ClosedBy != wangFa.Name || got.Outcome != "已逐一电话通知" || got.ClosedAt.Before(before.Add(-time.Second)) {
		t.Fatalf("closed: %+v", got)
	}
	if _, err := db.CloseDutyEntry(ctx, e.ID, "again", liNa); !errors.Is(err, store.ErrDutyDone) {
		t.Errorf("closed twice: %v", err)
	}
	done, err := db.AddDutyEntry(ctx, store.DutyInput{Kind: "visit", FromName: "刘先生", Content: "取会议材料"}, liNa)
	if err != nil || done.State != store.DutyDone || done.ClosedBy != liNa.Name || done.Outcome == "" {
		t.Errorf("done on the spot: %+v %v", done, err)
	}
	if _, err := db.AddDutyEntry(ctx, store.DutyInput{Kind: "fax", Content: "x"}, liNa); !errors.Is(err, store.ErrDutyBadEntry) {
		t.Errorf("an unknown kind: %v", err)
	}
	if _, err := db.AddDutyEntry(ctx, store.DutyInput{Kind: "call", Content: "x", At: time.Now().Add(time.Hour)}, liNa); !errors.Is(err, store.ErrDutyBadEntry) {
		t.Errorf("an entry an hour ahead: %v", err)
	}
}

// TestDutyHandover: the handover lists exactly the items open at its
// place when it is taken over (not those closed, not the hotel's), moves
// them to the incoming shift and records both names and the time; the
// account that offered cannot take over, and a handover is taken once.
func TestDutyHandover(t *testing.T) {
	t.Parallel()
	db, main, hotel, now, next := dutyRoom(t)
	ctx := context.Background()
	add := func(in store.DutyInput) store.DutyEntry {
		t.Helper()
		e, err := db.AddDutyEntry(ctx, in, liNa)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	open1 := add(store.DutyInput{Kind: "call", FromName: "陈主任", Content: "要一份会议日程", Open: true})
	closed := add(store.DutyInput{Kind: "call", FromName: "周女士", Content: "问餐厅位置", Open: true})
	add(store.DutyInput{Kind: "visit", Content: "送来文件", PlaceID: hotel.ID, Open: true})
	add(store.DutyInput{Kind: "other", Content: "打印机卡纸，已处理"})
	if _, err := db.CloseDutyEntry(ctx, closed.ID, "已告知在一楼", liNa); err != nil {
		t.Fatal(err)
	}
	h, err := db.OfferHandover(ctx, 0, "陈主任要的日程还没送", liNa)
	if err != nil {
		t.Fatal(err)
	}
	if h.PlaceID != main.ID || h.FromShift != now.ID || !h.AcceptedAt.IsZero() || len(h.Items) != 1 {
		t.Fatalf("offered: %+v", h)
	}
	// Opened after the offer, before the take-over: handed over too.
	open2 := add(store.DutyInput{Kind: "message", Content: "转告王处长回电", Open: true})
	if again, err := db.OfferHandover(ctx, main.ID, "", liNa); err != nil || again.ID != h.ID || again.Note != h.Note {
		t.Fatalf("offered again: %+v %v", again, err)
	}
	if _, err := db.AcceptHandover(ctx, h.ID, liNa); !errors.Is(err, store.ErrDutySamePerson) {
		t.Fatalf("taken over by the one who offered: %v", err)
	}
	before := time.Now()
	got, err := db.AcceptHandover(ctx, h.ID, wangFa)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{}
	for _, it := range got.Items {
		ids = append(ids, it.ID)
	}
	if len(ids) != 2 || ids[0] != open1.ID || ids[1] != open2.ID {
		t.Errorf("handed over %v, want %d and %d", ids, open1.ID, open2.ID)
	}
	if got.OfferedBy != liNa.Name || got.AcceptedBy != wangFa.Name || got.AcceptedAt.Before(before.Add(-time.Second)) || got.ToShift != next.ID {
		t.Errorf("taken over: %+v", got)
	}
	for _, it := range got.Items {
		if it.Shift != next.ID || !it.CarriedOver || it.Origin != now.ID {
			t.Errorf("item %d: held by %d from %d, carried %t", it.ID, it.Shift, it.Origin, it.CarriedOver)
		}
	}
	if _, err := db.AcceptHandover(ctx, h.ID, wangFa); !errors.Is(err, store.ErrDutyAccepted) {
		t.Errorf("taken over twice: %v", err)
	}
	// Closing an item later leaves the handover's list as it was.
	if _, err := db.CloseDutyEntry(ctx, open1.ID, "日程已送到", wangFa); err != nil {
		t.Fatal(err)
	}
	if again, err := db.DutyHandover(ctx, h.ID); err != nil || len(again.Items) != 2 {
		t.Errorf("the handover later: %d items, %v", len(again.Items), err)
	}
	tally, err := db.DutySummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tally.Shifts != 2 || tally.Entries != 5 || tally.Open != 2 || tally.Closed != 3 || tally.ByKind["call"] != 2 || len(tally.OpenItems) != 2 {
		t.Errorf("summary: %+v", tally)
	}
}
