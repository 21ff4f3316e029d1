package kiosk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestKioskPairedFromDesk: a new kiosk shows its own code; the desk's
// Devices view takes it (typed as a USB scanner types the kiosk's QR
// code), names it and puts it at the hall's east door; the kiosk switches
// to its scan screen at that door by itself. Moving it from the desk moves
// the kiosk; revoking it there sends the kiosk back to pairing.
func TestKioskPairedFromDesk(t *testing.T) {
	t.Parallel() // waits on heartbeats and reconnects: overlaps the others' waiting
	srv := testkit.Serve(t)
	shots := browsertest.ShotDir(t, "kiosk")
	clip := browsertest.BadgeY4M(t, browsertest.Segment{Token: "", Secs: 1})
	kiosk := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.FakeCamera(clip))
	// The kiosk opens the server as localhost and the desk as 127.0.0.1,
	// so the desk's login cookie never reaches the kiosk: the kiosk works
	// with nothing but what pairing gives it.
	kioskURL := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	browsertest.Do(t, kiosk, chromedp.Navigate(kioskURL+"/kiosk"))
	code := browsertest.Poll[string](t, kiosk, `document.body.dataset.screen === 'pair' && document.getElementById('pair-qr').naturalWidth > 0 &&
		document.getElementById('pair-own').dataset.code`, 20*time.Second)
	if len(code) != 8 {
		t.Fatalf("kiosk shows code %q", code)
	}
	browsertest.Screenshot(t, kiosk, shots, "pairing-own-code.png")

	desk, cancel := chromedp.NewContext(kiosk) // a second tab in the same browser
	defer cancel()
	browsertest.SignIn(t, desk, srv.URL, testkit.AdminToken)
	browsertest.Do(t, desk, chromedp.Navigate(srv.URL+"/desk#devices"))
	browsertest.Poll[bool](t, desk, `document.querySelectorAll('#dev-claim-form select[name=checkpoint] option').length > 5`, 20*time.Second)
	// The scanner types the QR text and Enter; Enter moves on to the name.
	browsertest.Do(t, desk, chromedp.Click(`#dev-claim-form input[name=code]`), chromedp.SendKeys(`#dev-claim-form input[name=code]`, "HUIWU-PAIR:"+code+"\r"))
	if got := browsertest.Poll[string](t, desk, `document.activeElement.name === 'name' && document.querySelector('#dev-claim-form input[name=code]').value`, 5*time.Second); got != code {
		t.Fatalf("desk took %q from the scanner, kiosk shows %q", got, code)
	}
	browsertest.Do(t, desk, chromedp.SetValue(`#dev-claim-form input[name=name]`, "东门 2 号"),
		chromedp.SetValue(`#dev-claim-form select[name=checkpoint]`, "hall-east"),
		chromedp.Click(`#dev-claim`))

	if cp := browsertest.Poll[string](t, kiosk, `document.body.dataset.screen === 'scan' && document.getElementById('cp-name').dataset.checkpoint`, 20*time.Second); cp != "hall-east" {
		t.Fatalf("kiosk at %q, want hall-east", cp)
	}
	browsertest.Screenshot(t, kiosk, shots, "paired-scan.png")
	id := browsertest.Poll[string](t, desk, `(document.querySelector('tr.dev[data-state=online]') || {dataset: {}}).dataset.id`, 25*time.Second)
	browsertest.Screenshot(t, desk, shots, "desk-devices.png")

	// Rename and move from the desk; the kiosk follows within a heartbeat.
	if _, err := chromedp.Run(desk, chromedp.Evaluate[bool](`(() => {
		const row = document.querySelector('tr.dev[data-id="`+id+`"]');
		const name = row.querySelector('.dev-name');
		name.value = '食堂 1 号';
		name.dispatchEvent(new Event('change'));
		const sel = row.querySelector('.dev-move');
		sel.value = 'dining1';
		sel.dispatchEvent(new Event('change'));
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	if cp := browsertest.Poll[string](t, kiosk, `document.getElementById('cp-name').dataset.checkpoint === 'dining1' && document.getElementById('cp-name').textContent`, 25*time.Second); !strings.Contains(cp, "食堂 1 号") {
		t.Fatalf("moved kiosk shows %q", cp)
	}

	// Revoke with a reason: the kiosk goes back to pairing with a new code.
	browsertest.Click(t, desk, `tr.dev[data-id="`+id+`"] .dev-revoke`)
	browsertest.Poll[bool](t, desk, `document.getElementById('ask').open`, 5*time.Second)
	browsertest.Do(t, desk, chromedp.SetValue(`#ask-reason`, "测试注销"), chromedp.Click(`#ask-ok`))
	browsertest.Poll[bool](t, desk, `!!document.querySelector('tr.dev[data-id="`+id+`"][data-state=revoked]')`, 10*time.Second)
	browsertest.Screenshot(t, desk, shots, "desk-devices-revoked.png")
	again := browsertest.PollAcross[string](t, kiosk, `document.body.dataset.screen === 'pair' && document.getElementById('pair-own').dataset.code`, 25*time.Second)
	if again == code || len(again) != 8 {
		t.Fatalf("revoked kiosk shows code %q (first was %q)", again, code)
	}
	browsertest.Screenshot(t, kiosk, shots, "pairing-after-revoke.png")

	// The desk-first flow for screens and usher tablets: make a code here.
	browsertest.Do(t, desk, chromedp.Click(`.dev-old summary`), chromedp.SetValue(`#dev-create-form input[name=name]`, "大厅屏"),
		chromedp.SetValue(`#dev-create-form select[name=kind]`, "screen"), chromedp.Click(`#dev-create`))
	shown := browsertest.Poll[string](t, desk, `(document.getElementById('dev-created-code') || {}).textContent`, 10*time.Second)
	var p struct {
		Token string `json:"token"`
	}
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": strings.ReplaceAll(shown, " ", "")}, &p); st != 200 || p.Token == "" {
		t.Fatalf("pairing with the desk's code %q: HTTP %d", shown, st)
	}
	browsertest.Screenshot(t, desk, shots, "desk-devices-created.png")
}
