package kiosk_test

import (
	"context"
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
	browsertest.NthResult(t, ctx, n, "", "")
	cards := browsertest.Poll[[]handoutCard](t, ctx, `(() => { const r = document.getElementById('result');
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
	id, _ := testkit.EmptyHanded(t, srv, "deputy")
	other, _ := testkit.EmptyHanded(t, srv, "observer")
	tok, otherTok := testkit.CredentialOf(t, srv, id), testkit.CredentialOf(t, srv, other)
	shots := browsertest.ShotDir(t, "materials")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	_, code := testkit.NewKiosk(t, srv, "东门资料", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())
	browsertest.Poll[bool](t, ctx, `!document.getElementById('cam-error').hidden`, 10*time.Second)

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
	browsertest.NthResult(t, ctx, 2, "", "")
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

// TestKioskHandoutOffline: with the server away, a scan at a door that
// hands out materials says the kiosk cannot check who has what and names
// what the place hands out; once the server is back the queued scan is
// uploaded and the items the person was due are recorded, marked as an
// offline scan, at the time of the scan.
func TestKioskHandoutOffline(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	r := &testkit.Restartable{T: t, Dir: t.TempDir()}
	r.Start()
	t.Cleanup(r.Stop)
	var id int64
	if err := r.App.DB.ForTest().R.QueryRow(`SELECT id FROM attendees a WHERE status = 'active' AND category = 'deputy'
		AND NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.attendee_id = a.id) ORDER BY rank, id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	tok := testkit.CredentialOf(t, r, id)
	shots := browsertest.ShotDir(t, "materials")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	_, code := testkit.NewKiosk(t, r, "东门离线", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, "http://"+r.Addr, code, t.TempDir())
	browsertest.Poll[bool](t, ctx, `!!document.body.dataset.cacheExpires && document.body.dataset.core === 'ready'`, 60*time.Second)
	browsertest.Poll[bool](t, ctx, `!!navigator.serviceWorker.controller && document.body.dataset.core === 'ready'`, 20*time.Second)
	r.Stop()

	before := time.Now()
	scannerTypes(t, ctx, tok)
	if res := browsertest.NthResult(t, ctx, 1, "", ""); res.Status != "ok" || !res.Offline {
		t.Fatalf("offline scan: %+v", res)
	}
	cards := browsertest.Poll[[]handoutCard](t, ctx, `(() => { const r = document.getElementById('result');
		if (r.hidden) return null;
		return [...r.querySelectorAll('#r-guide [data-handout]')].map((d) => ({kind: d.dataset.handout, items: d.dataset.items, text: d.innerText})); })()`,
		10*time.Second)
	browsertest.Screenshot(t, ctx, shots, "kiosk-handout-offline.png")
	if len(cards) != 1 || cards[0].Kind != "offline" || cards[0].Items != "folder,handbook" || !strings.Contains(cards[0].Text, "签收表") {
		t.Fatalf("offline result shows %+v, want the place's items and the sign sheet", cards)
	}

	r.Start()
	browsertest.Poll[bool](t, ctx, `document.getElementById('queue').hidden && !document.getElementById('net').classList.contains('offline')`, 30*time.Second)
	rows, err := r.App.DB.ForTest().R.Query(`SELECT i.code, h.at, h.reason FROM material_handouts h JOIN material_items i ON i.id = h.item_id
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
