package staff_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestPagesLiveWithTheirCSP (issue 10.10): each page, opened in Chromium
// under the headers the server sends, does its work (the kiosk pairs,
// shows its pairing QR code, loads its WebAssembly core in a worker and
// reads a badge from the camera with it; the desk, usher map, lobby
// screen, chair's view and seating plan load their data and go live) and
// reports no CSP violation; while an inline script, which the policies
// forbid, is refused on every one of them.
func TestPagesLiveWithTheirCSP(t *testing.T) {
	t.Parallel() // waits for pages and the scanner core: overlaps the others
	srv := testkit.Serve(t)
	people := testkit.Seated(t, srv, 1)
	badge := testkit.CredentialOf(t, srv, people[0][0].(int64))
	clip := browsertest.BadgeY4M(t, browsertest.Segment{Token: badge, Secs: 1.2}, browsertest.Segment{Token: "", Secs: 2.6})
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.FakeCamera(clip))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browsertest.CSPWatch}); err != nil {
		t.Fatal(err)
	}
	shots := browsertest.ShotDir(t, "csp")

	reset := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.__csp = []`)); err != nil {
			t.Fatal(err)
		}
	}
	checked := func(name string) {
		t.Helper()
		if v := browsertest.CSPViolations(t, ctx); len(v) > 0 {
			browsertest.Screenshot(t, ctx, shots, name+".png")
			t.Errorf("%s: %d CSP violations:\n  %s", name, len(v), strings.Join(slices.Compact(v), "\n  "))
		}
		reset()
		ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__cspProbe()`))
		if err != nil {
			t.Fatal(err)
		}
		if v := browsertest.CSPViolations(t, ctx); ran || len(v) != 1 || !strings.HasPrefix(v[0], "script-src") {
			t.Errorf("%s: an inline script ran=%v, violations %v: the page has no working CSP", name, ran, v)
		}
		reset()
	}

	// The kiosk, unpaired: its own code as a QR code (a data: image).
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/kiosk")); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, ctx, `document.body.dataset.screen === 'pair' && (() => { const q = document.getElementById('pair-qr');
		return !q.hidden && q.complete && q.naturalWidth > 0 })()`, 20*time.Second)
	checked("kiosk-pairing")

	// Paired: the WebAssembly core in its worker, the service worker, a
	// badge read from the camera and decided.
	_, code := testkit.NewKiosk(t, srv, "东门CSP", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())
	if core := browsertest.Poll[string](t, ctx, `document.body.dataset.core || ''`, 60*time.Second); core != "ready" {
		t.Fatalf("the kiosk's WebAssembly core: %s; CSP violations %v", core, browsertest.CSPViolations(t, ctx))
	}
	if r := browsertest.NthResult(t, ctx, 1, "", ""); r.Source != "camera" || r.Status == "" {
		t.Errorf("the kiosk's first result: %+v, want a badge read from the camera", r)
	}
	browsertest.Poll[bool](t, ctx, `!!navigator.serviceWorker.controller`, 20*time.Second)
	checked("kiosk-scanning")

	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	for _, p := range staffPages {
		p.open(t, ctx, srv.URL, shots, func() string { return fmt.Sprint("CSP violations ", browsertest.CSPViolations(t, ctx)) })
		checked(p.name)
	}
}

// staffPage is a page staff sign in to, and how a test knows it has loaded
// its data.
type staffPage struct{ name, path, ready string }

// staffPages are the signed-in pages on the demo's opening session; a path
// starting with # is another view of the page before it.
var staffPages = []staffPage{
	{"desk", "/desk", `document.getElementById('event-name').textContent !== '' && document.querySelectorAll('#results li').length > 0`},
	{"desk-devices", "#devices", `document.querySelectorAll('#dev-rows tr').length > 0`},
	{"desk-setup", "#setup", `document.getElementById('view-setup').textContent.trim() !== ''`},
	{"usher", "/usher?session=opening", `window.usher && usher.count() > 700 && document.querySelector('#conn').classList.contains('live')`},
	{"screen", "/screen?session=opening", `document.querySelector('#f-expected').textContent !== '—'`},
	{"chair", "/chair?session=opening", `document.querySelector('#chart').dataset.total !== undefined && document.querySelector('#f-expected').textContent !== '—'`},
	{"seating", "/seating?session=opening", `window.seating && seating.loaded > 0 && seating.count() > 700`},
}

// open goes to the page at base and waits until it is ready; a page that
// does not get ready fails the test with a screenshot and what more says.
func (p staffPage) open(t *testing.T, ctx context.Context, base, shots string, more func() string) {
	t.Helper()
	step := chromedp.Navigate(base + p.path)
	if strings.HasPrefix(p.path, "#") {
		step = chromedp.Evaluate[chromedp.Void](`location.hash = '` + p.path + `'`)
	}
	if err := chromedp.Do(ctx, step); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { try { return !!(`+p.ready+`) || null } catch { return null } })()`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		browsertest.Screenshot(t, ctx, shots, p.name+".png")
		t.Fatalf("%s did not get ready (%s): %v; %s", p.name, p.ready, err, more())
	}
}
