package screens_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// The chair's view during the session: the sentence follows check-ins, an
// arriving deputy leaves the absentee list, and the arrival curve counts
// them. (Before the start nobody is absent: TestPagesBeforeTheStart.)
func TestChairView(t *testing.T) {
	srv := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	var ids []int64
	for _, s := range seats(t, srv, "opening") {
		if s.State == "assigned" && s.Category == "deputy" && len(ids) < 60 {
			ids = append(ids, s.AttendeeID)
		}
	}
	for _, id := range ids[:40] {
		checkIn(t, srv, id)
	}
	ctx := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.SignIn(t, ctx, srv.URL, admin) // pages take no token in their address
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(srv.URL+"/chair?session=opening")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#chart").dataset.total === "40" && document.querySelectorAll("#absentees li").length > 0`, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("chart total %q, %d absentees, body %s", eval[string](t, ctx, `String(document.querySelector("#chart").dataset.total)`), eval[int](t, ctx, `document.querySelectorAll("#absentees li").length`), eval[string](t, ctx, `document.body.innerText.slice(0, 300)`))
	}
	var a struct{ Name string }
	srv.Call("GET", "/attendees/"+itoa(int(ids[45])), admin, nil, &a)
	listed := `[...document.querySelectorAll('#absentees li')].some((li) => li.textContent === ` + quote(a.Name) + `)`
	if !eval[bool](t, ctx, listed) {
		t.Fatalf("%s is not on the absentee list", a.Name)
	}
	before := eval[string](t, ctx, `document.querySelector('#statement').textContent`)
	checkIn(t, srv, ids[45])
	poll(t, ctx, `!`+listed+` && document.querySelector('#chart').dataset.total === '41'`, 5*time.Second)
	after := eval[string](t, ctx, `document.querySelector('#statement').textContent`)
	if before == after || !strings.Contains(after, "实到41人") {
		t.Errorf("statement %q, then %q", before, after)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "chair.png")
}
