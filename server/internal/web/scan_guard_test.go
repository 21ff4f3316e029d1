package web_test

import (
	"encoding/json"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

type scanAnswer struct {
	Status   string `json:"status"`
	Attendee *struct {
		ID          int64  `json:"id"`
		DisplayName string `json:"display_name"`
	} `json:"attendee"`
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

func scans(t *testing.T, srv *testkit.Server, cond string, args ...any) int {
	t.Helper()
	var n int
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE `+cond, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestKioskScansOnlyAtItsCheckpoint (issue 10.1): a hall-door kiosk cannot
// use up a meal or check someone into the hotel by calling itself offline,
// online or in a batch; a kiosk moved while offline still uploads what it
// scanned before the move.
func TestKioskScansOnlyAtItsCheckpoint(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	dev, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	token := testkit.CredentialOf(t, srv, 5)
	for _, tc := range []struct {
		name string
		body map[string]any
	}{
		{"online", map[string]any{"token": token, "checkpoint": "dining1", "scan_id": "w1"}},
		{"offline", map[string]any{"token": token, "checkpoint": "dining1", "scan_id": "w2", "offline": true, "scanned_at": time.Now().Add(-time.Minute)}},
		{"hotel offline", map[string]any{"token": token, "checkpoint": "hotel-desk", "scan_id": "w3", "offline": true, "scanned_at": time.Now().Add(-time.Minute)}},
	} {
		var a scanAnswer
		if st := srv.Call("POST", "/checkins", kiosk, tc.body, &a); st != 403 || a.Error.Code != "wrong_checkpoint" {
			t.Errorf("%s: HTTP %d %+v, want 403 wrong_checkpoint", tc.name, st, a)
		}
	}
	var batch struct{ Results []scanAnswer }
	if st := srv.Call("POST", "/checkins/batch", kiosk, map[string]any{"scans": []map[string]any{
		{"token": token, "checkpoint": "dining2", "scan_id": "w4", "offline": true, "scanned_at": time.Now().Add(-time.Minute)},
	}}, &batch); st != 200 || len(batch.Results) != 1 || batch.Results[0].Error.Code != "wrong_checkpoint" {
		t.Errorf("batch: HTTP %d %+v, want the entry refused as wrong_checkpoint", st, batch)
	}
	if n := scans(t, srv, `checkpoint_id <> 'hall-east'`); n != 0 {
		t.Fatalf("%d scans recorded at checkpoints the kiosk does not stand at", n)
	}
	var meals int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM meal_redemptions`).Scan(&meals)
	if meals != 0 {
		t.Fatalf("%d meals used up by a hall-door kiosk", meals)
	}

	// Scanned at the hall door while offline, then moved to the dining hall
	// by the desk: the queue still uploads; a scan claiming the hall door
	// after the move does not.
	before := time.Now().Add(-2 * time.Second)
	if st := srv.Call("PATCH", "/devices/"+dev, testkit.AdminToken, map[string]string{"checkpoint": "dining1"}, nil); st != 200 {
		t.Fatalf("move kiosk: HTTP %d", st)
	}
	if st := srv.Call("POST", "/checkins/batch", kiosk, map[string]any{"scans": []map[string]any{
		{"token": token, "checkpoint": "hall-east", "scan_id": "q1", "offline": true, "scanned_at": before},
		{"token": testkit.CredentialOf(t, srv, 6), "checkpoint": "hall-east", "scan_id": "q2", "offline": true, "scanned_at": time.Now()},
	}}, &batch); st != 200 || batch.Results[0].Status != "ok" || batch.Results[1].Error.Code != "wrong_checkpoint" {
		b, _ := json.Marshal(batch)
		t.Errorf("queue after the move: HTTP %d %s", st, b)
	}
}

// TestScanIDIsPerDevice (issue 10.2): another kiosk (or another badge)
// reusing a scan_id is decided on its own, not answered with the first
// scan's person; the same kiosk reusing one for another badge is refused.
func TestScanIDIsPerDevice(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, k1 := testkit.PairedKiosk(t, srv, "hall-east")
	_, k2 := testkit.PairedKiosk(t, srv, "hall-east")
	first, second := testkit.CredentialOf(t, srv, 5), testkit.CredentialOf(t, srv, 6)
	var a, b, c scanAnswer
	srv.Call("POST", "/checkins", k1, map[string]any{"token": first, "checkpoint": "hall-east", "scan_id": "same"}, &a)
	if st := srv.Call("POST", "/checkins", k2, map[string]any{"token": second, "checkpoint": "hall-east", "scan_id": "same"}, &b); st != 200 ||
		b.Attendee == nil || b.Attendee.ID != 6 || b.Status != "ok" {
		t.Fatalf("second kiosk reusing an id: HTTP %d %+v (first kiosk's answer was %+v)", st, b, a)
	}
	if st := srv.Call("POST", "/checkins", k1, map[string]any{"token": second, "checkpoint": "hall-east", "scan_id": "same"}, &c); st != 409 || c.Error.Code != "scan_id_reused" {
		t.Fatalf("same kiosk, same id, another badge: HTTP %d %+v, want 409 scan_id_reused", st, c)
	}
	var again scanAnswer
	if st := srv.Call("POST", "/checkins", k1, map[string]any{"token": first, "checkpoint": "hall-east", "scan_id": "same"}, &again); st != 200 ||
		again.Status != a.Status || again.Attendee.ID != 5 {
		t.Fatalf("a true resend is answered as the first time: HTTP %d %+v", st, again)
	}
	if n := scans(t, srv, `scan_id = 'same'`); n != 2 {
		t.Fatalf("%d scans stored with id 'same', want 2 (one per kiosk)", n)
	}
}
