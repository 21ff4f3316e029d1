package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// shots is where screenshots go (browsertest.ShotDir).
func shots(t *testing.T) string { return browsertest.ShotDir(t, "desk") }

// openDesk starts a server and a browser logged in as admin by cookie, on
// the desk page with its event loaded.
func openDesk(t *testing.T) (*testkit.Server, context.Context) {
	t.Helper()
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/desk")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById('event-name').textContent !== '' && document.querySelectorAll('#results li').length > 0`)
	return srv, ctx
}

// waitJS polls a JavaScript condition until it holds (10 s at most).
func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	waitUpTo(t, ctx, cond, 20*time.Second)
}

// waitLong is waitJS for what takes the server a while on a loaded
// machine: a batch of badges written, the face engine loaded.
func waitLong(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	waitUpTo(t, ctx, cond, 60*time.Second)
}

// waitUpTo polls cond (an expression; one that throws counts as false)
// every 50 ms until it is truthy, failing the test with the page's text
// after d. A timer, not requestAnimationFrame: it keeps polling while
// another tab (a badge PDF the page opened) is in front.
func waitUpTo(t *testing.T, ctx context.Context, cond string, d time.Duration) {
	t.Helper()
	d = max(d, browsertest.MinWait)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { try { return !!(`+cond+`) || null } catch { return null } })()`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 3000)`))
		t.Fatalf("waiting for %s: %v\npage text:\n%s", cond, err, text)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// someone picks a deputy expected at the opening, neither excused nor in,
// whose name is two or three Chinese characters.
func someone(t *testing.T, srv *testkit.Server) (int64, string) {
	t.Helper()
	var id int64
	var name string
	err := srv.App.DB.ForTest().R.QueryRow(`SELECT a.id, a.name FROM attendees a JOIN session_attendees sa ON sa.attendee_id = a.id
		WHERE sa.session_id = 'opening' AND a.category = 'deputy' AND length(a.name) IN (2, 3) AND a.name GLOB '[一-龥]*'
		AND NOT EXISTS (SELECT 1 FROM leaves l WHERE l.attendee_id = a.id AND l.revoked_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM presence p WHERE p.attendee_id = a.id)
		ORDER BY a.rank DESC LIMIT 1`).Scan(&id, &name)
	if err != nil {
		t.Fatal(err)
	}
	return id, name
}

// counts reads the opening row's 应到/实到/请假/缺席 from the card.
func counts(t *testing.T, ctx context.Context) [4]int {
	t.Helper()
	s := evalJS[string](t, ctx, `[...document.querySelectorAll('tr[data-session="opening"] .counts .n')].map(e => e.textContent).join(' ')`)
	var c [4]int
	if n, _ := fmt.Sscan(s, &c[0], &c[1], &c[2], &c[3]); n != 4 {
		t.Fatalf("counts on the card: %q", s)
	}
	return c
}

// shot saves a screenshot of the page under shots(t).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	browsertest.Screenshot(t, ctx, shots(t), name)
}

// answer fills the reason dialog and confirms it.
func answer(t *testing.T, ctx context.Context, reason string) {
	t.Helper()
	waitJS(t, ctx, `document.getElementById('ask').open`)
	do(t, ctx, chromedp.SendKeys("#ask-reason", reason), chromedp.Click("#ask-ok"))
	waitJS(t, ctx, `!document.getElementById('ask').open`)
}

