package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
	"huiwu/server/internal/testkit/pgtest"
)

// TestFailoverAfterSIGKILL (issue 17, "How it is checked"): two server
// processes on one PostgreSQL database. Eight kiosks paired through A
// scan a stream through A, some badges at several kiosks; A is killed
// with SIGKILL mid-stream. A kiosk that gets no answer sends the same
// scan_id to B and stays there (as the kiosk's page fails over; the page
// itself is tested in pagetests/kiosk). Then: every scan a kiosk got an
// answer for, from A or from B, is in the log once with that answer's
// status; no badge has two ok for the opening; B answered the rest and
// answers A's scans, sent again, as A answered them; B's screen shows the
// tables' figures.
func TestFailoverAfterSIGKILL(t *testing.T) {
	if !pgtest.Enabled() {
		t.Skip("two servers share PostgreSQL only: set HUIWU_TEST_PG (scripts/pg start DIR)")
	}
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	bin := filepath.Join(t.TempDir(), "huiwu")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	testkit.CopyDemo(t, dir, time.Now())
	cfg := testkit.StoreConfig(t, dir)
	a := startOnDB(t, bin, cfg.URL)
	b := startOnDB(t, bin, cfg.URL)

	const kiosks, perKiosk, pool = 8, 60, 150
	ac := procCaller{t, a.base}
	people := testkit.Seated(t, ac, pool)
	ids := make([]int64, pool)
	badges := make([]string, pool)
	for i, p := range people {
		ids[i] = p[0].(int64)
		badges[i] = testkit.CredentialOf(t, ac, ids[i])
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 2 * kiosks}
	t.Cleanup(transport.CloseIdleConnections)
	ks := make([]*fleetKiosk, kiosks)
	devices := make([]string, kiosks)
	for i := range ks {
		id, code := testkit.NewKiosk(t, ac, fmt.Sprint("东门 ", i), "hall-east")
		var p struct{ Token string }
		if st := ac.Call("POST", "/pair", "", map[string]string{"code": code}, &p); st != 200 || p.Token == "" {
			t.Fatalf("pair kiosk %d through A: HTTP %d", i, st)
		}
		ks[i] = &fleetKiosk{device: id, token: p.Token, client: &http.Client{Timeout: 5 * time.Second, Transport: transport}}
		devices[i] = id
	}
	onB := watchScreen(t, b.base)

	// A dies once killAt scans are answered, while the kiosks stream.
	killAt := int64(kiosks * perKiosk * 2 / 5)
	var answeredN atomic.Int64
	killNow := make(chan struct{})
	type scanned struct {
		badge  int // index in badges
		answer fleetAnswer
		byB    bool
		resent bool      // sent to A, no answer, sent again to B
		sentB  time.Time // when it was sent to B
		doneB  time.Time // when B's answer came
	}
	got := make([]map[string]scanned, kiosks)
	var wg sync.WaitGroup
	start := time.Now()
	for k, kiosk := range ks {
		got[k] = map[string]scanned{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			onA := true
			for n := range perKiosk {
				// Kiosks walk the pool from different places: most badges
				// pass several kiosks, some at about the same moment.
				badge, id := (k*19+n)%pool, fmt.Sprintf("f%d-%d", k, n)
				resent := false
				if onA {
					ans, err := kiosk.scan(a.base, badges[badge], id)
					var se *statusError
					switch {
					case err == nil:
						got[k][id] = scanned{badge: badge, answer: ans}
						if answeredN.Add(1) == killAt {
							close(killNow)
						}
						continue
					case errors.As(err, &se) && se.code < 500:
						t.Errorf("kiosk %d scan %s on A: %v", k, id, err)
						continue
					}
					onA, resent = false, true // no answer from A: this scan and the rest go to B
				}
				sent := time.Now()
				ans, err := kiosk.scan(b.base, badges[badge], id)
				if err != nil {
					t.Errorf("kiosk %d scan %s on B: %v", k, id, err)
					continue
				}
				got[k][id] = scanned{badge: badge, answer: ans, byB: true, resent: resent, sentB: sent, doneB: time.Now()}
				if answeredN.Add(1) == killAt {
					close(killNow)
				}
			}
		}()
	}
	select {
	case <-killNow:
	case <-time.After(2 * time.Minute):
		// Killed all the same: the kiosks must finish before the test may.
		t.Errorf("only %d scans answered in two minutes", answeredN.Load())
	}
	// Anywhere in A's cycle of deciding, committing and answering a
	// batch (about 20 ms here): some kills land between a commit and its
	// answers, where B must answer the scans as A stored them.
	time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	a.cmd.Wait()
	wg.Wait()
	elapsed := time.Since(start)
	if t.Failed() {
		t.FailNow()
	}

	answered := map[string]fleetAnswer{}
	var byA, byB, resent, storedByA int
	firstB := time.Duration(-1)
	for k, m := range got {
		for id, s := range m {
			answered[devices[k]+"/"+id] = s.answer
			if !s.byB {
				byA++
				continue
			}
			byB++
			if d := s.doneB.Sub(killed); firstB < 0 || d < firstB {
				firstB = d
			}
			if s.resent {
				resent++
				// A decided it before it died when B's answer is older
				// than B's receiving it: the stored answer, replayed.
				if s.answer.ScannedAt.Before(s.sentB.Truncate(time.Millisecond)) {
					storedByA++
				}
			}
		}
	}
	if len(answered) != kiosks*perKiosk {
		t.Fatalf("%d of %d scans answered", len(answered), kiosks*perKiosk)
	}
	if byA < int(killAt) || byB == 0 {
		t.Fatalf("A answered %d scans and B %d; the kill did not land mid-stream", byA, byB)
	}
	t.Logf("%d scans by %d kiosks in %v (%.0f scans/s); A answered %d before SIGKILL, B %d; %d scans in flight at the kill went again to B, of which A had stored %d before it died; B's first answer %v after the kill",
		len(answered), kiosks, elapsed.Round(time.Millisecond), float64(len(answered))/elapsed.Seconds(), byA, byB, resent, storedByA, firstB.Round(time.Millisecond))

	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var scannedIDs []int64
	seen := map[int]bool{}
	for _, m := range got {
		for _, s := range m {
			if !seen[s.badge] {
				seen[s.badge] = true
				scannedIDs = append(scannedIDs, ids[s.badge])
			}
		}
	}
	checkOneOK(t, db, scannedIDs, answered)
	rows := checkScanLog(t, db, devices, answered)

	// A's answers, asked of B again: the same answers, no new rows.
	again := 0
	for k, m := range got {
		for id, s := range m {
			if s.byB || again >= 2*kiosks {
				continue
			}
			ans, err := ks[k].scan(b.base, badges[s.badge], id)
			if err != nil {
				t.Errorf("A's scan %s sent to B: %v", id, err)
				continue
			}
			again++
			if !sameAnswer(ans.raw, s.answer.raw) {
				t.Errorf("A's scan %s sent to B was answered\n%s\nA answered\n%s", id, ans.raw, s.answer.raw)
			}
		}
	}
	if n := checkScanLog(t, db, devices, answered); n != rows {
		t.Errorf("%d of A's scans sent to B took the log from %d rows to %d", again, rows, n)
	}

	settle := time.Now()
	if !feedCaughtUp(t, b.base, settle.Add(10*time.Second)) {
		t.Fatal("B's live feed still behind 10 s after the last scan")
	}
	want := openingFigures(t, db, cat)
	if !onB.shows(want, settle.Add(10*time.Second)) {
		shown, _ := onB.state()
		t.Errorf("B's screen shows %v; the tables say %v", shown, want)
	}
	if _, gap := onB.state(); gap != "" {
		t.Errorf("B's screen: its sequence numbers skipped (%s)", gap)
	}
	t.Logf("%d of A's answered scans sent again to B; B's screen showed %v %v after the last scan",
		again, want, time.Since(settle).Round(time.Millisecond))
}

