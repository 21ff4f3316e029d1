package web_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/app"
	"huiwu/server/internal/testkit"
	"huiwu/server/internal/web"
)

// TestParsePeers: -peers takes base URLs and keeps their origins, in order
// and once each; anything a kiosk could not put /api/v1 behind is refused.
func TestParsePeers(t *testing.T) {
	t.Parallel()
	got, err := web.ParsePeers(" http://10.0.0.2:8080, HTTPS://B.example/ ,, http://10.0.0.2:8080")
	if err != nil || strings.Join(got, " ") != "http://10.0.0.2:8080 https://b.example" {
		t.Fatalf("ParsePeers = %q, %v", got, err)
	}
	if got, err := web.ParsePeers(""); err != nil || len(got) != 0 {
		t.Fatalf("no peers: %q, %v", got, err)
	}
	for _, bad := range []string{"10.0.0.2:8080", "ftp://a.example", "http://a.example/huiwu", "http://a.example?x=1",
		"http://user@a.example", "http://", "http://a b.example"} {
		if _, err := web.ParsePeers(bad); err == nil {
			t.Errorf("ParsePeers(%q) took it", bad)
		}
	}
}

// TestPeersForKiosks: a server started with peers names them, itself
// first, in the pairing answer and in GET /device; its kiosk page may
// connect to them (CSP); its API answers their pages' preflights and
// requests (CORS, never with credentials) and nobody else's; its websocket
// admits their pages with a token, never with a cookie.
func TestPeersForKiosks(t *testing.T) {
	t.Parallel()
	const peerA, peerB = "http://a.example:8080", "https://b.example"
	dir := t.TempDir()
	testkit.CopyDemo(t, dir, time.Now())
	a, err := app.Start(context.Background(), app.Config{DataDir: dir, AdminToken: testkit.AdminToken, Demo: true, Peers: peerA + "," + peerB})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.Serve(ln)
	t.Cleanup(func() { a.Close() })
	base := "http://" + ln.Addr().String()
	self := strings.ToLower(base)

	do := func(method, path string, hdr map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	// The kiosk page may reach the peers' API and websocket.
	csp := do("GET", "/kiosk", nil).Header.Get("Content-Security-Policy")
	for _, src := range []string{peerA, "ws://a.example:8080", peerB, "wss://b.example"} {
		if !strings.Contains(csp, " "+src) {
			t.Errorf("kiosk CSP lacks %s: %s", src, csp)
		}
	}
	if desk := do("GET", "/desk", nil).Header.Get("Content-Security-Policy"); strings.Contains(desk, "a.example") {
		t.Errorf("the desk's CSP names a peer: %s", desk)
	}

	// CORS: a peer's preflight is answered; a stranger's is not.
	pre := do("OPTIONS", "/api/v1/checkins", map[string]string{"Origin": peerA, "Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization,content-type"})
	if pre.StatusCode != 204 || pre.Header.Get("Access-Control-Allow-Origin") != peerA ||
		!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") ||
		pre.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("peer's preflight: HTTP %d %v", pre.StatusCode, pre.Header)
	}
	if h := do("GET", "/api/v1/health", map[string]string{"Origin": peerB}).Header.Get("Access-Control-Allow-Origin"); h != peerB {
		t.Fatalf("health for a peer's page: Access-Control-Allow-Origin %q", h)
	}
	for _, r := range []*http.Response{
		do("OPTIONS", "/api/v1/checkins", map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}),
		do("GET", "/api/v1/health", map[string]string{"Origin": "http://evil.example"}),
		do("POST", "/kiosk/pair/request", map[string]string{"Origin": peerA}), // outside /api/v1: pairing stays on the page's own server
	} {
		if h := r.Header.Get("Access-Control-Allow-Origin"); h != "" {
			t.Errorf("%s %s: Access-Control-Allow-Origin %q", r.Request.Method, r.Request.URL.Path, h)
		}
	}

	// Pairing and the kiosk's own record name the servers, this one first.
	srv := &testkit.Restartable{T: t, Addr: ln.Addr().String()} // for its Call: straight to this server
	_, code := testkit.NewKiosk(t, srv, "东门", "hall-east")
	var paired struct {
		Token   string   `json:"token"`
		Servers []string `json:"servers"`
	}
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": code}, &paired); st != 200 || paired.Token == "" {
		t.Fatalf("pair: HTTP %d", st)
	}
	want := []string{self, peerA, peerB}
	if !slices.Equal(paired.Servers, want) {
		t.Fatalf("pairing answer's servers %q, want %q", paired.Servers, want)
	}
	var me struct {
		Servers []string `json:"servers"`
	}
	if st := srv.Call("GET", "/device", paired.Token, nil, &me); st != 200 || !slices.Equal(me.Servers, want) {
		t.Fatalf("GET /device: HTTP %d, servers %q, want %q", st, me.Servers, want)
	}

	// The websocket: a peer's page with the kiosk's token; not a stranger's
	// page, and not a peer's page on a cookie.
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws?topics=event"
	dial := func(query string, hdr http.Header) int {
		t.Helper()
		c, resp, err := websocket.DefaultDialer.Dial(ws+query, hdr)
		if err == nil {
			c.Close()
			return 101
		}
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		return resp.StatusCode
	}
	if st := dial("&token="+paired.Token, http.Header{"Origin": {peerA}}); st != 101 {
		t.Fatalf("a peer's kiosk page with its token: HTTP %d", st)
	}
	if st := dial("&token="+paired.Token, http.Header{"Origin": {"http://evil.example"}}); st != 403 {
		t.Fatalf("a stranger's page: HTTP %d, want 403", st)
	}
	cookie := http.Header{"Cookie": {"huiwu_token=" + testkit.AdminToken}}
	if st := dial("", cookie); st != 101 {
		t.Fatalf("the server's own page on its cookie: HTTP %d", st)
	}
	cookie.Set("Origin", peerA)
	if st := dial("", cookie); st != 401 {
		t.Fatalf("a peer's page on this server's cookie: HTTP %d, want 401", st)
	}
}
