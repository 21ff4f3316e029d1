package web_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

const admin = "Bearer " + testkit.AdminToken

// TestDelegationsList lists the delegations with how many active
// attendees each has, in the list's order: the desk's 代表团 suggestions.
func TestDelegationsList(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var list []struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	if st := srv.Call("GET", "/delegations", testkit.AdminToken, nil, &list); st != 200 {
		t.Fatalf("GET /delegations: HTTP %d", st)
	}
	var want int
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM delegations`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if len(list) != want || want == 0 {
		t.Fatalf("%d delegations listed, the database has %d", len(list), want)
	}
	for _, d := range list {
		var n int
		srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM attendees a JOIN delegations d ON d.id = a.delegation_id
			WHERE d.name = ? AND a.status = 'active'`, d.Name).Scan(&n)
		if d.Name == "" || d.Count != n {
			t.Errorf("delegation %q: count %d, want %d", d.Name, d.Count, n)
		}
	}
}

// TestCardShowsPrints prints a badge for someone who never had one: the
// card then gives the serial and the print log, newest first, with who
// printed it.
func TestCardShowsPrints(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var id int64
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT a.id FROM attendees a WHERE a.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM credentials c WHERE c.attendee_id = a.id) ORDER BY a.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatalf("an attendee without a badge: %v", err)
	}
	type card struct {
		Card struct {
			Serial int64 `json:"serial"`
		} `json:"card"`
		Prints []struct {
			Serial int64  `json:"serial"`
			Kind   string `json:"kind"`
			Actor  string `json:"actor"`
			At     string `json:"printed_at"`
		} `json:"prints"`
	}
	var before card
	srv.Call("GET", fmt.Sprintf("/attendees/%d/card", id), testkit.AdminToken, nil, &before)
	if before.Card.Serial != 0 || len(before.Prints) != 0 {
		t.Fatalf("before printing: serial %d, %d prints", before.Card.Serial, len(before.Prints))
	}
	resp, _ := get(t, fmt.Sprintf("%s/api/v1/attendees/%d/badge.pdf", srv.URL, id), "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("badge.pdf: HTTP %d", resp.StatusCode)
	}
	var after card
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/card", id), testkit.AdminToken, nil, &after); st != 200 {
		t.Fatalf("card: HTTP %d", st)
	}
	if after.Card.Serial == 0 || len(after.Prints) != 1 || after.Prints[0].Serial != after.Card.Serial ||
		after.Prints[0].Kind != "badge" || after.Prints[0].Actor == "" || !strings.HasSuffix(after.Prints[0].At, "+08:00") {
		t.Errorf("after printing: serial %d, prints %+v", after.Card.Serial, after.Prints)
	}
}

// TestBatchPrintJob starts a batch for one category and follows it: the
// status counts badges as they are made, and the PDF comes once done with
// every badge of the category in it.
func TestBatchPrintJob(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var want int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM attendees WHERE category = 'observer' AND status = 'active'`).Scan(&want)
	type job struct {
		ID     string `json:"id"`
		State  string `json:"state"`
		Phase  string `json:"phase"`
		Done   int    `json:"done"`
		Total  int    `json:"total"`
		Badges int    `json:"badges"`
		Pages  int    `json:"pages"`
	}
	var j job
	if st := srv.Call("POST", "/badges/batches", testkit.AdminToken, map[string]any{"category": "observer"}, &j); st != 202 {
		t.Fatalf("start a batch: HTTP %d", st)
	}
	if j.ID == "" || j.Total != want || want == 0 {
		t.Fatalf("batch %+v, want a total of %d", j, want)
	}
	seen := map[int]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for j.State != "done" {
		if j.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("batch %+v", j)
		}
		if j.Done < 0 || j.Done > j.Total {
			t.Fatalf("progress out of range: %+v", j)
		}
		seen[j.Done] = true
		time.Sleep(20 * time.Millisecond)
		if st := srv.Call("GET", "/badges/batches/"+j.ID, testkit.AdminToken, nil, &j); st != 200 {
			t.Fatalf("batch status: HTTP %d", st)
		}
	}
	if j.Badges != want || j.Pages == 0 || j.Done != j.Total {
		t.Errorf("finished batch %+v, want %d badges", j, want)
	}
	resp, pdf := get(t, srv.URL+"/api/v1/badges/batches/"+j.ID+"/pdf", "Authorization", admin)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("batch PDF: HTTP %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp.Header.Get("X-Badge-Count") != fmt.Sprint(want) {
		t.Errorf("X-Badge-Count %q, want %d", resp.Header.Get("X-Badge-Count"), want)
	}
	// Another desk's nothing-to-print is said at once, in both languages.
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if st := srv.Call("POST", "/badges/batches", testkit.AdminToken, map[string]any{"delegation": "没有这个代表团"}, &e); st != 404 || e.Error.Code != "nothing_to_print" {
		t.Errorf("empty batch: HTTP %d %q", st, e.Error.Code)
	}
	if st := srv.Call("GET", "/badges/batches/nope", testkit.AdminToken, nil, nil); st != 404 {
		t.Errorf("unknown batch: HTTP %d", st)
	}
}

// TestBanquetWithoutVenue asks for a meal's banquet plan without ?venue=:
// the answer is a PDF with every dining hall of that meal, one page each.
func TestBanquetWithoutVenue(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	resp, pdf := get(t, srv.URL+"/api/v1/meals/d1-dinner/banquet.pdf", "Authorization", admin)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("banquet.pdf without venue: HTTP %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), pdf)
	}
	text := pdftotext(t, pdf)
	for _, hall := range []string{"一号餐厅", "二号餐厅"} {
		if !strings.Contains(text, "第一天晚餐 · "+hall) {
			t.Errorf("the plan lacks %s:\n%.500s", hall, text)
		}
	}
	// Each page is one hall's (a hall may take several A4 pages).
	for i, page := range strings.Split(strings.TrimSuffix(text, "\f"), "\f") {
		if strings.Contains(page, "一号餐厅") == strings.Contains(page, "二号餐厅") {
			t.Errorf("page %d is not one hall's:\n%.300s", i+1, page)
		}
	}
	// One hall still works as before.
	if resp, _ := get(t, srv.URL+"/api/v1/meals/d1-dinner/banquet.pdf?venue=dining1", "Authorization", admin); resp.StatusCode != 200 {
		t.Errorf("with venue=dining1: HTTP %d", resp.StatusCode)
	}
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not installed: scripts/test installs poppler-utils")
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	return string(out)
}
