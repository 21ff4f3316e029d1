package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/checkin"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// counts is the demo's item counts by code.
func counts(t *testing.T, db *store.DB) map[string]store.ItemCount {
	t.Helper()
	cs, err := db.ItemCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.ItemCount{}
	for _, c := range cs {
		out[c.Code] = c
	}
	return out
}

// owed is one person's line on the desk's list.
func owed(t *testing.T, db *store.DB, id int64) store.Owed {
	t.Helper()
	list, err := db.MaterialsOwed(context.Background(), store.OwedFilter{Attendee: id})
	if err != nil || len(list) != 1 {
		t.Fatalf("owed of %d: %v %v", id, list, err)
	}
	return list[0]
}

// noHandouts finds an active attendee of category cat who has been handed
// nothing.
func noHandouts(t *testing.T, db *store.DB, cat string) int64 {
	t.Helper()
	var id int64
	err := db.ForTest().R.QueryRow(`SELECT id FROM attendees a WHERE status = 'active' AND category = ?
		AND NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.attendee_id = a.id) ORDER BY id LIMIT 1`, cat).Scan(&id)
	if err != nil {
		t.Fatalf("a %s with no handouts: %v", cat, err)
	}
	return id
}

// TestMaterialsCountsAndOwed: the demo's counts agree with who is due
// what; a hand entry moves the person off the not-collected list and the
// counts by one, once; an item the person is not due needs a reason.
func TestMaterialsCountsAndOwed(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, time.Now())
	ctx, db := context.Background(), env.DB

	before := counts(t, db)
	var deputies, staffAndPress int
	if err := db.ForTest().R.QueryRow(`SELECT count(*) FILTER (WHERE category IN ('deputy', 'guest')),
		count(*) FILTER (WHERE category IN ('staff', 'press')) FROM attendees WHERE status = 'active'`).Scan(&deputies, &staffAndPress); err != nil {
		t.Fatal(err)
	}
	if got := before["souvenir"]; got.Due != deputies || got.Given != 0 || got.Left != deputies || got.Stock != nil {
		t.Fatalf("souvenir: %+v, want due %d (deputies and guests), none given, no stock", got, deputies)
	}
	if f := before["folder"]; f.Given == 0 || f.Left == 0 || f.Given+f.Left != f.Due {
		t.Fatalf("folder in the demo: %+v, want half handed out and given + left = due", f)
	}
	if h := before["handbook"]; h.Due <= before["folder"].Due || h.Due-before["folder"].Due != staffAndPress {
		t.Fatalf("handbook due %d, folder due %d: staff and press (%d) get the handbook only", h.Due, before["folder"].Due, staffAndPress)
	}

	id := noHandouts(t, db, "deputy")
	o := owed(t, db, id)
	if len(o.Items) != 5 || len(o.Missing()) != 5 {
		t.Fatalf("a deputy with nothing yet: %+v, want 5 items all missing", o)
	}
	missing, err := db.MaterialsOwed(ctx, store.OwedFilter{Item: "folder", Missing: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != before["folder"].Left || !containsPerson(missing, id) {
		t.Fatalf("not-collected list of folder: %d people (want %d) with %d in it: %v", len(missing), before["folder"].Left, id, containsPerson(missing, id))
	}

	res, err := db.GiveByHand(ctx, id, []string{"folder", "badge"}, "", "desk1", time.Now())
	if err != nil || len(res) != 2 || !res[0].Given || !res[1].Given {
		t.Fatalf("give by hand: %+v %v", res, err)
	}
	again, err := db.GiveByHand(ctx, id, []string{"folder"}, "", "desk2", time.Now())
	if err != nil || len(again) != 1 || again[0].Given || again[0].At == nil || again[0].Place != "报到处" {
		t.Fatalf("second hand entry: %+v %v, want 已领 with when and where", again, err)
	}
	after := counts(t, db)
	if f := after["folder"]; f.Given != before["folder"].Given+1 || f.Left != before["folder"].Left-1 {
		t.Fatalf("folder after one handout: %+v, before %+v", f, before["folder"])
	}
	missing, err = db.MaterialsOwed(ctx, store.OwedFilter{Item: "folder", Missing: true})
	if err != nil || containsPerson(missing, id) {
		t.Fatalf("the person is still on the folder's not-collected list (%v)", err)
	}
	if o := owed(t, db, id); len(o.Missing()) != 3 {
		t.Fatalf("after the folder and the badge: %+v, want 3 missing", o.Missing())
	}
	var audited int
	if err := db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'materials.handout' AND subject = ?`, fmt.Sprint(id)).Scan(&audited); err != nil || audited != 2 {
		t.Fatalf("%d handouts audited (%v), want 2", audited, err)
	}

	staff := noHandouts(t, db, "staff")
	if _, err := db.GiveByHand(ctx, staff, []string{"souvenir"}, "", "desk1", time.Now()); !errors.Is(err, store.ErrNotDue) {
		t.Fatalf("a souvenir to staff without a reason: %v, want ErrNotDue", err)
	}
	if _, err := db.GiveByHand(ctx, staff, []string{"souvenir"}, "秘书长批准", "desk1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if s := counts(t, db)["souvenir"]; s.Given != 1 || s.Left != deputies {
		t.Fatalf("souvenir after one to staff: %+v, want given 1 and still %d left to the due", s, deputies)
	}
}

func containsPerson(list []store.Owed, id int64) bool {
	for _, o := range list {
		if o.AttendeeID == id {
			return true
		}
	}
	return false
}

// TestScanHandsOutOnce: a scan at a checkpoint that hands out items gives
// them and records them in the scan's transaction; the next scan, at
// another checkpoint that hands the same item, answers 已领 with when and
// where; a resent scan id answers as the first time and records nothing.
func TestScanHandsOutOnce(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, time.Now())
	ctx, db := context.Background(), env.DB
	id := noHandouts(t, db, "deputy")
	tok := env.Token(t, id)
	first, err := env.Engine.Scan(ctx, checkin.Request{Token: tok, Checkpoint: "hall-east", ScanID: "m1", Device: "k1", Actor: "k1"})
	if err != nil || first.Status != checkin.StatusOK || first.Handout == nil {
		t.Fatalf("first scan: %+v %v", first, err)
	}
	if g := first.Handout.Give; len(g) != 2 || g[0].Code != "folder" || g[1].Code != "handbook" {
		t.Fatalf("handed at the east door: %+v, want folder and handbook", g)
	}
	second, err := env.Engine.Scan(ctx, checkin.Request{Token: tok, Checkpoint: "hall-west", ScanID: "m2", Device: "k2", Actor: "k2"})
	if err != nil || second.Handout == nil || len(second.Handout.Give) != 0 || len(second.Handout.Already) != 2 {
		t.Fatalf("second scan: %+v %v", second.Handout, err)
	}
	if a := second.Handout.Already[0]; a.At == nil || a.Place != "大会堂东门" {
		t.Fatalf("已领 says %+v, want when and 大会堂东门", a)
	}
	replay, err := env.Engine.Scan(ctx, checkin.Request{Token: tok, Checkpoint: "hall-east", ScanID: "m1", Device: "k1", Actor: "k1"})
	if err != nil || replay.Handout == nil || len(replay.Handout.Give) != 2 {
		t.Fatalf("resent scan: %+v %v, want the first answer", replay.Handout, err)
	}
	var n int
	if err := db.ForTest().R.QueryRow(`SELECT count(*) FROM material_handouts WHERE attendee_id = ?`, id).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d handouts recorded (%v), want 2", n, err)
	}
}

// TestOfflineScanHandsOutOnUpload: a kiosk that scanned offline decides
// without the handout (its cache does not carry it); when its queue is
// uploaded, the server records the handout at the time of the scan, and
// the second scan of the queue answers 已领.
func TestOfflineScanHandsOutOnUpload(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, time.Now())
	ctx, db := context.Background(), env.DB
	id := noHandouts(t, db, "deputy")
	tok := env.Token(t, id)
	at := env.Now().Add(-3 * time.Minute).Truncate(time.Millisecond)
	out, err := env.Engine.ScanBatch(ctx, []checkin.Request{
		{Token: tok, Checkpoint: "hall-east", ScanID: "q1", Device: "k1", Actor: "k1", Offline: true, ScannedAt: at},
		{Token: tok, Checkpoint: "hall-east", ScanID: "q2", Device: "k1", Actor: "k1", Offline: true, ScannedAt: at.Add(time.Minute)},
	})
	if err != nil || out[0].Err != nil || out[1].Err != nil {
		t.Fatalf("upload: %v %+v", err, out)
	}
	if h := out[0].Handout; h == nil || len(h.Give) != 2 {
		t.Fatalf("first queued scan: %+v, want the two items handed", h)
	}
	if h := out[1].Handout; h == nil || len(h.Give) != 0 || len(h.Already) != 2 || !h.Already[0].At.Equal(at) {
		t.Fatalf("second queued scan: %+v, want 已领 at %v", h, at)
	}
	list, err := db.MaterialsOwed(ctx, store.OwedFilter{Attendee: id})
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	for _, h := range list[0].Items {
		if (h.Code == "folder" || h.Code == "handbook") && (!h.Given || !h.At.Equal(at) || h.Place != "大会堂东门") {
			t.Fatalf("%s recorded as %+v, want at the scan's time %v at 大会堂东门", h.Code, h, at)
		}
	}
}
