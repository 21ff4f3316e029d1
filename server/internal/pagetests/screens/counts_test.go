package screens_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/testkit"
)

// apiCounts is what GET /sessions/{id}/attendance answers (docs/counts.md).
type apiCounts struct {
	Expected int    `json:"expected"`
	Present  int    `json:"present"`
	OnLeave  int    `json:"on_leave"`
	NotYet   int    `json:"not_yet"`
	Absent   int    `json:"absent"`
	Left     int    `json:"left"`
	Phase    string `json:"phase"`
	Started  bool   `json:"started"`
	// AbsentCounted: those not in are 缺席 by now — from the start, or
	// from the close by the session's rule (absent_from).
	AbsentCounted bool `json:"absent_counted"`
	All           struct {
		Expected int `json:"expected"`
	} `json:"all"`
}

func attendanceOf(t testing.TB, srv *testkit.Server, session string) apiCounts {
	t.Helper()
	var c apiCounts
	if st := srv.Call("GET", "/sessions/"+session+"/attendance", admin, nil, &c); st != 200 {
		t.Fatalf("attendance: HTTP %d", st)
	}
	return c
}

// scanOut scans attendee id at the hall's exit.
func scanOut(t testing.TB, srv *testkit.Server, id int64) {
	t.Helper()
	var cred struct{ Token string }
	srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), admin, nil, &cred)
	var res struct{ Status string }
	scan := map[string]any{"token": cred.Token, "checkpoint": "hall-exit", "scan_id": fmt.Sprintf("out-%d-%d", id, scanN.Add(1))}
	if st := srv.Call("POST", "/checkins", admin, scan, &res); st != 200 || res.Status != "exit" {
		t.Fatalf("exit %d: HTTP %d %s", id, st, res.Status)
	}
}

// shanghai is the demo event's zone; the browser runs in another one, so a
// page that formats times in the browser's zone shows the wrong hour.
var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}()

// browser starts Chromium in Los Angeles time, signed in as token.
func browser(t *testing.T, srv *testkit.Server, token string) context.Context {
	t.Helper()
	ctx := browsertest.New(t, browsertest.WindowSize(1920, 1280))
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Los_Angeles"}); err != nil {
		t.Fatal(err)
	}
	browsertest.SignIn(t, ctx, srv.URL, token)
	return ctx
}

func open(t *testing.T, ctx context.Context, w, h int, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h)), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
}

// smallEnglish counts the visible English lines (and chart labels) set
// smaller than 12 px.
const smallEnglish = `[...document.querySelectorAll('.en, svg text')].filter((e) => e.getClientRects().length && e.textContent.trim()
	&& parseFloat(getComputedStyle(e).fontSize) < 12).map((e) => e.textContent.trim() + ' ' + getComputedStyle(e).fontSize)`

// num reads an element's text as a number (NaN when missing).
const numJS = `const num = (s) => { const e = document.querySelector(s); return e ? Number(e.textContent.replace(/[^0-9-]/g, '')) : NaN; };`

func usherUser(t *testing.T, srv *testkit.Server) string {
	t.Helper()
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", admin, map[string]string{"name": "引导员二", "role": "usher"}, &u); st != 201 {
		t.Fatalf("usher user: HTTP %d", st)
	}
	return u.Token
}

