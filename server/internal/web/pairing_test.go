package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// kioskPost posts JSON to one of the kiosk's unauthenticated pairing
// endpoints (outside /api/v1) and decodes the answer into out.
func kioskPost(t *testing.T, srv *testkit.Server, path string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

type pairReq struct {
	Code    string    `json:"code"`
	Claim   string    `json:"claim"`
	Expires time.Time `json:"expires_at"`
	QR      string    `json:"qr"`
}

type pairPoll struct {
	Token  string `json:"token"`
	Device struct {
		ID         string `json:"id"`
		Checkpoint string `json:"checkpoint"`
	} `json:"device"`
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

func requestPairing(t *testing.T, srv *testkit.Server) pairReq {
	t.Helper()
	var r pairReq
	if st := kioskPost(t, srv, "/kiosk/pair/request", struct{}{}, &r); st != 201 {
		t.Fatalf("pair request: HTTP %d", st)
	}
	return r
}

func claim(srv *testkit.Server, code, checkpoint string, out any) int {
	return srv.Call("POST", "/devices/claim", testkit.AdminToken,
		map[string]string{"code": code, "name": "东门 2 号", "kind": "kiosk", "checkpoint": checkpoint}, out)
}

// TestKioskInitiatedPairing walks the whole flow: the kiosk's code is
// claimed once, the kiosk collects its token once, and revoking the device
// stops the token on the very next request.
func TestKioskInitiatedPairing(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	r := requestPairing(t, srv)
	if len(r.Code) != 8 || len(r.Claim) < 30 || time.Until(r.Expires) < 14*time.Minute || !strings.HasPrefix(r.QR, "data:image/png;base64,") {
		t.Fatalf("request answered %+v", r)
	}
	var p pairPoll
	if st := kioskPost(t, srv, "/kiosk/pair/poll", map[string]string{"claim": r.Claim}, &p); st != 202 || p.Token != "" {
		t.Fatalf("poll before claim: HTTP %d %+v", st, p)
	}
	wrong := "00000000"
	if r.Code == wrong {
		wrong = "00000001"
	}
	if st := claim(srv, wrong, "hall-east", nil); st != 404 {
		t.Fatalf("wrong code: HTTP %d, want 404", st)
	}
	if st := claim(srv, r.Code, "no-such-door", nil); st != 400 {
		t.Fatalf("unknown checkpoint: HTTP %d, want 400", st)
	}
	var dev struct {
		ID string `json:"id"`
	}
	// The desk may type the code as the kiosk groups it, or scan its QR.
	if st := claim(srv, r.Code[:4]+" "+r.Code[4:], "hall-east", &dev); st != 201 || dev.ID == "" {
		t.Fatalf("claim: HTTP %d", st)
	}
	if st := claim(srv, "HUIWU-PAIR:"+r.Code, "hall-west", nil); st != 404 {
		t.Fatalf("second claim of one code: HTTP %d, want 404", st)
	}
	if st := kioskPost(t, srv, "/kiosk/pair/poll", map[string]string{"claim": r.Claim}, &p); st != 200 || p.Token == "" ||
		p.Device.ID != dev.ID || p.Device.Checkpoint != "hall-east" {
		t.Fatalf("poll after claim: HTTP %d %+v", st, p)
	}
	var again pairPoll
	if st := kioskPost(t, srv, "/kiosk/pair/poll", map[string]string{"claim": r.Claim}, &again); st != 410 || again.Token != "" ||
		again.Error.Code != "pairing_expired" {
		t.Fatalf("second poll: HTTP %d %+v", st, again)
	}
	var self struct {
		Checkpoint struct {
			ID string `json:"id"`
		} `json:"checkpoint"`
	}
	if st := srv.Call("GET", "/device", p.Token, nil, &self); st != 200 || self.Checkpoint.ID != "hall-east" {
		t.Fatalf("device self: HTTP %d %+v", st, self)
	}
	if st := srv.Call("POST", "/devices/"+dev.ID+"/revoke", testkit.AdminToken, map[string]string{"reason": " "}, nil); st != 400 {
		t.Fatalf("revoke without a reason: HTTP %d, want 400", st)
	}
	if st := srv.Call("POST", "/devices/"+dev.ID+"/revoke", testkit.AdminToken, map[string]string{"reason": "设备丢失"}, nil); st != 204 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	var why string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT detail FROM audit WHERE action = 'device.revoke' AND subject = ?`, dev.ID).Scan(&why); err != nil || why != "设备丢失" {
		t.Fatalf("audit of revoke: %q %v", why, err)
	}
	if st := srv.Call("GET", "/device", p.Token, nil, nil); st != 401 {
		t.Fatalf("revoked kiosk: HTTP %d, want 401", st)
	}
	// Only the desk claims codes.
	if st := srv.Call("POST", "/devices/claim", p.Token, map[string]string{"code": r.Code}, nil); st != 401 {
		t.Fatalf("claim by revoked kiosk: HTTP %d, want 401", st)
	}
}

// TestPairingExpires: an expired code cannot be claimed and its kiosk is
// told to get a new one; a device revoked before the kiosk collected its
// token gets none.
func TestPairingExpires(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	old := requestPairing(t, srv)
	if _, err := srv.App.DB.ForTest().W.Exec(`UPDATE pairing_requests SET expires_at = ?`, store.FormatTime(time.Now().Add(-time.Second))); err != nil {
		t.Fatal(err)
	}
	if st := claim(srv, old.Code, "hall-east", nil); st != 404 {
		t.Fatalf("claim of expired code: HTTP %d, want 404", st)
	}
	if st := kioskPost(t, srv, "/kiosk/pair/poll", map[string]string{"claim": old.Claim}, nil); st != 410 {
		t.Fatalf("poll of expired request: HTTP %d, want 410", st)
	}
	if st := kioskPost(t, srv, "/kiosk/pair/poll", map[string]string{"claim": "hwc_made-up"}, nil); st != 410 {
		t.Fatalf("poll with unknown claim: HTTP %d, want 410", st)
	}

	r := requestPairing(t, srv)
	var dev struct {
		ID string `json:"id"`
	}
	if st := claim(srv, r.Code, "dining1", &dev); st != 201 {
		t.Fatalf("claim: HTTP %d", st)
	}
	if st := srv.Call("DELETE", "/devices/"+dev.ID, testkit.AdminToken, nil, nil); st != 204 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	var p pairPoll
	if st := kioskPost(t, srv, "/kiosk/pair/poll", map[string]string{"claim": r.Claim}, &p); st != 410 || p.Token != "" {
		t.Fatalf("poll for revoked device: HTTP %d %+v", st, p)
	}
	var n int
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM pairing_requests WHERE device_id IS NOT NULL`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("claimed requests left behind: %d %v", n, err)
	}
}

// TestPairingRateLimited: guessing codes at the desk and asking for codes
// without end are both cut off, and the old desk-first flow still works.
func TestPairingRateLimited(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	limited := false
	for i := range 25 {
		st := claim(srv, "9999999"+string(rune('0'+i%10)), "hall-east", nil)
		if st == 429 {
			limited = i >= 10
			break
		}
		if st != 404 {
			t.Fatalf("guess %d: HTTP %d", i, st)
		}
	}
	if !limited {
		t.Fatal("25 wrong codes in a row were never refused")
	}
	for i := range 12 {
		st := kioskPost(t, srv, "/kiosk/pair/request", struct{}{}, nil)
		if i < 10 && st != 201 || i >= 10 && st != 429 {
			t.Fatalf("request %d: HTTP %d", i, st)
		}
	}
	if _, tok := testkit.PairedKiosk(t, srv, "hall-west"); tok == "" {
		t.Fatal("old pairing flow gave no token")
	}
}
