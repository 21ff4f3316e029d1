package main

// Kiosks, screens and scan-log checks of the tests with several servers
// on one PostgreSQL database (issue 17: multiserver_test.go,
// failover_kill_test.go). The kiosks scan over HTTP as the kiosk's page
// does online; the screens follow the attendance topic on a server's
// websocket as the hall screen does.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/store"
)

// fleetAnswer is a server's answer to one scan, as much as the tests read.
type fleetAnswer struct {
	Status    string    `json:"status"`
	Session   string    `json:"session_id"`
	ScanID    string    `json:"scan_id"`
	ScannedAt time.Time `json:"scanned_at"`
	Attendee  *struct {
		ID int64 `json:"id"`
	} `json:"attendee"`
	raw []byte // the answer as sent, to compare a replay with
}

// fleetKiosk is a paired kiosk at hall-east: its device id (the source its
// scan ids belong to) and token.
type fleetKiosk struct {
	device, token string
	client        *http.Client
}

// statusError is an HTTP answer other than 200.
type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d %s", e.code, e.body) }

// scan sends one scan to the server at base. An error means the kiosk got
// no answer it may show: the connection failed or was cut, or the server
// answered other than 200 (a *statusError).
func (k *fleetKiosk) scan(base, badge, scanID string) (fleetAnswer, error) {
	body, err := json.Marshal(map[string]string{"token": badge, "checkpoint": "hall-east", "scan_id": scanID})
	if err != nil {
		return fleetAnswer{}, err
	}
	req, err := http.NewRequest("POST", base+"/api/v1/checkins", bytes.NewReader(body))
	if err != nil {
		return fleetAnswer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return fleetAnswer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fleetAnswer{}, err // cut off mid-answer: nothing to show
	}
	if resp.StatusCode != 200 {
		return fleetAnswer{}, &statusError{resp.StatusCode, string(b)}
	}
	var a fleetAnswer
	if err := json.Unmarshal(b, &a); err != nil || a.Status == "" || a.ScanID != scanID {
		return fleetAnswer{}, fmt.Errorf("scan %s: answer %s does not decode (%v)", scanID, b, err)
	}
	a.raw = b
	return a, nil
}

// sameAnswer reports whether two answers say the same, field by field
// (a replay decodes the stored answer and encodes it again).
func sameAnswer(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// feedCaughtUp waits until the server at base says on its health that
// its live feed has applied every other server's change (feed_lag_ms 0)
// and reports whether it did before the deadline.
func feedCaughtUp(t *testing.T, base string, deadline time.Time) bool {
	t.Helper()
	for {
		var h struct {
			FeedLagMS *int64 `json:"feed_lag_ms"`
		}
		resp, err := http.Get(base + "/api/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil || h.FeedLagMS == nil {
			t.Fatalf("health of %s: %v, feed_lag_ms %v (not on PostgreSQL?)", base, err, h.FeedLagMS)
		}
		if *h.FeedLagMS == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond) // polling the health, with a deadline
	}
}

// logRow is one (source, scan id) of the scan log: its status and how many
// rows it has (one, always).
type logRow struct {
	status string
	rows   int
}

// checkScanLog reads the scan log of the devices and checks it against
// answered (by device id + "/" + scan id): every answered scan is in the
// log exactly once with the status its answer gave, and the log holds
// nothing the kiosks got no answer for. It answers how many rows it read.
func checkScanLog(t *testing.T, db *store.DB, devices []string, answered map[string]fleetAnswer) int {
	t.Helper()
	args := make([]any, len(devices))
	for i, d := range devices {
		args[i] = d
	}
	rows, err := db.ForTest().R.Query(`SELECT source, scan_id, status FROM scans WHERE source IN (?`+
		strings.Repeat(", ?", len(devices)-1)+`)`, args...)
	if err != nil {
		t.Fatal(err)
	}
	log := map[string]*logRow{}
	n := 0
	for rows.Next() {
		var source, id, status string
		if err := rows.Scan(&source, &id, &status); err != nil {
			t.Fatal(err)
		}
		n++
		k := source + "/" + id
		if log[k] == nil {
			log[k] = &logRow{status: status}
		}
		log[k].rows++
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		t.Fatal(err)
	}
	bad := 0
	complain := func(format string, a ...any) {
		if bad++; bad <= 10 {
			t.Errorf(format, a...)
		}
	}
	for k, a := range answered {
		switch r := log[k]; {
		case r == nil:
			complain("scan %s was answered %s and is not in the log (lost)", k, a.Status)
		case r.rows != 1:
			complain("scan %s is in the log %d times", k, r.rows)
		case r.status != a.Status:
			complain("scan %s was answered %s and is logged %s", k, a.Status, r.status)
		}
	}
	for k, r := range log {
		if _, ok := answered[k]; !ok {
			complain("scan %s is logged %s but no kiosk got an answer for it", k, r.status)
		}
	}
	if bad > 10 {
		t.Errorf("… %d discrepancies between the answers and the scan log in all", bad)
	}
	return n
}

