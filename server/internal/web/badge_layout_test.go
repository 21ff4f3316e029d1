package web_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// TestEventBadgeLayout: the meeting's badge layout is in GET /event for
// the desk, a print that names no size is on it (one badge and a batch,
// as the print log says), a print that names one is on that one, and a
// layout the templates do not have is refused at its path.
func TestEventBadgeLayout(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var ev struct {
		BadgeLayout string `json:"badge_layout"`
	}
	if st := srv.Call("GET", "/event", testkit.AdminToken, nil, &ev); st != 200 || ev.BadgeLayout != "cr80" {
		t.Fatalf("GET /event: HTTP %d, layout %q; want the demo's cr80", st, ev.BadgeLayout)
	}

	putLayout := func(layout string) (int, map[string]any) {
		var def map[string]any
		if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
			t.Fatalf("definition: HTTP %d", st)
		}
		def["event"].(map[string]any)["badge_layout"] = layout
		var rep map[string]any
		return srv.Call("PUT", "/event", testkit.AdminToken, def, &rep), rep
	}
	if st, rep := putLayout("a5"); st != 422 || !bytes.Contains([]byte(fmt.Sprint(rep)), []byte("event.badge_layout")) {
		t.Fatalf("an unknown layout: HTTP %d %v", st, rep)
	}
	if st, rep := putLayout("a6-photo"); st != 200 {
		t.Fatalf("PUT a6-photo: HTTP %d %v", st, rep)
	}
	if srv.Call("GET", "/event", testkit.AdminToken, nil, &ev); ev.BadgeLayout != "a6-photo" {
		t.Fatalf("GET /event after the change: %q", ev.BadgeLayout)
	}

	var id int64
	srv.App.DB.ForTest().R.QueryRow(`SELECT id FROM attendees WHERE status = 'active' ORDER BY id LIMIT 1`).Scan(&id)
	lastLayout := func() string {
		var l string
		srv.App.DB.ForTest().R.QueryRow(`SELECT layout FROM badge_prints WHERE attendee_id = ? AND kind = 'badge' ORDER BY id DESC LIMIT 1`, id).Scan(&l)
		return l
	}
	for query, want := range map[string]string{"": "a6-photo", "?size=cr80": "cr80"} {
		resp, pdf := get(t, fmt.Sprintf("%s/api/v1/attendees/%d/badge.pdf%s", srv.URL, id, query), "Authorization", admin)
		if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("badge.pdf%s: HTTP %d", query, resp.StatusCode)
		}
		if got := lastLayout(); got != want {
			t.Errorf("badge.pdf%s printed on %q, want %q", query, got, want)
		}
	}

	var j struct{ ID, State string }
	var delegation string
	srv.App.DB.ForTest().R.QueryRow(`SELECT d.name FROM attendees a JOIN delegations d ON d.id = a.delegation_id WHERE a.id = ?`, id).Scan(&delegation)
	if st := srv.Call("POST", "/badges/batches", testkit.AdminToken, map[string]any{"delegation": delegation}, &j); st != 202 {
		t.Fatalf("batch: HTTP %d", st)
	}
	for deadline := time.Now().Add(60 * time.Second); j.State != "done"; time.Sleep(50 * time.Millisecond) {
		if j.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("batch %+v", j)
		}
		srv.Call("GET", "/badges/batches/"+j.ID, testkit.AdminToken, nil, &j)
	}
	if got := lastLayout(); got != "a6-photo" {
		t.Errorf("a batch naming no size printed on %q, want a6-photo", got)
	}
}
