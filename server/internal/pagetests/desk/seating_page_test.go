package desk_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/testkit"
)

// shotDir is where screenshots go (browsertest.ShotDir).
func shotDir(t *testing.T) string { return browsertest.ShotDir(t, "seating-desk") }

func seatsOf(t *testing.T, srv *testkit.Server, session string) []seatmap.Seat {
	t.Helper()
	var list []seatmap.Seat
	if st := srv.Call("GET", "/sessions/"+session+"/seats", testkit.AdminToken, nil, &list); st != 200 {
		t.Fatalf("seats of %s: HTTP %d", session, st)
	}
	return list
}

// seats is the opening session's seats by label.
func seats(t *testing.T, srv *testkit.Server) map[string]seatmap.Seat {
	t.Helper()
	list := seatsOf(t, srv, "opening")
	out := make(map[string]seatmap.Seat, len(list))
	for _, s := range list {
		out[s.Label] = s
	}
	return out
}

// poll waits until the JavaScript condition holds; a throw counts as not yet.
func poll(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	js := `(() => { try { return !!(` + cond + `) } catch { return false } })()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// clickSeat clicks the seat's centre on the canvas with the mouse, as a
// person would, and waits for the detail panel to show it.
func clickSeat(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	xy := eval[[]float64](t, ctx, fmt.Sprintf(`seating.pos(%q)`, label))
	if len(xy) != 2 {
		t.Fatalf("seat %s is not on the map", label)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, fmt.Sprintf(`document.querySelector('#detail .seat-label').textContent.startsWith(%q)`, label))
}

// clickNow clicks sel without waiting for it first (the seating page's
// controls are there once the map is).
func clickNow(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(sel)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// Without the login cookie the page says so in both languages.
func TestSeatingPageSignedOut(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/seating?session=opening")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.querySelector('#login').hidden`)
	text := eval[string](t, ctx, `document.querySelector('#login').textContent`)
	for _, want := range []string{"未登录", "Not signed in"} {
		if !strings.Contains(text, want) {
			t.Errorf("sign-in banner %q lacks %q", text, want)
		}
	}
}

// On a server with no meeting yet the page says so and points to the desk.
func TestSeatingPageOnEmptyServer(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/seating")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.querySelector('#empty').hidden`)
	text := eval[string](t, ctx, `document.querySelector('#empty').textContent`)
	for _, want := range []string{"尚未建立会议", "No meeting is set up yet", "前往报到处"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty page %q lacks %q", text, want)
		}
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-no-event.png")
}

