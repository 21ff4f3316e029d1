package screens_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// The lobby screen's counts move when someone checks in, and it shows no
// names.
func TestScreenCountsMove(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1920, 1080))
	// A lobby TV runs the page full screen: the whole 1920×1080 is page.
	browsertest.SignIn(t, ctx, srv.URL, admin) // pages take no token in their address
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(srv.URL+"/screen?rotate=3")); err != nil {
		t.Fatal(err)
	}
	const present = `document.querySelector('[data-session="opening"] .present')`
	poll(t, ctx, present+` && `+present+`.textContent !== '—'`, 15*time.Second)
	before := atoi(eval[string](t, ctx, present+`.textContent`))
	var id int64
	for _, s := range seats(t, srv, "opening") {
		if s.State == "assigned" && s.Category == "deputy" {
			id = s.AttendeeID
			break
		}
	}
	if st := checkIn(t, srv, id); st != "ok" {
		t.Fatalf("check-in: %s", st)
	}
	poll(t, ctx, present+`.textContent === '`+itoa(before+1)+`'`, 5*time.Second)
	if eval[string](t, ctx, `screenView.showing()`) == "opening" {
		if got := atoi(eval[string](t, ctx, `document.querySelector('#f-present').textContent`)); got != before+1 {
			t.Errorf("card shows %d present, want %d", got, before+1)
		}
	}
	// No personal data: the seat holder's name appears nowhere.
	var a struct{ Name string }
	srv.Call("GET", "/attendees/"+itoa(int(id)), admin, nil, &a)
	if a.Name == "" || eval[bool](t, ctx, `document.body.innerText.includes(`+quote(a.Name)+`)`) {
		t.Errorf("the screen shows %q", a.Name)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#directions li').length`); n < 5 {
		t.Errorf("%d directions", n)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "screen.png")

	// The connection drops: the screen reconnects by itself, takes a fresh
	// snapshot and goes on counting.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`screenView.live.ws.close()`)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#conn').className.includes('offline')`, 3*time.Second)
	poll(t, ctx, `document.querySelector('#conn').className.includes('live')`, 10*time.Second)
	var next int64
	for _, s := range seats(t, srv, "opening") {
		if s.State == "assigned" && s.Category == "deputy" {
			next = s.AttendeeID
			break
		}
	}
	checkIn(t, srv, next)
	poll(t, ctx, present+`.textContent === '`+itoa(before+2)+`'`, 5*time.Second)
	// It rotates: with ?rotate=3 another of the day's sessions comes up.
	first := eval[string](t, ctx, `screenView.showing()`)
	poll(t, ctx, `screenView.showing() !== `+quote(first), 8*time.Second)
}
