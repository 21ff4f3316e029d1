package web_test

import (
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/kiosk"
	"huiwu/server/internal/browsertest"
)

// swList answers the quoted paths of the JavaScript array named name in
// the kiosk's service worker.
func swList(t *testing.T, sw, name string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)const ` + name + ` = \[(.*?)\];`).FindStringSubmatch(sw)
	if m == nil {
		t.Fatalf("sw.js has no %s list", name)
	}
	var out []string
	for _, q := range regexp.MustCompile(`'([^']+)'`).FindAllStringSubmatch(m[1], -1) {
		out = append(out, q[1])
	}
	return out
}

// TestKioskServiceWorkerFaceList: the service worker keeps every file of
// the vendored face engine (and nothing that is not there), the engine's
// two scripts, and the kiosk's face check module with the page's shell: a
// kiosk restarted without the server still opens, and still checks faces.
func TestKioskServiceWorkerFaceList(t *testing.T) {
	b, err := fs.ReadFile(kiosk.Web, "kiosk/sw.js")
	if err != nil {
		t.Fatal(err)
	}
	sw := string(b)
	var vendored []string
	err = fs.WalkDir(kiosk.Web, "vendor/human", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		// Licences and notes are for people; the engine loads the rest.
		if base := d.Name(); base != "LICENSE" && !strings.HasSuffix(base, ".md") {
			vendored = append(vendored, "/static/"+p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	listed := swList(t, sw, "FACE_VENDOR")
	slices.Sort(vendored)
	slices.Sort(listed)
	if !slices.Equal(vendored, listed) {
		t.Errorf("sw.js FACE_VENDOR\n  %v\nvendored files\n  %v", listed, vendored)
	}
	for _, p := range swList(t, sw, "FACE_CODE") {
		name := strings.TrimPrefix(strings.TrimPrefix(p, "/static/"), "/")
		if _, err := fs.Stat(kiosk.Web, name); err != nil {
			t.Errorf("FACE_CODE names %s: %v", p, err)
		}
	}
	if !slices.Contains(swList(t, sw, "SHELL"), "/static/kiosk/face-check.js") {
		t.Error("the shell lacks /static/kiosk/face-check.js, which kiosk.js imports: the page would not open offline")
	}
}

// TestKioskFaceEngineOffline: a kiosk at a door that checks faces loads
// the face engine and has the service worker keep it; the server goes
// away and the kiosk restarts: the engine loads from the cache and is
// ready to check faces offline.
func TestKioskFaceEngineOffline(t *testing.T) {
	r := &restartable{t: t, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), cameraDenied)
	_, code := newKiosk(t, r, "东门刷脸离线", "hall-east") // the demo's east door advises 刷脸
	pairThroughKeypad(t, ctx, "http://"+r.addr, code, t.TempDir())
	poll[bool](t, ctx, `window.huiwuKiosk.face.state === 'ready'`, 60*time.Second)
	n := len(swList(t, mustRead(t, "kiosk/sw.js"), "FACE_VENDOR")) + len(swList(t, mustRead(t, "kiosk/sw.js"), "FACE_CODE"))
	// Each poll counts the face cache's entries anew; the answer is the last count.
	poll[bool](t, ctx, `(caches.keys().then((ks) => ks.filter((k) => k.startsWith('huiwu-kiosk-face-')))
		  .then((ks) => ks.length === 1 ? caches.open(ks[0]).then((c) => c.keys()).then((k) => k.length) : -1)
		  .then((n) => { window.faceCached = n; }), !!navigator.serviceWorker.controller && window.faceCached === `+strconv.Itoa(n)+`)`,
		60*time.Second)

	r.stop()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.screen === 'scan' && document.body.dataset.core === 'ready'`, 30*time.Second)
	poll[bool](t, ctx, `document.getElementById('net').classList.contains('offline')`, 20*time.Second)
	if st := poll[string](t, ctx, `['ready', 'unavailable'].includes(window.huiwuKiosk.face.state) && window.huiwuKiosk.face.state + ' ' + window.huiwuKiosk.face.error`, 60*time.Second); st != "ready " {
		t.Fatalf("offline, the face engine is %q", st)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "face-engine-offline.png")
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(kiosk.Web, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
