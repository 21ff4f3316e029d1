package browsertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Starting Chromium costs 0.5 s of CPU (the headless shell; the full
// browser 1.8 s); a fresh incognito browser context in a running one costs
// a quarter of that. Under Main, New therefore shares one Chromium between
// the tests that start it with the same flags, and gives each test a browser context of its own: its own
// cookies, storage, IndexedDB, cache, service workers and permissions, all
// thrown away when the test ends.

// keepIdle is how many started browsers nobody uses may stay open for the
// next test. Tests with a file of their own in the options (a fake camera's
// clip, a fonts file) never share, so some bound is needed; the common
// option sets are few.
const keepIdle = 4

// shared is one Chromium that several tests use in turn or at once.
type shared struct {
	key   string
	root  context.Context // the browser's first context: its life is the browser's
	close func()          // stops Chromium and waits until it has exited

	ready chan struct{} // closed when the launch is over
	err   error         // the launch's error, read after ready

	users  int  // tests holding a tab; guarded by pool
	broken bool // a tab could not be opened in it; guarded by pool
}

var pool struct {
	sync.Mutex
	running  bool // Main is running the tests
	browsers map[string]*shared
	idle     []*shared // started, used by nobody; least recently used first
}

// Main runs the tests of a package whose browser tests share Chromium, and
// closes every Chromium they started before it returns m.Run's code:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
// Without it New starts a Chromium per test, as slowly as it sounds. If the
// test binary dies instead (a panic, -timeout), the kernel kills Chromium
// with it (chromedp starts it with a parent-death signal).
func Main(m *testing.M) int {
	pool.Lock()
	pool.running, pool.browsers = true, map[string]*shared{}
	pool.Unlock()
	code := m.Run()
	shutdown()
	return code
}

// shutdown closes every shared Chromium and stops sharing.
func shutdown() {
	pool.Lock()
	all := pool.browsers
	pool.running, pool.browsers, pool.idle = false, nil, nil
	pool.Unlock()
	for _, b := range all {
		<-b.ready
		if b.err == nil {
			b.close()
		}
	}
}

// sharing reports whether New shares browsers (Main runs the tests).
func sharing() bool {
	pool.Lock()
	defer pool.Unlock()
	return pool.running
}

// launchKey names a Chromium by what it is started with. The options are
// opaque funcs, so it applies them to an allocator and prints that: fmt
// prints unexported fields too, and map keys sorted. Options that differ
// only inside a func they set (ModifyCmdFunc) would look alike; ours set none.
func launchKey(o []chromedp.ExecAllocatorOption) string {
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), o...)
	defer cancel()
	return fmt.Sprintf("%+v", chromedp.FromContext(ctx).Allocator)
}

// sharedTab opens a tab in a fresh browser context of the Chromium that o
// starts, starting it if none runs. The tab closes, and its browser context
// with everything the page stored, when the test ends.
func sharedTab(t testing.TB, o []chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	key := launchKey(o)
	for attempt := 0; ; attempt++ {
		b, err := acquire(key, o)
		if err != nil {
			t.Fatalf("browsertest: start Chromium: %v", err)
		}
		tab, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
		// No timeout on this first call: it creates the browser context and
		// the tab, and a timeout would cut the tab off when it fired.
		// Each tab gets a window of its own, which headless Chromium keeps
		// visible and focused beside the others (TestTwoTabsAtOnce).
		err = chromedp.Do(tab)
		if err == nil {
			t.Cleanup(func() {
				cancel()
				release(b, false)
			})
			return tab
		}
		cancel()
		// A Chromium that cannot open a tab has crashed or hung: close it,
		// and start another once.
		release(b, true)
		if attempt == 1 {
			t.Fatalf("browsertest: open a tab: %v", err)
		}
	}
}

// acquire returns the running Chromium for key, starting it if need be, and
// counts the caller as a user until release.
func acquire(key string, o []chromedp.ExecAllocatorOption) (*shared, error) {
	pool.Lock()
	if !pool.running {
		pool.Unlock()
		return nil, errors.New("browsertest.Main is not running the tests")
	}
	b := pool.browsers[key]
	start := b == nil
	if start {
		b = &shared{key: key, ready: make(chan struct{})}
		pool.browsers[key] = b
	}
	b.users++
	pool.idle = without(pool.idle, b)
	pool.Unlock()

	if start {
		b.root, b.close, b.err = launch(o)
		close(b.ready)
	}
	<-b.ready
	if b.err != nil {
		release(b, true)
		return nil, b.err
	}
	return b, nil
}

// release ends a user's hold on b; broken says b failed them. A broken
// browser is forgotten at once and closed by its last user; of the idle
// ones the oldest past keepIdle are closed.
func release(b *shared, broken bool) {
	var closing []*shared
	pool.Lock()
	b.users--
	if broken && !b.broken {
		b.broken = true
		if pool.browsers[b.key] == b {
			delete(pool.browsers, b.key)
		}
	}
	switch {
	case b.users > 0:
	case b.broken:
		closing = append(closing, b)
	case pool.browsers[b.key] == b: // not already closed by shutdown
		pool.idle = append(pool.idle, b)
		for len(pool.idle) > keepIdle {
			old := pool.idle[0]
			pool.idle = pool.idle[1:]
			delete(pool.browsers, old.key)
			closing = append(closing, old)
		}
	}
	pool.Unlock()
	for _, c := range closing {
		if c.err == nil {
			c.close()
		}
	}
}

// launch starts a Chromium with o, not tied to any test.
func launch(o []chromedp.ExecAllocatorOption) (context.Context, func(), error) {
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), o...)
	root, cancelRoot := chromedp.NewContext(alloc)
	stop := func() {
		cancelRoot()
		cancelAlloc()
	}
	if err := chromedp.Do(root); err != nil {
		stop()
		return nil, nil, err
	}
	return root, stop, nil
}

func without(list []*shared, b *shared) []*shared {
	for i, x := range list {
		if x == b {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
