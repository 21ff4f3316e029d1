package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
)

// TestBrowserRunsScript proves the harness: Chromium starts with our flags,
// loads a page from loopback, runs its script, and screenshots it.
func TestBrowserRunsScript(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><h1 id="t">等待</h1>
<script>document.getElementById('t').textContent = '签到 ' + (1 + 1);</script>`)
	}))
	defer srv.Close()
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const t = document.getElementById('t').textContent; return t.startsWith('签到') ? t : null })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || got != "签到 2" {
		t.Fatalf("page text %q: %v", got, err)
	}
	if p := browsertest.Screenshot(t, ctx, t.TempDir(), "page.png"); p == "" {
		t.Fatal("no screenshot")
	}
}
