package desk_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
)

// TestCardTravel (issue 12.1): at 1440×900 the card shows a traveller's
// arrival and departure; the desk edits the arrival, is told under the
// field what it must say more clearly (2点: morning or afternoon?), says
// it, and the arrival is stored as typed — a train now, at the railway
// station, at 15:20 — in the same leg.
func TestCardTravel(t *testing.T) {
	srv, ctx := openWideDesk(t)
	var id, leg int64
	var name, number string
	err := srv.App.DB.ForTest().R.QueryRow(`SELECT a.id, a.name, l.id, l.number FROM attendees a
		JOIN travel_legs l ON l.attendee_id = a.id AND l.direction = 'arrival' AND l.mode = 'flight' AND l.at <> ''
		JOIN travel_legs d ON d.attendee_id = a.id AND d.direction = 'departure' AND d.ticket = 'booked'
		WHERE a.status = 'active' ORDER BY a.id LIMIT 1`).Scan(&id, &name, &leg, &number)
	if err != nil {
		t.Fatalf("a traveller by air with a booked ticket home: %v", err)
	}
	do(t, ctx, chromedp.SendKeys("#q", name))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]')`, id))
	browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	waitJS(t, ctx, `document.querySelector('#card-travel tr[data-dir="arrival"] td.number')`)
	arrival := evalJS[string](t, ctx, `document.querySelector('#card-travel tr[data-dir="arrival"]').textContent`)
	departure := evalJS[string](t, ctx, `document.querySelector('#card-travel tr[data-dir="departure"]').textContent`)
	if !strings.Contains(arrival, number) || !strings.Contains(arrival, "云州国际机场") || !strings.Contains(arrival, "航班") ||
		!strings.Contains(departure, "已订") {
		t.Errorf("the card's travel: %q / %q", arrival, departure)
	}
	browsertest.Screenshot(t, ctx, shots(t), "card-travel.png")

	do(t, ctx, chromedp.Click("#btn-travel"))
	waitJS(t, ctx, `document.getElementById('travel-dialog').open`)
	if v := evalJS[string](t, ctx, `document.getElementById('travel-arrival-number').value`); v != number {
		t.Errorf("the dialog's arrival number %q, want %s", v, number)
	}
	date := srv.App.Engine.Catalog().Event.StartsOn
	// Each field is emptied, then typed into as the desk types.
	empty := func(ids ...string) {
		evalJS[bool](t, ctx, fmt.Sprintf(`%q.split(' ').every((id) => (document.getElementById(id).value = '') === '')`, strings.Join(ids, " ")))
	}
	empty("travel-arrival-number", "travel-arrival-station", "travel-arrival-date", "travel-arrival-time")
	do(t, ctx,
		chromedp.SetValue("#travel-arrival-mode", "train"),
		chromedp.SendKeys("#travel-arrival-number", "g1234"),
		chromedp.SendKeys("#travel-arrival-station", "云州南站"),
		chromedp.SendKeys("#travel-arrival-date", date),
		chromedp.SendKeys("#travel-arrival-time", "3点20"),
		chromedp.Click("#travel-save"))
	waitJS(t, ctx, `document.getElementById('travel-arrival-time').getAttribute('aria-invalid') === 'true'`)
	if e := evalJS[string](t, ctx, `document.querySelector('.field-error[data-field="arrival.time"]').textContent`); !strings.Contains(e, "上午还是下午") || !strings.Contains(e, "morning or afternoon") {
		t.Errorf("the time's problem: %q", e)
	}
	browsertest.Screenshot(t, ctx, shots(t), "travel-dialog-error.png")

	empty("travel-arrival-time")
	do(t, ctx, chromedp.SendKeys("#travel-arrival-time", "下午3点20"), chromedp.Click("#travel-save"))
	waitJS(t, ctx, `!document.getElementById('travel-dialog').open &&
		document.querySelector('#card-travel tr[data-dir="arrival"] td.number')?.textContent === 'G1234'`)
	row := evalJS[string](t, ctx, `document.querySelector('#card-travel tr[data-dir="arrival"]').textContent`)
	if !strings.Contains(row, "云州南站") || !strings.Contains(row, "15:20") || !strings.Contains(row, "火车") {
		t.Errorf("after saving, the card shows %q", row)
	}
	browsertest.Screenshot(t, ctx, shots(t), "card-travel-saved.png")

	l, err := srv.App.DB.Leg(t.Context(), leg)
	if err != nil {
		t.Fatal(err)
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	if l.Mode != "train" || l.Number != "G1234" || l.At == nil || l.At.In(shanghai).Format("2006-01-02 15:04") != date+" 15:20" ||
		l.Source != "desk" || l.Cancelled != nil {
		t.Errorf("stored: %+v", l)
	}
	var station string
	srv.App.DB.ForTest().R.QueryRow(`SELECT name FROM stations WHERE id = ?`, l.StationID).Scan(&station)
	if station != "云州南站" {
		t.Errorf("stored at station %q", station)
	}
	var audited int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'travel.save' AND subject = ?`, fmt.Sprint(id)).Scan(&audited)
	if audited != 1 {
		t.Errorf("%d travel.save audits, want 1 (only the arrival changed)", audited)
	}
}
