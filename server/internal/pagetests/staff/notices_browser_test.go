package staff_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestReplyPageAndDeskApply (issue 13.1, "How it is checked"): a unit's
// contact opens the private link on a phone (390×844), answers for two of
// its people (one does not come, one sends a substitute), marks the rest
// as coming and sends the reply; the desk's /notices page shows the unit
// 有变更 with those two changes, and applying one there makes the person
// 请假 at their sessions, the page marking the item applied. The page fits
// the phone's width, and a withdrawn link shows why in both languages.
func TestReplyPageAndDeskApply(t *testing.T) {
	d := testkit.NewNoticeDay(t)
	srv := d.Server
	shots := browsertest.ShotDir(t, "notices")
	token := d.Issue(t, d.A.ID)
	decliner, replaced := d.A.Members[0], d.A.Members[1]

	phone := browsertest.New(t, browsertest.WindowSize(390, 844))
	browsertest.Do(t, phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	watchCSP(t, phone)
	browsertest.Do(t, phone, chromedp.Navigate(srv.URL+"/reply/"+token))
	browsertest.Poll[bool](t, phone, `window.reply && reply.state() === 'ready' && document.querySelectorAll('li.person').length === `+fmt.Sprint(len(d.A.Members)), 20*time.Second)
	if w := browsertest.Poll[int](t, phone, `document.documentElement.scrollWidth`, time.Second); w > 390 {
		t.Errorf("the reply page is %d px wide on a 390 px phone", w)
	}
	browsertest.Screenshot(t, phone, shots, "reply-open.png")
	// One does not come.
	evalJS(t, phone, fmt.Sprintf(`document.querySelector('li.person[data-person="%d"] button.head').click()`, decliner.ID))
	browsertest.Poll[bool](t, phone, `!!document.querySelector('form.editor')`, 5*time.Second)
	evalJS(t, phone, `(() => { const f = document.querySelector('form.editor');
		f.querySelector('input[value=decline]').click();
		f.elements.reason.value = '赴京参加培训'; })()`)
	browsertest.Screenshot(t, phone, shots, "reply-decline.png")
	evalJS(t, phone, `document.querySelector('form.editor button.save').click()`)
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`document.querySelector('li.person[data-person="%d"]').dataset.status === 'decline' && !document.querySelector('form.editor')`, decliner.ID), 5*time.Second)
	// One sends a substitute, who comes by train.
	evalJS(t, phone, fmt.Sprintf(`document.querySelector('li.person[data-person="%d"] button.head').click()`, replaced.ID))
	browsertest.Poll[bool](t, phone, `!!document.querySelector('form.editor')`, 5*time.Second)
	date := srv.App.Engine.Catalog().Event.StartsOn
	evalJS(t, phone, `(() => { const f = document.querySelector('form.editor');
		f.querySelector('input[value=substitute]').click();
		f.elements.sub_name.value = '唐志远'; f.elements.sub_title.value = '副秘书长'; f.elements.sub_phone.value = '13908712233';
		f.elements.arr_date.value = '`+date+`'; f.elements.arr_time.value = '07:42'; f.elements.arr_mode.value = 'train';
		f.elements.arr_number.value = 'G1377'; f.elements.arr_station.value = '江阳南站'; })()`)
	browsertest.Screenshot(t, phone, shots, "reply-substitute.png")
	evalJS(t, phone, `document.querySelector('form.editor button.save').click()`)
	browsertest.Poll[bool](t, phone, fmt.Sprintf(`document.querySelector('li.person[data-person="%d"]').dataset.status === 'substitute'`, replaced.ID), 5*time.Second)
	// The rest come; the reply goes.
	evalJS(t, phone, `document.getElementById('confirm-rest').click()`)
	browsertest.Poll[bool](t, phone, `document.getElementById('count').dataset.answered === '`+fmt.Sprint(len(d.A.Members))+`' && !document.getElementById('submit').disabled`, 5*time.Second)
	evalJS(t, phone, `document.getElementById('submit').click()`)
	browsertest.Poll[bool](t, phone, `reply.state() === 'sent' && document.getElementById('done').textContent.includes('回执已提交')`, 10*time.Second)
	browsertest.Screenshot(t, phone, shots, "reply-sent.png")

	// The desk.
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "报到处王芳", "role": "desk"}, &u); st != 201 {
		t.Fatalf("desk user: HTTP %d", st)
	}
	desk := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.Do(t, desk, chromedp.EmulateViewport(1440, 900))
	watchCSP(t, desk)
	browsertest.SignIn(t, desk, srv.URL, u.Token)
	browsertest.Do(t, desk, chromedp.Navigate(fmt.Sprintf("%s/notices?unit=%d", srv.URL, d.A.ID)))
	browsertest.Poll[bool](t, desk, `window.notices && notices.loads() > 0 && document.querySelectorAll('#unit tr.item[data-state=pending]').length === 2`, 20*time.Second)
	browsertest.Poll[bool](t, desk, fmt.Sprintf(`document.querySelector('tr.unit-row[data-unit="%d"]').dataset.status === 'changes'`, d.A.ID), 5*time.Second)
	browsertest.Screenshot(t, desk, shots, "desk-changes.png")
	evalJS(t, desk, `document.querySelector('#unit tr.item[data-kind=decline] button.apply').click()`)
	browsertest.Poll[bool](t, desk, `document.querySelectorAll('#unit tr.item[data-state=pending]').length === 1 &&
		!!document.querySelector('#unit tr.item[data-kind=decline][data-state=applied]')`, 10*time.Second)
	var leaves int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM leaves WHERE attendee_id = ? AND revoked_at IS NULL`, decliner.ID).Scan(&leaves)
	if leaves == 0 {
		t.Error("the applied decline recorded no 请假")
	}
	evalJS(t, desk, `document.querySelector('#unit details.history').open = true`)
	browsertest.Screenshot(t, desk, shots, "desk-applied.png")
	// The link is withdrawn and a new one made: the desk sees it once,
	// with its QR code to hand over; the old one shows why it stopped.
	if st := srv.Call("DELETE", fmt.Sprintf("/notices/units/%d/link", d.A.ID), testkit.AdminToken, nil, nil); st != 204 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	browsertest.Do(t, desk, chromedp.Reload())
	browsertest.Poll[bool](t, desk, `window.notices && notices.loads() > 0 && document.querySelector('#unit button.revoke').disabled`, 20*time.Second)
	evalJS(t, desk, `document.querySelector('#unit button.issue').click()`)
	browsertest.Poll[bool](t, desk, `document.getElementById('link').open && document.getElementById('link-url').value.includes('/reply/')`, 10*time.Second)
	dark := browsertest.Poll[int](t, desk, `(() => { const c = document.getElementById('link-qr'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++; return n; })()`, time.Second)
	if dark < 1000 {
		t.Errorf("the link's QR code has %d dark pixels", dark)
	}
	browsertest.Screenshot(t, desk, shots, "desk-link.png")
	evalJS(t, desk, `document.getElementById('link-close').click()`)
	// The demo's delegation whose reply waits for the desk.
	evalJS(t, desk, fmt.Sprintf(`document.querySelector('tr.unit-row[data-status=changes]:not([data-unit="%d"])').click()`, d.A.ID))
	browsertest.Poll[bool](t, desk, `(() => { const k = [...document.querySelectorAll('#unit tr.item[data-state=pending]')].map((r) => r.dataset.kind).sort().join();
		return k === 'arrival,decline,diet,substitute'; })()`, 10*time.Second)
	browsertest.Screenshot(t, desk, shots, "desk-demo.png")
	browsertest.Do(t, phone, chromedp.Reload())
	browsertest.Poll[bool](t, phone, `reply.state() === 'closed' && document.getElementById('closed-title').textContent.includes('回执链接已作废') &&
		document.getElementById('closed').textContent.includes('withdrawn')`, 10*time.Second)
	browsertest.Screenshot(t, phone, shots, "reply-revoked.png")
}