// TestPagesBeforeTheStart: the opening's doors are open and people are
// coming in, but it has not started. Screen, chair and usher (two tablet
// orientations) show the same figures, nobody is called 缺席 and nothing
// says 进行中; times are the event's, not the browser's.
func TestPagesBeforeTheStart(t *testing.T) {
	srv := testkit.Serve(t)
	var vips []seatmap.Seat
	var floor []int64
	for _, s := range seats(t, srv, "opening") {
		switch {
		case s.State != "assigned":
		case s.Section == "presidium" && len(vips) < 3:
			vips = append(vips, s)
		case s.Section != "presidium" && s.Category == "deputy" && len(floor) < 20:
			floor = append(floor, s.AttendeeID)
		}
	}
	for _, s := range vips {
		checkIn(t, srv, s.AttendeeID)
	}
	arrivedAt := time.Now().In(shanghai)
	for _, id := range floor {
		checkIn(t, srv, id)
	}
	scanOut(t, srv, floor[0])
	c := attendanceOf(t, srv, "opening")
	if c.Phase != "open" || c.Started || c.Absent != 0 || c.NotYet == 0 {
		t.Fatalf("before the start: %+v", c)
	}
	ctx := browser(t, srv, admin)

	// The lobby screen, held on the opening.
	open(t, ctx, 1920, 1080, srv.URL+"/screen?session=opening")
	poll(t, ctx, `document.querySelector('#f-present').textContent === '`+itoa(c.Present)+`'`, 15*time.Second)
	checkFigures(t, ctx, "screen", c)
	if tag := eval[string](t, ctx, `(document.querySelector('.agenda .item[data-session="opening"] .tag') || {}).textContent || ''`); strings.Contains(tag, "进行中") {
		t.Errorf("screen tags the opening %q before it starts", tag)
	}
	start := time.Now() // the demo's opening starts about an hour from now: read it from the API
	var sessions []struct {
		ID       string    `json:"id"`
		StartsAt time.Time `json:"starts_at"`
	}
	srv.Call("GET", "/sessions", admin, nil, &sessions)
	for _, s := range sessions {
		if s.ID == "opening" {
			start = s.StartsAt
		}
	}
	if meta := eval[string](t, ctx, `document.querySelector('#s-when').textContent`); !strings.Contains(meta, start.In(shanghai).Format("15:04")) {
		t.Errorf("screen says %q, want the start at %s Shanghai time", meta, start.In(shanghai).Format("15:04"))
	}
	clock := eval[string](t, ctx, `document.querySelector('#clock').textContent`)
	if now := time.Now().In(shanghai); clock != now.Format("15:04") && clock != now.Add(-time.Minute).Format("15:04") {
		t.Errorf("screen clock %q, Shanghai time is %s", clock, now.Format("15:04"))
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "counts-screen-before.png")

	// The chair's view.
	open(t, ctx, 1440, 900, srv.URL+"/chair?session=opening")
	poll(t, ctx, `document.querySelector('#chart').dataset.total === '`+itoa(c.Present+c.Left)+`'`, 15*time.Second)
	checkFigures(t, ctx, "chair", c)
	if n := eval[int](t, ctx, `document.querySelectorAll('#absentees li').length`); n != 0 {
		t.Errorf("chair lists %d absentees before the start", n)
	}
	if lbl := eval[string](t, ctx, `document.querySelector('#chart').textContent`); !strings.Contains(lbl, start.In(shanghai).Format("15:04")) {
		t.Errorf("chart %q does not mark the start at %s", lbl, start.In(shanghai).Format("15:04"))
	}
	checkChart(t, ctx)
	browsertest.Screenshot(t, ctx, shotDir(t), "counts-chair-before.png")

	// The usher's tablet, landscape and portrait, after a reload: the VIPs
	// who came before the page was opened are listed from the snapshot.
	ctx2 := browser(t, srv, usherUser(t, srv))
	for _, size := range [][2]int{{1280, 800}, {800, 1280}} {
		open(t, ctx2, size[0], size[1], srv.URL+"/usher?session=opening")
		poll(t, ctx2, `window.usher && usher.count() > 700 && document.querySelector('#sc-present').textContent === '`+itoa(c.Present)+`'`, 15*time.Second)
		checkUsher(t, ctx2, c)
		if n := eval[int](t, ctx2, `document.querySelectorAll('#vip li.arrived').length`); n != len(vips) {
			t.Errorf("%d×%d: %d VIP arrivals listed after a reload, want %d", size[0], size[1], n, len(vips))
		}
		at := eval[string](t, ctx2, `(document.querySelector('#vip li.arrived small') || {}).textContent || ''`)
		if want := arrivedAt.Format("15:04"); at != want && at != arrivedAt.Add(-time.Minute).Format("15:04") && at != arrivedAt.Add(time.Minute).Format("15:04") {
			t.Errorf("VIP arrival at %q, want Shanghai time %s", at, want)
		}
		if cut := eval[bool](t, ctx2, `(() => { const q = document.querySelector('#q'); const cs = getComputedStyle(q);
			const g = document.createElement('canvas').getContext('2d'); g.font = cs.fontSize + ' ' + cs.fontFamily;
			return g.measureText(q.placeholder).width > q.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight); })()`); cut {
			t.Errorf("%d×%d: the search placeholder is cut off", size[0], size[1])
		}
		browsertest.Screenshot(t, ctx2, shotDir(t), fmt.Sprintf("counts-usher-before-%dx%d.png", size[0], size[1]))
	}
	// A section on its own shows names on the seats on the landscape
	// tablet; upright, after zooming in.
	open(t, ctx2, 1280, 800, srv.URL+"/usher?session=opening")
	poll(t, ctx2, `window.usher && usher.count() > 700`, 15*time.Second)
	browsertest.Click(t, ctx2, `#sections button[data-section="B"]`)
	if !eval[bool](t, ctx2, `usher.showsNames()`) {
		t.Errorf("section B on 1280×800: seats %v px, no names", eval[[]float64](t, ctx2, `usher.seatSize()`))
	}
	browsertest.Screenshot(t, ctx2, shotDir(t), "counts-usher-before-section-b.png")
	if err := chromedp.Do(ctx2, chromedp.EmulateViewport(800, 1280)); err != nil {
		t.Fatal(err)
	}
	// Each zoom redraws on the next frame: give the page (under load) a
	// moment to show names before zooming again, and before judging.
	named := func() bool {
		deadline := time.Now().Add(2 * time.Second)
		for !eval[bool](t, ctx2, `usher.showsNames()`) {
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(50 * time.Millisecond)
		}
		return true
	}
	for i := 0; i < 3 && !named(); i++ {
		if err := chromedp.Do(ctx2, chromedp.Click(`#zoom-in`)); err != nil {
			t.Fatal(err)
		}
	}
	if !named() {
		t.Errorf("section B on 800×1280 zoomed in: seats %v px, no names", eval[[]float64](t, ctx2, `usher.seatSize()`))
	}
	browsertest.Screenshot(t, ctx2, shotDir(t), "counts-usher-before-section-b-zoomed.png")
}

