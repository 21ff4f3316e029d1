package live_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/testkit"
)

// Live updates across servers (issue 17.3): check-ins on server A reach
// the screens connected to server B through the database's feed. This is
// a check of correctness only; the latency across servers (the goal: 200 ms
// at p99) is measured under load by scripts/load against two servers
// (scripts/load-pg, docs/servers.md), whose figure this test does not
// repeat: here a generous bound only catches a change that crawls.

// acrossBound is the sanity bound from A's answer to B's screen: far above
// the goal, so that a loaded CI machine does not fail the test, far below
// the feed's safety read (3 s), so that lost notices do.
const acrossBound = 2 * time.Second

// maxDelta bounds one delta's size on a screen. A check-in moves one
// session's counts and one seat; a server that answered a change from
// another with everything (a snapshot's worth: the demo's seats and
// counts run to tens of kilobytes) would flood the venue's screens.
const maxDelta = 4 << 10

// screenWatch is a websocket client of one server on the attendance topic
// and the opening's seats: when the opening's present count reached each
// value, the attendees whose seats it was sent, and per topic the
// sequence numbers and the largest delta.
type screenWatch struct {
	mu      sync.Mutex
	base    int               // present at the snapshot
	reached map[int]time.Time // present count → when first seen
	present int
	seated  map[int64]bool
	seq     map[string]uint64
	gaps    []string
	largest map[string]int
	moved   chan struct{}
}

func watchScreen(t *testing.T, srv *testkit.Server) *screenWatch {
	t.Helper()
	u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=attendance,seats:opening&token=" + testkit.AdminToken
	ws, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	w := &screenWatch{base: -1, reached: map[int]time.Time{}, seated: map[int64]bool{},
		seq: map[string]uint64{}, largest: map[string]int{}, moved: make(chan struct{}, 1)}
	go func() {
		for {
			_, raw, err := ws.ReadMessage()
			if err != nil {
				return
			}
			now := time.Now()
			var m struct {
				Topic string
				Type  string
				Seq   uint64
				Data  json.RawMessage
			}
			if json.Unmarshal(raw, &m) != nil {
				continue
			}
			w.mu.Lock()
			w.note(m.Topic, m.Type, m.Seq, m.Data, len(raw), now)
			w.mu.Unlock()
			select {
			case w.moved <- struct{}{}:
			default:
			}
		}
	}()
	return w
}

// note takes one message in; the caller holds mu.
func (w *screenWatch) note(topic, typ string, seq uint64, data json.RawMessage, size int, now time.Time) {
	if typ == "delta" {
		if last, ok := w.seq[topic]; !ok || seq != last+1 {
			w.gaps = append(w.gaps, fmt.Sprintf("%s: seq %d after %d", topic, seq, last))
		}
		w.largest[topic] = max(w.largest[topic], size)
	}
	w.seq[topic] = seq
	switch {
	case topic == "attendance" && typ == "snapshot":
		var all struct {
			Sessions []struct {
				SessionID string `json:"session_id"`
				Present   int    `json:"present"`
			} `json:"sessions"`
		}
		json.Unmarshal(data, &all)
		for _, s := range all.Sessions {
			if s.SessionID == "opening" {
				w.base, w.present = s.Present, s.Present
			}
		}
	case topic == "attendance":
		var one struct {
			SessionID string `json:"session_id"`
			Present   int    `json:"present"`
		}
		if json.Unmarshal(data, &one) == nil && one.SessionID == "opening" {
			for p := w.present + 1; p <= one.Present; p++ {
				w.reached[p] = now
			}
			w.present = max(w.present, one.Present)
		}
	case typ == "delta": // seats:opening
		var s struct {
			Attendees []int64 `json:"attendees"`
		}
		json.Unmarshal(data, &s)
		for _, id := range s.Attendees {
			w.seated[id] = true
		}
	}
}

// until waits, up to 10 s, for cond to hold of what the screen has seen
// (cond runs under mu); else the test fails with what.
func (w *screenWatch) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		w.mu.Lock()
		ok := cond()
		w.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-w.moved:
		case <-deadline:
			t.Fatal(what)
		}
	}
}

// ready waits for both snapshots.
func (w *screenWatch) ready(t *testing.T) {
	t.Helper()
	w.until(t, "no snapshots", func() bool {
		_, seats := w.seq["seats:opening"]
		return w.base >= 0 && seats
	})
}

// settled waits until the screen has seen the opening's count rise by n
// and the seats of every one of ids.
func (w *screenWatch) settled(t *testing.T, name string, n int, ids []int64) {
	t.Helper()
	w.until(t, fmt.Sprintf("screen on %s: the opening's count did not rise by %d, or seats are missing", name, n), func() bool {
		done := w.base >= 0 && w.present >= w.base+n
		for _, id := range ids {
			done = done && w.seated[id]
		}
		return done
	})
}

// TestLiveAcrossServersLatency: check-ins on A, a few at a time as at a
// door; every one reaches a screen on B (its count and its seat), within
// a generous bound of A's answer; both screens' sequence numbers rise by
// one per topic; and B's deltas are as small as A's own.
func TestLiveAcrossServersLatency(t *testing.T) {
	t.Parallel()
	srv := testkit.ServeShared(t, 2)
	a, b := srv[0], srv[1]
	const n = 30
	people := testkit.Seated(t, a, n)
	tokens, ids := make([]string, n), make([]int64, n)
	for i, p := range people {
		ids[i] = p[0].(int64)
		tokens[i] = testkit.CredentialOf(t, a, ids[i])
	}
	onA, onB := watchScreen(t, a), watchScreen(t, b)
	onA.ready(t)
	onB.ready(t)

	answered := make([]time.Time, n)
	for i, tok := range tokens {
		body, _ := json.Marshal(map[string]string{"token": tok, "checkpoint": "hall-east", "scan_id": fmt.Sprint("across-", i)})
		req, _ := http.NewRequest("POST", a.URL+"/api/v1/checkins", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var r struct{ Status string }
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		answered[i] = time.Now()
		if r.Status != "ok" {
			t.Fatalf("scan %d: %q, want ok", i, r.Status)
		}
		if i%5 == 4 {
			// Bursts of five with a pause: some deltas carry one
			// check-in, some several (each server publishes at most
			// every 40 ms).
			time.Sleep(60 * time.Millisecond)
		}
	}
	onA.settled(t, "A", n, ids)
	onB.settled(t, "B", n, ids)

	for name, w := range map[string]*screenWatch{"A": onA, "B": onB} {
		w.mu.Lock()
		if len(w.gaps) > 0 {
			t.Errorf("screen on %s: sequence numbers skipped: %v", name, w.gaps)
		}
		for topic, size := range w.largest {
			if size > maxDelta {
				t.Errorf("screen on %s: a delta on %s of %d bytes, want at most %d", name, topic, size, maxDelta)
			}
		}
		if !slices.Equal(sortedKeys(w.largest), []string{"attendance", "seats:opening"}) {
			t.Errorf("screen on %s: deltas on %v, want attendance and seats:opening", name, sortedKeys(w.largest))
		}
		w.mu.Unlock()
	}
	// The k-th answer made the count rise to base+k+1 (one at a time, in
	// order): B's screen showed it within the bound.
	onB.mu.Lock()
	defer onB.mu.Unlock()
	for k, at := range answered {
		seen := onB.reached[onB.base+k+1]
		if d := seen.Sub(at); d > acrossBound {
			t.Errorf("check-in %d reached B's screen %v after A's answer, want at most %v", k, d, acrossBound)
		}
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
