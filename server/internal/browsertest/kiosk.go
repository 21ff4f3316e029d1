package browsertest

// The kiosk page's helpers, for the kiosk's tests and for the tests that
// open it beside other pages: badge clips for the fake camera, pairing by
// the keypad, the result screens and their layout.

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"
)

// KioskResult is one result screen the kiosk showed (window.huiwuKiosk.results).
type KioskResult struct {
	Status   string  `json:"status"`
	Code     string  `json:"code"`
	Attendee int64   `json:"attendee"`
	Seat     string  `json:"seat"`
	Source   string  `json:"source"`
	Offline  bool    `json:"offline"`
	At       float64 `json:"at"`
}

// NthResult waits for the kiosk's n-th result (from 1) and screenshots it.
func NthResult(t *testing.T, ctx context.Context, n int, shots, name string) KioskResult {
	t.Helper()
	r := Poll[KioskResult](t, ctx, fmt.Sprintf(`window.huiwuKiosk.results[%d] || null`, n-1), 30*time.Second)
	if name != "" {
		Screenshot(t, ctx, shots, name)
	}
	return r
}

// Segment is a stretch of the fake camera's video: a badge's QR code (or
// an empty desk when Token is "") held for Secs seconds.
type Segment struct {
	Token string
	Secs  float64
}