// checkFigures compares a page's figures with the API's, and before the
// start checks that no one is called 缺席.
func checkFigures(t *testing.T, ctx context.Context, page string, c apiCounts) {
	t.Helper()
	got := eval[[]float64](t, ctx, `(() => { `+numJS+` return ['#f-expected', '#f-present', '#f-leave', '#f-absent', '#f-left'].map(num); })()`)
	rest := c.NotYet + c.Absent
	if want := []float64{float64(c.Expected), float64(c.Present), float64(c.OnLeave), float64(rest), float64(c.Left)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s shows 应到/实到/请假/未到或缺席/离场 %v, the API %v", page, got, want)
	}
	label := eval[string](t, ctx, `document.querySelector('#l-absent').textContent`)
	if !c.AbsentCounted {
		if !strings.HasPrefix(label, "未到") || eval[bool](t, ctx, `document.body.innerText.includes('缺席')`) {
			t.Errorf("%s says 缺席 before the start (label %q)", page, label)
		}
		if red := eval[bool](t, ctx, `(() => { const m = getComputedStyle(document.querySelector('#f-absent')).color.match(/\d+/g).map(Number);
			return m[0] > 150 && m[1] < 120 && m[2] < 120; })()`); red {
			t.Errorf("%s paints 未到 red", page)
		}
	} else if !strings.HasPrefix(label, "缺席") {
		t.Errorf("%s labels the absent %q after the start", page, label)
	}
	if basis := eval[string](t, ctx, `(document.querySelector('#basis') || {}).textContent || ''`); !strings.Contains(basis, "代表") {
		t.Errorf("%s does not say which people its figures count: %q", page, basis)
	}
	if small := eval[[]string](t, ctx, smallEnglish); len(small) > 0 {
		t.Errorf("%s: English lines under 12 px: %q", page, small)
	}
}