// The desk pins a seat, swaps two others, switches the floor to surname
// strokes and re-arranges: the dry run shows the report first, and after
// the arrangement the pinned and swapped seats keep their occupants while
// the rest of the floor moves.
func TestSeatingPagePinSwapArrange(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/seating?session=opening")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `seating.loaded > 0 && seating.count() > 700 && document.querySelector('#r-order').value !== ''`)

	// The chart links follow the paper chosen.
	poll(t, ctx, `document.querySelector('#pdf-audience').href.endsWith('/sessions/opening/seating/chart.pdf?view=audience&paper=a4')`)
	eval[bool](t, ctx, `(() => { const s = document.querySelector('#pdf-paper'); s.value = 'a3';
		s.dispatchEvent(new Event('change')); return true; })()`)
	poll(t, ctx, `document.querySelector('#pdf-presidium').href.endsWith('view=presidium&paper=a3')`)

	// Three deputies on the floor, none pinned: one to pin, two to swap.
	before := seats(t, srv)
	var picks []string
	for _, row := range []int{3, 5, 7} {
		for _, s := range before {
			if s.Section == "B" && s.Row == row && s.Number == 4 && s.AttendeeID != 0 && !s.Pinned {
				picks = append(picks, s.Label)
			}
		}
	}
	if len(picks) != 3 {
		t.Fatalf("found seats %v, want three occupied B-row seats", picks)
	}
	pinned, a, b := picks[0], picks[1], picks[2]

	clickSeat(t, ctx, pinned)
	clickNow(t, ctx, "#pin")
	poll(t, ctx, fmt.Sprintf(`seating.seat(%q).pinned && document.querySelector('#unpin')`, pinned))
	if s := seats(t, srv)[pinned]; !s.Pinned || s.AttendeeID != before[pinned].AttendeeID {
		t.Fatalf("after pin, %s = %+v", pinned, s)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-pinned.png")

	clickSeat(t, ctx, a)
	clickNow(t, ctx, "#pick-swap")
	clickSeat(t, ctx, b)
	clickNow(t, ctx, "#pick-swap")
	poll(t, ctx, `!document.querySelector('#swap').disabled`)
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-swap-chosen.png")
	clickNow(t, ctx, "#swap")
	poll(t, ctx, fmt.Sprintf(`seating.seat(%q).attendee_id === %d`, a, before[b].AttendeeID))
	swapped := seats(t, srv)
	if swapped[a].AttendeeID != before[b].AttendeeID || swapped[b].AttendeeID != before[a].AttendeeID {
		t.Fatalf("swap: %s holds %d (want %d), %s holds %d (want %d)", a, swapped[a].AttendeeID, before[b].AttendeeID,
			b, swapped[b].AttendeeID, before[a].AttendeeID)
	}

	// A different order, so an arrangement that ignored pins would move them.
	if err := chromedp.Do(ctx, chromedp.SetValue("#r-order", "strokes")); err != nil {
		t.Fatal(err)
	}
	clickNow(t, ctx, "#rules-save")
	var rules struct{ Order string }
	deadline := time.Now().Add(5 * time.Second)
	for rules.Order != "strokes" && time.Now().Before(deadline) {
		srv.Call("GET", "/sessions/opening/seating/rules", testkit.AdminToken, nil, &rules)
		time.Sleep(50 * time.Millisecond)
	}
	if rules.Order != "strokes" {
		t.Fatalf("rules order %q after saving through the page", rules.Order)
	}

	loaded := eval[int](t, ctx, `seating.loaded`)
	clickNow(t, ctx, "#arrange")
	poll(t, ctx, `document.querySelector('#confirm').open && seating.report && seating.report.dry`)
	if txt := eval[string](t, ctx, `document.querySelector('#preview').textContent`); !strings.Contains(txt, "无座人员") || !strings.Contains(txt, "重复安排") {
		t.Errorf("dry-run report lacks its parts: %q", txt)
	}
	if after := seats(t, srv); after[a].AttendeeID != swapped[a].AttendeeID {
		t.Error("the dry run changed the seats")
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-arrange-preview.png")
	clickNow(t, ctx, "#confirm-go")
	poll(t, ctx, fmt.Sprintf(`seating.report && !seating.report.dry && !document.querySelector('#report').hidden && seating.loaded > %d`, loaded))
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-arranged-report.png")

	after := seats(t, srv)
	if after[pinned].AttendeeID != before[pinned].AttendeeID || !after[pinned].Pinned {
		t.Errorf("pinned %s: %+v after arranging, want attendee %d", pinned, after[pinned], before[pinned].AttendeeID)
	}
	if after[a].AttendeeID != before[b].AttendeeID || after[b].AttendeeID != before[a].AttendeeID {
		t.Errorf("swapped seats lost their hand edit: %s %d, %s %d", a, after[a].AttendeeID, b, after[b].AttendeeID)
	}
	moved := 0
	for l, s := range after {
		if s.Section != "presidium" && s.AttendeeID != swapped[l].AttendeeID {
			moved++
		}
	}
	if moved < 50 {
		t.Errorf("only %d floor seats changed occupant after re-arranging by strokes", moved)
	}
	t.Logf("re-arranged by strokes: %d floor seats changed occupant; %s, %s and %s kept", moved, pinned, a, b)
	if got := eval[string](t, ctx, `document.querySelector('#report').textContent`); !strings.Contains(got, "排座结果") {
		t.Errorf("report panel: %q", got)
	}

	// Floor limited to section B: too few seats, so the dry run lists the
	// people left without one; cancelling leaves the hall as it was.
	var full map[string]any
	srv.Call("GET", "/sessions/opening/seating/rules", testkit.AdminToken, nil, &full)
	full["sections"] = []string{"B"}
	if st := srv.Call("PUT", "/sessions/opening/seating/rules", testkit.AdminToken, full, nil); st != 200 {
		t.Fatalf("rules with sections: HTTP %d", st)
	}
	clickNow(t, ctx, "#arrange")
	poll(t, ctx, `document.querySelector('#confirm').open && seating.report && seating.report.dry && !seating.report.ok`)
	if n := eval[int](t, ctx, `seating.report.unseated.length`); n < 100 {
		t.Errorf("section B alone leaves %d without a seat, want over 100", n)
	}
	if !eval[bool](t, ctx, `!!document.querySelector('#preview .part.unseated.has li') && !!document.querySelector('#preview .part.over.has li')`) {
		t.Error("the preview does not list the unseated and the shortfall")
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-arrange-preview-problems.png")
	clickNow(t, ctx, "#confirm-cancel")
	poll(t, ctx, `!document.querySelector('#confirm').open`)
	for l, s := range seats(t, srv) {
		if s.AttendeeID != after[l].AttendeeID {
			t.Fatalf("seat %s changed after a cancelled dry run", l)
		}
	}

	// Zoomed to the presidium the seats are wide enough to carry names.
	clickNow(t, ctx, `#sections button[data-section="presidium"]`)
	chair := "P-1-1"
	for l, s := range after {
		if s.Section == "presidium" && s.AttendeeID != 0 && s.Rank == 1 {
			chair = l
		}
	}
	clickSeat(t, ctx, chair)
	if got := eval[string](t, ctx, `document.querySelector('#detail .seat-name').textContent`); after[chair].Name == "" || !strings.HasPrefix(got, after[chair].Name) {
		t.Errorf("detail of %s shows %q, want %q", chair, got, after[chair].Name)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-zoom-presidium.png")

	// The print links fetch the 座次图 with the desk's login cookie.
	for _, view := range []string{"audience", "presidium"} {
		href := eval[string](t, ctx, `document.querySelector('#pdf-`+view+`').href`)
		req, err := http.NewRequest("GET", href, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "huiwu_token", Value: testkit.AdminToken})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 5)
		_, _ = io.ReadFull(resp.Body, head)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(head) != "%PDF-" || !strings.Contains(href, "view="+view) {
			t.Errorf("%s: HTTP %d, starts %q", href, resp.StatusCode, head)
		}
	}

	// The picker opens another session and keeps it in the address.
	n := eval[int](t, ctx, `seating.loaded`)
	if err := chromedp.Do(ctx, chromedp.SetValue("#session", "group-1")); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `document.querySelector('#session').dispatchEvent(new Event('change'))`)
	poll(t, ctx, fmt.Sprintf(`seating.loaded > %d && location.search.includes('session=group-1')`, n))
	if got, want := eval[int](t, ctx, `seating.count()`), len(seatsOf(t, srv, "group-1")); got != want {
		t.Errorf("group-1 shows %d seats, the API has %d", got, want)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "seating-group-1.png")
}
