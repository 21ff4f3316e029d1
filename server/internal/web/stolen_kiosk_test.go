package web_test

import (
	"encoding/json"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestRevokedKioskUploadsItsLastScans (issue 10.15): a revoked kiosk is
// told so in words it can act on (401 device_revoked, not a bare
// "unauthenticated"), and may hand in the scans it made offline before the
// revocation — once, and only those — so that wiping itself loses nothing
// the door decided. Its answers carry no names or seats, and nothing else
// is open to it.
func TestRevokedKioskUploadsItsLastScans(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	dev, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	people := testkit.Seated(t, srv, 2)
	before, after := testkit.CredentialOf(t, srv, people[0][0].(int64)), testkit.CredentialOf(t, srv, people[1][0].(int64))
	if st := srv.Call("POST", "/devices/"+dev+"/revoke", testkit.AdminToken, map[string]string{"reason": "被盗"}, nil); st != 204 && st != 200 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	var revokedAt string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT revoked_at FROM devices WHERE id = ?`, dev).Scan(&revokedAt); err != nil {
		t.Fatal(err)
	}
	at := store.ReadTime(revokedAt)

	var refusal struct{ Error struct{ Code string } }
	for _, call := range []struct{ method, path string }{{"GET", "/device"}, {"GET", "/kiosk/cache"}, {"GET", "/keys"}, {"POST", "/checkins"}} {
		if st := srv.Call(call.method, call.path, kiosk, map[string]any{"token": before, "checkpoint": "hall-east", "scan_id": "x"}, &refusal); st != 401 || refusal.Error.Code != "device_revoked" {
			t.Errorf("%s %s: HTTP %d %q, want 401 device_revoked", call.method, call.path, st, refusal.Error.Code)
		}
	}

	var batch struct{ Results []json.RawMessage }
	st := srv.Call("POST", "/checkins/batch", kiosk, map[string]any{"scans": []map[string]any{
		{"token": before, "checkpoint": "hall-east", "scan_id": "last-1", "offline": true, "scanned_at": at.Add(-2 * time.Minute)},
		{"token": after, "checkpoint": "hall-east", "scan_id": "last-2", "offline": true, "scanned_at": at.Add(time.Minute)},
		{"token": after, "checkpoint": "hall-east", "scan_id": "last-3", "scanned_at": at.Add(-time.Minute)},
	}}, &batch)
	if st != 200 || len(batch.Results) != 3 {
		t.Fatalf("last upload: HTTP %d, %d results", st, len(batch.Results))
	}
	var first map[string]any
	json.Unmarshal(batch.Results[0], &first)
	if first["status"] != "ok" || first["scan_id"] != "last-1" {
		t.Errorf("a scan from before the revocation: %s, want decided ok", batch.Results[0])
	}
	for _, leak := range []string{"attendee", "guidance", "message"} {
		if _, ok := first[leak]; ok {
			t.Errorf("a revoked kiosk was told the %s: %s", leak, batch.Results[0])
		}
	}
	for i, r := range batch.Results[1:] {
		var e scanAnswer
		json.Unmarshal(r, &e)
		if e.Error.Code != "device_revoked" {
			t.Errorf("scan %d (after the revocation, or not offline): %s, want refused device_revoked", i+2, r)
		}
	}
	if n := scans(t, srv, `device_id = ?`, dev); n != 1 {
		t.Errorf("%d scans stored from the revoked kiosk, want the one made before", n)
	}
	var audited int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'device.last_upload' AND subject = ?`, dev).Scan(&audited)
	if audited != 1 {
		t.Errorf("%d audit rows for the last upload, want 1", audited)
	}

	// Days after the revocation the token opens nothing at all.
	srv.App.Auth.SetClock(func() time.Time { return time.Now().Add(4 * 24 * time.Hour) })
	if st := srv.Call("POST", "/checkins/batch", kiosk, map[string]any{"scans": []map[string]any{
		{"token": before, "checkpoint": "hall-east", "scan_id": "late-1", "offline": true, "scanned_at": at.Add(-5 * 24 * time.Hour)},
	}}, &refusal); st != 401 || refusal.Error.Code != "device_revoked" {
		t.Errorf("an upload days after the revocation: HTTP %d %q, want 401 device_revoked", st, refusal.Error.Code)
	}
}