// checkChart: two axes with titles, a legend, times along the bottom.
func checkChart(t *testing.T, ctx context.Context) {
	t.Helper()
	if n := eval[int](t, ctx, `document.querySelectorAll('#chart .legend').length`); n < 2 {
		t.Errorf("the arrival chart has %d legend entries", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#chart .y-title').length`); n != 2 {
		t.Errorf("the arrival chart has %d axis titles, want 2 (per minute, cumulative)", n)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('#chart .x-tick')].filter((e) => /^\d\d:\d\d$/.test(e.textContent)).length`); n < 3 {
		t.Errorf("the arrival chart has %d time labels", n)
	}
}

// checkUsher: the seat panel, the section buttons and the session line
// agree; seat figures are not called 应到; the map's colours are the
// panel's and tell 已到, 未到 and 空位 apart.
func checkUsher(t *testing.T, ctx context.Context, c apiCounts) {
	t.Helper()
	got := eval[[]float64](t, ctx, `(() => { `+numJS+` return ['#sc-expected', '#sc-present', '#sc-leave', '#sc-rest', '#sc-left'].map(num); })()`)
	if want := []float64{float64(c.Expected), float64(c.Present), float64(c.OnLeave), float64(c.NotYet + c.Absent), float64(c.Left)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("usher session line %v, the API %v", got, want)
	}
	panel := eval[[]float64](t, ctx, `(() => { `+numJS+` return ['#c-arrived', '#c-missing', '#c-leave', '#c-left', '#c-seated'].map(num); })()`)
	if panel[0]+panel[1]+panel[2]+panel[3] != panel[4] {
		t.Errorf("usher panel 已到+未到+请假+离场 %v do not sum to the seated", panel)
	}
	tab := eval[string](t, ctx, `document.querySelector('#sections button[data-section=""] .n').textContent.trim()`)
	if want := fmt.Sprintf("%d/%d", int(panel[0]), int(panel[4])); tab != want {
		t.Errorf("usher tab %q, panel %s", tab, want)
	}
	if txt := eval[string](t, ctx, `document.querySelector('#seat-counts').innerText`); strings.Contains(txt, "应到") || !strings.Contains(txt, "座位") {
		t.Errorf("usher seat panel %q: seat figures are 座位, never 应到", txt)
	}
	if !c.AbsentCounted && eval[bool](t, ctx, `document.body.innerText.includes('缺席')`) {
		t.Errorf("usher says 缺席 before the start")
	}
	if bad := eval[[]string](t, ctx, `(() => {
		const rgb = (s) => { const m = s.match(/\d+/g).map(Number); return m.slice(0, 3); };
		const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
		const out = [];
		for (const [k, sel] of [['arrived', '.c.arrived .sw'], ['assigned', '.c.missing .sw'], ['on_leave', '.c.leave .sw'], ['left', '.c.left .sw'], ['vacant', '.c.vacant .sw']]) {
			const e = document.querySelector(sel);
			const want = hex(usher.shown(k));
			if (!e || String(rgb(getComputedStyle(e).backgroundColor)) !== String(want)) out.push(k + ' panel ' + (e && getComputedStyle(e).backgroundColor) + ' map ' + want);
		}
		const d = (a, b) => Math.hypot(...a.map((x, i) => x - hex(b)[i]));
		for (const [a, b] of [['arrived', 'assigned'], ['arrived', 'vacant'], ['assigned', 'vacant']]) {
			if (d(hex(usher.shown(a)), usher.shown(b)) < 120) out.push(a + ' and ' + b + ' look alike');
		}
		return out; })()`); len(bad) > 0 {
		t.Errorf("usher colours: %q", bad)
	}
	if small := eval[[]string](t, ctx, smallEnglish); len(small) > 0 {
		t.Errorf("usher: English lines under 12 px: %q", small)
	}
}

// TestPagesDuringTheSession: the opening is under way and check-ins
// stream in. Every figure on the chair's page comes from one snapshot;
// the screen marks it 进行中 and counts 缺席; the usher's map singles out
// an absent presidium member; a group room without a seat map shows its
// counts and list.
func TestPagesDuringTheSession(t *testing.T) {
	srv := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	var floor []int64
	var absentVIP seatmap.Seat
	for _, s := range seats(t, srv, "opening") {
		switch {
		case s.State != "assigned":
		case s.Section == "presidium" && absentVIP.Label == "":
			absentVIP = s
		case s.Section != "presidium" && s.Category == "deputy" && len(floor) < 100:
			floor = append(floor, s.AttendeeID)
		}
	}
	for _, id := range floor[:40] {
		checkIn(t, srv, id)
	}
	scanOut(t, srv, floor[0])
	c := attendanceOf(t, srv, "opening")
	if c.Phase != "in_progress" || !c.Started || c.NotYet != 0 {
		t.Fatalf("during: %+v", c)
	}
	ctx := browser(t, srv, admin)

	open(t, ctx, 1920, 1080, srv.URL+"/screen?session=opening")
	poll(t, ctx, `document.querySelector('#f-present').textContent === '`+itoa(c.Present)+`'`, 15*time.Second)
	checkFigures(t, ctx, "screen", c)
	if tag := eval[string](t, ctx, `(document.querySelector('.agenda .item[data-session="opening"] .tag') || {}).textContent || ''`); !strings.Contains(tag, "进行中") {
		t.Errorf("screen tags the opening %q while it runs", tag)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "counts-screen-during.png")

	// The chair's page while check-ins (and an exit) stream in: every
	// sample of the page agrees with itself.
	open(t, ctx, 1440, 900, srv.URL+"/chair?session=opening")
	poll(t, ctx, `document.querySelector('#chart').dataset.total === '`+itoa(c.Present+c.Left)+`'`, 15*time.Second)
	checkFigures(t, ctx, "chair", c)
	checkChart(t, ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, id := range floor[40:] {
			if err := stream(srv, id, "hall-east"); err != nil {
				t.Error(err)
				return
			}
			if i%10 == 5 {
				if err := stream(srv, floor[i], "hall-exit"); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	const sample = `(() => { ` + numJS + ` const m = document.querySelector('#statement').textContent.match(/实到(\d+)人/);
		return [num('#f-present'), m ? Number(m[1]) : -1, num('#f-absent'), num('#abs-n'), document.querySelectorAll('#absentees li').length,
			Number(document.querySelector('#chart').dataset.total), num('#f-present') + num('#f-left'), num('#f-expected'),
			num('#f-present') + num('#f-left') + num('#f-leave') + num('#f-absent')]; })()`
	samples := 0
	for done := false; !done; samples++ {
		v := eval[[]float64](t, ctx, sample)
		if v[0] != v[1] || v[2] != v[3] || v[3] != v[4] || v[5] != v[6] || v[7] != v[8] {
			t.Errorf("sample %d: 实到 %v, statement %v; 缺席 %v, header %v, listed %v; curve %v, 实到+离场 %v; 应到 %v, parts %v",
				samples, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8])
			break
		}
		done = waitTimeout(&wg, 40*time.Millisecond)
	}
	final := attendanceOf(t, srv, "opening")
	poll(t, ctx, `document.querySelector('#f-present').textContent === '`+itoa(final.Present)+`'`, 10*time.Second)
	checkFigures(t, ctx, "chair", final)
	t.Logf("chair sampled %d times while %d check-ins streamed", samples, len(floor)-40)
	browsertest.Screenshot(t, ctx, shotDir(t), "counts-chair-during.png")

	// The usher: the presidium member who has not come stands out.
	ctx2 := browser(t, srv, usherUser(t, srv))
	open(t, ctx2, 1280, 800, srv.URL+"/usher?session=opening")
	poll(t, ctx2, `window.usher && usher.count() > 700 && document.querySelector('#sc-present').textContent === '`+itoa(final.Present)+`'`, 15*time.Second)
	checkUsher(t, ctx2, final)
	if got := eval[string](t, ctx2, `usher.shownState(`+quote(absentVIP.Label)+`)`); got != "absent" {
		t.Errorf("absent presidium member's seat %s shown as %q", absentVIP.Label, got)
	}
	if !eval[bool](t, ctx2, `[...document.querySelectorAll('#vip li.absent')].some((li) => li.textContent.includes(`+quote(absentVIP.Name)+`))`) {
		t.Errorf("%s, absent from the presidium, is not listed", absentVIP.Name)
	}
	browsertest.Screenshot(t, ctx2, shotDir(t), "counts-usher-during.png")

	// A group room has no seat map: counts and a list instead of 0/0.
	g := attendanceOf(t, srv, "group-1")
	open(t, ctx2, 800, 1280, srv.URL+"/usher?session=group-1")
	poll(t, ctx2, `document.querySelectorAll('#roster li').length === `+itoa(g.All.Expected), 15*time.Second)
	// The counts come over the live topic, the roster over REST: either
	// may land first.
	poll(t, ctx2, `document.querySelector('#sc-expected').textContent === '`+itoa(g.Expected)+`'`, 10*time.Second)
	if strings.Contains(eval[string](t, ctx2, `document.body.innerText`), "0/0") {
		t.Errorf("group room still says 0/0")
	}
	browsertest.Screenshot(t, ctx2, shotDir(t), "counts-usher-group.png")

	// 缺席 only from the close (issue 11.13): while the opening runs, those
	// not in are 未到, neutral, on the screen and the chair's page, and
	// the chair lists no absentees.
	var def map[string]any
	srv.Call("GET", "/event/definition", admin, nil, &def)
	for _, s := range def["sessions"].([]any) {
		if s := s.(map[string]any); s["id"] == "opening" {
			s["absent_from"] = "close"
		}
	}
	if st := srv.Call("PUT", "/event", admin, map[string]any{"sessions": def["sessions"]}, nil); st != 200 {
		t.Fatalf("absent from the close: HTTP %d", st)
	}
	c = attendanceOf(t, srv, "opening")
	if c.Phase != "in_progress" || !c.Started || c.AbsentCounted || c.Absent != 0 || c.NotYet == 0 {
		t.Fatalf("in progress, 缺席 from the close: %+v", c)
	}
	open(t, ctx, 1920, 1080, srv.URL+"/screen?session=opening")
	poll(t, ctx, `document.querySelector('#f-absent').textContent === '`+itoa(c.NotYet)+`'`, 15*time.Second)
	checkFigures(t, ctx, "screen (缺席 from the close)", c)
	browsertest.Screenshot(t, ctx, shotDir(t), "counts-screen-absent-from-close.png")
	open(t, ctx, 1440, 900, srv.URL+"/chair?session=opening")
	poll(t, ctx, `document.querySelector('#f-absent').textContent === '`+itoa(c.NotYet)+`'`, 15*time.Second)
	checkFigures(t, ctx, "chair (缺席 from the close)", c)
	if n := eval[int](t, ctx, `document.querySelectorAll('#absentees li').length`); n != 0 {
		t.Errorf("chair lists %d absentees before the close", n)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "counts-chair-absent-from-close.png")
}

// stream scans from a goroutine of its own: errors are returned, not fatal.
func stream(srv *testkit.Server, id int64, cp string) error {
	var cred struct{ Token string }
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), admin, nil, &cred); st != 200 {
		return fmt.Errorf("credential %d: HTTP %d", id, st)
	}
	var res struct{ Status string }
	scan := map[string]any{"token": cred.Token, "checkpoint": cp, "scan_id": fmt.Sprintf("stream-%d-%d", id, scanN.Add(1))}
	if st := srv.Call("POST", "/checkins", admin, scan, &res); st != 200 || (res.Status != "ok" && res.Status != "exit") {
		return fmt.Errorf("scan %d at %s: HTTP %d %s", id, cp, st, res.Status)
	}
	return nil
}

// waitTimeout waits for wg at most d and reports whether it finished.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
