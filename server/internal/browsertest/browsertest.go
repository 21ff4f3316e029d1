// Package browsertest drives a real headless Chromium from Go tests
// (chromedp), started with the flags this machine needs: no sandbox (root),
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
	"github.com/chromedp/chromedp"
)

// Option adjusts the browser's start.
type Option func(*[]chromedp.ExecAllocatorOption)

// FakeCamera makes getUserMedia return a camera that loops the Y4M file
// (header "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg"; C444 crashes
// Chromium's capture service) and grants camera permission without asking.
func FakeCamera(y4m string) Option {
	return func(o *[]chromedp.ExecAllocatorOption) {
		*o = append(*o,
			chromedp.Flag("use-fake-device-for-media-stream", true),
			chromedp.Flag("use-fake-ui-for-media-stream", true),
			chromedp.Flag("use-file-for-fake-video-capture", y4m),
		)
	}
}

// WindowSize sets the viewport, e.g. 1280×800 for a tablet, 1920×1080 for
// a lobby TV.
func WindowSize(w, h int) Option {
	return func(o *[]chromedp.ExecAllocatorOption) { *o = append(*o, chromedp.WindowSize(w, h)) }
}

// LatinFontsOnly hides the system's fonts from the browser except a few
// Latin ones (DejaVu, Liberation), as on a kiosk or tablet without Chinese
// fonts: every CJK glyph must then come from the fonts the server ships.
// It writes a fontconfig file into dir.
func LatinFontsOnly(dir string) Option {
	return func(o *[]chromedp.ExecAllocatorOption) {
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
		*o = append(*o, chromedp.Env("FONTCONFIG_FILE="+file))
	}
}

// Path finds Chromium: $HUIWU_CHROMIUM, then Debian's chromium.
func Path() (string, error) {
	if p := os.Getenv("HUIWU_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// New gives the test a browser tab with a profile of its own and returns a
// context to run chromedp actions in; everything is closed when the test
// ends. Under Main the tab is a fresh browser context in a Chromium shared
// with the package's other tests that pass the same options; otherwise a
// Chromium of its own. A missing Chromium fails the test: scripts/test
// installs it, and a browser test that skips proves nothing.
func New(t testing.TB, opts ...Option) context.Context {
	t.Helper()
	bin, err := Path()
	if err != nil {
		t.Fatal("browsertest: Chromium not found; install Debian's chromium (scripts/test does) or set HUIWU_CHROMIUM")
	}
	o := []chromedp.ExecAllocatorOption{
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
	}
	for _, opt := range opts {
		opt(&o)
	}
	if sharing() {
		return bounded(t, sharedTab(t, o))
	}
	o = append(o, chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), o...)
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
	return bounded(t, ctx)
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
