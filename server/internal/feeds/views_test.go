package feeds_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/testkit"
)

// figures are the counts of docs/counts.md as every view's JSON carries them.
type figures struct {
	Expected       int `json:"expected"`
	Present        int `json:"present"`
	OnLeave        int `json:"on_leave"`
	NotYet         int `json:"not_yet"`
	Absent         int `json:"absent"`
	Left           int `json:"left"`
	Entered        int `json:"entered"`
	LeaveWithdrawn int `json:"leave_withdrawn"`
}

type countsJSON struct {
	figures
	Session string `json:"session_id"`
	Phase   string `json:"phase"`
	Started bool   `json:"started"`
	// AbsentCounted: those not in are 缺席 by now (from the start, or
	// from the close by the session's rule).
	AbsentFrom    string  `json:"absent_from"`
	AbsentCounted bool    `json:"absent_counted"`
	All           figures `json:"all"`
	Basis         struct{ Zh, En string }
	Quorum        struct {
		Required int  `json:"required"`
		Met      bool `json:"met"`
	} `json:"quorum"`
	Statement string `json:"statement"`
}

var countScan int

// scanAt scans attendee id at checkpoint cp and answers the status.
func scanAt(t *testing.T, srv *testkit.Server, id int64, cp string) string {
	t.Helper()
	var cred struct{ Token string }
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), testkit.AdminToken, nil, &cred); st != 200 {
		t.Fatalf("credential %d: HTTP %d", id, st)
	}
	countScan++
	var res struct{ Status string }
	body := map[string]any{"token": cred.Token, "checkpoint": cp, "scan_id": fmt.Sprint("counts-", countScan)}
	if st := srv.Call("POST", "/checkins", testkit.AdminToken, body, &res); st != 200 {
		t.Fatalf("scan %d at %s: HTTP %d", id, cp, st)
	}
	return res.Status
}

// TestCountViewsAgree: the figures of every view of a session — the
// attendance endpoint (screen, desk card), the live feed, the chair's
// snapshot, the absentee list, the arrival curve and the usher's list —
// are one computation, before the start and during the session.
func TestCountViewsAgree(t *testing.T) {
	for _, tc := range []struct {
		name  string
		at    time.Time // the demo's moment; the opening starts about an hour after it
		phase string
	}{
		{"before the start", time.Now(), "open"},
		{"during", time.Now().Add(-90 * time.Minute), "in_progress"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testkit.ServeAt(t, tc.at)
			var usher struct{ Token string }
			if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "引导员", "role": "usher"}, &usher); st != 201 {
				t.Fatalf("usher: HTTP %d", st)
			}
			var leaves []struct {
				AttendeeID int64 `json:"attendee_id"`
			}
			srv.Call("GET", "/sessions/opening/leaves", testkit.AdminToken, nil, &leaves)
			var people []struct {
				ID       int64
				Category string
			}
			srv.Call("GET", "/attendees?limit=2000", testkit.AdminToken, nil, &people)
			onLeave := map[int64]bool{}
			for _, l := range leaves {
				onLeave[l.AttendeeID] = true
			}
			var deputies, observers []int64
			for _, p := range people {
				switch {
				case onLeave[p.ID]:
				case p.Category == "deputy" && len(deputies) < 30:
					deputies = append(deputies, p.ID)
				case p.Category == "observer" && len(observers) < 3:
					observers = append(observers, p.ID)
				}
			}
			for _, id := range append(deputies, observers...) {
				if st := scanAt(t, srv, id, "hall-east"); st != "ok" {
					t.Fatalf("scan %d: %s", id, st)
				}
			}
			scanAt(t, srv, deputies[0], "hall-exit")
			scanAt(t, srv, deputies[1], "hall-exit")
			scanAt(t, srv, leaves[0].AttendeeID, "hall-east") // on leave, came anyway

			var c countsJSON
			if st := srv.Call("GET", "/sessions/opening/attendance", testkit.AdminToken, nil, &c); st != 200 {
				t.Fatalf("attendance: HTTP %d", st)
			}
			want := figures{Expected: c.Expected, Present: 29, Left: 2, OnLeave: len(leaves) - 1, LeaveWithdrawn: 1, Entered: 31}
			rest := c.Expected - 29 - 2 - want.OnLeave
			if tc.phase == "open" {
				want.NotYet = rest
			} else {
				want.Absent = rest
			}
			if c.figures != want || c.Phase != tc.phase || c.Started != (tc.phase != "open") {
				t.Fatalf("attendance %s: %+v, want %+v", c.Phase, c.figures, want)
			}
			if c.All.Present != c.Present+len(observers) || c.Basis.Zh == "" {
				t.Errorf("all %+v, basis %+v", c.All, c.Basis)
			}

			// The chair's snapshot: counts, curve and absentees at once.
			var chair struct {
				Counts   countsJSON `json:"counts"`
				Arrivals struct {
					Total   int `json:"total"`
					Minutes []struct {
						N int `json:"n"`
					} `json:"minutes"`
				} `json:"arrivals"`
				Absentees []struct {
					Name string `json:"name"`
				} `json:"absentees"`
			}
			if st := srv.Call("GET", "/sessions/opening/chair", testkit.AdminToken, nil, &chair); st != 200 {
				t.Fatalf("chair: HTTP %d", st)
			}
			if chair.Counts.figures != want {
				t.Errorf("chair counts %+v, want %+v", chair.Counts.figures, want)
			}
			sum := 0
			for _, m := range chair.Arrivals.Minutes {
				sum += m.N
			}
			if chair.Arrivals.Total != want.Entered || sum != want.Entered {
				t.Errorf("curve total %d (bars %d), want %d entered", chair.Arrivals.Total, sum, want.Entered)
			}
			if len(chair.Absentees) != want.Absent {
				t.Errorf("chair lists %d absentees, want %d", len(chair.Absentees), want.Absent)
			}
			var absentees []struct{ Name string }
			srv.Call("GET", "/sessions/opening/absentees", testkit.AdminToken, nil, &absentees)
			if len(absentees) != want.Absent {
				t.Errorf("/absentees lists %d, want %d", len(absentees), want.Absent)
			}
			var arrivals struct{ Total int }
			srv.Call("GET", "/sessions/opening/arrivals", testkit.AdminToken, nil, &arrivals)
			if arrivals.Total != want.Entered {
				t.Errorf("/arrivals total %d, want %d", arrivals.Total, want.Entered)
			}

			// The usher's list, as the usher sees it.
			var roster struct {
				Counts countsJSON `json:"counts"`
				People []struct {
					Name    string `json:"name"`
					State   string `json:"state"`
					Counted bool   `json:"counted"`
				} `json:"people"`
			}
			if st := srv.Call("GET", "/sessions/opening/roster", usher.Token, nil, &roster); st != 200 {
				t.Fatalf("roster: HTTP %d", st)
			}
			byState := map[string]int{}
			for _, p := range roster.People {
				if p.Counted {
					byState[p.State]++
				}
			}
			got := figures{Expected: c.Expected, Present: byState["present"], Left: byState["left"], OnLeave: byState["on_leave"],
				NotYet: byState["not_yet"], Absent: byState["absent"], LeaveWithdrawn: 1, Entered: byState["present"] + byState["left"]}
			if got != want || roster.Counts.figures != want {
				t.Errorf("usher list tallies %+v (counts %+v), want %+v", got, roster.Counts.figures, want)
			}

			// The live feed's snapshot.
			u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=attendance"
			ws, _, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + testkit.AdminToken}})
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			var snap struct {
				Data struct{ Sessions []countsJSON }
			}
			if err := ws.ReadJSON(&snap); err != nil {
				t.Fatal(err)
			}
			for _, s := range snap.Data.Sessions {
				if s.Session == "opening" && s.figures != want {
					t.Errorf("live snapshot %+v, want %+v", s.figures, want)
				}
			}
		})
	}
}

