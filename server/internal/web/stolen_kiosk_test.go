package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/app"
	"huiwu/server/internal/browsertest"
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
	srv := testkit.Serve(t)
	dev, kiosk := pairedKiosk(t, srv, "hall-east")
	people := seated(t, srv, 2)
	before, after := credentialOf(t, srv, people[0][0].(int64)), credentialOf(t, srv, people[1][0].(int64))
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

// TestStolenKioskWipesItself (issue 10.15): a kiosk the desk revoked
// while it was offline hands in the scan it made, then on that same
// contact forgets its token, where it stood, the keys, the sealed cache,
// its queue and its passes, and says so on the pairing screen. A stored
// cache whose event has ended is dropped when the page starts.
func TestStolenKioskWipesItself(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	r := &restartable{t: t, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	people := seated(t, r, 1)
	badge := credentialOf(t, r, people[0][0].(int64))
	ends := r.app.Engine.Catalog().Ends()
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), cameraDenied)
	dev, code := newKiosk(t, r, "东门被盗", "hall-east")
	pairThroughKeypad(t, ctx, "http://"+r.addr, code, t.TempDir())
	poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)
	expires := evalAsync[string](t, ctx, idbCache+`.then((c) => JSON.parse(c).expires_at)`)
	if at, err := time.Parse(time.RFC3339, expires); err != nil || !at.Equal(ends) {
		t.Fatalf("cache expires_at %q (%v), want the event's end %v", expires, err, ends)
	}

	r.stop()
	scannerTypes(t, ctx, badge)
	if res := nthResult(t, ctx, 1, "", ""); res.Status != "ok" || !res.Offline {
		t.Fatalf("offline scan: %+v", res)
	}
	poll[bool](t, ctx, `document.getElementById('queue').dataset.count === '1'`, 10*time.Second)

	r.beforeServe = func(a *app.App) {
		if err := a.Auth.RevokeDeviceBecause(context.Background(), dev, "admin", "被盗"); err != nil {
			t.Fatal(err)
		}
	}
	r.start()
	pollAcross[bool](t, ctx, `document.body.dataset.screen === 'pair' && document.getElementById('pair-msg').textContent.includes('已被注销')`, 30*time.Second)
	browsertest.Screenshot(t, ctx, shotDir(t), "pair-after-wipe.png")
	left := poll[[]string](t, ctx, `['huiwu.kiosk.token', 'huiwu.kiosk.device', 'huiwu.kiosk.keys', 'huiwu.kiosk.cache']
		.filter((k) => localStorage.getItem(k) !== null)`, 5*time.Second)
	if len(left) != 0 {
		t.Errorf("still stored after the wipe: %v", left)
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Promise((resolve, reject) => {
		const req = indexedDB.open('huiwu-kiosk');
		req.onerror = () => reject(req.error);
		req.onsuccess = () => {
			const t = req.result.transaction(['queue', 'passed', 'synced']);
			const a = t.objectStore('queue').count(), b = t.objectStore('passed').count(), c = t.objectStore('synced').count();
			t.oncomplete = () => resolve(a.result + b.result + c.result);
		};
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Errorf("%d scans, passes or caches left in IndexedDB after the wipe", stored)
	}
	var n int
	if err := r.app.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE device_id = ? AND offline = 1`, dev).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d scans from the revoked kiosk stored (%v), want its one offline scan", n, err)
	}

	// A cache kept past the event's end goes when the page starts; one
	// whose event is still on stays. Kept in IndexedDB, or in localStorage
	// by a kiosk from before 刷脸 (it moves to IndexedDB).
	for _, tc := range []struct {
		expires, where string
		kept           bool
	}{{"2020-01-01T00:00:00Z", "idb", false}, {"2999-01-01T00:00:00Z", "idb", true},
		{"2020-01-01T00:00:00Z", "localStorage", false}, {"2999-01-01T00:00:00Z", "localStorage", true}} {
		doc := fmt.Sprintf(`JSON.stringify({version: 'huiwu-guide-v2', windows: [], entries: {}, expires_at: %q})`, tc.expires)
		put := `localStorage.setItem('huiwu.kiosk.cache', ` + doc + `)`
		if tc.where == "idb" {
			put = idbStore + `.then((s) => new Promise((ok) => { s.put(` + doc + `, 'huiwu.kiosk.cache').onsuccess = ok }))`
		}
		evalAsync[bool](t, ctx, `Promise.resolve(`+put+`).then(() => true)`)
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		poll[bool](t, ctx, `document.body.dataset.screen === 'pair'`, 20*time.Second)
		if tc.kept {
			poll[bool](t, ctx, `!!document.body.dataset.cacheExpires`, 5*time.Second)
		}
		// The page has run its modules once it shows a screen; the cache is
		// read back (and dropped) a moment later.
		want := map[bool]string{true: "c !== undefined", false: "c === undefined"}[tc.kept]
		pollAsync(t, ctx, idbCache+`.then((c) => `+want+` && localStorage.getItem('huiwu.kiosk.cache') === null)`, 5*time.Second)
	}
}

// idbStore opens the kiosk's IndexedDB store of what it synced (store.js).
const idbStore = `new Promise((resolve, reject) => {
	const req = indexedDB.open('huiwu-kiosk', 2);
	req.onerror = () => reject(req.error);
	req.onsuccess = () => resolve(req.result.transaction('synced', 'readwrite').objectStore('synced'));
})`

// idbCache reads the cache the kiosk keeps (undefined without one).
const idbCache = idbStore + `.then((s) => new Promise((resolve) => { const r = s.get('huiwu.kiosk.cache'); r.onsuccess = () => resolve(r.result) }))`

// evalAsync evaluates a promise in the page and answers what it resolves to.
func evalAsync[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// pollAsync evaluates a promise in the page until it resolves true.
func pollAsync(t *testing.T, ctx context.Context, js string, d time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(async () => { try { return !!(await (`+js+`)) || null } catch { return null } })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
}
