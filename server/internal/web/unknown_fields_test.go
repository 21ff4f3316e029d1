package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// TestMisspeltFieldsRefused (issue 11): a field nothing has a place for —
// a session's "open_at" deep in PUT /event, a scan's "scanid" — is refused
// by name and changes nothing, never answered 200 with nothing done; what
// kiosks, the offline queue and the desk really send is still taken.
func TestMisspeltFieldsRefused(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	admin := testkit.AdminToken

	// PUT /event: the path of the misspelt field, 422, nothing stored.
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", admin, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	before, _ := json.Marshal(def)
	first := def["sessions"].([]any)[1].(map[string]any)
	first["open_at"] = first["opens_at"]
	delete(first, "opens_at")
	body, _ := json.Marshal(map[string]any{"sessions": def["sessions"]})
	got := curlSend(t, srv, "PUT", "/api/v1/event", admin, "application/json", string(body), false)
	var e struct {
		Errors []struct{ Path, Code string } `json:"errors"`
	}
	json.Unmarshal(got.Body, &e)
	if got.Status != 422 || len(e.Errors) != 1 || e.Errors[0].Path != "sessions[1].open_at" || e.Errors[0].Code != "unknown_field" {
		t.Errorf("PUT /event with sessions[1].open_at: HTTP %d %s", got.Status, got.Body)
	}
	var after map[string]any
	srv.Call("GET", "/event/definition", admin, nil, &after)
	if b, _ := json.Marshal(after); string(b) != string(before) {
		t.Error("the refused PUT changed the definition")
	}

	// Scans: a misspelt field anywhere is refused by name, and no scan is
	// recorded for it.
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	token := testkit.CredentialOf(t, srv, 7)
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for _, tc := range []struct {
		name, path, body, field string
	}{
		{"a scan", "/api/v1/checkins", `{"token":%q,"checkpoint":"hall-east","scanid":"u-1"}`, "scanid"},
		{"a batch", "/api/v1/checkins/batch", `{"scans":[],"device":%q}`, "device"},
		{"a scan in a batch", "/api/v1/checkins/batch", `{"scans":[{"token":%q,"checkpoint":"hall-east","scan_id":"u-2","scanned_at":"` + now + `","ofline":true}]}`, "ofline"},
	} {
		got := curlSend(t, srv, "POST", tc.path, kiosk, "application/json", fmt.Sprintf(tc.body, token), false)
		var d struct{ Field string }
		json.Unmarshal(got.Details, &d)
		if got.Status != 400 || got.Code != "unknown_field" || d.Field != tc.field || !strings.Contains(string(got.Body), tc.field) {
			t.Errorf("%s with %q: HTTP %d %s, want 400 unknown_field naming it", tc.name, tc.field, got.Status, got.Body)
		}
	}
	if n := scans(t, srv, `scan_id IN ('u-1', 'u-2')`); n != 0 {
		t.Errorf("%d scans recorded from refused bodies", n)
	}

	// What the kiosk sends online, what its offline queue uploads, what
	// the desk's 补签 sends.
	kioskScan := map[string]any{"token": token, "checkpoint": "hall-east", "scan_id": "k-1", "scanned_at": now}
	var res scanAnswer
	if st := srv.Call("POST", "/checkins", kiosk, kioskScan, &res); st != 200 || res.Status == "" {
		t.Errorf("the kiosk's scan: HTTP %d %+v", st, res)
	}
	queued := map[string]any{"token": testkit.CredentialOf(t, srv, 8), "checkpoint": "hall-east", "scan_id": "k-2", "scanned_at": now, "offline": true}
	var batch struct{ Results []scanAnswer }
	if st := srv.Call("POST", "/checkins/batch", kiosk, map[string]any{"scans": []any{queued}}, &batch); st != 200 || len(batch.Results) != 1 || batch.Results[0].Status == "" {
		t.Errorf("the offline queue's upload: HTTP %d %+v", st, batch)
	}
	manual := map[string]any{"attendee_id": 9, "checkpoint": "hall-east", "reason": "忘带证件", "scan_id": "d-1"}
	if st := srv.Call("POST", "/checkins", admin, manual, &res); st != 200 || res.Status == "" {
		t.Errorf("the desk's 补签: HTTP %d %+v", st, res)
	}
}
