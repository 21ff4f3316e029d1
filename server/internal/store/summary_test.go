package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestSummaryReads (issue 13.5): the summary's own counts — scans by
// result, badges revoked by reason, revoked devices and accounts, people
// stranded — count what was recorded and nothing else.
func TestSummaryReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, cat, ids, day := hotelEvent(t)
	now := store.FormatTime(time.Now())
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO signing_keys (key_id, public_key, created_at) VALUES ('k1', ?, ?)`, []any{[]byte{0}, now}},
		{`INSERT INTO credentials (serial, attendee_id, key_id, issued_at, revoked_at, revoke_reason) VALUES (1, ?, 'k1', ?, ?, '')`, []any{ids["d1"], now, now}},
		{`INSERT INTO credentials (serial, attendee_id, key_id, issued_at, revoked_at, revoke_reason) VALUES (2, ?, 'k1', ?, ?, '遗失补办')`, []any{ids["d1"], now, now}},
		{`INSERT INTO credentials (serial, attendee_id, key_id, issued_at, revoked_at, revoke_reason) VALUES (3, ?, 'k1', ?, ?, '遗失补办')`, []any{ids["d2"], now, now}},
		{`INSERT INTO credentials (serial, attendee_id, key_id, issued_at) VALUES (4, ?, 'k1', ?)`, []any{ids["d1"], now}},
		{`INSERT INTO devices (id, name, kind, created_at, revoked_at) VALUES ('dv1', '东门签到机', 'kiosk', ?, ?)`, []any{now, now}},
		{`INSERT INTO devices (id, name, kind, created_at) VALUES ('dv2', '西门签到机', 'kiosk', ?)`, []any{now}},
	} {
		if _, err := db.ForTest().W.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	for i, status := range []string{"ok", "ok", "meal_used", "revoked", "meal_used", "invalid"} {
		if _, err := db.ForTest().W.Exec(`INSERT INTO scans (scan_id, source, status, scanned_at, received_at, response) VALUES (?, 'dv2', ?, ?, ?, '{}')`,
			fmt.Sprint(i), status, now, now); err != nil {
			t.Fatal(err)
		}
	}
	tally, err := db.ScanTally(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tally["ok"] != 2 || tally["meal_used"] != 2 || tally["revoked"] != 1 || tally["invalid"] != 1 || len(tally) != 4 {
		t.Errorf("scan tally %v", tally)
	}
	rv, err := db.Revocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Badges["reissued"] != 1 || rv.Badges["遗失补办"] != 2 || len(rv.Badges) != 2 {
		t.Errorf("revoked badges %v: want 1 reissued (no reason given) and 2 遗失补办", rv.Badges)
	}
	if len(rv.Devices) != 1 || rv.Devices[0].Name != "东门签到机" || rv.Devices[0].Kind != "kiosk" {
		t.Errorf("revoked devices %+v: want only 东门签到机", rv.Devices)
	}

	if n, err := db.StrandedCount(ctx); err != nil || n != 0 {
		t.Fatalf("stranded before any stranding: %d %v", n, err)
	}
	ln := ids["d2"]
	pek, err := db.SaveStation(ctx, store.Station{Code: "pek", Name: "首都机场", Kind: "airport"}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveLeg(ctx, store.Leg{AttendeeID: ln, Direction: store.Departure, Mode: "flight", Number: "MU5101",
		StationID: pek.ID, OnDate: day(0)}, "test"); err != nil {
		t.Fatal(err)
	}
	checkIn(t, db, ln)
	if _, err := db.CheckOut(ctx, cat, ln, "", "前台"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Strand(ctx, cat, ln, store.Stranding{Departure: "cancel", Stay: "temporary", Hotel: "river", Room: "802",
		Until: day(1), Reason: "航班取消"}, "会务组"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.StrandedCount(ctx); err != nil || n != 1 {
		t.Errorf("stranded after one stranding: %d %v", n, err)
	}
}
