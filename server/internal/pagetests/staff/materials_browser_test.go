package staff_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestMaterialsPageBrowser: the desk's /materials page shows the counts,
// narrows who has not collected the 文件袋 to one delegation, and records
// a handout by hand: the person leaves the list and the count drops.
func TestMaterialsPageBrowser(t *testing.T) {
	srv := testkit.Serve(t)
	shots := browsertest.ShotDir(t, "materials")
	b := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.Do(t, b, chromedp.EmulateViewport(1440, 900))
	browsertest.SignIn(t, b, srv.URL, testkit.UserToken(t, srv, "desk"))
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/materials"))
	browsertest.Poll[bool](t, b, `document.body.dataset.state === 'ready' && document.querySelectorAll('#counts tbody tr').length === 5 && document.querySelectorAll('#owed tbody tr').length > 0`, 20*time.Second)
	browsertest.Screenshot(t, b, shots, "page.png")
	left := browsertest.Poll[string](t, b, `document.querySelector('#counts tr[data-item="folder"] td.left').textContent`, time.Second)

	var dels struct {
		Delegations []string `json:"delegations"`
	}
	srv.Call("GET", "/materials", testkit.AdminToken, nil, &dels)
	setValue(t, b, `#filters select[name="item"]`, "folder")
	setValue(t, b, `#filters select[name="delegation"]`, dels.Delegations[0])
	browsertest.Poll[bool](t, b, fmt.Sprintf(`[...document.querySelectorAll('#owed tbody tr')].length > 0 && document.getElementById('sheet').href.includes('item=folder')
		&& [...document.querySelectorAll('#owed tbody tr td:nth-child(2)')].every((td) => td.textContent === %q)`, dels.Delegations[0]), 5*time.Second)
	first := browsertest.Poll[string](t, b, `document.querySelector('#owed tbody tr').dataset.attendee`, time.Second)
	evalJS(t, b, `document.getElementById('filters').scrollIntoView()`)
	browsertest.Screenshot(t, b, shots, "filtered.png")

	click(t, b, fmt.Sprintf(`#owed tr[data-attendee="%s"] button[data-give]`, first))
	// Filtered by the 文件袋, the dialog ticks the 文件袋 alone.
	browsertest.Poll[bool](t, b, `document.getElementById('give').open && document.querySelector('#give-items input[value="folder"]').checked
		&& document.querySelectorAll('#give-items input:checked').length === 1`, 5*time.Second)
	browsertest.Screenshot(t, b, shots, "give-dialog.png")
	click(t, b, `#give-ok`)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!document.getElementById('give').open && !document.querySelector('#owed tr[data-attendee="%s"]')`, first), 5*time.Second)
	now := browsertest.Poll[string](t, b, `document.querySelector('#counts tr[data-item="folder"] td.left').textContent`, time.Second)
	if fmt.Sprint(atoi(t, left)-1) != now {
		t.Fatalf("文件袋 left to hand out %s → %s, want one less", left, now)
	}
	evalJS(t, b, `document.getElementById('filters').scrollIntoView()`)
	browsertest.Screenshot(t, b, shots, "given.png")
	var actor string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT actor FROM material_handouts h JOIN material_items i ON i.id = h.item_id
		WHERE h.attendee_id = ? AND i.code = 'folder' AND h.manual = 1`, first).Scan(&actor); err != nil || actor == "" {
		t.Fatalf("the hand entry is not stored with who made it: %q %v", actor, err)
	}

	// Ticked for the wrong person: the desk undoes it, with a reason.
	evalJS(t, b, `(() => { const f = document.getElementById('filters'); f.missing.checked = false; f.dispatchEvent(new Event('input')); })()`)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#owed tr[data-attendee="%s"] .chip.got[data-item="folder"]')`, first), 5*time.Second)
	click(t, b, fmt.Sprintf(`#owed tr[data-attendee="%s"] button[data-give]`, first))
	browsertest.Poll[bool](t, b, `document.getElementById('give').open && !!document.querySelector('#give-items button[data-undo="folder"]')`, 5*time.Second)
	setValue(t, b, `#give-reason`, "勾错了人")
	browsertest.Screenshot(t, b, shots, "undo-dialog.png")
	click(t, b, `#give-items button[data-undo="folder"]`)
	browsertest.Poll[bool](t, b, fmt.Sprintf(`!document.getElementById('give').open && !!document.querySelector('#owed tr[data-attendee="%s"] .chip.owed[data-item="folder"]')
		&& document.querySelector('#counts tr[data-item="folder"] td.left').textContent === %q`, first, left), 5*time.Second)
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}
