package web_test

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// caller makes API calls as testkit.Server.Call does.
type caller interface {
	Call(method, path, token string, body, out any) int
}

// shotDir is where screenshots go (browsertest.ShotDir).
func shotDir(t *testing.T) string { return browsertest.ShotDir(t, "kiosk") }

// segment is a stretch of the fake camera's video: a badge's QR code (or
// an empty desk when token is "") held for a while.
type segment struct {
	token string
	secs  float64
}

// writeY4M renders the segments as a 640×480 I420 Y4M clip at 5 fps, which
// Chromium's fake camera loops.
func writeY4M(t *testing.T, segs ...segment) string {
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
		if s.token != "" {
			q, err := qrcode.New(s.token, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			badge := q.Image(340)
			at := image.Pt((w-340)/2, (h-340)/2)
			draw.Draw(frame, badge.Bounds().Add(at), badge, image.Point{}, draw.Src)
		}
		for range int(s.secs * fps) {
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

// seated finds n attendees with seats at the opening session, as
// (attendee id, seat label).
func seated(t *testing.T, srv caller, n int) [][2]any {
	t.Helper()
	var seats []struct {
		Seat     string `json:"seat"`
		Attendee int64  `json:"attendee_id"`
	}
	if st := srv.Call("GET", "/sessions/opening/seats", testkit.AdminToken, nil, &seats); st != 200 {
		t.Fatalf("seats: HTTP %d", st)
	}
	var out [][2]any
	for _, s := range seats {
		if s.Attendee != 0 && !strings.HasPrefix(s.Seat, "P") {
			out = append(out, [2]any{s.Attendee, s.Seat})
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d seated attendees", len(out))
	return nil
}

func credentialOf(t *testing.T, srv caller, id int64) string {
	t.Helper()
	var c struct {
		Token string `json:"token"`
	}
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), testkit.AdminToken, nil, &c); st != 200 || c.Token == "" {
		t.Fatalf("credential of %d: HTTP %d", id, st)
	}
	return c.Token
}

// newKiosk registers a kiosk at checkpoint and answers its pairing code.
func newKiosk(t *testing.T, srv caller, name, checkpoint string) (id, code string) {
	t.Helper()
	var p struct {
		Code   string `json:"pairing_code"`
		Device struct {
			ID string `json:"id"`
		} `json:"device"`
	}
	if st := srv.Call("POST", "/devices", testkit.AdminToken, map[string]string{"name": name, "kind": "kiosk", "checkpoint": checkpoint}, &p); st != 201 {
		t.Fatalf("create device: HTTP %d", st)
	}
	return p.Device.ID, p.Code
}

// pairThroughKeypad opens /kiosk and types the code on the on-screen
// keypad, as the person setting the kiosk up does, then waits for the scan
// screen. It saves a screenshot of the half-typed pairing screen.
func pairThroughKeypad(t *testing.T, ctx context.Context, base, code, shots string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/kiosk")); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.screen === 'pair'`, 20*time.Second)
	// The keypad is the secondary way now: the kiosk shows its own code first.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pair-manual`))); err != nil {
		t.Fatal(err)
	}
	for i, d := range code {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#keypad button[data-key="%c"]`, d)))); err != nil {
			t.Fatal(err)
		}
		if i == 5 {
			browsertest.Screenshot(t, ctx, shots, "pairing.png")
		}
	}
	if got := poll[string](t, ctx, `document.getElementById('pair-code').dataset.code`, 5*time.Second); got != code {
		t.Fatalf("keypad shows %q, typed %q", got, code)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pair-go`))); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.screen === 'scan'`, 20*time.Second)
}

// poll waits for a JavaScript expression to be truthy and answers it.
func poll[T any](t *testing.T, ctx context.Context, js string, d time.Duration) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](js, chromedp.WithPollingTimeout(d)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
	return v
}
