package screens_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// The usher map with 3,000 seats during a burst of check-ins: the demo hall
// gets a 2,250-seat balcony (section D, imported as a CSV grid), 300
// people check in from 8 doors at once, and the page's own frame timing
// (requestAnimationFrame intervals, performance.measure around each delta,
// long tasks) is read back and logged. The server, the scanning goroutines
// and Chromium share the machine, so the figures are an upper bound. The figures are reported, not asserted against a
// clock; the test asserts that every arrival reached the map.
func TestUsherMap3000SeatsBurst(t *testing.T) {
	srv := testkit.Serve(t)
	var grid strings.Builder
	grid.WriteString("排")
	for c := 1; c <= 45; c++ {
		fmt.Fprintf(&grid, ",%d", c)
	}
	for r := 1; r <= 50; r++ {
		fmt.Fprintf(&grid, "\n%d", r)
		for c := 1; c <= 45; c++ {
			fmt.Fprintf(&grid, ",%d", c)
		}
	}
	var res struct{ Added int }
	req := strings.NewReader(grid.String())
	if st := putCSV(t, srv, "/venues/hall/sections/D/grid?x0=-1.2&y0=31", req, &res); st != 200 || res.Added != 2250 {
		t.Fatalf("balcony: HTTP %d, %d added", st, res.Added)
	}
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, ctx, srv.URL, admin) // pages take no token in their address
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/usher?session=opening")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.usher && usher.count() >= 3000`, 15*time.Second)
	n := eval[int](t, ctx, `usher.count()`)

	var ids []int64
	var labels []string
	for _, s := range seats(t, srv, "opening") {
		if s.State == "assigned" && len(ids) < 300 {
			ids, labels = append(ids, s.AttendeeID), append(labels, s.Label)
		}
	}
	// Fetch the credentials first so the burst is check-ins only.
	tokens := make([]string, len(ids))
	for i, id := range ids {
		var cred struct{ Token string }
		srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), admin, nil, &cred)
		tokens[i] = cred.Token
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`usherPerf.start()`)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(ids); i += 8 {
				if i > w {
					// Eight doors, each scanning about 15 badges a second:
					// 300 arrivals in some 2.5 s, a crowd at opening time.
					time.Sleep(60 * time.Millisecond)
				}
				var r struct{ Status string }
				srv.Call("POST", "/checkins", admin, map[string]any{"token": tokens[i], "checkpoint": "hall-east",
					"scan_id": fmt.Sprintf("burst-%d", i)}, &r)
				if r.Status != "ok" {
					t.Errorf("check-in %d: %s", ids[i], r.Status)
				}
			}
		}()
	}
	wg.Wait()
	sent := time.Since(start)
	poll(t, ctx, fmt.Sprintf(`%q.split(',').every((l) => usher.seat(l).state === 'arrived')`, strings.Join(labels, ",")), 10*time.Second)
	all := time.Since(start)
	type stats struct {
		Frames    int     `json:"frames"`
		FrameP50  float64 `json:"frame_p50"`
		FrameP95  float64 `json:"frame_p95"`
		FrameMax  float64 `json:"frame_max"`
		Deltas    int     `json:"deltas"`
		DeltaP95  float64 `json:"delta_p95"`
		DeltaMax  float64 `json:"delta_max"`
		LongTasks int     `json:"long_tasks"`
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[stats](`usherPerf.stop()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d seats on the map; %d check-ins sent in %v, all drawn after %v", n, len(ids), sent.Round(time.Millisecond), all.Round(time.Millisecond))
	t.Logf("frames %d: p50 %.1f ms, p95 %.1f ms, max %.1f ms; deltas %d applied: p95 %.2f ms, max %.2f ms; long tasks %d",
		st.Frames, st.FrameP50, st.FrameP95, st.FrameMax, st.Deltas, st.DeltaP95, st.DeltaMax, st.LongTasks)
	if st.Deltas == 0 {
		t.Error("no deltas were timed")
	}
	browsertest.Screenshot(t, ctx, shotDir(t), "usher-3000.png")
}
