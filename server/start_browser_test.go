package main

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// printed collects what the server prints, safe to read while it writes.
type printed struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *printed) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

func (p *printed) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

// TestStartLinkOpensDesk: started as the README starts it (-demo
// -admin-token), the server prints its start page and a login link;
// following the printed link in a browser lands on /desk signed in as the
// admin, with the meeting loaded and no sign-in banner.
func TestStartLinkOpensDesk(t *testing.T) {
	data := t.TempDir()
	testkit.CopyDemo(t, data, time.Now())
	out := &printed{}
	srv := startConfigured(t, Config{DataDir: data, Demo: true, AdminToken: adminToken, Out: out})
	text := out.String()
	if !strings.Contains(text, srv.base+"/\n") {
		t.Errorf("the start page's address is not printed:\n%s", text)
	}
	link := regexp.MustCompile(`http://\S+/login\?code=\S+`).FindString(text)
	if !strings.HasPrefix(link, srv.base+"/login?code=") {
		t.Fatalf("no login link printed for this server (%s):\n%s", srv.base, text)
	}
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900))
	if err := chromedp.Do(ctx, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.pathname === '/desk' && document.getElementById('login').hidden &&
		!document.getElementById('view-search').hidden && document.querySelectorAll('#results li').length > 0`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + (document.getElementById('login')?.hidden ? '' : ', sign-in banner shown')`))
		t.Fatalf("the printed link did not open the desk signed in (at %s): %v", where, err)
	}
	role, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/me').then((r) => r.json()).then((m) => m.role)`, chromedp.EvalAwaitPromise))
	if err != nil || role != "admin" {
		t.Fatalf("signed in as %q: %v", role, err)
	}
	browsertest.Screenshot(t, ctx, browsertest.ShotDir(t, "start"), "desk-from-printed-link.png")
}
