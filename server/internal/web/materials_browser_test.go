package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// handoutCard is what the kiosk's result screen shows of a handout.
type handoutCard struct {
	Kind  string `json:"kind"`
	Items string `json:"items"`
	Text  string `json:"text"`
}

// handoutOnScreen waits for the kiosk's n-th result and reads its handout
// cards.
func handoutOnScreen(t *testing.T, ctx context.Context, n int, shots, name string) []handoutCard {
	t.Helper()
	nthResult(t, ctx, n, "", "")
	cards := poll[[]handoutCard](t, ctx, `(() => { const r = document.getElementById('result');
		if (r.hidden) return null;
		return [...r.querySelectorAll('#r-guide [data-handout]')].map((d) => ({kind: d.dataset.handout, items: d.dataset.items, text: d.innerText})); })()`,
		10*time.Second)
	browsertest.Screenshot(t, ctx, shots, name)
	return cards
}

// TestKioskHandoutScan: a kiosk at the hall's east door, which hands out
// the 文件袋 and the 会议手册, scans a deputy's badge from its USB scanner:
// the result screen says 请发放 文件袋、会议手册; scanned again (after
// another badge) it says 已领 with when and where, and nothing more is
// recorded.
func TestKioskHandoutScan(t *testing.T) {
	srv := testkit.Serve(t)
	id, _ := emptyHanded(t, srv, "deputy")
	other, _ := emptyHanded(t, srv, "observer")
	tok, otherTok := credentialOf(t, srv, id), credentialOf(t, srv, other)
	shots := browsertest.ShotDir(t, "materials")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), cameraDenied)
	_, code := newKiosk(t, srv, "东门资料", "hall-east")
	pairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())
	poll[bool](t, ctx, `!document.getElementById('cam-error').hidden`, 10*time.Second)

	typeCode := func(s string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(s+"\r")); err != nil {
			t.Fatal(err)
		}
	}
	typeCode(tok)
	cards := handoutOnScreen(t, ctx, 1, shots, "kiosk-handout-give.png")
	if len(cards) != 1 || cards[0].Kind != "give" || cards[0].Items != "folder,handbook" ||
		!strings.Contains(cards[0].Text, "请发放") || !strings.Contains(cards[0].Text, "文件袋、会议手册") {
		t.Fatalf("first scan shows %+v, want 请发放 文件袋、会议手册", cards)
	}
	typeCode(otherTok)
	nthResult(t, ctx, 2, "", "")
	typeCode(tok)
	cards = handoutOnScreen(t, ctx, 3, shots, "kiosk-handout-already.png")
	if len(cards) != 1 || cards[0].Kind != "already" || !strings.Contains(cards[0].Text, "已领") ||
		!strings.Contains(cards[0].Text, "文件袋") || !strings.Contains(cards[0].Text, "大会堂东门") {
		t.Fatalf("repeat scan shows %+v, want 已领 with when and where", cards)
	}
	var n int
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM material_handouts WHERE attendee_id = ?`, id).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d handouts stored (%v), want 2", n, err)
	}
}

// TestMaterialsPageBrowser: the desk's /materials page shows the counts,
// narrows who has not collected the 文件袋 to one delegation, and records
// a handout by hand: the person leaves the list and the count drops.
func TestMaterialsPageBrowser(t *testing.T) {
	srv := testkit.Serve(t)
	shots := browsertest.ShotDir(t, "materials")
	b := browsertest.New(t, browsertest.WindowSize(1440, 900))
	do(t, b, chromedp.EmulateViewport(1440, 900))
	browsertest.SignIn(t, b, srv.URL, userToken(t, srv, "desk"))
	do(t, b, chromedp.Navigate(srv.URL+"/materials"))
	poll[bool](t, b, `document.body.dataset.state === 'ready' && document.querySelectorAll('#counts tbody tr').length === 5 && document.querySelectorAll('#owed tbody tr').length > 0`, 20*time.Second)
	browsertest.Screenshot(t, b, shots, "page.png")
	left := poll[string](t, b, `document.querySelector('#counts tr[data-item="folder"] td.left').textContent`, time.Second)

	var dels struct {
		Delegations []string `json:"delegations"`
	}
	srv.Call("GET", "/materials", testkit.AdminToken, nil, &dels)
	setValue(t, b, `#filters select[name="item"]`, "folder")
	setValue(t, b, `#filters select[name="delegation"]`, dels.Delegations[0])
	poll[bool](t, b, fmt.Sprintf(`[...document.querySelectorAll('#owed tbody tr')].length > 0 && document.getElementById('sheet').href.includes('item=folder')
		&& [...document.querySelectorAll('#owed tbody tr td:nth-child(2)')].every((td) => td.textContent === %q)`, dels.Delegations[0]), 5*time.Second)
	first := poll[string](t, b, `document.querySelector('#owed tbody tr').dataset.attendee`, time.Second)
	evalJS(t, b, `document.getElementById('filters').scrollIntoView()`)
	browsertest.Screenshot(t, b, shots, "filtered.png")

	click(t, b, fmt.Sprintf(`#owed tr[data-attendee="%s"] button[data-give]`, first))
	// Filtered by the 文件袋, the dialog ticks the 文件袋 alone.
	poll[bool](t, b, `document.getElementById('give').open && document.querySelector('#give-items input[value="folder"]').checked
		&& document.querySelectorAll('#give-items input:checked').length === 1`, 5*time.Second)
	browsertest.Screenshot(t, b, shots, "give-dialog.png")
	click(t, b, `#give-ok`)
	poll[bool](t, b, fmt.Sprintf(`!document.getElementById('give').open && !document.querySelector('#owed tr[data-attendee="%s"]')`, first), 5*time.Second)
	now := poll[string](t, b, `document.querySelector('#counts tr[data-item="folder"] td.left').textContent`, time.Second)
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
	poll[bool](t, b, fmt.Sprintf(`!!document.querySelector('#owed tr[data-attendee="%s"] .chip.got[data-item="folder"]')`, first), 5*time.Second)
	click(t, b, fmt.Sprintf(`#owed tr[data-attendee="%s"] button[data-give]`, first))
	poll[bool](t, b, `document.getElementById('give').open && !!document.querySelector('#give-items button[data-undo="folder"]')`, 5*time.Second)
	setValue(t, b, `#give-reason`, "勾错了人")
	browsertest.Screenshot(t, b, shots, "undo-dialog.png")
	click(t, b, `#give-items button[data-undo="folder"]`)
	poll[bool](t, b, fmt.Sprintf(`!document.getElementById('give').open && !!document.querySelector('#owed tr[data-attendee="%s"] .chip.owed[data-item="folder"]')
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

// TestKioskHandoutOffline: with the server away, a scan at a door that
// hands out materials says the kiosk cannot check who has what and names
// what the place hands out; once the server is back the queued scan is
// uploaded and the items the person was due are recorded, marked as an
// offline scan, at the time of the scan.
func TestKioskHandoutOffline(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	r := &restartable{t: t, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	var id int64
	if err := r.app.DB.ForTest().R.QueryRow(`SELECT id FROM attendees a WHERE status = 'active' AND category = 'deputy'
		AND NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.attendee_id = a.id) ORDER BY rank, id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	tok := credentialOf(t, r, id)
	shots := browsertest.ShotDir(t, "materials")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), cameraDenied)
	_, code := newKiosk(t, r, "东门离线", "hall-east")
	pairThroughKeypad(t, ctx, "http://"+r.addr, code, t.TempDir())
	poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)
	poll[bool](t, ctx, `!!navigator.serviceWorker.controller && document.body.dataset.core === 'ready'`, 20*time.Second)
	r.stop()

	before := time.Now()
	scannerTypes(t, ctx, tok)
	if res := nthResult(t, ctx, 1, "", ""); res.Status != "ok" || !res.Offline {
		t.Fatalf("offline scan: %+v", res)
	}
	cards := poll[[]handoutCard](t, ctx, `(() => { const r = document.getElementById('result');
		if (r.hidden) return null;
		return [...r.querySelectorAll('#r-guide [data-handout]')].map((d) => ({kind: d.dataset.handout, items: d.dataset.items, text: d.innerText})); })()`,
		10*time.Second)
	browsertest.Screenshot(t, ctx, shots, "kiosk-handout-offline.png")
	if len(cards) != 1 || cards[0].Kind != "offline" || cards[0].Items != "folder,handbook" || !strings.Contains(cards[0].Text, "签收表") {
		t.Fatalf("offline result shows %+v, want the place's items and the sign sheet", cards)
	}

	r.start()
	poll[bool](t, ctx, `document.getElementById('queue').hidden && !document.getElementById('net').classList.contains('offline')`, 30*time.Second)
	rows, err := r.app.DB.ForTest().R.Query(`SELECT i.code, h.at, h.reason FROM material_handouts h JOIN material_items i ON i.id = h.item_id
		WHERE h.attendee_id = ? ORDER BY i.sort`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var code, at, reason string
		if err := rows.Scan(&code, &at, &reason); err != nil {
			t.Fatal(err)
		}
		when, _ := time.Parse(time.RFC3339, at)
		if when.Before(before.Add(-time.Second)) || when.After(time.Now()) || !strings.Contains(reason, "offline") {
			t.Errorf("%s recorded at %s (%q), want at the offline scan, marked offline", code, at, reason)
		}
		got = append(got, code)
	}
	if strings.Join(got, ",") != "folder,handbook" {
		t.Fatalf("recorded %v after the upload, want folder and handbook", got)
	}
}
