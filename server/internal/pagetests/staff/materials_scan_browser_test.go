package staff_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestMaterialsDeskScanBrowser: at /materials a USB scanner's keystrokes
// (the badge's text, then Enter) show whom the badge is and what to hand
// over, big; the same badge again shows 已领.
func TestMaterialsDeskScanBrowser(t *testing.T) {
	srv := testkit.Serve(t)
	var owed []store.Owed
	srv.Call("GET", "/materials/owed?missing=1&limit=50", testkit.AdminToken, nil, &owed)
	if len(owed) == 0 {
		t.Fatal("the demo has nobody missing an item")
	}
	who := owed[0]
	token := testkit.CredentialOf(t, srv, who.AttendeeID)
	shots := browsertest.ShotDir(t, "materials")
	b := browsertest.New(t, browsertest.WindowSize(1280, 900))
	browsertest.Do(t, b, chromedp.EmulateViewport(1280, 900))
	browsertest.SignIn(t, b, srv.URL, testkit.UserToken(t, srv, "desk"))
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/materials"))
	browsertest.Poll[bool](t, b, `document.body.dataset.state === 'ready' && document.activeElement === document.getElementById('scan')`, 20*time.Second)
	browsertest.Do(t, b, chromedp.KeyEvent(token+"\r"))
	browsertest.Poll[bool](t, b, fmt.Sprintf(`document.getElementById('scan-result').dataset.state === 'give'
		&& document.querySelector('#scan-result .who').textContent.startsWith(%q)
		&& !!document.querySelector('#scan-result .handout.give')`, who.Name), 5*time.Second)
	want := who.Missing()[0].Name
	if got := browsertest.Poll[string](t, b, `document.querySelector('#scan-result .handout.give dd').textContent`, time.Second); !strings.Contains(got, want) {
		t.Errorf("hand over %q, want %s among it", got, want)
	}
	browsertest.Screenshot(t, b, shots, "desk-scan-give.png")
	browsertest.Do(t, b, chromedp.KeyEvent(token+"\r"))
	browsertest.Poll[bool](t, b, `document.getElementById('scan-result').dataset.state === 'already' && !!document.querySelector('#scan-result .handout.already')`, 5*time.Second)
	browsertest.Screenshot(t, b, shots, "desk-scan-already.png")
}
