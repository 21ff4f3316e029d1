package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/testkit"
)

// TestSummaryPDF (issue 13.5): the desk downloads the 会务总结; it carries
// the chair's sentence word for word as the chair's page answers it, and
// the archive ZIP carries the same PDF. Others may not download it.
func TestSummaryPDF(t *testing.T) {
	t.Parallel()
	// Loaded an hour and a half ago: the opening meeting is under way.
	srv := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	admin := "Bearer " + testkit.AdminToken
	var people []struct{ ID int64 }
	srv.Call("GET", "/attendees?limit=40", testkit.AdminToken, nil, &people)
	for i, p := range people[:30] {
		srv.Call("POST", "/checkins", testkit.AdminToken, map[string]any{"attendee_id": p.ID, "checkpoint": "hall-east",
			"scan_id": fmt.Sprint("sum", i)}, nil)
	}
	var chair struct {
		Counts struct {
			Statement string
			All       struct{ Expected int }
		} `json:"counts"`
	}
	if st := srv.Call("GET", "/sessions/opening/chair", testkit.AdminToken, nil, &chair); st != 200 || chair.Counts.Statement == "" {
		t.Fatalf("chair view: HTTP %d %+v", st, chair)
	}

	resp, pdf := get(t, srv.URL+"/api/v1/exports/summary.pdf", "Authorization", admin)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("summary.pdf: HTTP %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), pdf)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "summary-") {
		t.Errorf("Content-Disposition %q", cd)
	}
	pdftest.Shot(t, "summary/summary.pdf", pdf)
	text := strings.Join(strings.Fields(pdftotext(t, pdf)), "")
	for _, want := range []string{"会务总结", "一、出席情况", "八、异常情况", chair.Counts.Statement} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	// 应到 is the chair's, of the counted categories, everywhere: the
	// whole list (列席 and staff too) is called 名单, never 应到.
	if all := fmt.Sprintf("应到%d", chair.Counts.All.Expected); strings.Contains(text, all) {
		t.Errorf("the summary calls the whole list %q", all)
	}

	resp, zipped := get(t, srv.URL+"/api/v1/exports/archive.zip", "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("archive.zip: HTTP %d", resp.StatusCode)
	}
	z, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	var inZip []byte
	var note string
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		switch f.Name {
		case "会务总结.pdf":
			inZip = b
		case "说明.txt":
			note = string(b)
		}
	}
	if !bytes.HasPrefix(inZip, []byte("%PDF")) {
		t.Fatalf("the archive has no 会务总结.pdf (%d bytes)", len(inZip))
	}
	if !strings.Contains(strings.Join(strings.Fields(pdftotext(t, inZip)), ""), chair.Counts.Statement) {
		t.Error("the archive's summary lacks the chair's sentence")
	}
	if !strings.Contains(note, "会务总结.pdf") {
		t.Errorf("说明.txt does not list the summary:\n%s", note)
	}

	usher := testkit.UserToken(t, srv, "usher")
	if resp, _ := get(t, srv.URL+"/api/v1/exports/summary.pdf", "Authorization", "Bearer "+usher); resp.StatusCode != 403 {
		t.Errorf("an usher downloads the summary: HTTP %d, want 403", resp.StatusCode)
	}
}
