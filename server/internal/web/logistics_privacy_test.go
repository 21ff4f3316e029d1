package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/mask"
	"huiwu/server/internal/testkit"
)

// logisticsWords mark an API route as logistics (issue 12): travel,
// stations, vehicles and their runs, pickups, hotel stays and rooms.
var logisticsWords = []string{"/travel", "/stations", "/vehicles", "/runs", "/legs", "/logistics", "/pickup", "/stays",
	"/rooms", "/hotel", "/transport"}

// logisticsRoutes walks the app's routes for the logistics ones, so that
// a route added later is held to the same rules without a line here.
func logisticsRoutes(srv *testkit.Server) (out [][2]string) {
	seen := map[string]bool{}
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" || seen[r.Method+r.Path] {
			continue
		}
		for _, w := range logisticsWords {
			if strings.Contains(r.Path, w) {
				seen[r.Method+r.Path] = true
				out = append(out, [2]string{r.Method, r.Path})
				break
			}
		}
	}
	return out
}

// TestLogisticsPrivacy (issue 12.7): travel plans and rooms are for the
// desk and logistics roles. Every logistics route refuses an usher, a
// screen, the chair and a kiosk; the desk and logistics staff get past the
// door (the desk's exports are the desk's); and no logistics answer — JSON, a PDF sheet, a workbook — carries
// an ID number, whole or masked.
func TestLogisticsPrivacy(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	refused := map[string]string{"usher": testkit.UserToken(t, srv, "usher"), "screen": testkit.UserToken(t, srv, "screen"),
		"chair": testkit.UserToken(t, srv, "chair"), "kiosk": kiosk}
	admitted := map[string]string{"desk": testkit.UserToken(t, srv, "desk"), "logistics": testkit.UserToken(t, srv, "logistics")}

	// Real ids for the routes' parameters: someone who travels, has a room
	// and an ID number, their leg, a station, a vehicle if there is one.
	db := srv.App.DB.ForTest().R
	var attendee, leg, station, vehicle int64
	db.QueryRow(`SELECT a.id, l.id FROM attendees a JOIN travel_legs l ON l.attendee_id = a.id AND l.direction = 'arrival'
		JOIN lodging g ON g.attendee_id = a.id WHERE a.id_number <> '' ORDER BY a.id LIMIT 1`).Scan(&attendee, &leg)
	db.QueryRow(`SELECT id FROM stations ORDER BY sort, id LIMIT 1`).Scan(&station)
	db.QueryRow(`SELECT coalesce(min(id), 1) FROM vehicles`).Scan(&vehicle)
	if attendee == 0 || station == 0 {
		t.Fatal("the demo has no traveller with a room and an ID number, or no station")
	}
	fill := func(path string) string {
		parts := strings.Split(path, "/")
		for i, p := range parts {
			if !strings.HasPrefix(p, ":") {
				continue
			}
			v := attendee
			switch parts[i-1] {
			case "stations":
				v = station
			case "vehicles":
				v = vehicle
			case "legs":
				v = leg
			case "runs":
				v = 1
			}
			parts[i] = fmt.Sprint(v)
		}
		return strings.Join(parts, "/")
	}
	call := func(method, path, token string) (int, string, []byte) {
		var body io.Reader
		if method != "GET" && method != "DELETE" {
			body = strings.NewReader("{}")
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), b
	}

	routes := logisticsRoutes(srv)
	t.Logf("%d logistics routes", len(routes))
	var travel int
	for _, r := range routes {
		if strings.HasSuffix(r[1], "/attendees/:id/travel") {
			travel++
		}
	}
	if travel != 2 {
		t.Fatalf("the walk missed the travel routes: %v", routes)
	}
	for _, r := range routes {
		path := fill(r[1])
		for who, token := range refused {
			if st, _, b := call(r[0], path, token); st != http.StatusForbidden {
				t.Errorf("%s %s as %s: HTTP %d %s, want 403", r[0], path, who, st, truncate(b))
			}
		}
		// Both the desk and logistics read every logistics list, the
		// 住宿名单 (rooms.xlsx) among them.
		if r[0] != "GET" {
			continue
		}
		for who, token := range admitted {
			if st, _, b := call(r[0], path, token); st == http.StatusForbidden || st == http.StatusUnauthorized {
				t.Errorf("%s %s as %s: HTTP %d %s", r[0], path, who, st, truncate(b))
			}
		}
	}

	// No ID number, whole or masked, in what any logistics GET answers.
	rows, err := db.Query(`SELECT id_number FROM attendees WHERE id_number <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		ids = append(ids, s, mask.IDNumber(s))
	}
	rows.Close()
	for _, r := range routes {
		if r[0] != "GET" {
			continue
		}
		path := fill(r[1])
		st, ctype, b := call("GET", path, testkit.AdminToken)
		text := readable(t, ctype, b)
		if strings.Contains(text, "id_number") {
			t.Errorf("GET %s (HTTP %d) has an id_number field", path, st)
		}
		for _, id := range ids {
			if strings.Contains(text, id) {
				t.Errorf("GET %s (HTTP %d, %s) shows ID number %s", path, st, ctype, id)
				break
			}
		}
	}
}

// readable is an answer's text: a PDF through pdftotext, a workbook's
// cells, anything else as it came.
func readable(t *testing.T, ctype string, b []byte) string {
	t.Helper()
	switch {
	case strings.Contains(ctype, "pdf"):
		dir := t.TempDir()
		f := filepath.Join(dir, "a.pdf")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return string(out)
	case strings.Contains(ctype, "spreadsheet"):
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("workbook: %v", err)
		}
		defer x.Close()
		var sb strings.Builder
		for _, sheet := range x.GetSheetList() {
			rows, _ := x.GetRows(sheet)
			for _, r := range rows {
				sb.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
		return sb.String()
	}
	return string(b)
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
