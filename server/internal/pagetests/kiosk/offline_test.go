package kiosk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestKioskOffline: the server goes away; the kiosk says so, accepts three
// badges on its own (signatures checked by the Go core with the synced
// keys, seats from the sealed guidance cache), queues them in IndexedDB, and once the server is back on the same
// data uploads them; the scan log holds each exactly once.
func TestKioskOffline(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	r := &testkit.Restartable{T: t, Dir: t.TempDir()}
	r.Start()
	t.Cleanup(r.Stop)
	people := testkit.Seated(t, r, 3)
	tokens := make([]string, len(people))
	for i, p := range people {
		tokens[i] = testkit.CredentialOf(t, r, p[0].(int64))
	}
	shots := browsertest.ShotDir(t, "kiosk")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	dev, code := testkit.NewKiosk(t, r, "东门离线", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, "http://"+r.Addr, code, t.TempDir())
	// The core must have loaded and taken the keys before the server goes.
	browsertest.Poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)

	// The service worker has the page and the core before the server goes
	// (it claims the page once it has cached them).
	browsertest.Poll[bool](t, ctx, `!!navigator.serviceWorker.controller && document.body.dataset.core === 'ready'`, 20*time.Second)
	r.Stop()
	for i, tok := range tokens {
		scannerTypes(t, ctx, tok)
		res := browsertest.NthResult(t, ctx, i+1, "", "")
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
	if res := browsertest.NthResult(t, ctx, 4, shots, "result-offline-already.png"); res.Status != "already" || res.Code != "already" || !res.Offline {
		t.Fatalf("repeat offline scan: %+v, want already", res)
	}
	// In the server's words, with the time of the first pass.
	browsertest.Poll[bool](t, ctx, `/已签到（\d\d:\d\d）/.test(document.getElementById('r-msg').textContent)`, 5*time.Second)
	browsertest.Poll[bool](t, ctx, `document.getElementById('queue').dataset.count === '4'`, 10*time.Second)

	// The kiosk restarts while the server is still away: the service worker
	// gives it its page and core, and it opens scanning, offline, with its
	// queue intact.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, ctx, `document.body.dataset.screen === 'scan' && document.body.dataset.core === 'ready'`, 20*time.Second)
	browsertest.Poll[bool](t, ctx, `document.getElementById('net').classList.contains('offline') && document.getElementById('queue').dataset.count === '4'`, 20*time.Second)
	browsertest.Screenshot(t, ctx, shots, "scan-offline.png")

	r.Start()
	browsertest.Poll[bool](t, ctx, `document.getElementById('queue').hidden && !document.getElementById('net').classList.contains('offline')`, 30*time.Second)
	for i, p := range people {
		var n, offline int
		err := r.App.DB.ForTest().R.QueryRow(`SELECT count(*), coalesce(sum(offline), 0) FROM scans WHERE attendee_id = ? AND device_id = ?`,
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
	r.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE device_id = ? AND status = 'already' AND flags LIKE '%offline_duplicate%'`, dev).Scan(&dup)
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
