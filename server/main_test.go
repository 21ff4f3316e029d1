package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/testkit"
)

// server is a running huiwu, started through run() exactly as main does.
type server struct {
	t    *testing.T
	base string
	data string // the data directory
}

const adminToken = "test-admin-token"

func startServer(t *testing.T) *server {
	t.Helper()
	return startServerOn(t, t.TempDir())
}

func startServerOn(t *testing.T, data string) *server {
	t.Helper()
	return startServerWith(t, data, true)
}

// startServerWith starts a server on data, with or without -demo. The
// demo is copied in from a loaded template when data has no database yet,
// as -demo would load it (loading takes seconds under -race).
func startServerWith(t *testing.T, data string, demo bool) *server {
	t.Helper()
	if _, err := os.Stat(filepath.Join(data, "huiwu.db")); demo && err != nil {
		testkit.CopyDemo(t, data, time.Now())
	}
	return startConfigured(t, Config{DataDir: data, Demo: demo, AdminToken: adminToken})
}

// startConfigured runs the server with cfg on a free loopback port.
func startConfigured(t *testing.T, cfg Config) *server {
	t.Helper()
	data := cfg.DataDir
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg.Addr = addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, cfg)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	s := &server{t: t, base: "http://" + addr, data: data}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.base + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call makes an API request and decodes the JSON answer into out (if not
// nil); it returns the status code.
func (s *server) call(method, path, token string, body any, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+"/api/v1"+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	return s.do(req, out)
}

func (s *server) do(req *http.Request, out any) int {
	s.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: %d %s: %v", req.Method, req.URL.Path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

type scanResult struct {
	Status   string `json:"status"`
	Code     string `json:"code"`
	Attendee *struct {
		ID          int64  `json:"id"`
		DisplayName string `json:"display_name"`
	} `json:"attendee"`
	Guidance *struct {
		Seat string `json:"seat"`
	} `json:"guidance"`
}

func (s *server) scan(token, body string) scanResult {
	s.t.Helper()
	var res scanResult
	req, _ := http.NewRequest("POST", s.base+"/api/v1/checkins", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if code := s.do(req, &res); code != 200 {
		s.t.Fatalf("scan %s: HTTP %d", body, code)
	}
	return res
}

type apiErr struct {
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

// TestNewcomerPath walks README's path: checkpoints, a credential, ok,
// already, reissue → revoked, a flipped character → invalid, and the
// attendance count moving on a websocket.
func TestNewcomerPath(t *testing.T) {
	s := startServer(t)
	var cps []struct{ ID, Kind string }
	if s.call("GET", "/checkpoints", adminToken, nil, &cps); len(cps) < 5 {
		t.Fatalf("checkpoints: %v", cps)
	}
	var found []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	s.call("GET", "/attendees?q=ly&limit=600", adminToken, nil, &found)
	if !slices.ContainsFunc(found, func(a struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}) bool {
		return a.Name == "刘䶮"
	}) {
		t.Fatalf("pinyin initials ly do not find 刘䶮: %v", found)
	}
	s.call("GET", "/attendees?q=%E5%88%98%E4%B6%AE", adminToken, nil, &found)
	if len(found) != 1 || found[0].Name != "刘䶮" {
		t.Fatalf("search 刘䶮: %v", found)
	}

	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(s.base, "http", "ws", 1)+"/ws?topics=attendance&token="+adminToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var snap struct {
		Topic, Type string
		Seq         int64
		Data        struct {
			Sessions []struct {
				SessionID string `json:"session_id"`
				Present   int    `json:"present"`
			} `json:"sessions"`
		}
	}
	if err := ws.ReadJSON(&snap); err != nil || snap.Type != "snapshot" || len(snap.Data.Sessions) != 5 {
		t.Fatalf("snapshot %+v: %v", snap, err)
	}

	id := found[0].ID
	var cred struct {
		Token  string `json:"token"`
		Serial int64  `json:"serial"`
	}
	s.call("GET", fmt.Sprintf("/attendees/%d/credential", id), adminToken, nil, &cred)
	body := func(tok, scanID string) string {
		return fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":%q}`, tok, scanID)
	}
	scanned := time.Now()
	if r := s.scan(adminToken, body(cred.Token, "n1")); r.Status != "ok" || r.Attendee.DisplayName != "刘䶮" || r.Guidance.Seat == "" {
		t.Fatalf("first scan: %+v", r)
	}
	var delta struct {
		Topic, Type string
		Seq         int64
		Data        struct {
			SessionID string `json:"session_id"`
			Present   int    `json:"present"`
		}
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := ws.ReadJSON(&delta); err != nil {
		t.Fatal(err)
	}
	t.Logf("attendance delta arrived %v after the scan was sent", time.Since(scanned))
	if delta.Type != "delta" || delta.Seq != snap.Seq+1 || delta.Data.SessionID != "opening" || delta.Data.Present != 1 {
		t.Fatalf("delta %+v after snapshot seq %d", delta, snap.Seq)
	}
	if r := s.scan(adminToken, body(cred.Token, "n2")); r.Status != "already" {
		t.Fatalf("second scan: %+v", r)
	}
	var fresh struct{ Token string }
	s.call("POST", fmt.Sprintf("/attendees/%d/credential", id), adminToken, map[string]string{"reason": "遗失"}, &fresh)
	if r := s.scan(adminToken, body(cred.Token, "n3")); r.Status != "revoked" {
		t.Fatalf("old token after reissue: %+v", r)
	}
	flipped := []byte(fresh.Token)
	i := len(flipped) / 2
	flipped[i] = map[bool]byte{true: 'B', false: 'A'}[flipped[i] == 'A']
	if r := s.scan(adminToken, body(string(flipped), "n4")); r.Status != "invalid" || r.Attendee != nil {
		t.Fatalf("flipped token: %+v", r)
	}
	var att struct {
		Present int `json:"present"`
	}
	s.call("GET", "/sessions/opening/attendance", adminToken, nil, &att)
	if att.Present != 1 {
		t.Errorf("present %d after one person's four scans", att.Present)
	}
}

func TestRolesAndMasking(t *testing.T) {
	s := startServer(t)
	users := map[string]string{}
	for _, role := range []string{"desk", "usher", "screen"} {
		var u struct{ Token string }
		if code := s.call("POST", "/users", adminToken, map[string]string{"name": role + "甲", "role": role}, &u); code != 201 {
			t.Fatalf("create %s: %d", role, code)
		}
		users[role] = u.Token
	}
	var e apiErr
	if code := s.call("POST", "/users", users["desk"], map[string]string{"name": "x", "role": "admin"}, &e); code != 403 {
		t.Errorf("desk created a user: %d", code)
	}
	if code := s.call("GET", "/attendees", users["screen"], nil, &e); code != 403 || e.Error.Code != "forbidden" {
		t.Errorf("screen listed attendees: %d %s", code, e.Error.Code)
	}
	if code := s.call("GET", "/sessions/opening/attendance", users["screen"], nil, nil); code != 200 {
		t.Errorf("screen cannot read counts: %d", code)
	}
	var ushers, desks []struct {
		Phone    string `json:"phone"`
		IDNumber string `json:"id_number"`
		Diet     string `json:"diet"`
	}
	s.call("GET", "/attendees?limit=600", users["usher"], nil, &ushers)
	s.call("GET", "/attendees?limit=600", users["desk"], nil, &desks)
	for i, a := range ushers {
		if !strings.Contains(a.Phone, "****") || (a.IDNumber != "" && !strings.Contains(a.IDNumber, "***")) || a.Diet != "" {
			t.Fatalf("usher sees %+v", a)
		}
		if desks[i].IDNumber != a.IDNumber {
			t.Fatalf("desk list shows an unmasked ID number")
		}
	}
	if code := s.call("POST", "/checkins", users["usher"], map[string]any{"attendee_id": 1, "checkpoint": "hall-east", "scan_id": "u"}, &e); code != 403 {
		t.Errorf("usher checked someone in: %d", code)
	}
	// A websocket for the screen may count but not see the seat map.
	_, resp, err := websocket.DefaultDialer.Dial(strings.Replace(s.base, "http", "ws", 1)+"/ws?topics=seats:opening&token="+users["screen"], nil)
	if err == nil || resp.StatusCode != 403 {
		t.Errorf("screen subscribed to the seat map: %v", err)
	}
}

func TestDevicePairingAndRevocation(t *testing.T) {
	s := startServer(t)
	var p struct {
		Device struct{ ID string }
		Code   string `json:"pairing_code"`
	}
	if code := s.call("POST", "/devices", adminToken, map[string]string{"name": "东门1号", "kind": "kiosk", "checkpoint": "hall-east"}, &p); code != 201 {
		t.Fatalf("create device: %d", code)
	}
	var paired struct{ Token string }
	if code := s.call("POST", "/pair", "", map[string]string{"code": p.Code}, &paired); code != 200 || paired.Token == "" {
		t.Fatalf("pair: %d", code)
	}
	if code := s.call("POST", "/pair", "", map[string]string{"code": p.Code}, nil); code != 403 {
		t.Errorf("a pairing code worked twice: %d", code)
	}
	var cred struct{ Token string }
	s.call("GET", "/attendees/2/credential", adminToken, nil, &cred)
	// The kiosk scans at its own checkpoint without naming it.
	if r := s.scan(paired.Token, fmt.Sprintf(`{"token":%q,"scan_id":"k1"}`, cred.Token)); r.Status != "ok" {
		t.Fatalf("kiosk scan: %+v", r)
	}
	var e apiErr
	if code := s.call("POST", "/checkins", paired.Token, map[string]any{"attendee_id": 3, "scan_id": "k2"}, &e); code != 403 {
		t.Errorf("kiosk did a manual check-in: %d", code)
	}
	if code := s.call("GET", "/attendees", paired.Token, nil, nil); code != 403 {
		t.Errorf("kiosk listed attendees: %d", code)
	}
	if code := s.call("DELETE", "/devices/"+p.Device.ID, adminToken, nil, nil); code != 204 {
		t.Fatalf("revoke: %d", code)
	}
	if code := s.call("POST", "/checkins", paired.Token, map[string]any{"token": cred.Token, "scan_id": "k3"}, &e); code != 401 {
		t.Errorf("revoked kiosk still scans: %d", code)
	}
	// Guessing pairing codes is rate-limited.
	limited := false
	for i := range 20 {
		if s.call("POST", "/pair", "", map[string]string{"code": fmt.Sprintf("%08d", i)}, nil) == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("20 wrong pairing codes in a row were not rate-limited")
	}
}

func TestLeaveThroughTheAPI(t *testing.T) {
	s := startServer(t)
	type counts struct {
		OnLeave int `json:"on_leave"`
		NotYet  int `json:"not_yet"` // before the start (docs/counts.md)
		Absent  int `json:"absent"`  // from the start
	}
	var before, during, after counts
	s.call("GET", "/sessions/opening/attendance", adminToken, nil, &before)
	if code := s.call("POST", "/sessions/opening/leaves", adminToken, map[string]any{"attendee_id": 40, "reason": "因病"}, nil); code != 201 {
		t.Fatalf("leave: %d", code)
	}
	if code := s.call("POST", "/sessions/opening/leaves", adminToken, map[string]any{"attendee_id": 40}, nil); code != 409 {
		t.Errorf("double leave: %d", code)
	}
	s.call("GET", "/sessions/opening/attendance", adminToken, nil, &during)
	if during.OnLeave != before.OnLeave+1 || during.NotYet+during.Absent != before.NotYet+before.Absent-1 {
		t.Errorf("leave did not move counts: %+v → %+v", before, during)
	}
	if code := s.call("DELETE", "/sessions/opening/leaves/40", adminToken, nil, nil); code != 204 {
		t.Fatalf("revoke leave: %d", code)
	}
	s.call("GET", "/sessions/opening/attendance", adminToken, nil, &after)
	if after != before {
		t.Errorf("after revoking: %+v, want %+v", after, before)
	}
}

func TestImportThroughTheAPI(t *testing.T) {
	s := startServer(t)
	upload := func(csv string, dry bool) (int, map[string]any) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "名单.csv")
		fw.Write([]byte(csv))
		mw.Close()
		url := s.base + "/api/v1/import"
		if dry {
			url += "?dry_run=1"
		}
		req, _ := http.NewRequest("POST", url, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+adminToken)
		var out map[string]any
		return s.do(req, &out), out
	}
	bad := "姓名,单位,类别,身份证号\n张三,某局,代表,1.10101E+17\n李四,某厅,路人,\n"
	code, out := upload(bad, false)
	if code != 422 {
		t.Fatalf("bad file: %d %v", code, out)
	}
	errs := out["errors"].([]any)
	first := errs[0].(map[string]any)
	if first["row"].(float64) != 2 || first["column"] != "D" {
		t.Errorf("first error at row %v column %v, want row 2 column D: %v", first["row"], first["column"], first)
	}
	good := "姓名,单位,类别,手机\n张三,某局,代表,13800138000\n李四,某厅,列席,13900139000\n"
	if code, out = upload(good, true); code != 200 || out["created"].(float64) != 2 {
		t.Fatalf("dry run: %d %v", code, out)
	}
	var all []struct{ Name string }
	s.call("GET", "/attendees?q=13800138000", adminToken, nil, &all)
	if len(all) != 0 {
		t.Fatal("a dry run stored attendees")
	}
	if code, out = upload(good, false); code != 200 || out["created"].(float64) != 2 {
		t.Fatalf("import: %d %v", code, out)
	}
	edited := strings.Replace(good, "某局", "某局办公室", 1)
	if code, out = upload(edited, false); code != 200 || out["created"].(float64) != 0 || out["updated"].(float64) != 2 {
		t.Fatalf("re-import: %d %v", code, out)
	}
	s.call("GET", "/attendees?q=8000", adminToken, nil, &all)
	if len(all) != 1 {
		t.Errorf("phone tail search after re-import: %v", all)
	}
}

func TestBatchAndCrossSite(t *testing.T) {
	s := startServer(t)
	var cred struct{ Token string }
	s.call("GET", "/attendees/5/credential", adminToken, nil, &cred)
	past := time.Now().Add(-2 * time.Minute).Format(time.RFC3339)
	var out struct{ Results []map[string]any }
	s.call("POST", "/checkins/batch", adminToken, map[string]any{"scans": []map[string]any{
		{"token": cred.Token, "checkpoint": "hall-east", "scan_id": "b1", "scanned_at": past, "offline": true},
		{"token": cred.Token, "checkpoint": "hall-west", "scan_id": "b2", "scanned_at": past, "offline": true},
		{"token": cred.Token, "checkpoint": "nowhere", "scan_id": "b3"},
	}}, &out)
	if len(out.Results) != 3 || out.Results[0]["status"] != "ok" || out.Results[1]["status"] != "already" || out.Results[2]["error"] == nil {
		t.Fatalf("batch: %v", out.Results)
	}
	// A page's cookie does not authorise a write from another site.
	req, _ := http.NewRequest("POST", s.base+"/api/v1/sessions/opening/leaves", strings.NewReader(`{"attendee_id":7}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://evil.example")
	req.AddCookie(&http.Cookie{Name: "huiwu_token", Value: adminToken})
	var e apiErr
	if code := s.do(req, &e); code != 403 || e.Error.Code != "cross_site" {
		t.Errorf("cross-site write: %d %s", code, e.Error.Code)
	}
}
