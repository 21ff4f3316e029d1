package web_test

import (
	"context"
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

// layoutJS measures the result screen shown: the headline, the message,
// every guidance value and the countdown bar must lie inside the viewport;
// no text may overflow its box; and the seat (any guidance value) must not
// wrap a character per line — at most two lines. It answers the problems
// found, and what the screen says, for the test's log.
const layoutJS = `(() => {
  const vw = innerWidth, vh = innerHeight, bad = [];
  const root = document.getElementById('result');
  const inside = (el, what) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) { bad.push(what + ' has no box'); return r; }
    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
      bad.push(what + ' outside the viewport: ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
    if (el.scrollWidth > el.clientWidth + 1) bad.push(what + ' overflows its box sideways');
    return r;
  };
  // A text's first line of words (not its English line) on at most two lines.
  const wraps = (el, what) => {
    const first = el.firstChild;
    if (!first || first.nodeType !== 3) return;
    const r = document.createRange();
    r.selectNodeContents(first);
    const tops = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
    if (tops.size > 2) bad.push(what + ' ' + first.textContent + ' wraps over ' + tops.size + ' lines');
  };
  const word = root.querySelector('#r-word > span');
  inside(word, 'headline');
  wraps(word, 'headline');
  for (const m of root.querySelectorAll('#r-msg > div')) { inside(m, 'message'); wraps(m, 'message'); }
  for (const dd of root.querySelectorAll('#r-guide dd')) { inside(dd, 'guidance ' + dd.textContent); wraps(dd, 'guidance'); }
  inside(root.querySelector('.r-timer'), 'timer bar');
  const name = root.querySelector('.r-name');
  if (name) inside(name, 'name');
  return { bad, tone: root.className, text: root.innerText.replace(/\s+/g, ' ').slice(0, 300) };
})()`

type layout struct {
	Bad  []string `json:"bad"`
	Tone string   `json:"tone"`
	Text string   `json:"text"`
}

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

	shots := shotDir(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1080, 1920), cameraDenied)
	dev, code := newKiosk(t, srv, "东门立式机", "hall-east")
	pairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())

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
	poll[string](t, ctx, `!document.getElementById('cam-error').hidden && document.getElementById('cam-error').dataset.error`, 10*time.Second)
	for _, sz := range sizes {
		resize(sz)
		bad := poll[[]string](t, ctx, `(() => { const bad = [];
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
	show := func(kind, text string, want func(l layout) string) {
		t.Helper()
		n++
		// The same badge again at once would count once (TestKioskUSBScanner
		// covers that): here every scan is a new person stepping up.
		poll[bool](t, ctx, `(window.huiwuKiosk.state.last = { text: '', at: 0 }, true)`, time.Second)
		scannerTypes(t, ctx, text)
		nthResult(t, ctx, n, "", "")
		poll[bool](t, ctx, `(clearTimeout(window.huiwuKiosk.state.resultTimer), true)`, time.Second)
		for _, sz := range sizes {
			resize(sz)
			l, err := chromedp.Run(ctx, chromedp.Evaluate[layout](layoutJS))
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
	says := func(tone string, words ...string) func(l layout) string {
		return func(l layout) string {
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

	tok := credentialOf(t, srv, west)
	show("ok", tok, says("ok", "签到成功", "穿过会场", "West Door"))
	show("already", tok, says("warn", "已签到", "西门"))
	show("leave", credentialOf(t, srv, onLeave), says("ok", "签到成功", "请假已撤销"))
	show("not-on-list", credentialOf(t, srv, stranger), says("bad", "请到报到处"))
	show("invalid", "HUIWU-NOT-A-BADGE-12345", says("bad", "无效证件", "请到报到处", "registration desk"))

	// The server refuses a scan (its disk is full): the person sees it.
	refuse(t, ctx, 507, "disk_full", "服务器磁盘已满，本次操作未保存，请通知技术人员", "the server's disk is full; this was NOT stored, tell the technician")
	show("refused", credentialOf(t, srv, stranger), says("bad", "未能签到", "请到报到处", "disk_full"))
	if _, err := chromedp.Call(ctx, fetch.Disable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}

	// Moved to the first dining hall: a ticket for the second is sent there.
	if st := srv.Call("PATCH", "/devices/"+dev, testkit.AdminToken, map[string]string{"checkpoint": "dining1"}, nil); st != 200 {
		t.Fatalf("move kiosk: HTTP %d", st)
	}
	show("wrong-hall", credentialOf(t, srv, diner), says("warn", "请到"+hall, "Dining Hall 2"))
}

// refuse makes the server's next answers to a scan an HTTP error, as a
// server that cannot store it gives.
func refuse(t *testing.T, ctx context.Context, status int64, code, zh, en string) {
	t.Helper()
	body := fmt.Sprintf(`{"error":{"code":%q,"message":{"zh":%q,"en":%q}}}`, code, zh, en)
	// The listener may not call the browser itself: it hands the work on.
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: status,
				Body: []byte(body), ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}}})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/checkins"}}}); err != nil {
		t.Fatal(err)
	}
}
