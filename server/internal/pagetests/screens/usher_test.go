package screens_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// A check-in at the hall's door turns its seat to arrived on an open usher
// map; a VIP's arrival is listed; a search lights up the seat.
func TestUsherMapCheckIn(t *testing.T) {
	srv := testkit.Serve(t)
	// Signed in as an usher, not an admin: the role the tablet really has.
	var usher struct{ Token string }
	if st := srv.Call("POST", "/users", admin, map[string]string{"name": "引导员一", "role": "usher"}, &usher); st != 201 {
		t.Fatalf("usher user: HTTP %d", st)
	}
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, ctx, srv.URL, usher.Token) // pages take no token in their address
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/usher?session=opening")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.usher && usher.count() > 700`, 15*time.Second)

	var vip, floor []string
	var vipID, floorIDs []int64
	for _, s := range seats(t, srv, "opening") {
		switch {
		case s.State != "assigned":
		case s.Section == "presidium" && len(vip) < 3:
			vip, vipID = append(vip, s.Label), append(vipID, s.AttendeeID)
		case s.Section == "B" && len(floor) < 40 && s.Category == "deputy":
			floor, floorIDs = append(floor, s.Label), append(floorIDs, s.AttendeeID)
		}
	}
	if got := eval[string](t, ctx, fmt.Sprintf(`usher.seat(%q).state`, floor[0])); got != "assigned" {
		t.Fatalf("%s starts %q", floor[0], got)
	}
	start := time.Now()
	if st := checkIn(t, srv, floorIDs[0]); st != "ok" {
		t.Fatalf("check-in: %s", st)
	}
	poll(t, ctx, fmt.Sprintf(`usher.seat(%q).state === 'arrived' && usher.lastChange && usher.lastChange.seats.includes(%q)`, floor[0], floor[0]), 5*time.Second)
	shown := eval[float64](t, ctx, `usher.lastChange.at`)
	t.Logf("check-in to seat drawn: %d ms (from before the POST, on one machine)", int64(shown)-start.UnixMilli())

	// More arrivals, a VIP among them, and a leave, for the screenshot.
	leaves := eval[string](t, ctx, `document.querySelector('#c-leave').textContent`)
	for _, id := range append(floorIDs[1:30], vipID[:2]...) {
		checkIn(t, srv, id)
	}
	if st := srv.Call("POST", "/sessions/opening/leaves", admin, map[string]any{"attendee_id": floorIDs[35], "reason": "因病"}, nil); st != 201 {
		t.Fatalf("leave: HTTP %d", st)
	}
	poll(t, ctx, fmt.Sprintf(`usher.seat(%q).state === 'on_leave' && usher.seat(%q).state === 'arrived'`, floor[35], vip[1]), 5*time.Second)
	if n := eval[int](t, ctx, `document.querySelectorAll('#vip li.arrived').length`); n != 2 {
		t.Errorf("%d VIP arrivals listed, want 2", n)
	}
	// The counts are painted with the seats, on the next animation frame.
	poll(t, ctx, fmt.Sprintf(`document.querySelector('#c-leave').textContent === '%d'`, atoi(leaves)+1), 3*time.Second)
	browsertest.Screenshot(t, ctx, shotDir(t), "usher-all.png")

	// Section B only, then a name search.
	name := eval[string](t, ctx, fmt.Sprintf(`usher.seat(%q).name`, floor[5]))
	browsertest.Click(t, ctx, `#sections button[data-section="B"]`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#q`, name)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelectorAll('#results li').length >= 1`, 3*time.Second)
	if got := eval[string](t, ctx, `document.querySelector('#detail .seat-label') ? document.querySelector('#detail .seat-label').textContent : ''`); got != floor[5] && !strings.Contains(eval[string](t, ctx, `document.querySelector('#results').textContent`), floor[5]) {
		t.Errorf("search for %s showed %q", name, got)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "usher-section-b-search.png")
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