// checkOneOK checks that each attendee in people has exactly one ok for
// the opening among the answers and in the log, and that nobody at all
// has two ok for one session in the log.
func checkOneOK(t *testing.T, db *store.DB, people []int64, answered map[string]fleetAnswer) {
	t.Helper()
	answers := map[int64]int{}
	for _, a := range answered {
		if a.Status == "ok" && a.Attendee != nil && a.Session == "opening" {
			answers[a.Attendee.ID]++
		}
	}
	logged := map[int64]int{}
	rows, err := db.ForTest().R.Query(`SELECT attendee_id, session_id, count(*) FROM scans
		WHERE status = 'ok' AND attendee_id IS NOT NULL AND session_id IS NOT NULL GROUP BY attendee_id, session_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var session string
		var n int
		if err := rows.Scan(&id, &session, &n); err != nil {
			t.Fatal(err)
		}
		if n > 1 {
			t.Errorf("attendee %d has %d ok for session %s in the log", id, n, session)
		}
		if session == "opening" {
			logged[id] = n
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, id := range people {
		if answers[id] != 1 || logged[id] != 1 {
			if bad++; bad <= 10 {
				t.Errorf("attendee %d: %d ok among the answers, %d in the log; want exactly one", id, answers[id], logged[id])
			}
		}
	}
	if bad > 10 {
		t.Errorf("… %d of %d badges without exactly one ok", bad, len(people))
	}
}

// figures are the opening's 应到 and 实到 as a screen shows them: over
// the categories that count for the session, and over everyone (All).
type figures struct {
	Expected int `json:"expected"`
	Present  int `json:"present"`
	All      struct {
		Expected int `json:"expected"`
		Present  int `json:"present"`
	} `json:"all"`
}

func (f figures) String() string {
	return fmt.Sprintf("应到/实到 %d/%d (everyone %d/%d)", f.Expected, f.Present, f.All.Expected, f.All.Present)
}

// openingFigures counts the opening's figures straight from the tables,
// as the attendance package defines them: the active attendees expected,
// and of them those inside now.
func openingFigures(t *testing.T, db *store.DB, cat *store.Catalog) figures {
	t.Helper()
	const q = `SELECT count(*), coalesce(sum(CASE WHEN p.inside = 1 THEN 1 ELSE 0 END), 0)
		FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		WHERE sa.session_id = 'opening'`
	var f figures
	if err := db.ForTest().R.QueryRow(q).Scan(&f.All.Expected, &f.All.Present); err != nil {
		t.Fatal(err)
	}
	cats := cat.VotingCategories(cat.Sessions["opening"])
	args := make([]any, len(cats))
	for i, c := range cats {
		args[i] = c
	}
	if len(cats) > 0 {
		if err := db.ForTest().R.QueryRow(q+` AND a.category IN (?`+strings.Repeat(", ?", len(cats)-1)+`)`, args...).
			Scan(&f.Expected, &f.Present); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// screen follows the opening's figures on one server's attendance topic.
type screen struct {
	mu    sync.Mutex
	got   figures
	ready bool   // the snapshot arrived
	seq   int64  // the last message's number
	gap   string // the first skip in the numbers, if any
	moved chan struct{}
}

// watchScreen connects a screen to the server at base (http://…) and
// waits for its snapshot.
func watchScreen(t *testing.T, base string) *screen {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(base, "http", "ws", 1)+"/ws?topics=attendance&token="+adminToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	s := &screen{moved: make(chan struct{}, 1)}
	go func() {
		for {
			var m struct {
				Type string
				Seq  int64
				Data json.RawMessage
			}
			if err := ws.ReadJSON(&m); err != nil {
				return
			}
			type counts struct {
				Session string `json:"session_id"`
				figures
			}
			var one counts
			var all struct {
				Sessions []json.RawMessage `json:"sessions"`
			}
			s.mu.Lock()
			if m.Type == "delta" && m.Seq != s.seq+1 && s.gap == "" {
				s.gap = fmt.Sprintf("seq %d after %d", m.Seq, s.seq)
			}
			s.seq = m.Seq
			switch {
			case m.Type == "snapshot" && json.Unmarshal(m.Data, &all) == nil:
				for _, raw := range all.Sessions {
					if one = (counts{}); json.Unmarshal(raw, &one) == nil && one.Session == "opening" {
						s.got, s.ready = one.figures, true
					}
				}
			case m.Type == "delta" && json.Unmarshal(m.Data, &one) == nil && one.Session == "opening":
				s.got = one.figures
			}
			s.mu.Unlock()
			select {
			case s.moved <- struct{}{}:
			default:
			}
		}
	}()
	if !s.until(time.Now().Add(10*time.Second), func(*screen) bool { return s.ready }) {
		t.Fatalf("no attendance snapshot from %s", base)
	}
	return s
}

// until waits for ok to hold of the screen (called under its lock) and
// reports whether it did before the deadline.
func (s *screen) until(deadline time.Time, ok func(*screen) bool) bool {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		s.mu.Lock()
		done := ok(s)
		s.mu.Unlock()
		if done {
			return true
		}
		select {
		case <-s.moved:
		case <-timer.C:
			s.mu.Lock()
			done := ok(s)
			s.mu.Unlock()
			return done
		}
	}
}

// shows waits until the screen shows want and reports whether it did.
func (s *screen) shows(want figures, deadline time.Time) bool {
	return s.until(deadline, func(s *screen) bool { return s.got == want })
}

// state answers what the screen shows and the first skip in its numbers.
func (s *screen) state() (figures, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got, s.gap
}
