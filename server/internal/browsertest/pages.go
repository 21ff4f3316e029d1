package browsertest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// MinWait is the least any wait gives a page (page tests' own wait
// helpers raise their timeouts to it too). A wait is not a speed check
// (speed is logged, and measured by benchmarks): what a page shows 200 ms
// after a tap on a quiet machine can take seconds in CI, with four test
// binaries, their servers under -race and Chromium on two cores. Waits of
// 2 s failed so (TestPickupMovesTheBoard).
const MinWait = 15 * time.Second

// Poll waits for a JavaScript expression to be truthy and answers it; d
// is raised to MinWait.
func Poll[T any](t *testing.T, ctx context.Context, js string, d time.Duration) T {
	t.Helper()
	d = max(d, MinWait)
	v, err := chromedp.Run(ctx, chromedp.Poll[T](js, chromedp.WithPollingTimeout(d)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
	return v
}

// PollAcross is Poll for an expression that becomes true on another page:
// a navigation under way ends a poll with an error, so it polls again in
// the new document until d (at least MinWait) has passed.
func PollAcross[T any](t *testing.T, ctx context.Context, js string, d time.Duration) T {
	t.Helper()
	d = max(d, MinWait)
	deadline := time.Now().Add(d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		v, err := chromedp.Run(ctx, chromedp.Poll[T](js, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", js, err)
		}
		<-tick.C
	}
}

// Do runs chromedp actions in the test's tab and fails the test on the
// first error: most steps of a page test are this.
func Do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Click clicks the element sel finds from inside the page, once it is
// there (at most MinWait). Lists that redraw on live updates or on each
// keystroke of a search replace their nodes: between chromedp finding a
// node and clicking it, it can be gone ("Could not find node with given
// id", TestDeskCardPrintAndWindows in CI); one script finds and clicks at
// once.
func Click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	q, _ := json.Marshal(sel)
	Poll[bool](t, ctx, `(() => { const e = document.querySelector(`+string(q)+`); if (!e) return false; e.click(); return true })()`, MinWait)
}

// CSPWatch runs in every document before the page's own scripts: it keeps
// the Content-Security-Policy violations the document reports, and offers
// a probe that tries what the policy must forbid.
const CSPWatch = `
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '-') + ' at ' + (e.sourceFile || '?') + ':' + e.lineNumber));
window.__cspProbe = () => {
  window.__cspRan = false;
  const s = document.createElement('script');
  s.textContent = 'window.__cspRan = true';
  document.head.append(s);
  return window.__cspRan;
};`

// CSPViolations answers the violations the current document reported.
func CSPViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || ['the watch did not run']`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// FaceCall evaluates call, a promise from a test harness around the face
// engine (kiosk/web/common/face.js) that the test put in the page, and
// decodes its JSON answer; a slow backend gets a minute.
func FaceCall[T any](t *testing.T, ctx context.Context, call string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](call, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%.60s: %v", call, err)
	}
	var out T
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%.60s: %v in %s", call, err, raw)
	}
	return out
}
