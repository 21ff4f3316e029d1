package kiosk_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestKioskCamera: paired through its keypad, a kiosk at the hall's east
// door reads badges from a (fake) camera: a first scan is ok with the seat,
// the same badge shown again is already, a replaced badge is revoked.
func TestKioskCamera(t *testing.T) {
	t.Parallel() // waits out the scanner's 2 s window and camera frames: overlaps the others' waiting
	srv := testkit.Serve(t)
	people := testkit.Seated(t, srv, 2)
	first, seat := people[0][0].(int64), people[0][1].(string)
	lost := people[1][0].(int64)
	okToken := testkit.CredentialOf(t, srv, first)
	oldToken := testkit.CredentialOf(t, srv, lost)
	if st := srv.Call("POST", fmt.Sprintf("/attendees/%d/credential", lost), testkit.AdminToken, nil, nil); st != 200 {
		t.Fatalf("reissue: HTTP %d", st)
	}
	// The badge, then an empty desk long enough (over 2 s) for the kiosk to
	// count the next badge as a new scan; then the replaced badge.
	clip := browsertest.BadgeY4M(t, browsertest.Segment{Token: okToken, Secs: 1.2}, browsertest.Segment{Token: "", Secs: 2.6}, browsertest.Segment{Token: oldToken, Secs: 1.2}, browsertest.Segment{Token: "", Secs: 2.6})
	shots := browsertest.ShotDir(t, "kiosk")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.FakeCamera(clip))
	_, code := testkit.NewKiosk(t, srv, "东门1号", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, shots)

	// The fake camera's clip loops from wherever it happens to start, so the
	// results are taken as they come: the first of the seated attendee's
	// is ok with the seat, the next already; the replaced badge is revoked.
	var mine []browsertest.KioskResult
	revoked := false
	for n := 1; len(mine) < 2 || !revoked; n++ {
		r := browsertest.NthResult(t, ctx, n, "", "")
		switch {
		case r.Attendee == first && len(mine) == 0:
			browsertest.Screenshot(t, ctx, shots, "result-ok.png")
			if r.Status != "ok" || r.Seat != seat || r.Source != "camera" {
				t.Fatalf("first scan: %+v, want ok at seat %s from the camera", r, seat)
			}
			mine = append(mine, r)
		case r.Attendee == first && len(mine) == 1:
			browsertest.Screenshot(t, ctx, shots, "result-already.png")
			if r.Status != "already" {
				t.Fatalf("second scan: %+v, want already", r)
			}
			mine = append(mine, r)
		case r.Attendee == lost && !revoked:
			browsertest.Screenshot(t, ctx, shots, "result-revoked.png")
			if r.Status != "revoked" {
				t.Fatalf("replaced badge: %+v, want revoked", r)
			}
			revoked = true
		}
		if n > 8 {
			t.Fatalf("after %d results still missing some: %+v revoked=%v", n, mine, revoked)
		}
	}
	stats := browsertest.Poll[map[string]float64](t, ctx, `(() => { const s = window.huiwuKiosk.stats;
		const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1] || 0;
		return {decode: med(s.decodeMs), hit: med(s.hitMs), grab: med(s.grabMs), n: s.decodeMs.length}; })()`, 5*time.Second)
	t.Logf("worker, 640x480 frames: median decode %.1f ms (%.1f ms on frames holding a badge) + grab and grey %.1f ms, over %.0f frames",
		stats["decode"], stats["hit"], stats["grab"], stats["n"])

	// A paired kiosk restarting: from navigation to the first badge read,
	// with the camera showing a badge for 1.2 s in every 3.8 (so up to
	// 2.6 s of this is waiting for the badge to come round).
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	boot := browsertest.Poll[map[string]float64](t, ctx, `(() => { const s = window.huiwuKiosk && window.huiwuKiosk.stats;
		return s && s.firstDecodeAt ? {first: s.firstDecodeAt, ready: s.readyMs} : null; })()`, 30*time.Second)
	t.Logf("reload: scanner core ready %.0f ms after the worker started, first decode %.0f ms after navigation", boot["ready"], boot["first"])
}
