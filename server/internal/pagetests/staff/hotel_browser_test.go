package staff_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestHotelDeskBrowser (issue 12, "How it is checked"), on the logistics
// page's 住宿 tab at 1440×900: the desk finds a guest, is refused a room
// that is full (with who is in it, and the choice to go ahead anyway),
// changes the room to a free one and checks the guest out; then another
// guest's departure is cancelled and a temporary room registered for the
// extra night — the board shows it, marked 滞留.
func TestHotelDeskBrowser(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := context.Background()
	alone, _, fullTwin, free := testkit.DemoGuests(t, srv)
	a, c := alone[0], alone[2]
	for _, id := range []int64{a, c} {
		if st := srv.Call("POST", "/checkins", testkit.AdminToken, map[string]any{"attendee_id": id, "checkpoint": "hotel-desk",
			"scan_id": fmt.Sprintf("hotel-%d", id), "reason": "测试"}, nil); st != 200 {
			t.Fatalf("check-in of %d: HTTP %d", id, st)
		}
	}
	var before testkit.StayAnswer
	srv.Call("GET", fmt.Sprintf("/hotel/stays/%d", c), testkit.AdminToken, nil, &before)
	leg, err := srv.App.DB.SaveLeg(ctx, store.Leg{AttendeeID: c, Direction: store.Departure, Mode: "flight", Number: "MU5101",
		OnDate: before.Stay.CheckOut, At: ptr(time.Now().Add(3 * time.Hour))}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var name string
	srv.App.DB.ForTest().R.QueryRow(`SELECT name FROM attendees WHERE id = ?`, a).Scan(&name)

	shots := browsertest.ShotDir(t, "hotel")
	b := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.Do(t, b, chromedp.EmulateViewport(1440, 900))
	browsertest.SignIn(t, b, srv.URL, testkit.UserToken(t, srv, "desk"))
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/logistics#hotel"))
	browsertest.Poll[bool](t, b, `logistics.mounted().hotel === 'ready' && document.querySelectorAll('#tab-hotel table.board tbody tr').length > 400`, 20*time.Second)
	browsertest.Screenshot(t, b, shots, "board.png")

	// Found by name; the panel shows the stay.
	evalJS(t, b, fmt.Sprintf(`(() => { const q = document.querySelector('#tab-hotel .find input'); q.value = %q; q.dispatchEvent(new Event('input')); })()`, name))
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#tab-hotel .found button[data-id="%d"]')`, a), 5*time.Second)
	click(t, b, fmt.Sprintf(`#tab-hotel .found button[data-id="%d"]`, a))
	browsertest.Poll[bool](t, b, `document.querySelector('#tab-hotel .panel h3') !== null && document.querySelector('#tab-hotel .panel h3').textContent.includes(`+fmt.Sprintf("%q", name)+`)`, 5*time.Second)

	// 换房: a full twin room is refused, saying who is in it; a free one is taken.
	click(t, b, `#tab-hotel [data-action="move"]`)
	move := `#tab-hotel form[data-form="move"]`
	browsertest.Poll[bool](t, b, `document.querySelectorAll('`+move+` select[name="room"] option').length > 1`, 5*time.Second)
	setValue(t, b, move+` input[name="other"]`, fullTwin)
	setValue(t, b, move+` input[name="reason"]`, "空调故障")
	click(t, b, move+` button[type="submit"]`)
	browsertest.Poll[bool](t, b, `document.querySelector('`+move+` .msg.bad') !== null && document.querySelector('`+move+` .msg').textContent.includes('已住满') && !document.querySelector('`+move+` .force').hidden`, 5*time.Second)
	browsertest.Screenshot(t, b, shots, "move-refused.png")
	setValue(t, b, move+` input[name="other"]`, "")
	setValue(t, b, move+` select[name="room"]`, free)
	click(t, b, move+` button[type="submit"]`)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`document.querySelector('#tab-hotel .facts .room').dataset.room === %q && !document.querySelector('%s')`, free, move), 5*time.Second)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#tab-hotel tr[data-room="%s"] button.g[data-id="%d"]')`, free, a), 5*time.Second)
	browsertest.Screenshot(t, b, shots, "moved.png")

	// 退房.
	click(t, b, `#tab-hotel [data-action="checkout"]`)
	click(t, b, `#tab-hotel form[data-form="checkout"] button[type="submit"]`)
	browsertest.Poll[bool](t, b, `document.querySelector('#tab-hotel .facts .state').dataset.state === 'out'`, 5*time.Second)
	browsertest.Screenshot(t, b, shots, "checked-out.png")
	var room, out string
	srv.App.DB.ForTest().R.QueryRow(`SELECT room, checked_out_at FROM lodging WHERE attendee_id = ?`, a).Scan(&room, &out)
	if room != free || out == "" {
		t.Errorf("after the page's 换房 and 退房 the lodging is %q, checked out %q", room, out)
	}

	// 滞留: c's flight is cancelled; a temporary room for the night after.
	setValue(t, b, `#tab-hotel .find input`, "")
	click(t, b, fmt.Sprintf(`#tab-hotel button.g[data-id="%d"]`, c))
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#tab-hotel .panel') && document.querySelector('#tab-hotel .facts .dep').textContent.includes('MU5101')`), 5*time.Second)
	click(t, b, `#tab-hotel [data-action="stranded"]`)
	strand := `#tab-hotel form[data-form="stranded"]`
	browsertest.Poll[bool](t, b, `document.querySelector('`+strand+` input[name="departure"][value="cancel"]').checked`, 5*time.Second)
	click(t, b, strand+` input[name="stay"][value="temporary"]`)
	browsertest.Poll[bool](t, b, `!document.querySelector('`+strand+` .temp').hidden && document.querySelectorAll('`+strand+` select[name="room"] option').length > 1`, 5*time.Second)
	temp := browsertest.Poll[string](t, b, `document.querySelector('`+strand+` select[name="room"] option:nth-child(2)').value`, time.Second)
	setValue(t, b, strand+` select[name="room"]`, temp)
	setValue(t, b, strand+` input[name="reason"]`, "航班取消（大雾）")
	browsertest.Screenshot(t, b, shots, "stranded-form.png")
	click(t, b, strand+` button[type="submit"]`)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`document.querySelector('#tab-hotel .facts .room').dataset.room === %q && !!document.querySelector('#tab-hotel .panel .chip.stranded')`, temp), 5*time.Second)
	extra := testkit.NextDate(t, before.Stay.CheckOut)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#tab-hotel tr[data-room="%s"] td[data-night="%s"] button.g[data-id="%d"] .mark')`, temp, before.Stay.CheckOut, c), 5*time.Second)
	browsertest.Screenshot(t, b, shots, "stranded.png")

	// Another desk adds a night for someone: the board shows it, live.
	other := alone[1]
	var st testkit.StayAnswer
	if code := srv.Call("POST", fmt.Sprintf("/hotel/stays/%d/nights", other), testkit.AdminToken, map[string]any{
		"check_in": before.Stay.CheckIn, "check_out": extra, "reason": "会期延长"}, &st); code != 200 {
		t.Fatalf("加住 from another desk: HTTP %d", code)
	}
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#tab-hotel tr[data-room="%s"] td[data-night="%s"] button.g[data-id="%d"]')`,
		st.Stay.Room, before.Stay.CheckOut, other), 5*time.Second)

	got, err := srv.App.DB.Leg(ctx, leg.ID)
	if err != nil || got.Cancelled == nil {
		t.Errorf("the departure after the stranding: %+v %v", got, err)
	}
	var until string
	srv.App.DB.ForTest().R.QueryRow(`SELECT check_out FROM lodging WHERE attendee_id = ?`, c).Scan(&until)
	if until != extra {
		t.Errorf("the temporary room runs until %s, want %s", until, extra)
	}
}

