package staff_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestPickupRebookEarlierTodayOnThePhone: on the pickup phone, 改签 to a
// time already past today at the same station (今天, the form's default)
// keeps both of the airport's people on the list: the late arrival, and
// the rebooked one on the new leg, shown late. (A CI run of
// TestPickupMovesTheBoard sent this by mistake and the phone showed one
// row; the API holds, TestPickupRebookEarlierToday in web.) The new time
// is midnight, the one time of day that is already past whenever the
// test runs (00:05 was not, in the first five minutes of a day).
func TestPickupRebookEarlierTodayOnThePhone(t *testing.T) {
	d := testkit.NewLogisticsDay(t)
	phone := pickupPhoneAtAirport(t, d)

	openPickupSheet(t, phone, d.Soon.ID)
	openRebookForm(t, phone)
	browsertest.Do(t, phone,
		chromedp.SetValue(`#sheet input[name=number]`, "MU5099"),
		chromedp.SetValue(`#sheet input[name=time]`, "00:00"))
	evalJS(t, phone, `document.querySelector('#sheet form.rebook').requestSubmit()`)
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`pickup.pending() === 0 && !document.querySelector('#list li[data-leg="%d"]')`, d.Soon.ID), 15*time.Second)
	// Give the list's re-read after the server's change time to land too.
	time.Sleep(time.Second)
	got := browsertest.Poll[map[string]any](t, phone, fmt.Sprintf(`({ rows: pickup.rows(), late: !!document.querySelector('#list li[data-leg="%d"]'),
		rebooked: [...document.querySelectorAll('#list li')].map((li) => li.textContent).some((s) => s.includes('MU5099')) })`, d.Late.ID), time.Second)
	if got["rows"] != float64(2) || got["late"] != true || got["rebooked"] != true {
		t.Errorf("the phone's list after 改签 to 00:00 today: %v (want 2 rows: the late arrival and MU5099)", got)
	}
}

// pickupPhoneAtAirport opens the pickup page on a phone (390×844) signed
// in with a logistics account, at the logistics day's airport, its two
// arrivals listed and the live feed up.
func pickupPhoneAtAirport(t *testing.T, d *testkit.LogisticsDay) context.Context {
	t.Helper()
	srv := d.Server
	phone := browsertest.New(t, browsertest.WindowSize(390, 844))
	browsertest.Do(t, phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	browsertest.SignIn(t, phone, srv.URL, d.User(t, "logistics"))
	browsertest.Do(t, phone, chromedp.Navigate(srv.URL+"/pickup"))
	browsertest.Poll[bool](t, phone, `!!document.querySelector('#overlay .stations')`, 15*time.Second)
	browsertest.Click(t, phone, fmt.Sprintf(`#overlay .stations button[data-station="%d"]`, d.Airport.ID))
	browsertest.Poll[bool](t, phone, `pickup.ready() && pickup.rows() === 2 && document.getElementById('conn').classList.contains('live')`, 10*time.Second)
	return phone
}
