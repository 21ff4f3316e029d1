package desk_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestSeatingPageShowsNames opens the seating page at the desk's
// 1440×900 with the computer's clock in New York: the sessions are named
// with their start on the event's clocks (not 开幕大会（opening）), the rules
// list category names (代表 → 列席, not deputy → observer), and a seat
// names its occupant's category (代表, not deputy).
func TestSeatingPageShowsNames(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1440, 900))
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/seating?session=opening")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `seating.loaded > 0 && seating.count() > 700 && document.querySelector('#r-extra').textContent !== ''`)

	var sessions []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		StartsAt string `json:"starts_at"`
	}
	srv.Call("GET", "/sessions", testkit.AdminToken, nil, &sessions)
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	var want []string
	for _, s := range sessions {
		at, _ := time.Parse(time.RFC3339, s.StartsAt)
		want = append(want, s.Name+" · "+at.In(shanghai).Format("01-02 15:04"))
	}
	got := eval[[]string](t, ctx, `[...document.querySelectorAll('#session option')].map(o => o.textContent)`)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("session picker:\n got %q\nwant %q", got, want)
	}
	if extra := eval[string](t, ctx, `document.querySelector('#r-extra').textContent`); !strings.Contains(extra, "代表 → 列席") || strings.Contains(extra, "deputy") {
		t.Errorf("rules line %q, want category names", extra)
	}

	var label string
	for _, s := range seatsOf(t, srv, "opening") {
		if s.Section == "B" && s.AttendeeID != 0 {
			label = s.Label
			break
		}
	}
	if label == "" {
		t.Fatal("no occupied seat in section B")
	}
	clickSeat(t, ctx, label)
	if cat := eval[string](t, ctx, `document.querySelector('#detail .seat-category')?.textContent.trim() || ''`); cat != "代表" {
		t.Errorf("seat %s shows category %q, want 代表", label, cat)
	}
	browsertest.Screenshot(t, ctx, shotDir(t), fmt.Sprintf("seating-names-%s.png", label))
}