// proc is a server process started by startOnDB.
type proc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
}

// startOnDB starts the binary on the PostgreSQL database url, with a data
// directory and address of its own and the tests' master key in HUIWU_KEY,
// as a second machine would run it; it stops when the test ends (unless
// killed before). Its output goes to a file, shown if the test fails.
func startOnDB(t *testing.T, bin, url string) *proc {
	t.Helper()
	addr := freeAddr(t)
	logf := filepath.Join(t.TempDir(), "server.log")
	out, err := os.Create(logf)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-admin-token", adminToken, "-addr", addr, "-data", t.TempDir(), "-db", url)
	cmd.Env = append(os.Environ(), "HUIWU_KEY="+testkit.PGMasterKey)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	p := &proc{cmd: cmd, base: "http://" + addr}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			go func() {
				select {
				case <-exited:
				case <-time.After(20 * time.Second):
					cmd.Process.Kill()
				}
			}()
			cmd.Wait()
		}
		close(exited)
		out.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf)
			t.Logf("server %s's output:\n%s", addr, tail(b, 4000))
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.base + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s did not start: %v", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// procCaller makes API calls to a server process, as testkit's helpers
// ask of a server (testkit.Caller).
type procCaller struct {
	t    *testing.T
	base string
}

// Call makes an API request under /api/v1 with token and decodes the JSON
// answer into out (when not nil); it returns the HTTP status.
func (c procCaller) Call(method, path, token string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+"/api/v1"+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: HTTP %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}
