package screens_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// putEvent sends part of an event definition (PUT /api/v1/event).
func putEvent(t *testing.T, srv *testkit.Server, def map[string]any) {
	t.Helper()
	if st := srv.Call("PUT", "/event", admin, def, nil); st != 200 {
		t.Fatalf("PUT /event: HTTP %d", st)
	}
}

// A server with no event: the usher map, the chair's view and the lobby
// screen say so in big type and where it is set up. The desk then sets up
// the meeting, with no sessions at first: the pickers say there are none.
// A session is added, then its window moves: every page follows within
// 2 s, without a reload.
func TestPickerNoEventThenSetUp(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	base := srv.URL
	browser := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, browser, base, admin)
	shots := shotDir(t)
	pages := []struct {
		path string
		w, h int64
		ctx  context.Context
	}{{path: "/usher", w: 1280, h: 800}, {path: "/chair", w: 1440, h: 900}, {path: "/screen", w: 1920, h: 1080}}
	for i := range pages {
		p := &pages[i]
		ctx, cancel := chromedp.NewContext(browser)
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(p.w, p.h), chromedp.Navigate(base+p.path)); err != nil {
			t.Fatal(err)
		}
		p.ctx = ctx
	}
	const notice = `((document.querySelector('.pick.noevent') || {}).innerText || '')`
	for _, p := range pages {
		poll(t, p.ctx, notice+`.includes('尚未设置会议')`, 10*time.Second)
		if got := eval[string](t, p.ctx, notice); !strings.Contains(got, "No meeting has been set up yet") || !strings.Contains(got, "/desk") {
			t.Errorf("%s says %q", p.path, got)
		}
		if n := eval[float64](t, p.ctx, `parseFloat(getComputedStyle(document.querySelector('.pick.noevent h1')).fontSize)`); n < 40 {
			t.Errorf("%s: the notice is %.0f px high", p.path, n)
		}
		browsertest.Screenshot(t, p.ctx, shots, "noevent"+strings.ReplaceAll(p.path, "/", "-")+".png")
	}

	// The meeting, no sessions yet.
	cst := time.FixedZone("CST", 8*3600)
	today := time.Now().In(cst)
	day := today.Format("2006-01-02")
	// The session closes after the day ends, so it is open whenever the
	// test runs (closing at 23:59, it was closed in a day's last minute).
	closes := today.AddDate(0, 0, 1).Format("2006-01-02") + "T01:00:00+08:00"
	putEvent(t, srv, map[string]any{"event": map[string]any{"id": "t1", "name": "测试会议", "name_en": "Test meeting",
		"timezone": "Asia/Shanghai", "starts_on": day}})
	const empty = `((document.querySelector('.pick-empty') || {}).innerText || '')`
	for _, p := range pages[:2] {
		poll(t, p.ctx, `!document.querySelector('.pick.noevent') && `+empty+`.includes('暂无场次')`, 2*time.Second)
	}
	poll(t, pages[2].ctx, `!document.querySelector('.pick.noevent') && document.querySelector('#event').textContent === '测试会议' && document.querySelector('#s-name').textContent.includes('暂无场次')`, 2*time.Second)
	browsertest.Screenshot(t, pages[0].ctx, shots, "usher-nosessions.png")

	session := func(starts, ends string) map[string]any {
		return map[string]any{"venues": []any{map[string]any{"code": "r1", "name": "一号会议室", "kind": "room"}},
			"sessions": []any{map[string]any{"id": "s1", "name": "第一场", "kind": "group", "venue": "r1",
				"opens_at": day + "T00:00:00+08:00", "starts_at": day + "T" + starts + ":00+08:00",
				"ends_at": day + "T" + ends + ":00+08:00", "closes_at": closes}}}
	}
	putEvent(t, srv, session("08:00", "10:00"))
	for _, p := range pages[:2] {
		poll(t, p.ctx, `[...document.querySelectorAll('.pick [data-session]')].map((b) => b.dataset.session).join() === 's1'`, 2*time.Second)
	}
	poll(t, pages[2].ctx, `screenView.showing() === 's1' && document.querySelector('#s-when').textContent.includes('08:00–10:00')`, 2*time.Second)
	if err := chromedp.Do(pages[0].ctx, chromedp.Click(chromedp.CSS(`.pick [data-session="s1"]`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(pages[1].ctx, chromedp.Click(chromedp.CSS(`.pick [data-session="s1"]`))); err != nil {
		t.Fatal(err)
	}
	poll(t, pages[0].ctx, `usher.session() === 's1' && document.querySelector('#venue').textContent.includes('08:00–10:00')`, 3*time.Second)
	poll(t, pages[1].ctx, `chairView.session() === 's1' && document.querySelector('#when').textContent.includes('08:00–10:00')`, 3*time.Second)

	// The window moves: each page shows the new hours, on the same page.
	for _, p := range pages {
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](`window.notReloaded = true`)); err != nil {
			t.Fatal(err)
		}
	}
	putEvent(t, srv, session("08:30", "10:45"))
	for i, sel := range []string{"#venue", "#when", "#s-when"} {
		poll(t, pages[i].ctx, fmt.Sprintf(`window.notReloaded && document.querySelector(%q).textContent.includes('08:30–10:45')`, sel), 2*time.Second)
	}
}
