package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// TestTwoServersConcurrentKiosks (issue 17, "How it is checked"): two
// servers on one PostgreSQL database, 20 kiosks at the east door, ten
// paired through each. In every round the kiosks wait at a barrier and
// then scan together: one badge at all twenty kiosks at once (both
// servers), one badge at a kiosk and its twin on the other server, a
// badge of the kiosk's own, and the badge its twin scanned in the round
// before. Then: every badge has exactly one ok among the answers and in
// the log; every answered scan is in the log once by (source, scan_id)
// with its answer's status, and the log holds nothing else of theirs; a
// scan sent again to the other server is answered as stored and adds no
// row; and once both servers' feeds have caught up, the screens on both
// show the opening's 应到/实到 as the tables count them.
func TestTwoServersConcurrentKiosks(t *testing.T) {
	srv := testkit.ServeShared(t, 2) // skipped without HUIWU_TEST_PG
	const perServer, rounds = 10, 10
	transport := &http.Transport{MaxIdleConnsPerHost: 4 * perServer}
	t.Cleanup(transport.CloseIdleConnections)
	kiosks := make([]*fleetKiosk, 2*perServer)
	home := make([]*testkit.Server, len(kiosks)) // the server a kiosk scans through
	devices := make([]string, len(kiosks))
	for i := range kiosks {
		// Paired through its own server; the device is one row of the
		// shared database, so either server knows it.
		home[i] = srv[i/perServer]
		id, token := testkit.PairedKiosk(t, home[i], "hall-east")
		kiosks[i] = &fleetKiosk{device: id, token: token, client: &http.Client{Timeout: 30 * time.Second, Transport: transport}}
		devices[i] = id
	}
	// The badges: one a round that all kiosks scan, one a round for each
	// pair of twins, one a round for each kiosk.
	hot, twins := rounds, rounds*perServer
	people := testkit.Seated(t, srv[0], hot+twins+rounds*len(kiosks))
	ids := make([]int64, len(people))
	badges := make([]string, len(people))
	for i, p := range people {
		ids[i] = p[0].(int64)
		badges[i] = testkit.CredentialOf(t, srv[i%2], ids[i])
	}
	own := func(k, r int) int { return hot + twins + r*len(kiosks) + k }
	twin := func(k int) int { return (k + perServer) % len(kiosks) }

	screens := []*screen{watchScreen(t, srv[0].URL), watchScreen(t, srv[1].URL)}
	before, _ := screens[0].state()

	// The barrier: round r starts when every kiosk has finished round r-1.
	arrive := make(chan struct{})
	gates := make([]chan struct{}, rounds)
	for r := range gates {
		gates[r] = make(chan struct{})
	}
	go func() {
		for r := range rounds {
			for range kiosks {
				<-arrive
			}
			close(gates[r])
		}
	}()
	type scanned struct {
		kiosk, badge int
		answer       fleetAnswer
	}
	got := make([][]scanned, len(kiosks))
	var wg sync.WaitGroup
	start := time.Now()
	for k, kiosk := range kiosks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				arrive <- struct{}{}
				<-gates[r]
				list := []int{r, hot + r*perServer + k%perServer, own(k, r)}
				if r > 0 {
					list = append(list, own(twin(k), r-1)) // answered in the round before, on the other server
				}
				for i, badge := range list {
					id := fmt.Sprintf("m%d-%d-%d", k, r, i)
					a, err := kiosk.scan(home[k].URL, badges[badge], id)
					if err != nil {
						t.Errorf("kiosk %d scan %s: %v", k, id, err)
						continue
					}
					got[k] = append(got[k], scanned{k, badge, a})
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if t.Failed() {
		t.FailNow()
	}

	answered := map[string]fleetAnswer{}
	statuses := map[string]int{}
	hotOK := [2]int{} // which server gave the ok of the badge all kiosks scanned at once
	for k, list := range got {
		for _, s := range list {
			answered[devices[k]+"/"+s.answer.ScanID] = s.answer
			statuses[s.answer.Status]++
			if s.badge < hot && s.answer.Status == "ok" {
				hotOK[k/perServer]++
			}
		}
	}
	t.Logf("%d scans from %d kiosks on 2 servers in %v: %.0f scans/s; %v; the all-kiosk badges' ok went to A %d times, to B %d",
		len(answered), len(kiosks), elapsed.Round(time.Millisecond), float64(len(answered))/elapsed.Seconds(), statuses, hotOK[0], hotOK[1])

	db, cat := srv[0].App.DB, srv[0].App.Engine.Catalog()
	checkOneOK(t, db, ids, answered)
	rowsBefore := checkScanLog(t, db, devices, answered)

	// Each kiosk sends its first scan again, to the other server: the
	// answer is the stored one, and the log gains nothing.
	replays := 0
	for k, kiosk := range kiosks {
		first := got[k][0]
		other := srv[1-k/perServer]
		a, err := kiosk.scan(other.URL, badges[first.badge], first.answer.ScanID)
		if err != nil {
			t.Errorf("kiosk %d's scan %s sent again to the other server: %v", k, first.answer.ScanID, err)
			continue
		}
		replays++
		if !sameAnswer(a.raw, first.answer.raw) {
			t.Errorf("kiosk %d's scan %s sent again to the other server was answered\n%s\nfirst\n%s", k, first.answer.ScanID, a.raw, first.answer.raw)
		}
	}
	if n := checkScanLog(t, db, devices, answered); n != rowsBefore {
		t.Errorf("%d replays took the kiosks' log rows from %d to %d", replays, rowsBefore, n)
	}

	// The screens: once both feeds have caught up, both show the tables'
	// figures (each server's publishing round may still be on its way).
	settle := time.Now()
	deadline := settle.Add(10 * time.Second)
	for i, s := range srv {
		if !feedCaughtUp(t, s.URL, deadline) {
			t.Fatalf("server %c's live feed still behind after 10 s", 'A'+i)
		}
	}
	caughtUp := time.Since(settle)
	want := openingFigures(t, db, cat)
	if d := want.All.Present - before.All.Present; d != len(ids) {
		t.Errorf("the tables count %d more people inside the opening, want the %d badges scanned", d, len(ids))
	}
	for i, s := range screens {
		if !s.shows(want, deadline) {
			shown, _ := s.state()
			t.Errorf("screen on server %c shows %v; the tables say %v", 'A'+i, shown, want)
		}
		if _, gap := s.state(); gap != "" {
			t.Errorf("screen on server %c: its sequence numbers skipped (%s)", 'A'+i, gap)
		}
	}
	t.Logf("%d scans sent again to the other server; feeds caught up %v after the last answer, screens on both servers showed %v %v after it",
		replays, caughtUp.Round(time.Millisecond), want, time.Since(settle).Round(time.Millisecond))
}
