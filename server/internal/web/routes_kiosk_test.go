package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"huiwu/kiosk/guidecache"
	"huiwu/server/internal/kioskcache"
	"huiwu/server/internal/testkit"
)

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A bare transport, so gzip is not undone behind the test's back.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestScannerCoreServed: the page can load the WebAssembly core (built
// from source on first request) and a wasm_exec.js, with the right types.
func TestScannerCoreServed(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	resp, body := get(t, srv.URL+"/kiosk/scanner.wasm", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/wasm" || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip wasm: HTTP %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	resp, plain := get(t, srv.URL+"/kiosk/scanner.wasm")
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(raw, plain) || !bytes.HasPrefix(plain, []byte("\x00asm")) {
		t.Fatalf("plain wasm: %v, %d bytes, gzip gave %d", resp.Header, len(plain), len(raw))
	}
	t.Logf("scanner.wasm: %d bytes, %d gzipped", len(plain), len(body))
	resp, js := get(t, srv.URL+"/kiosk/wasm_exec.js")
	if resp.StatusCode != 200 || !bytes.Contains(js, []byte("globalThis.Go")) {
		t.Fatalf("wasm_exec.js: HTTP %d, %d bytes", resp.StatusCode, len(js))
	}
}

// TestDeviceSelfAndFleet: a kiosk learns its checkpoint; its heartbeat and
// scans show on the desk's device list; a device-only call refuses others.
func TestDeviceSelfAndFleet(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, tok := testkit.PairedKiosk(t, srv, "hall-east")
	var self struct {
		Device struct {
			ID string `json:"id"`
		} `json:"device"`
		Checkpoint struct {
			ID, Kind string
		} `json:"checkpoint"`
	}
	if st := srv.Call("GET", "/device", tok, nil, &self); st != 200 || self.Device.ID != id ||
		self.Checkpoint.ID != "hall-east" || self.Checkpoint.Kind != "entrance" {
		t.Fatalf("GET /device: HTTP %d %+v", st, self)
	}
	if st := srv.Call("GET", "/device", testkit.AdminToken, nil, nil); st != 403 {
		t.Fatalf("GET /device as admin: HTTP %d, want 403", st)
	}
	if st := srv.Call("POST", "/device/status", tok, map[string]any{"queued": 3, "offline": true}, nil); st != 204 {
		t.Fatalf("heartbeat: HTTP %d", st)
	}
	who := testkit.Seated(t, srv, 1)[0][0].(int64)
	scan := map[string]any{"token": testkit.CredentialOf(t, srv, who), "scan_id": "fleet-1"}
	if st := srv.Call("POST", "/checkins", tok, scan, nil); st != 200 {
		t.Fatalf("scan: HTTP %d", st)
	}
	other, _ := testkit.PairedKiosk(t, srv, "dining1")
	if st := srv.Call("DELETE", "/devices/"+other, testkit.AdminToken, nil, nil); st != 204 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	var list []struct {
		ID         string  `json:"id"`
		Online     bool    `json:"online"`
		Queued     int     `json:"queued"`
		ScansToday int     `json:"scans_today"`
		LastSeen   *string `json:"last_seen_at"`
	}
	if st := srv.Call("GET", "/kiosk/devices", testkit.AdminToken, nil, &list); st != 200 {
		t.Fatalf("devices: HTTP %d", st)
	}
	byID := map[string]int{}
	for i, d := range list {
		byID[d.ID] = i
	}
	if d := list[byID[id]]; !d.Online || d.Queued != 3 || d.ScansToday != 1 || d.LastSeen == nil {
		t.Errorf("working kiosk: %+v", d)
	}
	if d := list[byID[other]]; d.Online || d.ScansToday != 0 {
		t.Errorf("revoked kiosk: %+v", d)
	}
	if st := srv.Call("GET", "/kiosk/devices", tok, nil, nil); st != 403 {
		t.Errorf("a kiosk read the device list: HTTP %d", st)
	}
}

// TestKioskCache: the kiosk's cache opens only with a badge, holds the seat
// at a door and the room only at the hotel desk, and drops replaced badges.
func TestKioskCache(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, tok := testkit.PairedKiosk(t, srv, "hall-east")
	people := testkit.Seated(t, srv, 2)
	who, seat := people[0][0].(int64), people[0][1].(string)
	badge := testkit.CredentialOf(t, srv, who)
	lost := people[1][0].(int64)
	oldBadge := testkit.CredentialOf(t, srv, lost)
	srv.Call("POST", fmt.Sprintf("/attendees/%d/credential", lost), testkit.AdminToken, nil, nil)

	var door kioskcache.Doc
	var live int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM credentials WHERE revoked_at IS NULL`).Scan(&live)
	// One record per live badge: a badge not yet issued cannot be shown.
	if st := srv.Call("GET", "/kiosk/cache", tok, nil, &door); st != 200 || len(door.Entries) != live || door.Kind != "entrance" {
		t.Fatalf("cache: HTTP %d, %d entries for %d live badges, kind %q", st, len(door.Entries), live, door.Kind)
	}
	rec := openRecord(t, door, badge)
	if g, ok := rec.Sessions["opening"]; rec.Attendee.ID != who || !ok || g.Label != seat || rec.Lodging != nil {
		t.Fatalf("door record %+v; want seat %s at the opening and no room", rec, seat)
	}
	if _, err := guidecache.Open(door.Entries, door.Event, oldBadge); err != guidecache.ErrNoRecord {
		t.Fatalf("a replaced badge opened a record: %v", err)
	}
	raw, _ := json.Marshal(door)
	if bytes.Contains(raw, []byte(rec.Attendee.DisplayName)) {
		t.Fatal("the cache shows a name in the clear")
	}

	var guest int64
	var room string
	srv.App.DB.ForTest().R.QueryRow(`SELECT l.attendee_id, l.room FROM lodging l JOIN checkpoints c ON c.venue_id = l.venue_id
		WHERE c.id = 'hotel-desk' LIMIT 1`).Scan(&guest, &room)
	guestBadge := testkit.CredentialOf(t, srv, guest)
	var hotel kioskcache.Doc
	if st := srv.Call("GET", "/kiosk/cache?checkpoint=hotel-desk", testkit.AdminToken, nil, &hotel); st != 200 {
		t.Fatalf("hotel cache: HTTP %d", st)
	}
	if g := openRecord(t, hotel, guestBadge).Lodging; g == nil || g.Room != room {
		t.Fatalf("hotel record %+v, want room %s", g, room)
	}
	if st := srv.Call("GET", "/kiosk/cache?checkpoint=nowhere", testkit.AdminToken, nil, nil); st != 400 {
		t.Fatalf("unknown checkpoint: HTTP %d", st)
	}
}

func openRecord(t *testing.T, doc kioskcache.Doc, token string) kioskcache.Record {
	t.Helper()
	plain, err := guidecache.Open(doc.Entries, doc.Event, token)
	if err != nil {
		t.Fatal(err)
	}
	var rec kioskcache.Record
	if err := json.Unmarshal(plain, &rec); err != nil {
		t.Fatal(err)
	}
	return rec
}
