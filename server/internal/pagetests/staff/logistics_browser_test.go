package staff_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// evalJS runs a script in the page and fails the test on an error.
func evalJS(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatalf("%.80s: %v", js, err)
	}
}

// slowReads makes the page's reads of URLs holding every one of parts
// land 800 ms late, from now on: window.__slow says 'asked' when one has
// gone out and 'landed' just after it is answered. For the tests of reads
// that overlap (the tabs show only the last one asked for).
func slowReads(t *testing.T, ctx context.Context, parts ...string) {
	t.Helper()
	b, _ := json.Marshal(parts)
	evalJS(t, ctx, fmt.Sprintf(`(() => {
		const real = window.fetch, parts = %s;
		window.__slow = 'none';
		window.fetch = async (url, opts) => {
			if (!parts.every((p) => String(url).includes(p))) return real(url, opts);
			window.__slow = 'asked';
			const r = await real(url, opts);
			await new Promise((ok) => setTimeout(ok, 800));
			setTimeout(() => { window.__slow = 'landed'; }, 50);
			return r;
		};
	})()`, b))
}

// TestPickupMovesTheBoard (issue 12, "How it is checked"): pickup staff
// sign in on a phone (390×844) from the pickup page, through the login
// page and back; choose their station; find arrivals by flight number
// and pinyin initials; mark one picked up — the logistics board, open at
// the same time in another browser, shows it within 2 s (measured from
// the tap to the board's row changing, on the one clock both browsers
// share); a mark made while the network is down says so on its row and
// is sent on retry; 改签 to tomorrow takes a person off today's list.
func TestPickupMovesTheBoard(t *testing.T) {
	d := testkit.NewLogisticsDay(t)
	srv := d.Server
	shots := browsertest.ShotDir(t, "logistics")
	ctx := context.Background()
	now := time.Now().Truncate(time.Minute)
	later, err := srv.App.DB.SaveLeg(ctx, store.Leg{AttendeeID: d.People[4], Direction: store.Arrival, Mode: "train", Number: "G87",
		StationID: d.Airport.ID, OnDate: now.In(d.Loc).Format(time.DateOnly), At: ptr(now.Add(90 * time.Minute)), Companions: 2}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"login": "jiezhan", "name": "接站员小周", "role": "logistics", "password": "pickup-pass-2026"}, nil); st != 201 {
		t.Fatalf("create the pickup account: HTTP %d", st)
	}

	// The board, on the desk's account, at 1920×1080.
	board := browsertest.New(t, browsertest.WindowSize(1920, 1080))
	browsertest.Do(t, board, chromedp.EmulateViewport(1920, 1080))
	watchCSP(t, board)
	browsertest.SignIn(t, board, srv.URL, d.User(t, "desk"))
	browsertest.Do(t, board, chromedp.Navigate(srv.URL+"/logistics"))
	browsertest.Poll[bool](t, board, `window.logisticsBoard && logisticsBoard.loads() > 0 && logistics.status() === 'live'`, 20*time.Second)
	lateRow := fmt.Sprintf(`#tab-board li.leg[data-leg="%d"]`, d.Late.ID)
	browsertest.Poll[bool](t, board, `document.querySelector('`+lateRow+`').dataset.status === 'late'`, 5*time.Second)
	// A tab whose module cannot be had says so; the board works on.
	block := func(patterns ...string) {
		p := network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{}}
		for _, u := range patterns {
			p.URLPatterns = append(p.URLPatterns, &network.BlockPattern{URLPattern: u, Block: true})
		}
		if _, err := chromedp.Call(board, network.SetBlockedURLs, p); err != nil {
			t.Fatal(err)
		}
	}
	block("*://*:*/static/logistics/hotel.js")
	browsertest.Do(t, board, chromedp.Navigate(srv.URL+"/logistics#hotel"))
	browsertest.Poll[bool](t, board, `logistics.mounted().hotel === 'unavailable' && document.getElementById('tab-hotel').textContent.includes('暂不可用')`, 10*time.Second)
	browsertest.Click(t, board, `#tabs a[data-tab="board"]`)
	browsertest.Poll[bool](t, board, `window.logisticsBoard && logisticsBoard.loads() > 0 && !document.getElementById('tab-board').hidden`, 10*time.Second)
	block()
	browsertest.Do(t, board, chromedp.Navigate(srv.URL+"/logistics#board"))
	browsertest.Poll[bool](t, board, `window.logisticsBoard && logisticsBoard.loads() > 0 && logistics.status() === 'live'`, 20*time.Second)
	// The moment the late arrival's row turns picked up, on the board's clock.
	evalJS(t, board, `window.__moved = 0; new MutationObserver(() => {
		const r = document.querySelector('`+lateRow+`');
		if (!window.__moved && r && r.dataset.status === 'picked_up') window.__moved = Date.now();
	}).observe(document.getElementById('tab-board'), {childList: true, subtree: true, attributes: true})`)
	browsertest.Screenshot(t, board, shots, "board-1920.png")

	// The phone: its own browser, on another host name (its own cookies).
	phone := browsertest.New(t, browsertest.WindowSize(390, 844))
	browsertest.Do(t, phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	watchCSP(t, phone)
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	browsertest.Do(t, phone, chromedp.Navigate(base+"/pickup"))
	browsertest.Poll[bool](t, phone, `document.body.dataset.state === 'signin' && !!document.querySelector('#overlay .button')`, 15*time.Second)
	browsertest.Screenshot(t, phone, shots, "pickup-signin.png")
	browsertest.Click(t, phone, `#overlay .button`)
	browsertest.PollAcross[bool](t, phone, `location.pathname === '/login' && new URLSearchParams(location.search).get('next') === '/pickup' && document.body.dataset.mode === 'login'`, 10*time.Second)
	browsertest.Do(t, phone,
		chromedp.SetValue(`#login-form input[name=login]`, "jiezhan"),
		chromedp.SetValue(`#login-form input[name=password]`, "pickup-pass-2026"))
	browsertest.Screenshot(t, phone, shots, "pickup-login.png")
	browsertest.Click(t, phone, `#login-go`)
	browsertest.PollAcross[bool](t, phone, `location.pathname === '/pickup' && !!document.querySelector('#overlay .stations')`, 15*time.Second)
	browsertest.Screenshot(t, phone, shots, "pickup-stations.png")
	browsertest.Click(t, phone, fmt.Sprintf(`#overlay .stations button[data-station="%d"]`, d.Airport.ID))
	browsertest.Poll[bool](t, phone, `pickup.ready() && pickup.station() === `+fmt.Sprint(d.Airport.ID)+` && pickup.shown() === 3`, 10*time.Second)
	browsertest.Poll[bool](t, phone, `document.getElementById('conn').classList.contains('live')`, 10*time.Second)
	browsertest.Screenshot(t, phone, shots, "pickup-list.png")

	// Found by flight number and by pinyin initials.
	var initials string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT initials FROM attendees WHERE id = ?`, d.Soon.AttendeeID).Scan(&initials); err != nil {
		t.Fatal(err)
	}
	search := func(q string) {
		evalJS(t, phone, fmt.Sprintf(`(() => { const q = document.getElementById('q'); q.value = %q; q.dispatchEvent(new Event('input')); })()`, q))
	}
	search("mu5101")
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`pickup.shown() === 1 && !!document.querySelector('#list li[data-leg="%d"]')`, d.Soon.ID), 2*time.Second)
	search(initials)
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`!!document.querySelector('#list li[data-leg="%d"]')`, d.Soon.ID), 2*time.Second)
	browsertest.Screenshot(t, phone, shots, "pickup-search.png")
	search("")

	// 已接 on the phone; the board moves.
	evalJS(t, phone, fmt.Sprintf(`window.__clicked = Date.now(); document.querySelector('#list li[data-leg="%d"] .act.go').click()`, d.Late.ID))
	browsertest.Poll[bool](t, phone, `pickup.pending() === 0 && !document.getElementById('undo').hidden`, 5*time.Second)
	browsertest.Screenshot(t, phone, shots, "pickup-marked.png")
	moved := browsertest.Poll[float64](t, board, `window.__moved`, 10*time.Second)
	clicked := browsertest.Poll[float64](t, phone, `window.__clicked`, time.Second)
	delay := time.Duration(moved-clicked) * time.Millisecond
	t.Logf("the board showed the pickup %v after the tap", delay)
	if delay > 2*time.Second {
		t.Errorf("the board moved %v after the pickup; the issue asks for 2 s", delay)
	}
	if got := browsertest.Poll[string](t, board, `document.querySelector('#tab-board article.station[data-station="`+fmt.Sprint(d.Airport.ID)+`"] .counts .picked_up').dataset.n`, time.Second); got != "1" {
		t.Errorf("the airport's 已接 count is %s", got)
	}

	// The network drops: the mark stays on the row, unsaved, and says so;
	// once it is back, 全部重试 sends it.
	evalJS(t, phone, `window.__fetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('Failed to fetch'))`)
	evalJS(t, phone, fmt.Sprintf(`document.querySelector('#list li[data-leg="%d"] .act.go').click()`, d.Soon.ID))
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`pickup.failed() === 1 && !document.getElementById('pending').hidden &&
		document.querySelector('#list li[data-leg="%d"]').classList.contains('failed')`, d.Soon.ID), 10*time.Second)
	browsertest.Screenshot(t, phone, shots, "pickup-not-saved.png")
	if l, err := srv.App.DB.Leg(ctx, d.Soon.ID); err != nil || l.State != "expected" {
		t.Fatalf("the unsent mark reached the server: %+v %v", l, err)
	}
	evalJS(t, phone, `window.fetch = window.__fetch`)
	// Clicked in the page: a redraw between chromedp finding the button and
	// clicking it lost the click under load.
	evalJS(t, phone, `document.querySelector('#pending button').click()`)
	browsertest.Poll[bool](t, phone, `pickup.pending() === 0 && document.getElementById('pending').hidden`, 10*time.Second)
	if l, err := srv.App.DB.Leg(ctx, d.Soon.ID); err != nil || l.State != "picked_up" || !strings.Contains(l.StateBy, "jiezhan") {
		t.Errorf("after the retry: %+v %v", l, err)
	}
	browsertest.Poll[bool](t, board, fmt.Sprintf(`document.querySelector('#tab-board li.leg[data-leg="%d"]').dataset.status === 'picked_up'`, d.Soon.ID), 5*time.Second)

	// 改签 from the person's sheet: tomorrow, 09:30, another train.
	openPickupSheet(t, phone, later.ID)
	browsertest.Screenshot(t, phone, shots, "pickup-sheet.png")
	openRebookForm(t, phone)
	// Tomorrow is chosen in the page, as the retry below is clicked: a
	// mouse click on its label under load once landed beside it, and the
	// 改签 went out for today (CI, 3 December).
	browsertest.Do(t, phone,
		chromedp.SetValue(`#sheet input[name=number]`, "G89"),
		chromedp.SetValue(`#sheet input[name=time]`, "09:30"))
	evalJS(t, phone, `document.querySelector('#sheet .days label:nth-of-type(2) input').click()`)
	tomorrow := now.In(d.Loc).AddDate(0, 0, 1).Format(time.DateOnly)
	chosenDay := `(document.querySelector('#sheet form.rebook input[name=day]:checked') || {value: 'none'}).value`
	if day := browsertest.Poll[string](t, phone, chosenDay, time.Second); day != tomorrow {
		t.Fatalf("the 改签 form's day after choosing 明天: %q, want %s", day, tomorrow)
	}
	browsertest.Screenshot(t, phone, shots, "pickup-rebook.png")
	// Someone else's mark arrives meanwhile: the list is read again, and
	// the form being filled in stays as it is.
	loads := browsertest.Poll[float64](t, phone, `pickup.loads()`, time.Second)
	if _, err := srv.App.DB.SetLegState(ctx, d.Rail1.ID, "picked_up", "", "另一部手机"); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`pickup.loads() > %v`, loads), 5*time.Second)
	if v := browsertest.Poll[string](t, phone, `(document.querySelector('#sheet input[name=time]') || {value: 'gone'}).value || 'empty'`, time.Second); v != "09:30" {
		t.Fatalf("the 改签 form after a re-read: time %q", v)
	}
	if day := browsertest.Poll[string](t, phone, chosenDay, time.Second); day != tomorrow {
		t.Fatalf("the 改签 form after a re-read: day %q, want %s", day, tomorrow)
	}
	// Submitted in the page, as the retry above: a mouse click lands where
	// the button was when chromedp found it, and a redraw under load moves it.
	// What the form holds as it is sent, and what the phone did 2 s later:
	// CI's loaded runs twice found the 改签 not done within the wait below,
	// and these say whether it was sent, refused or still pending.
	t.Logf("the 改签 form as sent: %v", browsertest.Poll[any](t, phone, `(() => { const f = document.querySelector('#sheet form.rebook');
		return { number: f.elements.number.value, time: f.elements.time.value, day: (f.querySelector('input[name=day]:checked') || {}).value,
			valid: f.checkValidity() }; })()`, time.Second))
	evalJS(t, phone, `document.querySelector('#sheet form.rebook').requestSubmit()`)
	time.Sleep(2 * time.Second)
	t.Logf("the phone 2 s after: %v", browsertest.Poll[any](t, phone, `({ pending: pickup.pending(), failed: pickup.failed(), rows: pickup.rows(),
		sheet: (document.querySelector('#sheet .err') || {}).textContent || '', note: document.getElementById('pending').hidden ? '' : document.getElementById('pending').innerText })`, time.Second))
	// The phone gives a call 8 s, then keeps it and tries again every 20 s:
	// on a loaded machine the 改签 may take one such round.
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`pickup.pending() === 0 && pickup.rows() === 2 && !document.querySelector('#list li[data-leg="%d"]')`, later.ID), 45*time.Second)
	legs, err := srv.App.DB.Legs(ctx, store.LegFilter{Attendee: later.AttendeeID, Direction: store.Arrival})
	if err != nil || len(legs) != 1 || legs[0].Replaces != later.ID || legs[0].Number != "G89" || legs[0].OnDate != tomorrow ||
		legs[0].At.In(d.Loc).Format("15:04") != "09:30" || legs[0].Companions != 2 {
		t.Errorf("rebooked: %+v %v", legs, err)
	}
	browsertest.Poll[bool](t, board, fmt.Sprintf(`!document.querySelector('#tab-board li.leg[data-leg="%d"]')`, later.ID), 5*time.Second)

	browsertest.Screenshot(t, board, shots, "board-1920-after.png")
	browsertest.Do(t, board, chromedp.EmulateViewport(1440, 900))
	browsertest.Screenshot(t, board, shots, "board-1440.png")
	// An usher's account (signed in on the phone's other host name) is
	// told to sign in as someone else.
	browsertest.SignIn(t, phone, srv.URL, d.User(t, "usher"))
	browsertest.Do(t, phone, chromedp.Navigate(srv.URL+"/pickup"))
	browsertest.Poll[bool](t, phone, `document.body.dataset.state === 'signin' && document.getElementById('overlay').textContent.includes('不能接站')`, 10*time.Second)
	for name, ctx := range map[string]context.Context{"board": board, "pickup": phone} {
		if v := browsertest.CSPViolations(t, ctx); len(v) > 0 {
			t.Errorf("%s: CSP violations %v", name, v)
		}
	}
}

// watchCSP records the Content-Security-Policy violations of every
// document ctx opens (browsertest.CSPViolations reads them).
func watchCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browsertest.CSPWatch}); err != nil {
		t.Fatal(err)
	}
}

// openPickupSheet opens the pickup phone's sheet of one person, by the
// leg on their row.
func openPickupSheet(t *testing.T, phone context.Context, leg int64) {
	t.Helper()
	browsertest.Click(t, phone, fmt.Sprintf(`#list li[data-leg="%d"] .who`, leg))
	browsertest.Poll[bool](t, phone, `!document.getElementById('sheet').hidden`, 2*time.Second)
}

// openRebookForm turns the open sheet into its 改签 form.
func openRebookForm(t *testing.T, phone context.Context) {
	t.Helper()
	browsertest.Click(t, phone, `#sheet .acts .change`)
	browsertest.Poll[bool](t, phone, `!!document.querySelector('#sheet form.rebook')`, 2*time.Second)
}

func ptr[T any](v T) *T { return &v }
