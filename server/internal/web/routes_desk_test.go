package web_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/testkit"
)

// TestDeskAPI covers the desk's routes over HTTP: the exports download as
// real workbooks and a ZIP, errors come typed, and the edit answers 422
// per field.
func TestDeskAPI(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	for _, path := range []string{"/exports/sessions/opening/signin.xlsx", "/exports/meals.xlsx", "/exports/rooms.xlsx",
		"/exports/absentees.xlsx", "/exports/absentees.xlsx?session=opening"} {
		st, body, h := srv.Get(t, path, testkit.AdminToken)
		if st != 200 || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Errorf("%s: %d %q", path, st, h.Get("Content-Disposition"))
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		f.Close()
	}
	st, body, _ := srv.Get(t, "/exports/archive.zip", testkit.AdminToken)
	if z, err := zip.NewReader(bytes.NewReader(body), int64(len(body))); st != 200 || err != nil || len(z.File) < 6 {
		t.Errorf("archive: %d %v", st, err)
	}
	if st, _, _ := srv.Get(t, "/exports/sessions/nope/signin.xlsx", testkit.AdminToken); st != 404 {
		t.Errorf("unknown session: %d", st)
	}

	var bad struct {
		Error struct {
			Code    string
			Details struct {
				Fields []struct{ Field, Code string }
			}
		}
	}
	if st := srv.Call("PATCH", "/attendees/1", testkit.AdminToken, map[string]any{"phone": "12"}, &bad); st != 422 ||
		bad.Error.Code != "invalid_fields" || len(bad.Error.Details.Fields) != 1 || bad.Error.Details.Fields[0].Field != "phone" {
		t.Errorf("bad phone: %d %+v", st, bad)
	}
	var ok struct {
		Attendee struct{ Title string }
		Changed  []string
	}
	if st := srv.Call("PATCH", "/attendees/1", testkit.AdminToken, map[string]any{"title": "主任"}, &ok); st != 200 ||
		ok.Attendee.Title != "主任" || len(ok.Changed) != 1 {
		t.Errorf("edit: %d %+v", st, ok)
	}
	var walk struct{ ID int64 }
	form := map[string]any{"name": "现场甲", "category": "guest", "phone": "13500002222"}
	if st := srv.Call("POST", "/attendees", testkit.AdminToken, form, &walk); st != 201 || walk.ID == 0 {
		t.Errorf("walk-in: %d %+v", st, walk)
	}
	if st := srv.Call("POST", "/attendees", testkit.AdminToken, form, &bad); st != 409 || bad.Error.Code != "already_registered" {
		t.Errorf("walk-in twice: %d %+v", st, bad)
	}
	var rep struct {
		Ready  bool
		Checks []struct{ ID, Status string }
	}
	if st := srv.Call("GET", "/readiness", testkit.AdminToken, nil, &rep); st != 200 || rep.Ready {
		t.Errorf("readiness: %d %+v", st, rep)
	}
	ids := map[string]bool{}
	for _, c := range rep.Checks {
		ids[c.ID] = true
	}
	// A line of each part of the board: the list, places, kiosks, travel
	// and lodging, and the secretariat's own (issue 13).
	for _, id := range []string{"badge_issued", "seats", "rooms", "kiosks", "arrivals_known", "rooms_double_booked",
		"departure_tickets", "units_replied", "materials_stock", "documents_returned", "duty_coverage"} {
		if !ids[id] {
			t.Errorf("readiness has no %s check: %+v", id, rep.Checks)
		}
	}
}
