package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestKillDuringScans: scans flow from several goroutines, the server is
// killed with SIGKILL mid-stream and started again, twenty times on the same
// data; every scan that was ever answered is in the log and the database
// passes its integrity check after each kill.
func TestKillDuringScans(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	bin := huiwuBinary(t)
	data := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr + "/api/v1"

	answered := map[string]string{} // scan id -> status, over all rounds
	const rounds = 20
	for round := range rounds {
		proc := startBinary(t, bin, addr, data)
		tokens := make([]string, 60)
		for i := range tokens {
			var c struct{ Token string }
			getJSON(t, fmt.Sprintf("%s/attendees/%d/credential", base, i+1), &c)
			tokens[i] = c.Token
		}
		got := scanUntilKilled(base, tokens, fmt.Sprint("r", round), proc, time.Duration(200+round*37%400)*time.Millisecond)
		for id, st := range got {
			answered[id] = st
		}
		lost := checkLog(t, data, answered)
		if lost > 0 {
			t.Fatalf("round %d: %d of %d answered scans lost", round, lost, len(answered))
		}
	}
	if len(answered) < rounds*20 {
		t.Fatalf("only %d scans answered over %d rounds; the test proves little", len(answered), rounds)
	}
	t.Logf("%d answered scans over %d SIGKILLs, all in the log, integrity ok each time", len(answered), rounds)

	// The server starts again on the same data and still knows the scans.
	proc := startBinary(t, bin, addr, data)
	defer func() {
		proc.Process.Signal(syscall.SIGTERM)
		proc.Wait()
	}()
	var att struct{ Present int }
	getJSON(t, base+"/sessions/opening/attendance", &att)
	if att.Present == 0 {
		t.Error("no one present after restart")
	}
}

// scanUntilKilled scans from 8 goroutines, kills the server with SIGKILL
// after d, and returns the scans that were answered.
func scanUntilKilled(base string, tokens []string, prefix string, proc *exec.Cmd, d time.Duration) map[string]string {
	var mu sync.Mutex
	answered := map[string]string{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("%s-g%d-%d", prefix, g, n)
				body, _ := json.Marshal(map[string]string{"token": tokens[(g*7+n)%len(tokens)],
					"checkpoint": []string{"hall-east", "hall-exit", "dining1", "dining2", "hotel-desk"}[n%5], "scan_id": id})
				req, _ := http.NewRequest("POST", base+"/checkins", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+adminToken)
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var r struct{ Status string }
				err = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if err == nil && resp.StatusCode == 200 && r.Status != "" {
					mu.Lock()
					answered[id] = r.Status
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(d) // let scans flow; the kill must land mid-stream
	proc.Process.Signal(syscall.SIGKILL)
	proc.Wait()
	close(stop)
	wg.Wait()
	return answered
}

// checkLog opens the killed server's database, checks its integrity and
// counts answered scans missing from the log (or logged otherwise).
func checkLog(t *testing.T, data string, answered map[string]string) int {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if verdict, err := db.IntegrityCheck(ctx); err != nil || verdict != "ok" {
		t.Fatalf("integrity_check: %q %v", verdict, err)
	}
	lost := 0
	for id, status := range answered {
		var got string
		// Looked up by the log's key: scan ids belong to their sender.
		if err := db.ForTest().R.QueryRow(`SELECT status FROM scans WHERE source = 'actor:admin' AND scan_id = ?`, id).Scan(&got); err != nil || got != status {
			lost++
			if lost < 5 {
				t.Errorf("scan %s answered %s is in the log as %q (%v)", id, status, got, err)
			}
		}
	}
	return lost
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startBinary(t *testing.T, bin, addr, data string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "-demo", "-admin-token", adminToken, "-addr", addr, "-data", data)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A minute: the binary is a race build (huiwuBinary), and the first
	// start loads the demo; on CI's loaded machine 15 s was too short.
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			return cmd
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}
