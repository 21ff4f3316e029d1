package staff_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestSummaryLinkBrowser: the desk's 导出 tab lists the 会务总结 and the
// link downloads the PDF with the desk's sign-in.
func TestSummaryLinkBrowser(t *testing.T) {
	srv := testkit.Serve(t)
	shots := browsertest.ShotDir(t, "summary")
	b := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.Do(t, b, chromedp.EmulateViewport(1440, 900))
	browsertest.SignIn(t, b, srv.URL, testkit.UserToken(t, srv, "desk"))
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/desk#exports"))
	browsertest.Poll[bool](t, b, `!!document.querySelector('#export-list a[href$="/exports/summary.pdf"]')`, 20*time.Second)
	if text := browsertest.Poll[string](t, b, `document.querySelector('#export-list a[href$="/exports/summary.pdf"]').textContent`, time.Second); text == "" {
		t.Error("the summary link has no words")
	}
	browsertest.Screenshot(t, b, shots, "exports.png")
	evalJS(t, b, `(() => { window.__got = ''; fetch(document.querySelector('#export-list a[href$="/exports/summary.pdf"]').href)
		.then(async (r) => { const b = new Uint8Array(await r.arrayBuffer()); window.__got = r.status + ' ' + r.headers.get('content-type') + ' ' + String.fromCharCode(...b.slice(0, 4)); }); })()`)
	if got := browsertest.Poll[string](t, b, `window.__got`, 20*time.Second); got != "200 application/pdf %PDF" {
		t.Errorf("the link answers %q", got)
	}
}
