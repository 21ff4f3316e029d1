package kiosk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/app"
	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestStolenKioskWipesItself (issue 10.15): a kiosk the desk revoked
// while it was offline hands in the scan it made, then on that same
// contact forgets its token, where it stood, the keys, the sealed cache,
// its queue and its passes, and says so on the pairing screen. A stored
// cache whose event has ended is dropped when the page starts.
func TestStolenKioskWipesItself(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	r := &testkit.Restartable{T: t, Dir: t.TempDir()}
	r.Start()
	t.Cleanup(r.Stop)
	people := testkit.Seated(t, r, 1)
	badge := testkit.CredentialOf(t, r, people[0][0].(int64))
	ends := r.App.Engine.Catalog().Ends()
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	dev, code := testkit.NewKiosk(t, r, "东门被盗", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, "http://"+r.Addr, code, t.TempDir())
	browsertest.Poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)
	expires := evalAsync[string](t, ctx, idbCache+`.then((c) => JSON.parse(c).expires_at)`)
	if at, err := time.Parse(time.RFC3339, expires); err != nil || !at.Equal(ends) {
		t.Fatalf("cache expires_at %q (%v), want the event's end %v", expires, err, ends)
	}

	r.Stop()
	scannerTypes(t, ctx, badge)
	if res := browsertest.NthResult(t, ctx, 1, "", ""); res.Status != "ok" || !res.Offline {
		t.Fatalf("offline scan: %+v", res)
	}
	browsertest.Poll[bool](t, ctx, `document.getElementById('queue').dataset.count === '1'`, 10*time.Second)

	r.BeforeServe = func(a *app.App) {
		if err := a.Auth.RevokeDeviceBecause(context.Background(), dev, "admin", "被盗"); err != nil {
			t.Fatal(err)
		}
	}
	r.Start()
	browsertest.PollAcross[bool](t, ctx, `document.body.dataset.screen === 'pair' && document.getElementById('pair-msg').textContent.includes('已被注销')`, 30*time.Second)
	browsertest.Screenshot(t, ctx, browsertest.ShotDir(t, "kiosk"), "pair-after-wipe.png")
	left := browsertest.Poll[[]string](t, ctx, `['huiwu.kiosk.token', 'huiwu.kiosk.device', 'huiwu.kiosk.keys', 'huiwu.kiosk.cache']
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
	if err := r.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE device_id = ? AND offline = 1`, dev).Scan(&n); err != nil || n != 1 {
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
		browsertest.Poll[bool](t, ctx, `document.body.dataset.screen === 'pair'`, 20*time.Second)
		if tc.kept {
			browsertest.Poll[bool](t, ctx, `!!document.body.dataset.cacheExpires`, 5*time.Second)
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
	d = max(d, browsertest.MinWait)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(async () => { try { return !!(await (`+js+`)) || null } catch { return null } })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
}
