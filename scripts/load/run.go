package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// watchedSession is the session whose 实到 the push latency follows: the
// demo's opening meeting, open from the moment the demo is loaded.
const watchedSession = "opening"

// Report is what a run measured.
type Report struct {
	Config Config `json:"config"`
	// Servers is how many servers took the load; Database is the one they
	// share, as their /health says ("sqlite", "postgres").
	Servers     int        `json:"servers"`
	Database    string     `json:"database"`
	Attendees   int        `json:"attendees"`
	Scans       uint64     `json:"scans"`
	Throughput  float64    `json:"scans_per_second"`
	ScanLatency summary    `json:"scan_latency"`
	Slowest     []slowScan `json:"slowest_scans"` // when in the run the worst waits were
	PushLatency summary    `json:"push_latency"`
	// With several servers, PushLatency split by the screen's server:
	// the one that took the check-in, or another (through the database);
	// and the same split counted from the scan's answer instead, which
	// leaves out the time the scan waited for the server (the delivery
	// alone, where a slow feed between servers would show).
	PushSame       *summary       `json:"push_latency_same_server,omitempty"`
	PushOther      *summary       `json:"push_latency_other_server,omitempty"`
	PushSameAfter  *summary       `json:"push_after_answer_same_server,omitempty"`
	PushOtherAfter *summary       `json:"push_after_answer_other_server,omitempty"`
	Statuses       map[string]int `json:"statuses"`
	Errors         map[string]int `json:"errors"`
	Subscribers    int            `json:"subscribers_connected"`
	Gaps           int            `json:"seq_gaps"`
	OutOfOrder     int            `json:"out_of_order"`
	Disconnected   int            `json:"subscribers_dropped"`
	RawCommits     float64        `json:"raw_commits_per_second"`
	Ratio          float64        `json:"throughput_over_raw_commit"`
	// ServerRSSMB and ServerHeapMB add up the servers'; Health has each.
	ServerRSSMB  float64        `json:"server_rss_mb"`
	ServerHeapMB float64        `json:"server_heap_mb"`
	Health       []serverHealth `json:"server_health"`
	Import       *importRun     `json:"import,omitempty"`
}

// serverHealth is one server's /health after the run.
type serverHealth struct {
	URL      string  `json:"url"`
	Database string  `json:"database"`
	RSSMB    float64 `json:"rss_mb"`
	HeapMB   float64 `json:"heap_mb"`
	// FeedLagMS is how far its feed from the other servers is behind
	// (PostgreSQL only).
	FeedLagMS *int64 `json:"feed_lag_ms,omitempty"`
}

// client talks to the server's API.
type client struct {
	base  string
	token string
	http  *http.Client
}

func (c *client) do(ctx context.Context, method, path, ctype string, body []byte, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/api/v1"+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode < 300 {
		err = json.Unmarshal(b, out)
	}
	return resp.StatusCode, err
}

func newClient(base, token string, conns int) *client {
	return &client{base: strings.TrimRight(base, "/"), token: token,
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns}}}
}

