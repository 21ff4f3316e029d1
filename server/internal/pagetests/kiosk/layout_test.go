package kiosk_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestKioskResultLayouts (issue 11.6–11.11): every kind of result — ok
// with the way to a seat by another door, already, a person on leave, not
// on the list, an invalid badge, a refusal from the server, the wrong
// dining hall — shown at a portrait floor-stand kiosk (1080×1920), a
// landscape screen (1920×1080), a tablet both ways (1280×800, 800×1280):
// the seat, the message and the countdown bar fit in the viewport and no
// word wraps a character per line; each says what to do.
func TestKioskResultLayouts(t *testing.T) {
	srv := testkit.Serve(t)
	db := srv.App.DB.ForTest().R
	one := func(q string, args ...any) (int64, string) {
		t.Helper()
		var id int64
		var s string
		if err := db.QueryRow(q, args...).Scan(&id, &s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id, s
	}
	// Seated by the west door, scanned at the east door: the longest seat.
	west, _ := one(`SELECT sa.attendee_id, s.label FROM seat_assignments sa JOIN seats s ON s.id = sa.seat_id
		WHERE sa.session_id = 'opening' AND s.door = '西门' AND s.section <> 'presidium'
		AND sa.attendee_id NOT IN (SELECT attendee_id FROM leaves) ORDER BY s.row DESC, s.number DESC LIMIT 1`)
	onLeave, _ := one(`SELECT l.attendee_id, '' FROM leaves l JOIN attendees a ON a.id = l.attendee_id
		WHERE l.session_id = 'opening' AND l.revoked_at IS NULL AND a.status <> 'cancelled' LIMIT 1`)
	stranger, _ := one(`SELECT a.id, '' FROM attendees a WHERE a.status <> 'cancelled'
		AND a.id NOT IN (SELECT attendee_id FROM session_attendees WHERE session_id = 'opening') LIMIT 1`)
	diner, hall := one(`SELECT t.attendee_id, v.name FROM meal_tickets t JOIN venues v ON v.id = t.venue_id
		JOIN meals m ON m.id = t.meal_id WHERE v.code = 'dining2' AND m.opens_at <= ? AND m.closes_at > ? LIMIT 1`,
		store.FormatTime(time.Now()), store.FormatTime(time.Now()))

	shots := browsertest.ShotDir(t, "kiosk")
	ctx := browsertest.New(t, browsertest.WindowSize(1080, 1920), browsertest.CameraDenied)
	dev, code := testkit.NewKiosk(t, srv, "东门立式机", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())

	sizes := [][2]int64{{1080, 1920}, {1920, 1080}, {1280, 800}, {800, 1280}}
	resize := func(sz [2]int64) {
		t.Helper()
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: sz[0], Height: sz[1], DeviceScaleFactor: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// The scan screen between people (camera refused: the USB scanner's
	// words) fits too.
	browsertest.Poll[string](t, ctx, `!document.getElementById('cam-error').hidden && document.getElementById('cam-error').dataset.error`, 10*time.Second)
	for _, sz := range sizes {
		resize(sz)
		bad := browsertest.Poll[[]string](t, ctx, `(() => { const bad = [];
		  for (const sel of ['#scan .bar', '#cam-error', '#scan .prompt']) {
		    const r = document.querySelector(sel).getBoundingClientRect();
		    if (!r.height || r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) bad.push(sel);
		  }
		  return bad; })()`, time.Second)
		if len(bad) > 0 {
			t.Errorf("scan screen at %d×%d: %v outside the viewport", sz[0], sz[1], bad)
		}
		browsertest.Screenshot(t, ctx, shots, fmt.Sprintf("scan-%dx%d.png", sz[0], sz[1]))
	}
	n := 0
	// show scans text, holds the result on screen and checks it at every
	// size; want checks what it says.
	show := func(kind, text string, want func(l browsertest.ResultLayout) string) {
		t.Helper()
		n++
		// The same badge again at once would count once (TestKioskUSBScanner
		// covers that): here every scan is a new person stepping up.
		browsertest.Poll[bool](t, ctx, `(window.huiwuKiosk.state.last = { text: '', at: 0 }, true)`, time.Second)
		scannerTypes(t, ctx, text)
		browsertest.NthResult(t, ctx, n, "", "")
		browsertest.Poll[bool](t, ctx, `(clearTimeout(window.huiwuKiosk.state.resultTimer), true)`, time.Second)
		for _, sz := range sizes {
			resize(sz)
			l, err := chromedp.Run(ctx, chromedp.Evaluate[browsertest.ResultLayout](browsertest.ResultLayoutJS))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, ctx, shots, fmt.Sprintf("result-%s-%dx%d.png", kind, sz[0], sz[1]))
			for _, b := range l.Bad {
				t.Errorf("%s at %d×%d: %s", kind, sz[0], sz[1], b)
			}
			if msg := want(l); msg != "" {
				t.Errorf("%s at %d×%d: %s (shows %s: %q)", kind, sz[0], sz[1], msg, l.Tone, l.Text)
			}
		}
	}
	says := func(tone string, words ...string) func(l browsertest.ResultLayout) string {
		return func(l browsertest.ResultLayout) string {
			if !strings.Contains(l.Tone, tone) {
				return "not " + tone
			}
			for _, w := range words {
				if !strings.Contains(l.Text, w) {
					return "does not say " + w
				}
			}
			return ""
		}
	}

	tok := testkit.CredentialOf(t, srv, west)
	show("ok", tok, says("ok", "签到成功", "穿过会场", "West Door"))
	show("already", tok, says("warn", "已签到", "西门"))
	show("leave", testkit.CredentialOf(t, srv, onLeave), says("ok", "签到成功", "请假已撤销"))
	show("not-on-list", testkit.CredentialOf(t, srv, stranger), says("bad", "请到报到处"))
	show("invalid", "HUIWU-NOT-A-BADGE-12345", says("bad", "无效证件", "请到报到处", "registration desk"))

	// The server refuses a scan (its disk is full): the person sees it.
	browsertest.RefuseScans(t, ctx, 507, "disk_full", "服务器磁盘已满，本次操作未保存，请通知技术人员", "the server's disk is full; this was NOT stored, tell the technician")
	show("refused", testkit.CredentialOf(t, srv, stranger), says("bad", "未能签到", "请到报到处", "disk_full"))
	if _, err := chromedp.Call(ctx, fetch.Disable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}

	// Moved to the first dining hall: a ticket for the second is sent there.
	if st := srv.Call("PATCH", "/devices/"+dev, testkit.AdminToken, map[string]string{"checkpoint": "dining1"}, nil); st != 200 {
		t.Fatalf("move kiosk: HTTP %d", st)
	}
	show("wrong-hall", testkit.CredentialOf(t, srv, diner), says("warn", "请到"+hall, "Dining Hall 2"))
}
