// Command bodyflood measures what large request bodies from callers
// without a token cost a Huiwu server: it reads the server's memory
// (GET /api/v1/health), sends N large posts at once, each on its own
// connection, watches the memory while they run, and reads it again after.
//
//	go run ./scripts/bodyflood -server http://127.0.0.1:8080 -n 60 -size 11MB
//
// For each post it notes the answer and how much of the body had been sent
// when the answer came: a server that refuses before reading answers after
// a few kilobytes; one that buffers first answers only after the whole body.
//
// Loopback only, at most 500 posts of at most 64 MB, and the whole run ends
// after -timeout.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"huiwu/scripts/internal/loopback"
)

const (
	maxPosts = 500
	maxSize  = 64 << 20
)

// Config is one run.
type Config struct {
	Server  string
	Path    string
	Token   string // "" sends no Authorization header, as an attacker would
	Type    string // the Content-Type header
	N       int
	Size    int64
	Timeout time.Duration
}

func main() {
	var cfg Config
	var size string
	flag.StringVar(&cfg.Server, "server", "http://127.0.0.1:8080", "server base `URL` (loopback only)")
	flag.StringVar(&cfg.Path, "path", "/api/v1/checkins", "`path` to post to")
	flag.StringVar(&cfg.Token, "token", "", "bearer `token` to send (default none)")
	flag.StringVar(&cfg.Type, "type", "application/json", "Content-Type `header` (e.g. \"multipart/form-data; boundary=x\")")
	flag.IntVar(&cfg.N, "n", 60, "posts, all at once (at most 500)")
	flag.StringVar(&size, "size", "11MB", "body `size` of each post (KB or MB suffix; at most 64MB)")
	flag.DurationVar(&cfg.Timeout, "timeout", 60*time.Second, "end the run after this long")
	flag.Parse()
	var err error
	if cfg.Size, err = parseSize(size); err != nil {
		fail(2, err)
	}
	if cfg.N < 1 || cfg.N > maxPosts || cfg.Size < 1 || cfg.Size > maxSize {
		fail(2, fmt.Errorf("-n must be 1…%d and -size 1 B…64 MB", maxPosts))
	}
	if err := loopback.Check(cfg.Server); err != nil {
		fail(2, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		fail(1, err)
	}
	rep.print(os.Stdout, cfg)
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "bodyflood:", err)
	os.Exit(code)
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch u := strings.ToUpper(s); {
	case strings.HasSuffix(u, "MB"):
		mult, s = 1<<20, s[:len(s)-2]
	case strings.HasSuffix(u, "KB"):
		mult, s = 1<<10, s[:len(s)-2]
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	return int64(n * float64(mult)), nil
}

// Report is what one run saw.
type Report struct {
	Before, Peak, After memory
	Statuses            map[string]int // "401", "413", "error: …"
	// SentWhenAnswered is, per post that got an answer, the share of its
	// body sent before the answer arrived, sorted.
	SentWhenAnswered []float64
	Took             time.Duration
}

type memory struct {
	RSS  int64 `json:"rss_bytes"`
	Heap int64 `json:"heap_inuse_bytes"`
}

func (r *Report) print(w io.Writer, cfg Config) {
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "%d posts of %s to %s, token %v, in %v\n", cfg.N, mb(cfg.Size), cfg.Path, cfg.Token != "", r.Took.Round(time.Millisecond))
	fmt.Fprintf(w, "server RSS  before %s  peak %s  after %s\n", mb(r.Before.RSS), mb(r.Peak.RSS), mb(r.After.RSS))
	fmt.Fprintf(w, "server heap before %s  peak %s  after %s\n", mb(r.Before.Heap), mb(r.Peak.Heap), mb(r.After.Heap))
	keys := make([]string, 0, len(r.Statuses))
	for k := range r.Statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "answers %s: %d\n", k, r.Statuses[k])
	}
	if n := len(r.SentWhenAnswered); n > 0 {
		fmt.Fprintf(w, "body sent when the answer came: min %.1f%%  median %.1f%%  max %.1f%%\n",
			100*r.SentWhenAnswered[0], 100*r.SentWhenAnswered[n/2], 100*r.SentWhenAnswered[n-1])
	}
}

