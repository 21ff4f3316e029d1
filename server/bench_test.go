package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/store"
)

// The scan path end to end: HTTP request, token verification, decision,
// durable commit (synchronous=FULL) and the live push to 200 websocket
// subscribers. Run with
//
//	go test ./server -run '^$' -bench 'Scan|RawCommit' -benchtime 3000x
//
// and compare scans/s with BenchmarkRawCommit from the same run: the raw rate
// is what the disk allows one transaction at a time; group commit is how the
// engine can beat it under concurrency.

func BenchmarkScan1Client(b *testing.B)   { benchmarkScans(b, 1) }
func BenchmarkScan16Clients(b *testing.B) { benchmarkScans(b, 16) }

func benchmarkScans(b *testing.B, clients int) {
	s := startServer(&testing.T{})
	tokens := fetchTokens(b, s, 600)
	subs := subscribe(b, s, 200)
	defer subs.close()

	var next atomic.Int64
	latencies := make([][]time.Duration, clients)
	checkpoints := []string{"hall-east", "hall-west", "hall-exit", "dining1", "dining2", "hotel-desk"}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				body, _ := json.Marshal(map[string]string{"token": tokens[n%int64(len(tokens))],
					"checkpoint": checkpoints[(n/int64(len(tokens)))%int64(len(checkpoints))], "scan_id": fmt.Sprintf("b%d-%d", clients, n)})
				req, _ := http.NewRequest("POST", s.base+"/api/v1/checkins", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+adminToken)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				var r struct{ Status string }
				json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if r.Status == "" {
					b.Errorf("scan answered HTTP %d with no status", resp.StatusCode)
					return
				}
				latencies[c] = append(latencies[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(latencies...)
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "scans/s")
	b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
	b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
	b.ReportMetric(float64(subs.received.Load())/float64(len(subs.conns)), "msgs/subscriber")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fetchTokens(b *testing.B, s *server, n int) []string {
	out := make([]string, 0, n)
	for id := 1; id <= n; id++ {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/attendees/%d/credential", s.base, id), nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var c struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&c)
		resp.Body.Close()
		out = append(out, c.Token)
	}
	return out
}

// subscribers are websocket clients reading the attendance topic.
type subscribers struct {
	conns    []*websocket.Conn
	received atomic.Int64
	wg       sync.WaitGroup
}

func subscribe(b *testing.B, s *server, n int) *subscribers {
	subs := &subscribers{}
	url := strings.Replace(s.base, "http", "ws", 1) + "/ws?topics=attendance&token=" + adminToken
	for range n {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		subs.conns = append(subs.conns, c)
		subs.wg.Add(1)
		go func() {
			defer subs.wg.Done()
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
				subs.received.Add(1)
			}
		}()
	}
	return subs
}

func (s *subscribers) close() {
	for _, c := range s.conns {
		c.Close()
	}
	s.wg.Wait()
}

// BenchmarkRawCommit is SQLite's durable single-row commit rate on this disk
// with the store's own settings (WAL, synchronous=FULL): the yardstick for
// the scan benchmarks.
func BenchmarkRawCommit(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ForTest().W.Exec(`CREATE TABLE bench (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if _, err := db.ForTest().W.Exec(`INSERT INTO bench (v) VALUES (?)`, fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
}

// BenchmarkPushLatency measures check-in → screen: one scan that moves the
// opening's 实到, timed from sending the scan until all 200 subscribers have
// received the delta that shows it.
func BenchmarkPushLatency(b *testing.B) {
	s := startServer(&testing.T{})
	n := min(b.N, 400)
	tokens := fetchTokens(b, s, n)
	url := strings.Replace(s.base, "http", "ws", 1) + "/ws?topics=attendance&token=" + adminToken
	seen := make(chan int, 200*n)
	var conns []*websocket.Conn
	for range 200 {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
		go func() {
			for {
				var m struct {
					Type string
					Data struct {
						SessionID string `json:"session_id"`
						Present   int    `json:"present"`
					}
				}
				if err := c.ReadJSON(&m); err != nil {
					return
				}
				if m.Type == "delta" && m.Data.SessionID == "opening" {
					seen <- m.Data.Present
				}
			}
		}()
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var lat []time.Duration
	present := 0
	b.ResetTimer()
	for i := range n {
		t0 := time.Now()
		body, _ := json.Marshal(map[string]string{"token": tokens[i], "checkpoint": "hall-east", "scan_id": fmt.Sprint("p", i)})
		req, _ := http.NewRequest("POST", s.base+"/api/v1/checkins", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var r struct{ Status string }
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if r.Status != "ok" {
			continue // not on the opening's list: counts do not move
		}
		present++
		got := 0
		timeout := time.After(5 * time.Second)
		for got < 200 {
			select {
			case p := <-seen:
				if p >= present {
					got++
				}
			case <-timeout:
				b.Fatalf("only %d of 200 subscribers saw present=%d", got, present)
			}
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
		b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	}
}