// setValue sets a form field's value as typing or choosing would, without
// the key events.
func setValue(t *testing.T, ctx context.Context, sel, v string) {
	t.Helper()
	evalJS(t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event('input', {bubbles: true})); })()`, sel, v))
}

// click clicks the element sel names once it is there, in the page itself:
// a live update may redraw the element between finding it and a CDP click
// ("Could not find node with given id" under -race), never within one
// script.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	browsertest.Click(t, ctx, sel)
}

// TestHotelClearanceOutlivesSlowRead: the 清退 list read for one day still
// on its way when the desk asks for another (here 全部, any day) must not
// replace the newer list when it lands — the shape of the 接站 tab's bug
// (TestTransportDayChoiceOutlivesSlowRead), in the 住宿 tab's refresh.
func TestHotelClearanceOutlivesSlowRead(t *testing.T) {
	srv := testkit.Serve(t)
	// Guests in their rooms, some leaving today and some later (people
	// without a room are refused at the hotel desk: that is fine here).
	for id := 1; id <= 60; id++ {
		srv.Call("POST", "/checkins", testkit.AdminToken, map[string]any{"attendee_id": id, "checkpoint": "hotel-desk",
			"scan_id": fmt.Sprintf("clear-%d", id), "reason": "测试"}, nil)
	}
	b := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.SignIn(t, b, srv.URL, testkit.UserToken(t, srv, "desk"))
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/logistics#hotel"))
	browsertest.Poll[bool](t, b, `logistics.mounted().hotel === 'ready' && !!document.querySelector('#tab-hotel [data-view="clearance"]')`, 20*time.Second)

	// Any day's list, for comparison.
	click(t, b, `#tab-hotel [data-view="clearance"]`)
	browsertest.Poll[bool](t, b, `!!document.querySelector('#tab-hotel .clear-bar input[type=date]')`, 10*time.Second)
	today := browsertest.Poll[string](t, b, `document.querySelector('#tab-hotel .clear-bar input[type=date]').value`, 5*time.Second)
	count := `document.querySelector('#tab-hotel .clear-bar b').firstChild.textContent`
	byToday := browsertest.Poll[string](t, b, count, 5*time.Second)
	evalJS(t, b, `document.querySelector('#tab-hotel .clear-bar button').click()`)
	browsertest.Poll[bool](t, b, `document.querySelector('#tab-hotel .clear-bar input[type=date]').value === ''`, 10*time.Second)
	anyDay := browsertest.Poll[string](t, b, count, 5*time.Second)
	if byToday == anyDay {
		t.Fatalf("the demo's lists by %s and for any day are alike (%q): the test cannot tell them apart", today, anyDay)
	}

	// Reads of today's list now take 800 ms; one starts (the day is set
	// back to today), and the desk asks for any day before it lands.
	slowReads(t, b, "/hotel/clearance?", "by="+today)
	evalJS(t, b, fmt.Sprintf(`(() => {
		const by = document.querySelector('#tab-hotel .clear-bar input[type=date]');
		by.value = %q; by.dispatchEvent(new Event('change'));
	})()`, today))
	browsertest.Poll[bool](t, b, `window.__slow === 'asked'`, 5*time.Second)
	evalJS(t, b, `document.querySelector('#tab-hotel .clear-bar button').click()`)
	browsertest.Poll[bool](t, b, `window.__slow === 'landed'`, 5*time.Second)
	time.Sleep(100 * time.Millisecond)
	got := browsertest.Poll[string](t, b, `document.querySelector('#tab-hotel .clear-bar input[type=date]').value + ' ' + `+count, time.Second)
	if got != " "+anyDay {
		t.Errorf("after the slow read of %s landed, the tab shows %q; the desk asked for any day (%q)", today, got, anyDay)
	}
}
