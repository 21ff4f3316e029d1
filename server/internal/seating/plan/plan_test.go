package plan_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/seating"
	"huiwu/server/internal/seatmap"
	"huiwu/server/internal/testkit"
)

const admin = testkit.AdminToken

type seatsOf map[string]seatmap.Seat // by label

func readSeats(t *testing.T, srv *testkit.Server, session string) (seatsOf, map[int64]string) {
	t.Helper()
	var seats []seatmap.Seat
	if st := srv.Call("GET", "/sessions/"+session+"/seats", admin, nil, &seats); st != 200 {
		t.Fatalf("seats: HTTP %d", st)
	}
	out, where := seatsOf{}, map[int64]string{}
	for _, s := range seats {
		out[s.Label] = s
		if s.AttendeeID != 0 {
			if prev, ok := where[s.AttendeeID]; ok {
				t.Fatalf("attendee %d on %s and %s", s.AttendeeID, prev, s.Label)
			}
			where[s.AttendeeID] = s.Label
		}
	}
	return out, where
}

// The demo's plenary, arranged by surname strokes with 左右排列 and then
// re-arranged after a pin and a swap: the presidium sits by rank under the
// session's rule, every expected deputy has a seat, pins survive.
func TestArrangeOnDemo(t *testing.T) {
	srv := testkit.Serve(t)
	var rules seating.Rules
	if st := srv.Call("GET", "/sessions/opening/seating/rules", admin, nil, &rules); st != 200 {
		t.Fatalf("rules: HTTP %d", st)
	}
	if len(rules.PresidiumIDs) != 32 || rules.Presidium != "odd" || rules.Honour != "left" {
		t.Fatalf("default rules %+v", rules)
	}
	rules.Order, rules.Fill = seating.ByStrokes, seating.FillAlternate
	if st := srv.Call("PUT", "/sessions/opening/seating/rules", admin, rules, &rules); st != 200 {
		t.Fatalf("save rules: HTTP %d", st)
	}
	var rep seating.Report
	if st := srv.Call("POST", "/sessions/opening/arrange", admin, nil, &rep); st != 200 {
		t.Fatalf("arrange: HTTP %d", st)
	}
	if !rep.OK || rep.Seated != rep.Expected || rep.Expected < 500 {
		t.Fatalf("report %+v", rep)
	}
	var stored seating.Report
	if st := srv.Call("GET", "/sessions/opening/seating/report", admin, nil, &stored); st != 200 || !stored.OK || stored.Seated != rep.Seated {
		t.Errorf("stored report: HTTP %d %+v", st, stored)
	}
	seats, where := readSeats(t, srv, "opening")
	// Presidium row 1 has 15 seats: rank 1 (attendee 1 in the demo) in the
	// centre, P-1-08; rank 2 on his left, which the audience sees on the
	// right, P-1-09; rank 3 on P-1-07.
	for id, want := range map[int64]string{1: "P-1-08", 2: "P-1-09", 3: "P-1-07"} {
		if where[id] != want {
			t.Errorf("rank %d on %s, want %s", id, where[id], want)
		}
	}
	for label, s := range seats {
		if (s.Kind == "blocked" || s.Kind == "reserved") && s.AttendeeID != 0 {
			t.Errorf("%s (%s) holds attendee %d", label, s.Kind, s.AttendeeID)
		}
	}

	// Pin someone to a far seat, swap two others, arrange again.
	var floorA, floorB int64
	for _, id := range slices.Sorted(func(y func(int64) bool) {
		for id := range where {
			if !y(id) {
				return
			}
		}
	}) {
		if strings.HasPrefix(where[id], "B-") && seats[where[id]].Category == "deputy" {
			if floorA == 0 {
				floorA = id
			} else if floorB == 0 {
				floorB = id
			}
		}
	}
	target := "C-25-29"
	if s := seats[target]; s.AttendeeID != 0 {
		target = "C-24-29"
	}
	if st := srv.Call("POST", "/sessions/opening/seats/"+target+"/pin", admin, map[string]int64{"attendee_id": floorA}, nil); st != 200 {
		t.Fatalf("pin: HTTP %d", st)
	}
	a, b := where[floorB], "P-1-08"
	if st := srv.Call("POST", "/sessions/opening/seats/swap", admin, map[string]string{"a": a, "b": b}, nil); st != 200 {
		t.Fatalf("swap: HTTP %d", st)
	}
	// A pin onto a taken seat is refused with its code.
	var e struct{ Error struct{ Code string } }
	if st := srv.Call("POST", "/sessions/opening/seats/"+target+"/pin", admin, map[string]int64{"attendee_id": floorB}, &e); st != 409 || e.Error.Code != "seat_taken" {
		t.Errorf("pin on taken seat: HTTP %d %q", st, e.Error.Code)
	}
	if st := srv.Call("POST", "/sessions/opening/arrange", admin, nil, &rep); st != 200 || !rep.OK {
		t.Fatalf("re-arrange: HTTP %d %+v", st, rep)
	}
	_, where = readSeats(t, srv, "opening")
	if where[floorA] != target || where[floorB] != "P-1-08" || where[1] != a {
		t.Errorf("after re-arranging: pinned %d on %s (want %s), swapped %d on %s and 1 on %s (want P-1-08, %s)",
			floorA, where[floorA], target, floorB, where[floorB], where[1], a)
	}
	// Unpinned, the next arrangement puts them back by the rules.
	if st := srv.Call("DELETE", "/sessions/opening/seats/"+target+"/pin", admin, nil, nil); st != 204 {
		t.Fatalf("unpin: HTTP %d", st)
	}
	if st := srv.Call("DELETE", "/sessions/opening/seats/B-13-1/pin", admin, nil, nil); st != 404 {
		t.Errorf("unpin an empty seat: HTTP %d", st)
	}
	srv.Call("POST", "/sessions/opening/arrange", admin, nil, &rep)
	if _, where = readSeats(t, srv, "opening"); where[floorA] == target {
		t.Errorf("unpinned %d still on %s", floorA, target)
	}
}

