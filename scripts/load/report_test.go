package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportNeverHoldsToken: the JSON report carries the run's settings
// but never the admin token it ran with, whatever its path.
func TestReportNeverHoldsToken(t *testing.T) {
	const token = "admin-secret-7f3a"
	rep := &Report{Config: Config{Servers: []string{"http://127.0.0.1:8080"}, Token: token, Kiosks: 2},
		Statuses: map[string]int{"ok": 1}, Errors: map[string]int{}}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := writeReport(path, rep); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), token) {
		t.Fatalf("the report holds the token:\n%s", b)
	}
	if !strings.Contains(string(b), `"Kiosks": 2`) {
		t.Errorf("the report lost the run's settings:\n%s", b)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("the report is readable by others: %v %v", fi.Mode(), err)
	}
}

// TestReportDefaultsOutsideRepo: without -json the report goes to the
// system's temporary directory, never into the working tree; -json FILE
// is taken as given.
func TestReportDefaultsOutsideRepo(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	repo := filepath.Dir(strings.TrimSpace(string(out)))
	now := time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)
	p := reportPath("", now)
	if !filepath.IsAbs(p) || filepath.Dir(p) != os.TempDir() || !strings.HasSuffix(p, ".json") {
		t.Errorf("default report path %q, want a .json file in %s", p, os.TempDir())
	}
	if rel, err := filepath.Rel(repo, p); err == nil && !strings.HasPrefix(rel, "..") {
		t.Errorf("default report path %q is inside the repository %s", p, repo)
	}
	if p == reportPath("", now.Add(time.Second)) {
		t.Errorf("two runs a second apart share the report path %q", p)
	}
	if got := reportPath("out/r.json", now); got != "out/r.json" {
		t.Errorf("-json out/r.json gave %q", got)
	}
}
