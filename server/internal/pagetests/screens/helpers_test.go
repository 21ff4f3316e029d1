package screens_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/testkit"
)

const admin = testkit.AdminToken

// shotDir is where screenshots go (browsertest.ShotDir).
func shotDir(t *testing.T) string { return browsertest.ShotDir(t, "seating") }

var scanN atomic.Int64

// checkIn scans attendee id's badge at the hall's east door.
func checkIn(t testing.TB, srv *testkit.Server, id int64) string {
	t.Helper()
	var cred struct{ Token string }
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), admin, nil, &cred); st != 200 {
		t.Fatalf("credential %d: HTTP %d", id, st)
	}
	var res struct{ Status string }
	scan := map[string]any{"token": cred.Token, "checkpoint": "hall-east", "scan_id": fmt.Sprintf("pages-%d-%d", id, scanN.Add(1))}
	if st := srv.Call("POST", "/checkins", admin, scan, &res); st != 200 {
		t.Fatalf("check-in %d: HTTP %d", id, st)
	}
	return res.Status
}

func seats(t testing.TB, srv *testkit.Server, session string) []seatmap.Seat {
	t.Helper()
	var out []seatmap.Seat
	if st := srv.Call("GET", "/sessions/"+session+"/seats", admin, nil, &out); st != 200 {
		t.Fatalf("seats: HTTP %d", st)
	}
	return out
}

// poll waits until js is true in the page.
func poll(t testing.TB, ctx context.Context, js string, d time.Duration) {
	t.Helper()
	d = max(d, browsertest.MinWait)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(d))); err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
}

func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// putCSV sends a CSV body with PUT and decodes the JSON answer.
func putCSV(t testing.TB, srv *testkit.Server, path string, body io.Reader, out any) int {
	t.Helper()
	req, err := http.NewRequest("PUT", srv.URL+"/api/v1"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("PUT %s: HTTP %d: %v", path, resp.StatusCode, err)
	}
	return resp.StatusCode
}

func itoa(n int) string { return strconv.Itoa(n) }

func quote(s string) string { return strconv.Quote(s) }
