package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"huiwu/server/internal/store"
)

// TestDiskFull runs the server on a small tmpfs, fills it, and checks that a
// scan gets a clear error, nothing is corrupted, and service resumes when
// space returns. Mounting needs root (CI runs as root).
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	data := filepath.Join(mnt, "data")
	s := startServerOn(t, data)

	tokens := make([]string, 40)
	for i := range tokens {
		var c struct{ Token string }
		s.call("GET", fmt.Sprintf("/attendees/%d/credential", i+1), adminToken, nil, &c)
		tokens[i] = c.Token
	}
	filler := filepath.Join(mnt, "filler")
	f, _ := os.Create(filler)
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()

	full := 0
	for i, tok := range tokens[:20] {
		var e apiErr
		code := s.call("POST", "/checkins", adminToken, map[string]string{"token": tok, "checkpoint": "hall-east", "scan_id": fmt.Sprint("full", i)}, &e)
		if code == 507 && e.Error.Code == "disk_full" {
			full++
		} else if code != 200 {
			t.Errorf("scan on a full disk: HTTP %d %q", code, e.Error.Code)
		}
	}
	if full == 0 {
		t.Fatal("no scan met the full disk; the test proves nothing")
	}
	// An offline kiosk's batch on the full disk fails whole, so that the
	// kiosk keeps its queue (issue 10.12: it used to get bad_scan entries
	// inside a 200 and deleted its queue).
	var batch []map[string]any
	for i, tok := range tokens[:5] {
		batch = append(batch, map[string]any{"token": tok, "checkpoint": "hall-east", "scan_id": fmt.Sprint("fullbatch", i), "offline": true})
	}
	var be apiErr
	if code := s.call("POST", "/checkins/batch", adminToken, map[string]any{"scans": batch}, &be); code != 507 || be.Error.Code != "disk_full" {
		t.Errorf("batch on a full disk: HTTP %d %q, want 507 disk_full for the whole batch", code, be.Error.Code)
	}
	os.Remove(filler)
	for i, tok := range tokens[20:] {
		if r := s.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"after%d"}`, tok, i)); r.Status == "" {
			t.Fatalf("after space returned: %+v", r)
		}
	}
	db, err := store.Open(context.Background(), store.Config{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.IntegrityCheck(context.Background()); err != nil || v != "ok" {
		t.Fatalf("integrity_check after disk full: %q %v", v, err)
	}
	var stored int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE scan_id LIKE 'after%'`).Scan(&stored)
	if stored != 20 {
		t.Errorf("%d of 20 scans stored after space returned", stored)
	}
	db.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE scan_id LIKE 'fullbatch%'`).Scan(&stored)
	if stored != 0 {
		t.Errorf("%d scans of the failed batch were stored", stored)
	}
	t.Logf("%d of 20 scans refused with disk_full while the disk was full", full)
}

// TestFlappingKioskResends: a kiosk whose network drops after the server
// answered sends its queue again; each scan is in the log exactly once and
// gets the same answer.
func TestFlappingKioskResends(t *testing.T) {
	s := startServer(t)
	var scans []map[string]any
	for i := 1; i <= 5; i++ {
		var c struct{ Token string }
		s.call("GET", fmt.Sprintf("/attendees/%d/credential", i), adminToken, nil, &c)
		scans = append(scans, map[string]any{"token": c.Token, "checkpoint": "hall-east", "scan_id": fmt.Sprint("flap", i), "offline": true})
	}
	var first, again struct{ Results []map[string]any }
	for try := range 3 {
		out := &again
		if try == 0 {
			out = &first
		}
		if code := s.call("POST", "/checkins/batch", adminToken, map[string]any{"scans": scans}, out); code != 200 {
			t.Fatalf("batch: %d", code)
		}
	}
	for i := range scans {
		if fmt.Sprint(first.Results[i]) != fmt.Sprint(again.Results[i]) {
			t.Errorf("scan %d answered differently on resend:\n%v\n%v", i, first.Results[i], again.Results[i])
		}
	}
	db, err := store.Open(context.Background(), store.Config{Dir: s.data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE scan_id LIKE 'flap%'`).Scan(&n)
	if n != 5 {
		t.Errorf("%d log rows for 5 scans sent three times", n)
	}
}

// TestStaticPathTraversal: the page server never leaves the embedded tree.
func TestStaticPathTraversal(t *testing.T) {
	s := startServer(t)
	for _, p := range []string{"/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
		"/static/..%2f..%2f..%2fetc%2fpasswd", "/static/common/../../../go.mod"} {
		out, err := exec.Command("curl", "-s", "--path-as-is", s.base+p).Output()
		if err != nil {
			t.Fatal(err)
		}
		if body := string(out); strings.Contains(body, "root:") || strings.Contains(body, "module huiwu") {
			t.Errorf("%s served a file outside the embedded tree", p)
		}
	}
}