func TestArrangeRefusals(t *testing.T) {
	srv := testkit.Serve(t)
	var e struct{ Error struct{ Code string } }
	tests := []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{"POST", "/sessions/nope/arrange", nil, 404, "not_found"},
		{"POST", "/sessions/group-1/arrange", nil, 422, "no_hall"},
		{"PUT", "/sessions/opening/seating/rules", map[string]any{"presidium_rule": "odd", "honour": "up", "order": "list", "fill": "rows"}, 400, "bad_rules"},
		{"POST", "/sessions/opening/seats/B-13-1/pin", map[string]int64{"attendee_id": 40}, 409, "seat_blocked"},
		{"POST", "/sessions/opening/seats/Z-1-1/pin", map[string]int64{"attendee_id": 40}, 404, "unknown_seat"},
		{"POST", "/sessions/opening/seats/swap", map[string]string{"a": "B-1-1", "b": "B-1-1"}, 400, "same_seat"},
		{"POST", "/venues", map[string]any{"code": "x", "name": "X", "kind": "hall", "seats": []map[string]any{{"seat": "A-1-1", "section": "A", "kind": "sofa"}}}, 400, "bad_venue"},
	}
	for _, tt := range tests {
		e.Error.Code = ""
		if st := srv.Call(tt.method, tt.path, admin, tt.body, &e); st != tt.status || e.Error.Code != tt.code {
			t.Errorf("%s %s: HTTP %d %q, want %d %q", tt.method, tt.path, st, e.Error.Code, tt.status, tt.code)
		}
	}
}

