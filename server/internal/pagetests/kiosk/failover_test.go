package kiosk_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// failoverProbe is the kiosk's probe interval in this test (30 s in use).
const failoverProbe = 2 * time.Second

// TestKioskFailover (issue 17.4): a kiosk paired through server A, whose
// servers are A and B, scans through A; A dies and the next scan is
// answered by B (the page stays on A's origin and calls B across origins,
// its websocket too); A comes back and the kiosk returns within its probe
// interval. A that takes a scan but never answers (muted) costs a 3 s
// wait, then B answers the same scan_id as a replay. With both away a scan
// is queued and decided offline, then uploaded once to whichever server
// answers first. The scan log holds every acknowledged scan exactly once.
//
// One server behind two loopback proxies stands in for two servers on one
// database until the store runs on PostgreSQL: two origins, one truth.
func TestKioskFailover(t *testing.T) {
	t.Parallel() // waits on heartbeats and probes: overlaps the others' waiting
	a, b := &proxy{t: t}, &proxy{t: t}
	a.listen()
	b.listen()
	srv := servePeers(t, a.origin()+", "+b.origin())
	a.upstream, b.upstream = srv.addr, srv.addr
	a.serve()
	b.serve()
	t.Cleanup(a.stop)
	t.Cleanup(b.stop)

	people := testkit.Seated(t, srv, 5)
	tokens := make([]string, len(people))
	for i, p := range people {
		tokens[i] = testkit.CredentialOf(t, srv, p[0].(int64))
	}
	dev, code := testkit.NewKiosk(t, srv, "东门双机", "hall-east")
	shots := browsertest.ShotDir(t, "kiosk")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browsertest.CSPWatch}); err != nil {
		t.Fatal(err)
	}
	browsertest.PairThroughKeypad(t, ctx, a.origin(), code, t.TempDir())
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`localStorage.setItem('huiwu.kiosk.probe_ms', '%d'), true`, failoverProbe.Milliseconds()))); err != nil {
		t.Fatal(err)
	}
	// The pairing answer named both servers, the one it paired with first.
	if got := browsertest.Poll[string](t, ctx, `window.huiwuKiosk.servers.list.length === 2 && window.huiwuKiosk.servers.list.join(' ')`, 10*time.Second); got != a.origin()+" "+b.origin() {
		t.Fatalf("kiosk's servers %q, want %s then %s", got, a.origin(), b.origin())
	}
	// Offline decisions need the core with the keys and the sealed cache.
	browsertest.Poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)

	using := func() string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.huiwuKiosk.servers.origin`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	type result struct {
		Status  string `json:"status"`
		Offline bool   `json:"offline"`
	}
	scan := func(n int, want string, offline bool) {
		t.Helper()
		scannerTypes(t, ctx, tokens[n-1])
		r := browsertest.Poll[result](t, ctx, fmt.Sprintf(`window.huiwuKiosk.results[%d] || null`, n-1), 30*time.Second)
		if r.Status != "ok" || r.Offline != offline {
			t.Fatalf("scan %d: %+v, want ok (offline %v)", n, r, offline)
		}
		if want != "" {
			if got := using(); got != want {
				t.Fatalf("scan %d answered with the kiosk on %s, want %s", n, got, want)
			}
		}
	}

	// 1. Through A, the kiosk's own server.
	scan(1, a.origin(), false)

	// 2. A dies: the next scan is refused a connection there and answered by B.
	a.stop()
	scan(2, b.origin(), false)
	// The websocket follows the kiosk to B (B admits A's page).
	browsertest.Poll[bool](t, ctx, fmt.Sprintf(`(() => { const w = window.huiwuKiosk.watch.ws;
		return !!w && w.readyState === 1 && w.url.startsWith('ws://%s/') })()`, b.addr), 20*time.Second)
	browsertest.Poll[bool](t, ctx, fmt.Sprintf(`document.body.dataset.screen === 'scan' && document.getElementById('server').classList.contains('fallback') &&
		!document.getElementById('server').hidden && document.getElementById('server').textContent.includes(%q)`, b.addr), 20*time.Second)
	// The result has gone (a landscape result once stayed on screen
	// behind the hidden attribute): the bar with the server shows.
	browsertest.Poll[bool](t, ctx, `getComputedStyle(document.getElementById('result')).display === 'none' &&
		document.getElementById('server').getBoundingClientRect().height > 0`, 10*time.Second)
	shot := browsertest.Screenshot(t, ctx, shots, "failover-on-b.png")
	t.Logf("the kiosk on its backup server: %s", shot)

	// 3. A is back: the probe finds it and the kiosk returns.
	a.start()
	back := time.Now()
	browsertest.Poll[bool](t, ctx, `window.huiwuKiosk.servers.current === 0`, 30*time.Second)
	took := time.Since(back)
	t.Logf("back on A %v after it returned (probe every %v)", took.Round(10*time.Millisecond), failoverProbe)
	if took > failoverProbe+5*time.Second {
		t.Fatalf("the kiosk took %v to return to A; it probes every %v", took, failoverProbe)
	}
	scan(3, a.origin(), false)

	// 4. A takes the scan but its answer never comes: after 3 s the kiosk
	// sends it to B, which answers the same scan_id with what A stored
	// (the log below holds it once).
	a.muted.Store(true)
	sent := time.Now()
	scan(4, b.origin(), false)
	if a.mutedScans.Load() == 0 || a.swallowed.Load() == 0 {
		t.Fatalf("scan 4: %d scans passed to the server through the silent A, %d bytes of its answers dropped; want A to have taken it",
			a.mutedScans.Load(), a.swallowed.Load())
	}
	t.Logf("scan 4 answered by B %v after it was sent to a silent A", time.Since(sent).Round(10*time.Millisecond))

	// 5. Both away: decided offline and queued; uploaded once B answers.
	a.stop()
	a.muted.Store(false)
	b.stop()
	scan(5, "", true)
	browsertest.Poll[bool](t, ctx, `document.getElementById('queue').dataset.count === '1' && document.getElementById('net').classList.contains('offline')`, 10*time.Second)
	b.start()
	browsertest.Poll[bool](t, ctx, `document.getElementById('queue').hidden && !document.getElementById('net').classList.contains('offline')`, 30*time.Second)
	if got := using(); got != b.origin() {
		t.Fatalf("the queue went up with the kiosk on %s, want %s (A is still away)", got, b.origin())
	}
	a.start()
	browsertest.Poll[bool](t, ctx, `window.huiwuKiosk.servers.current === 0`, 30*time.Second)

	// Every acknowledged scan is in the log once: five badges, five rows.
	rows, err := srv.app.DB.ForTest().R.Query(`SELECT attendee_id, status, offline FROM scans WHERE device_id = ? ORDER BY id`, dev)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id int64
		var status string
		var offline int
		if err := rows.Scan(&id, &status, &offline); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%s:%d", id, status, offline))
	}
	var want []string
	for i, p := range people {
		want = append(want, fmt.Sprintf("%d:ok:%d", p[0].(int64), map[bool]int{false: 0, true: 1}[i == 4]))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("the scan log holds %v, want %v", got, want)
	}
	if v := browsertest.CSPViolations(t, ctx); len(v) > 0 {
		t.Fatalf("CSP violations: %v", v)
	}
	type move struct {
		From string `json:"from"`
		To   string `json:"to"`
		Why  string `json:"why"`
	}
	moves, err := chromedp.Run(ctx, chromedp.Evaluate[[]move](`window.huiwuKiosk.servers.moves`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the kiosk's moves: %+v", moves)
}
