package screens_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// Without ?session= the usher map, the chair's view and the lobby screen
// offer the demo's sessions to choose from; the choice opens, shows in the
// address, and is what the page opens next time on this device. One server
// and one browser (a tab per page) serve the three.
func TestPicker(t *testing.T) {
	srv := testkit.Serve(t)
	browser := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, browser, srv.URL, admin)
	shots := shotDir(t)
	tab := func(t *testing.T, w, h int64) context.Context {
		ctx, cancel := chromedp.NewContext(browser)
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
			t.Fatal(err)
		}
		return ctx
	}
	const picked = `[...document.querySelectorAll('.pick [data-session]')].map((b) => b.dataset.session).join(',')`
	click := func(t *testing.T, ctx context.Context, sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	navigate := func(t *testing.T, ctx context.Context, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("usher", func(t *testing.T) {
		ctx := tab(t, 1280, 800)
		navigate(t, ctx, "/usher")
		poll(t, ctx, `document.querySelectorAll('.pick [data-session]').length === 5`, 10*time.Second)
		// Halls with seats first; the group rooms after, marked.
		if got := eval[string](t, ctx, picked); got != "opening,plenary-2,closing,group-1,group-2" {
			t.Errorf("sessions offered in the order %s", got)
		}
		if got := eval[string](t, ctx, `[...document.querySelectorAll('.pick-item.nomap')].map((b) => b.dataset.session).join(',')`); got != "group-1,group-2" {
			t.Errorf("marked as without a seat map: %q", got)
		}
		// The demo's first session opens as the server starts: it is the one highlighted.
		if got := eval[string](t, ctx, `document.querySelector('.pick-item.hi').dataset.session + ' ' + document.querySelector('.pick-item.hi .pick-tag').textContent`); got != "opening 入场中Doors open" {
			t.Errorf("highlighted: %q", got)
		}
		browsertest.Screenshot(t, ctx, shots, "usher-picker.png")

		click(t, ctx, `.pick [data-session="plenary-2"]`)
		poll(t, ctx, `usher.session() === 'plenary-2' && usher.count() > 700 && !document.querySelector('.pick')`, 5*time.Second)
		if got := eval[string](t, ctx, `location.search`); got != "?session=plenary-2" {
			t.Errorf("address shows %q", got)
		}
		if got := eval[string](t, ctx, `document.querySelector('#title').textContent`); got != "第二次全体会议" {
			t.Errorf("title %q", got)
		}
		browsertest.Screenshot(t, ctx, shots, "usher-chosen.png")

		// Opened again without ?session=: the remembered session, no list.
		navigate(t, ctx, "/usher")
		poll(t, ctx, `window.usher && usher.session() === 'plenary-2' && usher.count() > 700`, 10*time.Second)
		if eval[bool](t, ctx, `!!document.querySelector('.pick')`) || eval[string](t, ctx, `location.search`) != "?session=plenary-2" {
			t.Errorf("reload: picker %v, address %q", eval[bool](t, ctx, `!!document.querySelector('.pick')`), eval[string](t, ctx, `location.search`))
		}

		// 切换场次 while running: the list, the current one marked.
		click(t, ctx, `#change`)
		poll(t, ctx, `document.querySelector('.pick-item.current') && document.querySelector('.pick-item.current').dataset.session === 'plenary-2'`, 3*time.Second)
		click(t, ctx, `.pick [data-session="opening"]`)
		poll(t, ctx, `usher.session() === 'opening' && location.search === '?session=opening' && !document.querySelector('.pick')`, 5*time.Second)

		// ?session= in the address wins over the remembered one; an unknown
		// one brings the list, saying why.
		navigate(t, ctx, "/usher?session=closing")
		poll(t, ctx, `window.usher && usher.session() === 'closing' && usher.count() > 700`, 10*time.Second)
		navigate(t, ctx, "/usher?session=nope")
		poll(t, ctx, `document.querySelector('.pick-notice') && document.querySelector('.pick-notice').textContent.includes('nope')`, 10*time.Second)
	})

	t.Run("chair", func(t *testing.T) {
		ctx := tab(t, 1440, 900)
		navigate(t, ctx, "/chair")
		poll(t, ctx, `document.querySelectorAll('.pick [data-session]').length === 5`, 10*time.Second)
		if got := eval[string](t, ctx, picked); got != "opening,group-1,group-2,plenary-2,closing" {
			t.Errorf("sessions offered in the order %s", got)
		}
		browsertest.Screenshot(t, ctx, shots, "chair-picker.png")
		click(t, ctx, `.pick [data-session="group-1"]`)
		poll(t, ctx, `chairView.session() === 'group-1' && chairView.counts() !== null && !document.querySelector('.pick')`, 5*time.Second)
		if got := eval[string](t, ctx, `location.search + ' ' + document.querySelector('#title').textContent`); got != "?session=group-1 第一组分组讨论 · 出席情况" {
			t.Errorf("address and title: %q", got)
		}
		browsertest.Screenshot(t, ctx, shots, "chair-chosen.png")
		navigate(t, ctx, "/chair")
		poll(t, ctx, `window.chairView && chairView.session() === 'group-1' && chairView.counts() !== null && !document.querySelector('.pick')`, 10*time.Second)
	})

	t.Run("screen", func(t *testing.T) {
		ctx := tab(t, 1920, 1080)
		navigate(t, ctx, "/screen?rotate=3")
		poll(t, ctx, `window.screenView && screenView.showing() !== '' && document.querySelector('#s-name').textContent !== '—'`, 10*time.Second)
		if got := eval[string](t, ctx, `screenView.held()`); got != "" {
			t.Fatalf("a new screen holds %q, want it rotating", got)
		}
		click(t, ctx, `#change`)
		poll(t, ctx, `document.querySelectorAll('.pick [data-session]').length === 6`, 3*time.Second)
		// The first choice is to rotate, and it is the current one.
		if got := eval[string](t, ctx, `document.querySelector('.pick-item.current').dataset.session`); got != "" {
			t.Errorf("current choice %q, want rotating", got)
		}
		browsertest.Screenshot(t, ctx, shots, "screen-picker.png")
		click(t, ctx, `.pick [data-session="plenary-2"]`)
		poll(t, ctx, `screenView.held() === 'plenary-2' && screenView.showing() === 'plenary-2' && !document.querySelector('#held').hidden`, 3*time.Second)
		// Held: a rotation tick keeps it.
		if got := eval[string](t, ctx, `screenView.rotate(), screenView.showing()`); got != "plenary-2" {
			t.Errorf("after a rotation the held screen shows %q", got)
		}
		browsertest.Screenshot(t, ctx, shots, "screen-held.png")

		// Remembered: opened again plainly, it holds the same session.
		navigate(t, ctx, "/screen?rotate=3")
		poll(t, ctx, `window.screenView && screenView.held() === 'plenary-2' && screenView.showing() === 'plenary-2' && location.search.includes('session=plenary-2')`, 10*time.Second)
		// And back to rotating.
		click(t, ctx, `#change`)
		poll(t, ctx, `!!document.querySelector('.pick [data-session=""]')`, 3*time.Second)
		click(t, ctx, `.pick [data-session=""]`)
		poll(t, ctx, `screenView.held() === '' && !location.search.includes('session=') && document.querySelector('#held').hidden`, 3*time.Second)
		if got := eval[string](t, ctx, `screenView.rotate(), screenView.rotate(), screenView.showing()`); got == "plenary-2" {
			t.Errorf("rotating again, the screen still shows %q", got)
		}
	})
}