// A venue exported and imported again changes nothing; a grid of one
// section round-trips; removing a seat someone sits on is refused whole.
func TestVenueExportImport(t *testing.T) {
	srv := testkit.Serve(t)
	var v map[string]any
	if st := srv.Call("GET", "/venues/hall", admin, nil, &v); st != 200 {
		t.Fatalf("export: HTTP %d", st)
	}
	n := len(v["seats"].([]any))
	var res struct {
		Created                 bool
		Added, Updated, Removed int
	}
	if st := srv.Call("POST", "/venues", admin, v, &res); st != 200 || res.Updated != n || res.Added+res.Removed != 0 {
		t.Fatalf("re-import: HTTP %d %+v (of %d)", st, res, n)
	}
	grid := get(t, srv, "/venues/hall/sections/A/grid.csv")
	if !strings.HasPrefix(grid, "\ufeff排,1,2") || !strings.Contains(grid, "\n1,30R,28R") {
		t.Errorf("grid starts %q", grid[:min(len(grid), 80)])
	}
	put := func(body string) (int, string) {
		req, _ := http.NewRequest("PUT", srv.URL+"/api/v1/venues/hall/sections/A/grid?x0=1.5", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := put(grid); st != 200 || !strings.Contains(body, `"removed":0`) || !strings.Contains(body, `"added":0`) {
		t.Errorf("grid re-import: HTTP %d %s", st, body)
	}
	// Drop row 2 of section A, where deputies sit: refused, names the seats.
	lines := strings.Split(grid, "\n")
	cut := strings.Join(append(lines[:2:2], lines[3:]...), "\n")
	if st, body := put(cut); st != 409 || !strings.Contains(body, "A-2-30") {
		t.Errorf("removing used seats: HTTP %d %s", st, body)
	}
	if st, body := put("排,1\n1,x\n"); st != 400 || !strings.Contains(body, "第2行第2列") {
		t.Errorf("bad grid: HTTP %d %s", st, body)
	}
	// For old WPS and Excel: the same grid in GB18030, without a BOM,
	// and read back as it is (the encoding is detected on the way in).
	gb := get(t, srv, "/venues/hall/sections/A/grid.csv?encoding=gb18030")
	text, err := simplifiedchinese.GB18030.NewDecoder().String(gb)
	if err != nil || text != strings.TrimPrefix(grid, "\ufeff") || gb == text {
		t.Errorf("GB18030 grid: %v, starts %q", err, gb[:min(len(gb), 20)])
	}
	if st, body := put(gb); st != 200 || !strings.Contains(body, `"removed":0`) || !strings.Contains(body, `"added":0`) {
		t.Errorf("GB18030 grid re-import: HTTP %d %s", st, body)
	}
	var e struct{ Error struct{ Code string } }
	if st := srv.Call("GET", "/venues/hall/sections/A/grid.csv?encoding=big5", admin, nil, &e); st != 400 || e.Error.Code != "bad_encoding" {
		t.Errorf("encoding=big5: HTTP %d %q", st, e.Error.Code)
	}
}

func get(t *testing.T, srv *testkit.Server, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: HTTP %d %s", path, resp.StatusCode, b.String())
	}
	return b.String()
}

// The printed 座次图 of the demo's opening session, in both views.
func TestSeatChartPDF(t *testing.T) {
	srv := testkit.Serve(t)
	for _, v := range []string{"audience", "presidium"} {
		pdf := get(t, srv, "/sessions/opening/seating/chart.pdf?view="+v)
		if !strings.HasPrefix(pdf, "%PDF") {
			t.Fatalf("%s: not a PDF", v)
		}
		if dir := os.Getenv("HUIWU_SHOTS"); dir != "" {
			_ = os.MkdirAll(filepath.Join(dir, "seating"), 0o755)
			_ = os.WriteFile(filepath.Join(dir, "seating", "chart-"+v+".pdf"), []byte(pdf), 0o644)
		}
		if v == "audience" {
			longNamesKeepUp(t, []byte(pdf))
		}
	}
	if pdf := get(t, srv, "/sessions/opening/seating/cards.pdf"); !strings.HasPrefix(pdf, "%PDF") {
		t.Fatal("cards: not a PDF")
	}
	pdf := get(t, srv, "/meals/d1-dinner/banquet.pdf?venue=dining1")
	if !strings.HasPrefix(pdf, "%PDF") {
		t.Fatal("banquet: not a PDF")
	}
	if dir := os.Getenv("HUIWU_SHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "seating", "banquet-d1-dinner.pdf"), []byte(pdf), 0o644)
	}
	var e struct{ Error struct{ Code string } }
	if st := srv.Call("GET", "/sessions/opening/seating/chart.pdf?view=mirror", admin, nil, &e); st != 400 || e.Error.Code != "bad_view" {
		t.Errorf("bad view: HTTP %d %q", st, e.Error.Code)
	}
	// The demo's hall prints as an overview and its sections, on A3 when
	// the desk asks.
	a3 := get(t, srv, "/sessions/opening/seating/chart.pdf?paper=a3")
	info := string(pdftest.Run(t, []byte(a3), "pdfinfo", "IN"))
	if !strings.Contains(info, "1190.55 x 841.89 pts") || strings.Contains(info, "Pages:           1\n") {
		t.Errorf("paper=a3: want several A3 pages:\n%s", info)
	}
	if st := srv.Call("GET", "/sessions/opening/seating/chart.pdf?paper=letter", admin, nil, &e); st != 400 || e.Error.Code != "bad_paper" {
		t.Errorf("bad paper: HTTP %d %q", st, e.Error.Code)
	}
	// The banquet plan: A4 for the desk's printer unless A3 is asked for.
	for paper, size := range map[string]string{"": "841.89 x 595.276 pts", "a3": "1190.55 x 841.89 pts"} {
		pdf := get(t, srv, "/meals/d1-dinner/banquet.pdf?venue=dining1&paper="+paper)
		if info := string(pdftest.Run(t, []byte(pdf), "pdfinfo", "IN")); !strings.Contains(info, size) {
			t.Errorf("banquet paper=%q: want %s:\n%s", paper, size, info)
		}
	}
	if st := srv.Call("GET", "/meals/d1-dinner/banquet.pdf?paper=b5", admin, nil, &e); st != 400 || e.Error.Code != "bad_paper" {
		t.Errorf("banquet bad paper: HTTP %d %q", st, e.Error.Code)
	}
}

// longNamesKeepUp measures the demo's minority names on the whole-hall
// chart: wrapped at the · onto two lines, they print at least half the size
// of the three-character names around them (one line, they were a third).
func longNamesKeepUp(t *testing.T, pdf []byte) {
	t.Helper()
	var ordinary []float64
	sizes := map[string]float64{}
	for _, w := range pdftest.Words(t, pdf) {
		if n := []rune(w.Text); len(n) == 3 && unicode.Is(unicode.Han, n[0]) && unicode.Is(unicode.Han, n[2]) {
			ordinary = append(ordinary, w.SizeMM())
		}
		sizes[w.Text] = w.SizeMM()
	}
	s := pdftest.Median(ordinary)
	for _, l := range []string{"阿卜杜拉·", "买买提", "扎西·", "次仁"} {
		if z, ok := sizes[l]; !ok || z < s/2 {
			t.Errorf("%q: %.2f mm (printed: %v) beside %.2f mm names, want a line of its own at half their size or more", l, z, ok, s)
		}
	}
}