// Run makes the measurement.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	u, err := url.Parse(cfg.Server)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	rep := &Report{Statuses: map[string]int{}}
	if rep.Before, err = health(ctx, hc, cfg.Server); err != nil {
		return nil, fmt.Errorf("health before: %w", err)
	}
	rep.Peak = rep.Before

	// Watch the memory while the posts run.
	watchDone := make(chan struct{})
	stopWatch := make(chan struct{})
	go func() {
		defer close(watchDone)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopWatch:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if m, err := health(ctx, hc, cfg.Server); err == nil {
				rep.Peak.RSS = max(rep.Peak.RSS, m.RSS)
				rep.Peak.Heap = max(rep.Peak.Heap, m.Heap)
			}
		}
	}()

	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	ready.Add(cfg.N)
	gate := make(chan struct{})
	for range cfg.N {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", u.Host)
			ready.Done()
			if err != nil {
				mu.Lock()
				rep.Statuses["error: "+shortErr(err)]++
				mu.Unlock()
				return
			}
			defer conn.Close()
			// A small send buffer, so that "sent" is near what the server
			// has taken in rather than what sits in this machine's buffers.
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetWriteBuffer(64 << 10)
			}
			<-gate
			status, share, err := post(ctx, conn, u.Host, cfg)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				rep.Statuses["error: "+shortErr(err)]++
				return
			}
			rep.Statuses[strconv.Itoa(status)]++
			rep.SentWhenAnswered = append(rep.SentWhenAnswered, share)
		}()
	}
	ready.Wait()
	close(gate)
	wg.Wait()
	rep.Took = time.Since(start)
	// One more look at the peak, then let the server settle a moment: a
	// freed body is garbage until the collector runs.
	if m, err := health(ctx, hc, cfg.Server); err == nil {
		rep.Peak.RSS = max(rep.Peak.RSS, m.RSS)
		rep.Peak.Heap = max(rep.Peak.Heap, m.Heap)
	}
	close(stopWatch)
	<-watchDone
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(time.Second):
	}
	if rep.After, err = health(ctx, hc, cfg.Server); err != nil {
		return nil, fmt.Errorf("health after: %w", err)
	}
	sort.Float64s(rep.SentWhenAnswered)
	return rep, nil
}

// post writes one request on conn and sends its body in 64 KB pieces while
// reading the answer; it stops sending once the answer has come. It answers
// the status and the share of the body sent by then.
func post(ctx context.Context, conn net.Conn, host string, cfg Config) (int, float64, error) {
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n", cfg.Path, host, cfg.Type, cfg.Size)
	if cfg.Token != "" {
		head += "Authorization: Bearer " + cfg.Token + "\r\n"
	}
	if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
		return 0, 0, err
	}
	var sent atomic.Int64
	answered := make(chan struct{})
	var status int
	var readErr error
	go func() {
		defer close(answered)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			readErr = err
			return
		}
		status = resp.StatusCode
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
	}()
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = ' '
	}
	var sentAtAnswer int64 = -1
write:
	for sent.Load() < cfg.Size {
		select {
		case <-answered:
			sentAtAnswer = sent.Load()
			break write
		default:
		}
		n := min(int64(len(chunk)), cfg.Size-sent.Load())
		w, err := conn.Write(chunk[:n])
		sent.Add(int64(w))
		if err != nil {
			break // the server closed: its answer may still be there to read
		}
	}
	<-answered
	if sentAtAnswer < 0 {
		sentAtAnswer = sent.Load()
	}
	if readErr != nil && status == 0 {
		return 0, 0, readErr
	}
	return status, float64(sentAtAnswer) / float64(cfg.Size), nil
}

func health(ctx context.Context, hc *http.Client, server string) (memory, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", server+"/api/v1/health", nil)
	if err != nil {
		return memory{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return memory{}, err
	}
	defer resp.Body.Close()
	var h struct {
		Memory memory `json:"memory"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return memory{}, err
	}
	if h.Memory.RSS == 0 && h.Memory.Heap == 0 {
		return memory{}, errors.New("the server reports no memory figures")
	}
	return h.Memory, nil
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
