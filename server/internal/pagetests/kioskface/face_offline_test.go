package kioskface_test

import (
	"io/fs"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/kiosk"
	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestKioskFaceEngineOffline: a kiosk at a door that checks faces loads
// the face engine and has the service worker keep it; the server goes
// away and the kiosk restarts: the engine loads from the cache and is
// ready to check faces offline.
func TestKioskFaceEngineOffline(t *testing.T) {
	r := &testkit.Restartable{T: t, Dir: t.TempDir()}
	r.Start()
	t.Cleanup(r.Stop)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	_, code := testkit.NewKiosk(t, r, "东门刷脸离线", "hall-east") // the demo's east door advises 刷脸
	browsertest.PairThroughKeypad(t, ctx, "http://"+r.Addr, code, t.TempDir())
	browsertest.Poll[bool](t, ctx, `window.huiwuKiosk.face.state === 'ready'`, 60*time.Second)
	n := len(testkit.ServiceWorkerList(t, mustRead(t, "kiosk/sw.js"), "FACE_VENDOR")) + len(testkit.ServiceWorkerList(t, mustRead(t, "kiosk/sw.js"), "FACE_CODE"))
	// Each poll counts the face cache's entries anew; the answer is the last count.
	browsertest.Poll[bool](t, ctx, `(caches.keys().then((ks) => ks.filter((k) => k.startsWith('huiwu-kiosk-face-')))
		  .then((ks) => ks.length === 1 ? caches.open(ks[0]).then((c) => c.keys()).then((k) => k.length) : -1)
		  .then((n) => { window.faceCached = n; }), !!navigator.serviceWorker.controller && window.faceCached === `+strconv.Itoa(n)+`)`,
		60*time.Second)

	r.Stop()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, ctx, `document.body.dataset.screen === 'scan' && document.body.dataset.core === 'ready'`, 30*time.Second)
	browsertest.Poll[bool](t, ctx, `document.getElementById('net').classList.contains('offline')`, 20*time.Second)
	if st := browsertest.Poll[string](t, ctx, `['ready', 'unavailable'].includes(window.huiwuKiosk.face.state) && window.huiwuKiosk.face.state + ' ' + window.huiwuKiosk.face.error`, 60*time.Second); st != "ready " {
		t.Fatalf("offline, the face engine is %q", st)
	}
	browsertest.Screenshot(t, ctx, browsertest.ShotDir(t, "kiosk"), "face-engine-offline.png")
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(kiosk.Web, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