// TestDeskWalk finds a person by pinyin initials, opens the card, marks
// and clears 请假 watching the counts move, does a manual 补签, and reprints
// the badge, after which the old QR scans as revoked.
func TestDeskWalk(t *testing.T) {
	srv, ctx := openDesk(t)
	dir := shots(t)
	id, name := someone(t, srv)
	_, initials := store.SearchKeys(name)

	do(t, ctx, chromedp.SendKeys("#q", initials))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]') !== null`, id))
	browsertest.Screenshot(t, ctx, dir, "search.png")
	browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q && document.querySelector('tr[data-session="opening"] .counts .n')`, name))
	if masked := evalJS[string](t, ctx, `[...document.querySelectorAll('.facts div')].find(d => d.textContent.startsWith('身份证号'))?.textContent || ''`); strings.Count(masked, "*") < 6 && !strings.HasSuffix(masked, "—") {
		t.Errorf("ID number on the card is not masked: %q", masked)
	}
	// The phone shows masked; 显示 brings the full number (and the server
	// logs the read).
	if p := evalJS[string](t, ctx, `document.getElementById('card-phone')?.textContent || ''`); p != "" && !strings.Contains(p, "*") {
		t.Errorf("phone on the card is not masked: %q", p)
	}
	if evalJS[bool](t, ctx, `!!document.getElementById('btn-phone')`) {
		do(t, ctx, chromedp.Click("#btn-phone"))
		waitJS(t, ctx, `!document.getElementById('card-phone').textContent.includes('*')`)
	}
	browsertest.Screenshot(t, ctx, dir, "card.png")

	// 请假: on leave goes up by one, absent down by one.
	before := counts(t, ctx)
	do(t, ctx, chromedp.Click(`tr[data-session="opening"] button.leave`))
	answer(t, ctx, "因公出差")
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('tr[data-session="opening"] .counts .on_leave')?.textContent === '%d'`, before[2]+1))
	if got := counts(t, ctx); got[0] != before[0] || got[3] != before[3]-1 {
		t.Errorf("after 请假: counts %v, before %v", got, before)
	}
	if s := evalJS[string](t, ctx, `document.querySelector('tr[data-session="opening"] .state').textContent`); s != "请假：因公出差" {
		t.Errorf("state after 请假: %q", s)
	}
	browsertest.Screenshot(t, ctx, dir, "leave.png")
	do(t, ctx, chromedp.Click(`tr[data-session="opening"] button.leave-clear`))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('tr[data-session="opening"] .counts .on_leave')?.textContent === '%d'`, before[2]))

	// 补签 at the hall's entrance, with a reason.
	do(t, ctx, chromedp.Click(`tr[data-session="opening"] button.manual`))
	answer(t, ctx, "忘带证件")
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('tr[data-session="opening"] .counts .present')?.textContent === '%d'`, before[1]+1))
	if s := evalJS[string](t, ctx, `document.querySelector('tr[data-session="opening"] .state').textContent`); !strings.Contains(s, "已签到") || !strings.Contains(s, "补签") {
		t.Errorf("state after 补签: %q", s)
	}
	var reason string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT reason FROM scans WHERE attendee_id = ? AND manual = 1`, id).Scan(&reason); err != nil || reason != "忘带证件" {
		t.Errorf("manual scan reason %q: %v", reason, err)
	}

	// Reprint a lost badge: the old token is refused from then on.
	var old struct{ Token string }
	srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), testkit.AdminToken, nil, &old)
	do(t, ctx, chromedp.Click("#btn-reprint"))
	answer(t, ctx, "证件遗失")
	waitJS(t, ctx, `document.getElementById('card-note')?.textContent.includes('旧证件已作废')`)
	var res struct{ Status string }
	srv.Call("POST", "/checkins", testkit.AdminToken, map[string]any{"token": old.Token, "checkpoint": "hall-west", "scan_id": "old-badge"}, &res)
	if res.Status != "revoked" {
		t.Errorf("the old badge scans as %q, want revoked", res.Status)
	}
	var why string
	srv.App.DB.ForTest().R.QueryRow(`SELECT revoke_reason FROM credentials WHERE attendee_id = ? AND revoked_at IS NOT NULL`, id).Scan(&why)
	if why != "证件遗失" {
		t.Errorf("revoke reason %q", why)
	}
}

// TestDeskLoggedOut shows the bilingual log-in message without a cookie.
func TestDeskLoggedOut(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := browsertest.New(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk"))
	waitJS(t, ctx, `!document.getElementById('login').hidden`)
	if s := evalJS[string](t, ctx, `document.getElementById('login').innerText`); !strings.Contains(s, "请先登录") || !strings.Contains(s, "Please log in") {
		t.Errorf("login banner %q", s)
	}
}
