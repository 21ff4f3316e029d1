package staff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestPickupListShowsTheLastRead: the pickup phone re-reads its list on
// every change; when a read asked earlier is answered after a later one
// (a slow network), the list keeps the later answer. Two pickups are made
// elsewhere, the first's re-read held back 1.5 s: the phone must end with
// both picked up, not with the first's older list.
func TestPickupListShowsTheLastRead(t *testing.T) {
	d := testkit.NewLogisticsDay(t)
	srv := d.Server
	ctx := context.Background()
	phone := pickupPhoneAtAirport(t, d)

	// The next read of the list is answered 1.5 s late; later ones at once.
	evalJS(t, phone, `(() => {
		const real = window.fetch;
		window.__held = 'none';
		window.fetch = async (url, opts) => {
			if (window.__held !== 'none' || !String(url).includes('/pickup/arrivals')) return real(url, opts);
			window.__held = 'asked';
			const r = await real(url, opts);
			await new Promise((ok) => setTimeout(ok, 1500));
			window.__held = 'landed';
			return r;
		};
	})()`)
	if _, err := srv.App.DB.SetLegState(ctx, d.Late.ID, "picked_up", "", "另一部手机"); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, phone, `window.__held === 'asked'`, 10*time.Second)
	loads := browsertest.Poll[float64](t, phone, `pickup.loads()`, time.Second)
	if _, err := srv.App.DB.SetLegState(ctx, d.Soon.ID, "picked_up", "", "另一部手机"); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`pickup.loads() > %v && window.__held === 'landed'`, loads), 10*time.Second)
	time.Sleep(300 * time.Millisecond) // the held answer's turn to be applied
	if tally := browsertest.Poll[string](t, phone, `document.getElementById('tally').textContent`, time.Second); !strings.HasPrefix(tally, "已接 2/2") {
		t.Errorf("the phone's tally after two pickups, the first's re-read answered last: %q", tally)
	}
}