// TestPhaseChangeIsPublished: when a session starts, its 未到 become 缺席
// although no scan happened: the feed sends the new counts by itself. A
// session whose rule counts 缺席 only from the close (issue 11.13) keeps
// its 未到 while in progress, and the feed sends the switch at the close.
func TestPhaseChangeIsPublished(t *testing.T) {
	srv := testkit.Serve(t)
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	// Far enough ahead that the change is stored before it (a PUT takes
	// a few seconds under -race).
	startAt := time.Now().Add(6 * time.Second).Truncate(time.Second)
	closeAt := startAt.Add(time.Second)
	for _, s := range def["sessions"].([]any) {
		switch s := s.(map[string]any); s["id"] {
		case "opening":
			s["starts_at"] = startAt.Format(time.RFC3339)
		case "group-1":
			// In progress now, closing a second after the opening starts.
			s["absent_from"] = "close"
			s["opens_at"] = startAt.Add(-2 * time.Hour).Format(time.RFC3339)
			s["starts_at"] = startAt.Add(-time.Hour).Format(time.RFC3339)
			s["ends_at"] = startAt.Format(time.RFC3339)
			s["closes_at"] = closeAt.Format(time.RFC3339)
		}
	}
	var put map[string]any
	if st := srv.Call("PUT", "/event", testkit.AdminToken, def, &put); st != 200 {
		t.Fatalf("move the start: HTTP %d %v", st, put)
	}
	if time.Until(startAt) < time.Second {
		t.Fatalf("the PUT took until %v, too close to the new start %v", time.Now(), startAt)
	}
	u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=attendance"
	ws, _, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + testkit.AdminToken}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadDeadline(closeAt.Add(10 * time.Second))
	var snap struct {
		Data struct{ Sessions []countsJSON }
	}
	if err := ws.ReadJSON(&snap); err != nil {
		t.Fatal(err)
	}
	for _, c := range snap.Data.Sessions {
		rest := c.Expected - c.Present - c.Left - c.OnLeave
		if c.Session == "group-1" && (c.Phase != "in_progress" || !c.Started || c.AbsentFrom != "close" || c.AbsentCounted || c.NotYet != rest || c.Absent != 0 || rest == 0) {
			t.Errorf("group-1 in progress, 缺席 from the close: %+v", c)
		}
	}
	started, closed := false, false
	for !started || !closed {
		var m struct {
			Type string
			Data countsJSON
		}
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatalf("no counts with the opening started (%v) and group-1 closed (%v): %v", started, closed, err)
		}
		c := m.Data
		rest := c.Expected - c.Present - c.Left - c.OnLeave
		switch {
		case m.Type != "delta":
		case c.Session == "opening" && c.Phase == "in_progress":
			if time.Now().Before(startAt) || !c.Started || !c.AbsentCounted || c.NotYet != 0 || c.Absent != c.Expected-c.OnLeave {
				t.Fatalf("at %v (start %v): %+v", time.Now(), startAt, c)
			}
			started = true
		case c.Session == "group-1" && c.Phase == "closed":
			if time.Now().Before(closeAt) || !c.AbsentCounted || c.NotYet != 0 || c.Absent != rest || rest == 0 {
				t.Fatalf("at %v (close %v): %+v", time.Now(), closeAt, c)
			}
			closed = true
		case c.Session == "group-1" && (c.AbsentCounted || c.Absent != 0):
			t.Fatalf("group-1 before its close: %+v", c)
		}
	}
}
