package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/app"
	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// restartable is a server whose process can be stopped and started again
// on the same data directory and address, as a venue's server is after a
// power cut.
type restartable struct {
	t    *testing.T
	dir  string
	addr string
	app  *app.App
	done chan error
	// beforeServe, if set, runs once the server is up and before it
	// answers anyone: what the desk did while a kiosk was away.
	beforeServe func(*app.App)
}

func (r *restartable) start() {
	r.t.Helper()
	a, err := app.Start(context.Background(), app.Config{DataDir: r.dir, AdminToken: testkit.AdminToken, Demo: true})
	if err != nil {
		r.t.Fatal(err)
	}
	addr := r.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		a.Close()
		r.t.Fatal(err)
	}
	r.addr, r.app, r.done = ln.Addr().String(), a, make(chan error, 1)
	if r.beforeServe != nil {
		r.beforeServe(a)
		r.beforeServe = nil
	}
	go func() { r.done <- a.Serve(ln) }()
}

func (r *restartable) stop() {
	r.t.Helper()
	if r.app == nil {
		return
	}
	if err := r.app.Close(); err != nil {
		r.t.Errorf("close: %v", err)
	}
	<-r.done
	r.app = nil
}

// Call is testkit.Server.Call for this server.
func (r *restartable) Call(method, path, token string, body, out any) int {
	r.t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, "http://"+r.addr+"/api/v1"+path, bytes.NewReader(b))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			r.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// TestKioskOffline: the server goes away; the kiosk says so, accepts three
// badges on its own (signatures checked by the Go core with the synced
// keys, seats from the sealed guidance cache), queues them in IndexedDB, and once the server is back on the same
// data uploads them; the scan log holds each exactly once.
func TestKioskOffline(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	r := &restartable{t: t, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	people := seated(t, r, 3)
	tokens := make([]string, len(people))
	for i, p := range people {
		tokens[i] = credentialOf(t, r, p[0].(int64))
	}
	shots := shotDir(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), cameraDenied)
	dev, code := newKiosk(t, r, "东门离线", "hall-east")
	pairThroughKeypad(t, ctx, "http://"+r.addr, code, t.TempDir())
	// The core must have loaded and taken the keys before the server goes.
	poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)

	// The service worker has the page and the core before the server goes
	// (it claims the page once it has cached them).
	poll[bool](t, ctx, `!!navigator.serviceWorker.controller && document.body.dataset.core === 'ready'`, 20*time.Second)
	r.stop()
	for i, tok := range tokens {
		scannerTypes(t, ctx, tok)
		res := nthResult(t, ctx, i+1, "", "")
		// The seat comes from the sealed cache, opened with the badge; the
		// decision from the rules in the Go core (codes as the server's).
		if res.Status != "ok" || res.Code != "ok" || !res.Offline || res.Seat != people[i][1].(string) {
			t.Fatalf("offline scan %d: %+v, want ok decided offline at seat %s", i+1, res, people[i][1])
		}
		if i == 0 {
			browsertest.Screenshot(t, ctx, shots, "result-offline-ok.png")
		}
	}
	// The first badge again: the kiosk remembers it let this person in.
	scannerTypes(t, ctx, tokens[0])
	if res := nthResult(t, ctx, 4, shots, "result-offline-already.png"); res.Status != "already" || res.Code != "already" || !res.Offline {
		t.Fatalf("repeat offline scan: %+v, want already", res)
	}
	// In the server's words, with the time of the first pass.
	poll[bool](t, ctx, `/已签到（\d\d:\d\d）/.test(document.getElementById('r-msg').textContent)`, 5*time.Second)
	poll[bool](t, ctx, `document.getElementById('queue').dataset.count === '4'`, 10*time.Second)

	// The kiosk restarts while the server is still away: the service worker
	// gives it its page and core, and it opens scanning, offline, with its
	// queue intact.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.screen === 'scan' && document.body.dataset.core === 'ready'`, 20*time.Second)
	poll[bool](t, ctx, `document.getElementById('net').classList.contains('offline') && document.getElementById('queue').dataset.count === '4'`, 20*time.Second)
	browsertest.Screenshot(t, ctx, shots, "scan-offline.png")

	r.start()
	poll[bool](t, ctx, `document.getElementById('queue').hidden && !document.getElementById('net').classList.contains('offline')`, 30*time.Second)
	for i, p := range people {
		var n, offline int
		err := r.app.DB.ForTest().R.QueryRow(`SELECT count(*), coalesce(sum(offline), 0) FROM scans WHERE attendee_id = ? AND device_id = ?`,
			p[0].(int64), dev).Scan(&n, &offline)
		want := 1
		if i == 0 {
			want = 2 // the repeat, logged and flagged as the duplicate it was
		}
		if err != nil || n != want || offline != want {
			t.Fatalf("attendee %v: %d scans, %d offline (%v); want %d", p[0], n, offline, err, want)
		}
	}
	var dup int
	r.app.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE device_id = ? AND status = 'already' AND flags LIKE '%offline_duplicate%'`, dev).Scan(&dup)
	if dup != 1 {
		t.Fatalf("%d scans flagged offline_duplicate, want 1", dup)
	}
}

// scannerTypes types code and Enter the way a USB scanner does: every key
// in one burst. (chromedp.KeyEvent sends a round trip per key; on a loaded
// machine under -race the gaps grew past the kiosk's 500 ms between keys,
// which starts a new code, and the test read half a token.) The USB path
// with real key events is TestKioskUSBScanner's.
func scannerTypes(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { for (const key of [...%q, 'Enter']) document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true})); return true })()`, code)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatal(err)
	}
}
