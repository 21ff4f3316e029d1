package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// site serves a page that stores something in every place a browser keeps
// state for a site, and a service worker for it to register.
func site(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, `self.addEventListener('fetch', () => {});`)
			return
		}
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>t</title>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// stored says what the page at the tab's site finds of an earlier visit.
const stored = `(async () => {
  const dbs = await indexedDB.databases();
  const sws = await navigator.serviceWorker.getRegistrations();
  return JSON.stringify({cookie: document.cookie, local: localStorage.getItem('k'),
    dbs: dbs.map((d) => d.name), sws: sws.length});
})()`

// store leaves a cookie, a localStorage item, an IndexedDB database and a
// service worker behind.
const store = `(async () => {
  document.cookie = 'k=v; max-age=3600';
  localStorage.setItem('k', 'v');
  await new Promise((ok, no) => { const r = indexedDB.open('left-behind'); r.onsuccess = () => { r.result.close(); ok(); }; r.onerror = no; });
  await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  return true;
})()`

func visit[T any](t *testing.T, ctx context.Context, url, js string) T {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func pid(ctx context.Context) int { return chromedp.FromContext(ctx).Browser.Process().Pid }

// TestTestsShareChromiumNotState: tests with the same options run in one
// Chromium, and none sees what an earlier one stored; other options get
// another Chromium.
func TestTestsShareChromiumNotState(t *testing.T) {
	srv := site(t)
	const empty = `{"cookie":"","local":null,"dbs":[],"sws":0}`
	var first int
	t.Run("stores", func(t *testing.T) {
		ctx := New(t, WindowSize(1024, 768))
		first = pid(ctx)
		if got := visit[string](t, ctx, srv.URL, stored); got != empty {
			t.Fatalf("a fresh browser finds %s", got)
		}
		visit[bool](t, ctx, srv.URL, store)
		if got := visit[string](t, ctx, srv.URL, stored); got == empty {
			t.Fatal("the page stored nothing: the test would prove nothing")
		}
	})
	t.Run("finds nothing", func(t *testing.T) {
		ctx := New(t, WindowSize(1024, 768))
		if p := pid(ctx); p != first {
			t.Errorf("Chromium %d, want the first test's %d", p, first)
		}
		if got := visit[string](t, ctx, srv.URL, stored); got != empty {
			t.Fatalf("the second test finds %s", got)
		}
	})
	t.Run("other options", func(t *testing.T) {
		ctx := New(t, WindowSize(1024, 768), FakeCamera(filepath.Join(t.TempDir(), "none.y4m")))
		if p := pid(ctx); p == first {
			t.Fatal("a fake camera was added to a running Chromium")
		}
	})
}

// TestTwoTabsAtOnce: tests running in parallel in one Chromium each have a
// profile of their own, and each page is visible and focused as it would be
// alone (headless Chromium gives each window the focus).
func TestTwoTabsAtOnce(t *testing.T) {
	srv := site(t)
	a, b := New(t), New(t)
	if pid(a) != pid(b) {
		t.Fatal("two Chromiums for the same options")
	}
	visit[bool](t, a, srv.URL, `(() => { localStorage.setItem('k', 'a'); return true })()`)
	if got := visit[string](t, b, srv.URL, `String(localStorage.getItem('k'))`); got != "null" {
		t.Fatalf("the other tab reads %q", got)
	}
	for _, ctx := range []context.Context{a, b} {
		if shown := visit[bool](t, ctx, srv.URL, `document.hasFocus() && document.visibilityState === 'visible'`); !shown {
			t.Fatal("a page hidden or without the focus")
		}
	}
}

// TestCrashedChromiumReplaced: a shared Chromium that died is started again
// for the next test.
func TestCrashedChromiumReplaced(t *testing.T) {
	var dead int
	t.Run("kills", func(t *testing.T) {
		ctx := New(t, WindowSize(800, 600))
		dead = pid(ctx)
		if err := chromedp.FromContext(ctx).Browser.Process().Kill(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("gets another", func(t *testing.T) {
		ctx := New(t, WindowSize(800, 600))
		if pid(ctx) == dead {
			t.Fatal("the dead Chromium again")
		}
		if got := visit[string](t, ctx, "about:blank", `location.href`); got != "about:blank" {
			t.Fatalf("page at %q", got)
		}
	})
}

// TestShutdownLeavesNoProcess: the end of the tests stops every Chromium
// and every process it started.
func TestShutdownLeavesNoProcess(t *testing.T) {
	var procs []int
	t.Run("uses", func(t *testing.T) {
		ctx := New(t, WindowSize(640, 480))
		if _, err := os.Stat("/proc/self/stat"); err != nil {
			t.Skip("no /proc to look at:", err)
		}
		procs = family(pid(ctx))
		if len(procs) < 2 {
			t.Fatalf("Chromium's processes not found (%v)", procs)
		}
	})
	if procs == nil {
		return
	}
	shutdown()
	t.Cleanup(func() { // the tests after this one share again
		pool.Lock()
		pool.running, pool.browsers = true, map[string]*shared{}
		pool.Unlock()
	})
	// chromedp stops the main process at once and its children within 2 s.
	deadline := time.Now().Add(5 * time.Second)
	for left := alive(procs); len(left) > 0; left = alive(procs) {
		if time.Now().After(deadline) {
			t.Fatalf("processes %v still run after the shutdown", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// family lists the process root and all its descendants. (The headless
// shell's children do not name the profile directory on their command
// lines, so they are found by parent.)
func family(root int) []int {
	parent := map[int]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		s := string(b)
		var pid, ppid int
		var state string
		if _, err := fmt.Sscan(s[strings.LastIndexByte(s, ')')+1:], &state, &ppid); err != nil {
			continue
		}
		fmt.Sscan(filepath.Base(filepath.Dir(p)), &pid)
		parent[pid] = ppid
	}
	in := map[int]bool{root: true}
	for grew := true; grew; {
		grew = false
		for p, pp := range parent {
			if in[pp] && !in[p] {
				in[p], grew = true, true
			}
		}
	}
	var out []int
	for p := range in {
		out = append(out, p)
	}
	return out
}

// alive lists which of procs still run Chromium.
func alive(procs []int) []int {
	var left []int
	for _, p := range procs {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p)); err == nil && strings.Contains(string(b), "chrom") {
			left = append(left, p)
		}
	}
	return left
}