// BadgeY4M renders the segments as a 640×480 I420 Y4M clip at 5 fps, which
// Chromium's fake camera loops.
func BadgeY4M(t *testing.T, segs ...Segment) string {
	t.Helper()
	const w, h, fps = 640, 480, 5
	p := filepath.Join(t.TempDir(), "badge.y4m")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := bufio.NewWriter(f)
	fmt.Fprintf(out, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", w, h, fps)
	chroma := make([]byte, w*h/2) // U and V planes, grey
	for i := range chroma {
		chroma[i] = 128
	}
	for _, s := range segs {
		frame := image.NewGray(image.Rect(0, 0, w, h))
		draw.Draw(frame, frame.Rect, image.NewUniform(color.Gray{Y: 90}), image.Point{}, draw.Src) // a dark desk
		if s.Token != "" {
			q, err := qrcode.New(s.Token, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			badge := q.Image(340)
			at := image.Pt((w-340)/2, (h-340)/2)
			draw.Draw(frame, badge.Bounds().Add(at), badge, image.Point{}, draw.Src)
		}
		for range int(s.Secs * fps) {
			out.WriteString("FRAME\n")
			out.Write(frame.Pix)
			out.Write(chroma)
		}
	}
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	return p
}

// PairThroughKeypad opens /kiosk and types the code on the on-screen
// keypad, as the person setting the kiosk up does, then waits for the scan
// screen. It saves a screenshot of the half-typed pairing screen.
func PairThroughKeypad(t *testing.T, ctx context.Context, base, code, shots string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/kiosk")); err != nil {
		t.Fatal(err)
	}
	Poll[bool](t, ctx, `document.body.dataset.screen === 'pair'`, 20*time.Second)
	// The pairing screen can be drawn again while the code is typed (on a
	// loaded machine the page's own first steps answer late), which hides
	// the keypad: a click then waits for a button that never shows. Each
	// step is bounded, and the typing starts over, at most three times.
	for attempt := 1; ; attempt++ {
		err := typePairingCode(ctx, code, func() { Screenshot(t, ctx, shots, "pairing.png") })
		if err == nil {
			break
		}
		if attempt == 3 {
			t.Fatalf("typing the pairing code on the keypad: %v", err)
		}
		t.Logf("the pairing keypad went away while typing (%v): typing again", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pair-go`))); err != nil {
		t.Fatal(err)
	}
	Poll[bool](t, ctx, `document.body.dataset.screen === 'scan'`, 20*time.Second)
}

// typePairingCode opens the keypad (the kiosk shows its own code first)
// and types code on it, clearing what an earlier try typed; halfway it
// calls halfway (a screenshot).
func typePairingCode(ctx context.Context, code string, halfway func()) error {
	bounded := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 15*time.Second) }
	click := func(what, sel string) error {
		c, cancel := bounded()
		defer cancel()
		if err := chromedp.Do(c, chromedp.Click(chromedp.CSS(sel))); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	read := func(js string) (string, error) {
		c, cancel := bounded()
		defer cancel()
		return chromedp.Run(c, chromedp.Evaluate[string](js))
	}
	mode, err := read(`document.getElementById('pair').dataset.mode || ''`)
	if err != nil {
		return err
	}
	if mode != "keypad" {
		if err := click("open the keypad", `#pair-manual`); err != nil {
			return err
		}
	}
	if err := click("clear", `#keypad button[data-key="clear"]`); err != nil {
		return err
	}
	for i, d := range code {
		if err := click(fmt.Sprintf("key %c", d), fmt.Sprintf(`#keypad button[data-key="%c"]`, d)); err != nil {
			return err
		}
		if i == 5 {
			halfway()
		}
	}
	got, err := read(`document.getElementById('pair-code').dataset.code`)
	if err != nil {
		return err
	}
	if got != code {
		return fmt.Errorf("keypad shows %q, typed %q", got, code)
	}
	return nil
}

// ResultLayoutJS measures the result screen shown: the headline, the message,
// every guidance value and the countdown bar must lie inside the viewport;
// no text may overflow its box; and the seat (any guidance value) must not
// wrap a character per line — at most two lines. It answers the problems
// found, and what the screen says, for the test's log.
const ResultLayoutJS = `(() => {
  const vw = innerWidth, vh = innerHeight, bad = [];
  const root = document.getElementById('result');
  const inside = (el, what) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) { bad.push(what + ' has no box'); return r; }
    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
      bad.push(what + ' outside the viewport: ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
    if (el.scrollWidth > el.clientWidth + 1) bad.push(what + ' overflows its box sideways');
    return r;
  };
  // A text's first line of words (not its English line) on at most two lines.
  const wraps = (el, what) => {
    const first = el.firstChild;
    if (!first || first.nodeType !== 3) return;
    const r = document.createRange();
    r.selectNodeContents(first);
    const tops = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
    if (tops.size > 2) bad.push(what + ' ' + first.textContent + ' wraps over ' + tops.size + ' lines');
  };
  const word = root.querySelector('#r-word > span');
  inside(word, 'headline');
  wraps(word, 'headline');
  for (const m of root.querySelectorAll('#r-msg > div')) { inside(m, 'message'); wraps(m, 'message'); }
  for (const dd of root.querySelectorAll('#r-guide dd')) { inside(dd, 'guidance ' + dd.textContent); wraps(dd, 'guidance'); }
  inside(root.querySelector('.r-timer'), 'timer bar');
  const name = root.querySelector('.r-name');
  if (name) inside(name, 'name');
  return { bad, tone: root.className, text: root.innerText.replace(/\s+/g, ' ').slice(0, 300) };
})()`

// ResultLayout is what ResultLayoutJS answers: the problems found (none
// when the screen fits), the result's tone and the first of its text.
type ResultLayout struct {
	Bad  []string `json:"bad"`
	Tone string   `json:"tone"`
	Text string   `json:"text"`
}

// RefuseScans makes the server's next answers to a scan an HTTP error, as a
// server that cannot store it gives.
func RefuseScans(t *testing.T, ctx context.Context, status int64, code, zh, en string) {
	t.Helper()
	body := fmt.Sprintf(`{"error":{"code":%q,"message":{"zh":%q,"en":%q}}}`, code, zh, en)
	// The listener may not call the browser itself: it hands the work on.
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: status,
				Body: []byte(body), ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}}})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/checkins"}}}); err != nil {
		t.Fatal(err)
	}
}

// CameraDenied gives the tab a camera it may not use, as after a person
// tapped "Block": getUserMedia rejects with NotAllowedError, as Chromium's
// does then. The refusal is made in the page because the headless shell
// the tests run in has no permission prompt to refuse (without
// --use-fake-ui-for-media-stream its getUserMedia answers
// NotSupportedError whatever the permission says).
func CameraDenied(s *setup) {
	s.first = append(s.first, `(() => {
  if (!navigator.mediaDevices) return; // not a secure origin: no camera to refuse
  navigator.mediaDevices.getUserMedia = () =>
    Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
})()`)
}
