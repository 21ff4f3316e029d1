package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestLoadScriptShort runs scripts/load in its short (CI) mode against a
// real server. It checks that the tool measures, not how fast this machine
// is: every scan answered, no errors, pushes seen, screens in order.
func TestLoadScriptShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the load script")
	}
	s := startServer(t)
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command("go", "run", "../scripts/load", "-short", "-server", s.base, "-token", adminToken,
		"-disk", t.TempDir(), "-json", out)
	cmd.Stderr = os.Stderr
	text, err := cmd.Output()
	t.Logf("%s", text)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Scans       uint64         `json:"scans"`
		Statuses    map[string]int `json:"statuses"`
		Errors      map[string]int `json:"errors"`
		PushLatency struct {
			Count uint64 `json:"count"`
		} `json:"push_latency"`
		Gaps       int     `json:"seq_gaps"`
		OutOfOrder int     `json:"out_of_order"`
		Dropped    int     `json:"subscribers_dropped"`
		RawCommits float64 `json:"raw_commits_per_second"`
		RSS        float64 `json:"server_rss_mb"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Scans < 100 || len(rep.Errors) > 0 || rep.Statuses["ok"] == 0 {
		t.Errorf("scans %d, statuses %v, errors %v", rep.Scans, rep.Statuses, rep.Errors)
	}
	if rep.PushLatency.Count == 0 || rep.RawCommits <= 0 || rep.RSS <= 0 {
		t.Errorf("push samples %d, raw commits %v, rss %v", rep.PushLatency.Count, rep.RawCommits, rep.RSS)
	}
	if rep.Gaps+rep.OutOfOrder+rep.Dropped != 0 {
		t.Errorf("screens saw %d gaps, %d out of order, %d dropped", rep.Gaps, rep.OutOfOrder, rep.Dropped)
	}
}
