// Package browsertest drives a real headless Chromium from Go tests
// (chromedp; Chromium's headless shell where installed, see Path), started
// with the flags this machine needs: no sandbox (root),
// no background networking (the network is closed), a fresh profile per
// test (an incognito browser context in a shared Chromium under Main), and
// optionally a fake camera playing a Y4M file.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Option adjusts how the test's browser starts (its flags: tests whose
// flags are the same share one Chromium) or prepares the test's tab.
type Option func(*setup)

// setup is what the options ask for.
type setup struct {
	flags []chromedp.ExecAllocatorOption
	// first are scripts every document of the tab runs before its own.
	first []string
}

// Flag starts Chromium with --name=value (true: a bare --name).
func Flag(name string, value any) Option {
	return func(s *setup) { s.flags = append(s.flags, chromedp.Flag(name, value)) }
}

// FakeCamera makes getUserMedia return a camera that loops the Y4M file
// (header "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg"; C444 crashes
// Chromium's capture service) and grants camera permission without asking.
func FakeCamera(y4m string) Option {
	return func(s *setup) {
		s.flags = append(s.flags,
			chromedp.Flag("use-fake-device-for-media-stream", true),
			chromedp.Flag("use-fake-ui-for-media-stream", true),
			chromedp.Flag("use-file-for-fake-video-capture", y4m),
		)
	}
}

// WindowSize sets the viewport, e.g. 1280×800 for a tablet, 1920×1080 for
// a lobby TV.
func WindowSize(w, h int) Option {
	return func(s *setup) { s.flags = append(s.flags, chromedp.WindowSize(w, h)) }
}

// LatinFontsOnly hides the system's fonts from the browser except a few
// Latin ones (DejaVu, Liberation), as on a kiosk or tablet without Chinese
// fonts: every CJK glyph must then come from the fonts the server ships.
// It writes a fontconfig file into dir.
func LatinFontsOnly(dir string) Option {
	return func(s *setup) {
		conf := `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE fontconfig SYSTEM "fonts.dtd">` + "\n<fontconfig>\n"
		for _, d := range []string{"/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"} {
			if _, err := os.Stat(d); err == nil {
				conf += "  <dir>" + d + "</dir>\n"
			}
		}
		conf += "  <cachedir>" + filepath.Join(dir, "fontcache") + "</cachedir>\n</fontconfig>\n"
		file := filepath.Join(dir, "fonts.conf")
		if err := os.WriteFile(file, []byte(conf), 0o644); err != nil {
			panic("browsertest: " + err.Error()) // a temporary directory the test just made
		}
		s.flags = append(s.flags, chromedp.Env("FONTCONFIG_FILE="+file))
	}
}

// Path finds Chromium: $HUIWU_CHROMIUM, then Debian's
// chromium-headless-shell, then a full Chromium or Chrome.
//
// The headless shell is Chromium's own headless build (Blink and V8 of the
// same version, without the desktop browser around them). The suite's
// page tests took about 40 % less CPU in it than in the full browser (the
// five page-test packages 465 s → 297 s, 2026-12-03; starting it 0.5 s of
// CPU against 1.8 s, a tab 0.14 s against 0.45 s), and passed alike.
// HUIWU_CHROMIUM=/usr/bin/chromium runs them in the full browser.
func Path() (string, error) {
	if p := os.Getenv("HUIWU_CHROMIUM"); p != "" {
		return p, nil
	}
	// Debian's /usr/bin/chromium-headless-shell is a script that runs the
	// binary below without exec: stopping the script would leave the
	// browser running, so the binary itself comes first.
	for _, name := range []string{"/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// New gives the test a browser tab with a profile of its own and returns a
// context to run chromedp actions in; everything is closed when the test
// ends. Under Main the tab is a fresh browser context in a Chromium shared
// with the package's other tests that pass the same flags; otherwise a
// Chromium of its own. A missing Chromium fails the test: scripts/test
// installs it, and a browser test that skips proves nothing.
func New(t testing.TB, opts ...Option) context.Context {
	t.Helper()
	bin, err := Path()
	if err != nil {
		t.Fatal("browsertest: Chromium not found; install Debian's chromium-headless-shell (scripts/test does) or set HUIWU_CHROMIUM")
	}
	s := setup{flags: []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 800),
	}}
	for _, opt := range opts {
		opt(&s)
	}
	var ctx context.Context
	if sharing() {
		ctx = sharedTab(t, s.flags)
	} else {
		ctx = ownBrowser(t, s.flags)
	}
	for _, js := range s.first {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
			t.Fatalf("browsertest: prepare the tab: %v", err)
		}
	}
	return bounded(t, ctx)
}

// ownBrowser starts a Chromium for the test alone, closed when it ends.
func ownBrowser(t testing.TB, flags []chromedp.ExecAllocatorOption) context.Context {
	flags = append(flags, chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, so a failure to launch is reported here. No
	// timeout on this first call: it would stop the whole browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start Chromium: %v", err)
	}
	return ctx
}

// tabTimeout bounds everything a test does in one tab. chromedp waits for
// an element with no end of its own: a click on a button the page has
// hidden hung TestKioskFaceEngineOffline until go test's -timeout stopped
// the whole package after 20 minutes. Now such a test fails on its own,
// with "context deadline exceeded" where it waited. The slowest browser
// test takes about 2.5 minutes on a loaded machine.
const tabTimeout = 6 * time.Minute

// bounded is the tab's context with tabTimeout. The browser has started by
// now, so the deadline ends the test's waits, not the shared Chromium.
func bounded(t testing.TB, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(cancel)
	return ctx
}

// Screenshot saves a PNG of the page to dir/name (dir is created) so a
// person can look at it; it returns the path.
func Screenshot(t testing.TB, ctx context.Context, dir, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ShotDir is where a test keeps its screenshots: $HUIWU_SHOTS/area when set
// (to look at them afterwards), else the test's temporary directory.
func ShotDir(t testing.TB, area string) string {
	if d := os.Getenv("HUIWU_SHOTS"); d != "" {
		return filepath.Join(d, area)
	}
	return t.TempDir()
}

// SignIn gives the browser the page cookie that Huiwu's pages authenticate
// with, for the server at baseURL.
func SignIn(t testing.TB, ctx context.Context, baseURL, token string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: "huiwu_token", Value: token, URL: baseURL}); err != nil {
		t.Fatalf("set the huiwu_token cookie: %v", err)
	}
}
