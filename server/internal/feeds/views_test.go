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
	Session string  `json:"session_id"`
	Phase   string  `json:"phase"`
	Started bool    `json:"started"`
	All     figures `json:"all"`
	Basis   struct{ Zh, En string }
	Quorum  struct {
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
// although no scan happened: the feed sends the new counts by itself.
func TestPhaseChangeIsPublished(t *testing.T) {
	srv := testkit.Serve(t)
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	// Far enough ahead that the change is stored before it (a PUT takes
	// a few seconds under -race).
	startAt := time.Now().Add(6 * time.Second).Truncate(time.Second)
	for _, s := range def["sessions"].([]any) {
		if s := s.(map[string]any); s["id"] == "opening" {
			s["starts_at"] = startAt.Format(time.RFC3339)
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
	ws.SetReadDeadline(startAt.Add(10 * time.Second))
	for {
		var m struct {
			Type string
			Data countsJSON
		}
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatalf("no counts with the opening started: %v", err)
		}
		if m.Type != "delta" || m.Data.Session != "opening" || m.Data.Phase != "in_progress" {
			continue
		}
		if time.Now().Before(startAt) || !m.Data.Started || m.Data.NotYet != 0 || m.Data.Absent != m.Data.Expected-m.Data.OnLeave {
			t.Fatalf("at %v (start %v): %+v", time.Now(), startAt, m.Data)
		}
		return
	}
}
