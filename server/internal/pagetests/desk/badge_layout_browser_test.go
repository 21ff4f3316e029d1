package desk_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestDeskBadgeLayout (issue 15.2): the meeting's badge layout is chosen
// in 会议设置 from the server's layouts; 打印证件 and 批量打印 then print
// on it, the card's picker prints one badge on another size, and the next
// print is on the meeting's layout again.
func TestDeskBadgeLayout(t *testing.T) {
	srv, ctx := openWideDesk(t)
	evalJS[string](t, ctx, `location.hash = '#setup/event'`)
	waitJS(t, ctx, `document.querySelectorAll('#event-badge-layout option').length > 1`)
	if v := evalJS[string](t, ctx, `document.getElementById('event-badge-layout').value`); v != "cr80" {
		t.Errorf("the demo's layout shows as %q", v)
	}
	if opts := evalJS[string](t, ctx, `[...document.querySelectorAll('#event-badge-layout option')].map(o => o.value + '=' + o.textContent).join('|')`); !strings.Contains(opts, "a6-photo=A6（带照片）") {
		t.Errorf("layout options %q, want the server's labels", opts)
	}
	setVal(t, ctx, "#event-badge-layout", "a6-photo")
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.getElementById('setup-confirm')`)
	if words := pageText(t, ctx, "#setup-dry"); !strings.Contains(words, "证件版式 cr80 → a6-photo") {
		t.Errorf("the dry run does not say the layout changes:\n%s", words)
	}
	shot(t, ctx, "badge-layout-setup.png")
	click(t, ctx, "#setup-confirm")
	waitJS(t, ctx, `document.getElementById('setup-saved')`)
	var ev struct {
		BadgeLayout string `json:"badge_layout"`
	}
	if srv.Call("GET", "/event", testkit.AdminToken, nil, &ev); ev.BadgeLayout != "a6-photo" {
		t.Fatalf("saved layout %q", ev.BadgeLayout)
	}

	// The card.
	id, name := someone(t, srv)
	layouts := func(where string) []string {
		var out []string
		rows, err := srv.App.DB.ForTest().R.Query(`SELECT layout FROM badge_prints WHERE kind = 'badge' AND `+where+` ORDER BY id`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var l string
			rows.Scan(&l)
			out = append(out, l)
		}
		return out
	}
	printed := func(n int) {
		t.Helper()
		click(t, ctx, "#btn-print")
		waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll('#card-prints tr').length === %d && document.getElementById('card-layout')`, n))
	}
	evalJS[string](t, ctx, `location.hash = '#search'`)
	do(t, ctx, chromedp.SendKeys("#q", name))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]')`, id))
	browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q && document.querySelectorAll('#card-layout option').length > 1`, name))
	if first := evalJS[string](t, ctx, `document.querySelector('#card-layout option').textContent`); !strings.Contains(first, "A6（带照片）") {
		t.Errorf("the picker's first choice reads %q, want the meeting's A6（带照片）", first)
	}
	shot(t, ctx, "badge-layout-card.png")
	printed(1)
	// Another size for one print …
	setVal(t, ctx, "#card-layout", "cr80")
	printed(2)
	// … and the redrawn card is on the meeting's layout again.
	if v := evalJS[string](t, ctx, `document.getElementById('card-layout').value`); v != "" {
		t.Errorf("after a one-off print the picker stays on %q", v)
	}
	printed(3)
	if got := strings.Join(layouts("attendee_id = ?"), " "); got != "a6-photo cr80 a6-photo" {
		t.Errorf("the card printed on %q, want a6-photo cr80 a6-photo", got)
	}
	if opened := evalJS[[]string](t, ctx, `opened`); len(opened) != 3 {
		t.Errorf("%d PDFs opened, want 3", len(opened))
	}

	// 批量打印: one delegation's deputies, on the meeting's layout.
	hash(t, ctx, "print")
	waitJS(t, ctx, `document.querySelectorAll('#print-layout option').length > 1 && document.querySelectorAll('#delegations option').length > 0`)
	var delegation string
	srv.App.DB.ForTest().R.QueryRow(`SELECT d.name FROM attendees a JOIN delegations d ON d.id = a.delegation_id
		WHERE a.category = 'deputy' AND a.status = 'active' GROUP BY d.id ORDER BY count(*) LIMIT 1`).Scan(&delegation)
	do(t, ctx, chromedp.SetValue(`#print-form select[name=category]`, "deputy"),
		chromedp.SendKeys(`#print-form input[name=delegation]`, delegation))
	shot(t, ctx, "badge-layout-batch.png")
	do(t, ctx, chromedp.Click(`#print-form button[type=submit]`))
	waitLong(t, ctx, `document.getElementById('print-done')`)
	if got := layouts("batch != '' AND ? > 0"); len(got) == 0 || strings.Count(strings.Join(got, " "), "a6-photo") != len(got) {
		t.Errorf("the batch printed on %q, want a6-photo", got)
	}
}
