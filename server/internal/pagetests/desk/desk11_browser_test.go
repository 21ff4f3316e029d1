package desk_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// openWideDesk starts a server on the demo and a browser at the desk's
// usual 1440×900, its clock set to New York so that a time shown in the
// computer's zone instead of the event's shows up wrong.
func openWideDesk(t *testing.T) (*testkit.Server, context.Context) {
	t.Helper()
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1440, 900))
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk"))
	waitJS(t, ctx, `document.getElementById('event-name').textContent !== '' && document.querySelectorAll('#results li').length > 0`)
	// A PDF opened in a new tab would hide this one, and a hidden tab
	// neither animates (the waits poll by animation frame) nor paints
	// (screenshots): keep what the page opens instead.
	evalJS[bool](t, ctx, `(() => { window.opened = []; window.open = (u) => { opened.push(u); return null }; return true })()`)
	return srv, ctx
}

// hash switches the desk's view, as its tabs do (a navigation to the same
// page with another #fragment fires no load event to wait for).
func hash(t *testing.T, ctx context.Context, view string) {
	t.Helper()
	evalJS[string](t, ctx, `location.hash = '#`+view+`'`)
	waitJS(t, ctx, `!document.getElementById('view-`+view+`').hidden`)
}

// TestDeskBatchPrintFilters picks a category and a delegation from real
// lists (not "[object HTMLOptionElement]"), prints every badge not yet
// printed and watches the bar count them ("第 k/N 张") and end with how
// many were made.
func TestDeskBatchPrintFilters(t *testing.T) {
	srv, ctx := openWideDesk(t)
	hash(t, ctx, "print")
	waitJS(t, ctx, `document.querySelectorAll('#print-form select[name=category] option').length > 1 && document.querySelectorAll('#delegations option').length > 0`)
	opts := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#print-form select[name=category] option')].map(o => o.value + '=' + o.textContent)`)
	if strings.Contains(strings.Join(opts, " "), "[object") || !strings.Contains(strings.Join(opts, " "), "observer=列席 Observer") {
		t.Errorf("category options: %q", opts)
	}
	var delegations int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM delegations`).Scan(&delegations)
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#delegations option').length`); n != delegations || delegations == 0 {
		t.Errorf("%d delegations suggested, the list has %d", n, delegations)
	}
	// A category and a delegation narrow the batch as the server counts it.
	var delegation string
	var want int
	srv.App.DB.ForTest().R.QueryRow(`SELECT d.name, count(*) FROM attendees a JOIN delegations d ON d.id = a.delegation_id
		WHERE a.category = 'deputy' AND a.status = 'active' GROUP BY d.id ORDER BY d.sort LIMIT 1`).Scan(&delegation, &want)
	if evalJS[string](t, ctx, `document.querySelector('#delegations option').value`) != delegation {
		t.Errorf("the first suggestion is not %s", delegation)
	}
	do(t, ctx, chromedp.SetValue(`#print-form select[name=category]`, "deputy"),
		chromedp.SendKeys(`#print-form input[name=delegation]`, delegation))
	// Every label the bar shows is kept, to read the count as it went.
	evalJS[bool](t, ctx, `(() => { window.labels = []; new MutationObserver(() => labels.push(document.querySelector('#print-progress .label').textContent))
		.observe(document.querySelector('#print-progress .label'), { childList: true, characterData: true, subtree: true }); return true })()`)
	do(t, ctx, chromedp.Click(`#print-form button[type=submit]`))
	waitLong(t, ctx, `document.getElementById('print-done')`)
	browsertest.Screenshot(t, ctx, shots(t), "batch-print-done.png")
	labels := evalJS[[]string](t, ctx, `labels`)
	counting := regexp.MustCompile(fmt.Sprintf(`第 \d+/%d 张`, want))
	if len(labels) == 0 || !counting.MatchString(labels[0]) {
		t.Errorf("the bar does not count badges: %q", labels)
	}
	if last := labels[len(labels)-1]; !strings.Contains(last, fmt.Sprintf("共 %d 张", want)) {
		t.Errorf("the bar ends with %q, want the count %d", last, want)
	}
	if done := evalJS[string](t, ctx, `document.getElementById('print-done').textContent`); !strings.Contains(done, fmt.Sprintf("已生成 %d 张证件", want)) {
		t.Errorf("done: %q, want %d badges", done, want)
	}
	// The print log holds exactly that batch.
	var logged int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM badge_prints WHERE batch != ''`).Scan(&logged)
	if logged != want {
		t.Errorf("%d prints logged, want %d", logged, want)
	}
}

// TestDeskCardPrintAndWindows prints a badge from the card of someone who
// had none: the card then shows the serial and the print. A session that
// has not opened shows 未开始, not a red 未签到, and its 补签 is off with
// the reason beside it; the open session's 补签 is on.
func TestDeskCardPrintAndWindows(t *testing.T) {
	srv, ctx := openWideDesk(t)
	var id int64
	var name, future string
	err := srv.App.DB.ForTest().R.QueryRow(`SELECT a.id, a.name, s.id FROM attendees a
		JOIN session_attendees sa ON sa.attendee_id = a.id JOIN session_attendees so ON so.attendee_id = a.id AND so.session_id = 'opening'
		JOIN sessions s ON s.id = sa.session_id
		WHERE a.status = 'active' AND s.opens_at > ? AND NOT EXISTS (SELECT 1 FROM credentials c WHERE c.attendee_id = a.id)
		ORDER BY s.opens_at, a.id LIMIT 1`, store.FormatTime(time.Now())).Scan(&id, &name, &future)
	if err != nil {
		t.Fatalf("someone without a badge, expected at the opening and at a later session: %v", err)
	}
	// Through the search, as the desk does.
	do(t, ctx, chromedp.SendKeys("#q", name))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]')`, id))
	browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q && document.querySelector('tr[data-session="%s"]')`, name, future))
	if txt := evalJS[string](t, ctx, `document.querySelector('#card .facts').textContent`); !strings.Contains(txt, "尚未制发") {
		t.Fatalf("before printing the card says %q", txt)
	}

	row := fmt.Sprintf(`tr[data-session="%s"]`, future)
	if evalJS[bool](t, ctx, `!!document.querySelector('`+row+` .state.away')`) {
		t.Errorf("a session not yet open shows a red 未签到")
	}
	if s := evalJS[string](t, ctx, `document.querySelector('`+row+` .state').textContent`); !strings.Contains(s, "未开始") {
		t.Errorf("future session status %q, want 未开始", s)
	}
	if !evalJS[bool](t, ctx, `document.querySelector('`+row+` button.manual').disabled`) {
		t.Errorf("补签 is offered for a session not open yet")
	}
	// The opening, doors open: before it begins, not in yet is 未到 in
	// grey; from its start, a red 未签到.
	var startsText string
	srv.App.DB.ForTest().R.QueryRow(`SELECT starts_at FROM sessions WHERE id = 'opening'`).Scan(&startsText)
	starts, _ := store.ParseTime(startsText)
	want, wantClass := "未签到", "away"
	if time.Now().Before(starts) {
		want, wantClass = "未到", "none"
	}
	if s := evalJS[string](t, ctx, `(() => { const e = document.querySelector('tr[data-session="opening"] .state'); return e.className + ' ' + e.textContent })()`); !strings.Contains(s, want) || !strings.Contains(s, wantClass) {
		t.Errorf("the opening (starts %v) shows %q, want %s (%s)", starts, s, want, wantClass)
	}
	var opens time.Time
	var opensText string
	srv.App.DB.ForTest().R.QueryRow(`SELECT opens_at FROM sessions WHERE id = ?`, future).Scan(&opensText)
	opens, _ = store.ParseTime(opensText)
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	why := evalJS[string](t, ctx, `document.querySelector('`+row+` .manual-why')?.textContent || ''`)
	if !strings.Contains(why, opens.In(shanghai).Format("01-02 15:04")+" 起可补签") {
		t.Errorf("reason beside the disabled 补签: %q, want the opening time %s", why, opens.In(shanghai).Format("01-02 15:04"))
	}
	if evalJS[bool](t, ctx, `document.querySelector('tr[data-session="opening"] button.manual').disabled`) {
		t.Errorf("补签 is off for the open session")
	}
	browsertest.Screenshot(t, ctx, shots(t), "card-before-print.png")

	do(t, ctx, chromedp.Click("#btn-print"))
	waitJS(t, ctx, `document.getElementById('card-serial') && document.querySelector('#card-prints tr')`)
	var serial int64
	srv.App.DB.ForTest().R.QueryRow(`SELECT serial FROM credentials WHERE attendee_id = ? AND revoked_at IS NULL`, id).Scan(&serial)
	if s := evalJS[string](t, ctx, `document.getElementById('card-serial').textContent`); serial == 0 || !strings.Contains(s, fmt.Sprintf("No. %d", serial)) || !strings.Contains(s, "已打印") {
		t.Errorf("serial on the card after printing: %q, want No. %d", s, serial)
	}
	if p := evalJS[string](t, ctx, `document.querySelector('#card-prints tr').textContent`); !strings.Contains(p, fmt.Sprintf("证件 No. %d", serial)) {
		t.Errorf("print history: %q", p)
	}
	browsertest.Screenshot(t, ctx, shots(t), "card-after-print.png")
}

// TestDeskTimesAndBanquets reads times on the desk with the computer's
// clock in New York: the devices list shows a kiosk's last contact on the
// event's clocks (the server sends it in UTC); the exports list the
// banquet plans, and each opens as a PDF.
func TestDeskTimesAndBanquets(t *testing.T) {
	srv, ctx := openWideDesk(t)
	var dev struct {
		Code   string `json:"pairing_code"`
		Device struct {
			ID string `json:"id"`
		} `json:"device"`
	}
	if st := srv.Call("POST", "/devices", testkit.AdminToken, map[string]string{"name": "东门1号", "kind": "kiosk", "checkpoint": "hall-east"}, &dev); st != 201 {
		t.Fatalf("create device: HTTP %d", st)
	}
	var paired struct {
		Token string `json:"token"`
	}
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": dev.Code}, &paired); st != 200 {
		t.Fatalf("pair: HTTP %d", st)
	}
	srv.Call("GET", "/keys", paired.Token, nil, nil)
	var list []struct {
		ID       string `json:"id"`
		LastSeen string `json:"last_seen_at"`
	}
	srv.Call("GET", "/kiosk/devices", testkit.AdminToken, nil, &list)
	var seen time.Time
	for _, d := range list {
		if d.ID == dev.Device.ID {
			seen, _ = time.Parse(time.RFC3339, d.LastSeen)
		}
	}
	if seen.IsZero() {
		t.Fatalf("the kiosk has no last contact: %+v", list)
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	hash(t, ctx, "devices")
	sel := fmt.Sprintf(`#dev-rows tr[data-id="%s"]`, dev.Device.ID)
	waitJS(t, ctx, `document.querySelector('`+sel+`')`)
	row := evalJS[string](t, ctx, `document.querySelector('`+sel+`').textContent`)
	if want := seen.In(shanghai).Format("01-02 15:04"); !strings.Contains(row, want) {
		t.Errorf("last seen on the desk: %q, want %s (the event's clock)", row, want)
	}
	browsertest.Screenshot(t, ctx, shots(t), "devices-times.png")

	hash(t, ctx, "exports")
	waitJS(t, ctx, `document.querySelectorAll('#banquet-list a').length > 0`)
	links := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#banquet-list tr[data-meal="d1-dinner"] a')].map(a => a.getAttribute('href'))`)
	if len(links) != 4 || links[0] != "/api/v1/meals/d1-dinner/banquet.pdf?paper=a4" || links[1] != "/api/v1/meals/d1-dinner/banquet.pdf?paper=a3" {
		t.Fatalf("banquet links of d1-dinner: %q", links)
	}
	for _, href := range links {
		ct, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.status + ' ' + r.headers.get('Content-Type'))`, href), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if ct != "200 application/pdf" {
			t.Errorf("%s: %s", href, ct)
		}
	}
	browsertest.Screenshot(t, ctx, shots(t), "exports-banquets.png")
}