// Run performs one load run. Kiosk k scans at server k mod len(Servers),
// and screen i listens on server i mod len(Servers).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	clients := make([]*client, len(cfg.Servers))
	for i, s := range cfg.Servers {
		clients[i] = newClient(s, cfg.Token, cfg.Kiosks/len(cfg.Servers)+8)
	}
	c := clients[0]
	rep := &Report{Config: cfg, Servers: len(clients), Statuses: map[string]int{}, Errors: map[string]int{}}
	if cfg.Seed > 0 {
		if err := seed(ctx, c, cfg.Seed); err != nil {
			return nil, fmt.Errorf("seed attendees: %w", err)
		}
	}
	tokens, err := credentials(ctx, c)
	if err != nil {
		return nil, err
	}
	rep.Attendees = len(tokens)

	subs, err := subscribe(ctx, clients, cfg.Subscribers)
	if err != nil {
		return nil, err
	}
	rep.Subscribers = len(subs.conns)

	var imp *importRun
	var list []byte
	if cfg.ImportRows > 0 {
		imp, list = &importRun{Rows: cfg.ImportRows}, importList(cfg.ImportRows)
	}
	oks := &okLog{}
	scans := &histogram{}
	slow := &slowest{}
	var mu sync.Mutex
	count := func(m map[string]int, k string) {
		mu.Lock()
		m[k]++
		mu.Unlock()
	}
	var next atomic.Int64
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	interval := time.Duration(float64(time.Second) * float64(cfg.Kiosks) / cfg.Rate)
	var wg sync.WaitGroup
	if imp != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			imp.run(ctx, c, start.Add(cfg.ImportAt), list)
		}()
	}
	for k := range cfg.Kiosks {
		wg.Add(1)
		server := k % len(clients)
		c := clients[server]
		go func() {
			defer wg.Done()
			// Open loop: each kiosk has a schedule; a late answer does not
			// delay the next scan's intended time, and latency counts from
			// that intended time.
			due := start.Add(time.Duration(k) * interval / time.Duration(cfg.Kiosks))
			for due.Before(deadline) && ctx.Err() == nil {
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
				n := next.Add(1)
				status, err := scan(ctx, c, tokens[int(n)%len(tokens)], checkpointFor(n), fmt.Sprintf("load-%s-%d", runID, n))
				switch {
				case err != nil:
					count(rep.Errors, err.Error())
				default:
					count(rep.Statuses, status.Status)
					if status.Status == "ok" && status.Session == watchedSession {
						oks.add(due, time.Now(), server)
					}
				}
				scans.add(time.Since(due))
				slow.add(due.Sub(start), time.Since(due))
				imp.observe(due, time.Since(due))
				due = due.Add(interval)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	// Let the last deltas arrive before closing the screens.
	time.Sleep(300 * time.Millisecond)
	subs.close()

	rep.Scans = scans.count()
	rep.Throughput = float64(rep.Scans) / elapsed.Seconds()
	rep.ScanLatency = scans.summary()
	rep.Slowest = slow.list()
	push := subs.pushLatency(oks)
	rep.PushLatency = push.all.summary()
	if len(clients) > 1 {
		s, o, sa, oa := push.same.summary(), push.other.summary(), push.sameAfter.summary(), push.otherAfter.summary()
		rep.PushSame, rep.PushOther, rep.PushSameAfter, rep.PushOtherAfter = &s, &o, &sa, &oa
	}
	if imp != nil {
		imp.finish()
		rep.Import = imp
	}
	rep.Gaps, rep.OutOfOrder, rep.Disconnected = subs.gaps, subs.outOfOrder, subs.dropped
	rep.RawCommits, err = rawCommitRate(cfg.DiskDir, 2*time.Second)
	if err != nil {
		return nil, fmt.Errorf("raw commit rate: %w", err)
	}
	if rep.RawCommits > 0 {
		rep.Ratio = rep.Throughput / rep.RawCommits
	}
	rep.health(ctx, clients)
	return rep, nil
}

// health reads every server's /health: the database they share, memory,
// and on PostgreSQL how far each one's feed is behind.
func (rep *Report) health(ctx context.Context, clients []*client) {
	var dbs []string
	for _, c := range clients {
		var h struct {
			Database string `json:"database"`
			Memory   struct {
				RSS  int64 `json:"rss_bytes"`
				Heap int64 `json:"heap_inuse_bytes"`
			} `json:"memory"`
			FeedLagMS *int64 `json:"feed_lag_ms"`
		}
		sh := serverHealth{URL: c.base, Database: "unknown"}
		if code, err := c.do(ctx, "GET", "/health", "", nil, &h); err == nil && code == 200 {
			sh = serverHealth{URL: c.base, Database: h.Database, FeedLagMS: h.FeedLagMS,
				RSSMB: float64(h.Memory.RSS) / (1 << 20), HeapMB: float64(h.Memory.Heap) / (1 << 20)}
		}
		rep.Health = append(rep.Health, sh)
		rep.ServerRSSMB += sh.RSSMB
		rep.ServerHeapMB += sh.HeapMB
		if !slices.Contains(dbs, sh.Database) {
			dbs = append(dbs, sh.Database)
		}
	}
	rep.Database = strings.Join(dbs, ",")
}

// runID keeps scan ids unique across runs against one server.
var runID = func() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}()

// checkpointFor spreads scans the way a morning does: mostly the hall's
// doors, some exits and re-entries, some breakfast.
func checkpointFor(n int64) string {
	switch n % 10 {
	case 7:
		return "hall-exit"
	case 8:
		return "dining1"
	case 9:
		return "dining2"
	case 1, 3:
		return "hall-west"
	}
	return "hall-east"
}

type scanAnswer struct {
	Status  string `json:"status"`
	Session string `json:"session_id"`
}

func scan(ctx context.Context, c *client, token, checkpoint, id string) (scanAnswer, error) {
	body, _ := json.Marshal(map[string]string{"token": token, "checkpoint": checkpoint, "scan_id": id})
	var a scanAnswer
	code, err := c.do(ctx, "POST", "/checkins", "application/json", body, &a)
	if err != nil {
		return a, fmt.Errorf("transport: %v", shortErr(err))
	}
	if code != 200 {
		return a, fmt.Errorf("HTTP %d", code)
	}
	return a, nil
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// okLog keeps every ok at the watched session: its intended send time,
// when its answer came, and the server that took it. Sorted by send time, the k-th is taken to be
// the one that made the count rise by k (screens.pushLatency).
type okLog struct {
	mu  sync.Mutex
	oks []okScan
}

type okScan struct {
	due      time.Time
	answered time.Time
	server   int // index in Config.Servers
}

func (o *okLog) add(due, answered time.Time, server int) {
	o.mu.Lock()
	o.oks = append(o.oks, okScan{due, answered, server})
	o.mu.Unlock()
}

func (o *okLog) sorted() []okScan {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := slices.Clone(o.oks)
	slices.SortFunc(s, func(a, b okScan) int { return a.due.Compare(b.due) })
	return s
}

// credentials fetches every attendee's badge token.
func credentials(ctx context.Context, c *client) ([]string, error) {
	var list []struct {
		ID int64 `json:"id"`
	}
	if code, err := c.do(ctx, "GET", "/attendees?limit=20000", "", nil, &list); err != nil || code != 200 {
		return nil, fmt.Errorf("list attendees: HTTP %d %v", code, err)
	}
	tokens := make([]string, len(list))
	var wg sync.WaitGroup
	var firstErr atomic.Value
	work := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var cred struct{ Token string }
				if code, err := c.do(ctx, "GET", fmt.Sprintf("/attendees/%d/credential", list[i].ID), "", nil, &cred); err != nil || code != 200 {
					firstErr.CompareAndSwap(nil, fmt.Errorf("credential %d: HTTP %d %v", list[i].ID, code, err))
					continue
				}
				tokens[i] = cred.Token
			}
		}()
	}
	for i := range list {
		work <- i
	}
	close(work)
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, err
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("the event has no attendees")
	}
	return tokens, nil
}

// seed imports n generated deputies, expected at every plenary.
func seed(ctx context.Context, c *client, n int) error {
	var csv strings.Builder
	csv.WriteString("编号,姓名,单位,职务,类别,代表团,手机\n")
	for i := range n {
		fmt.Fprintf(&csv, "LOAD%06d,压测代表%06d,压测单位%d,代表,代表,压测代表团%d,139%08d\n", i, i, i%97, i%8, i)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "load.csv")
	fw.Write([]byte(csv.String()))
	mw.Close()
	var out map[string]any
	code, err := c.do(ctx, "POST", "/import", mw.FormDataContentType(), buf.Bytes(), &out)
	if err != nil || code != 200 {
		return fmt.Errorf("HTTP %d %v", code, err)
	}
	return nil
}
