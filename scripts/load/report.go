package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"
)

func (r *Report) print(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "load: %d kiosks at %.0f scans/s for %v, %d subscribers, %d attendees\n",
		c.Kiosks, c.Rate, c.Duration, r.Subscribers, r.Attendees)
	fmt.Fprintf(w, "  servers      %d on %s; kiosks and screens dealt out over them in turn\n", r.Servers, r.Database)
	fmt.Fprintf(w, "  scans        %d answered, %.0f/s\n", r.Scans, r.Throughput)
	fmt.Fprintf(w, "  scan latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms\n",
		r.ScanLatency.P50, r.ScanLatency.P99, r.ScanLatency.P999, r.ScanLatency.Max)
	if len(r.Slowest) > 0 {
		fmt.Fprintf(w, "  slowest scans")
		for _, x := range r.Slowest {
			fmt.Fprintf(w, "  %.0f ms at +%.1f s", x.LatencyMS, x.DueS)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  push latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms (%d samples)\n",
		r.PushLatency.P50, r.PushLatency.P99, r.PushLatency.P999, r.PushLatency.Max, r.PushLatency.Count)
	for _, p := range []struct {
		where    string
		s, after *summary
	}{{"same server ", r.PushSame, r.PushSameAfter}, {"other server", r.PushOther, r.PushOtherAfter}} {
		if p.s != nil && p.after != nil {
			fmt.Fprintf(w, "    %s p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms (%d samples); after the answer p50 %.2f ms  p99 %.2f ms\n",
				p.where, p.s.P50, p.s.P99, p.s.P999, p.s.Max, p.s.Count, p.after.P50, p.after.P99)
		}
	}
	if i := r.Import; i != nil {
		fmt.Fprintf(w, "  import       %d rows: HTTP %d in %.2f s %s\n", i.Rows, i.Status, i.Seconds, i.Error)
		for _, h := range []struct {
			when string
			s    summary
		}{{"before", i.Before}, {"during", i.Scans}, {"10 s after", i.After}} {
			fmt.Fprintf(w, "  scans due %-10s the import: %5d, latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms\n",
				h.when, h.s.Count, h.s.P50, h.s.P99, h.s.P999, h.s.Max)
		}
	}
	fmt.Fprintf(w, "  statuses     %s\n", sortedCounts(r.Statuses))
	fmt.Fprintf(w, "  errors       %s\n", sortedCounts(r.Errors))
	fmt.Fprintf(w, "  screens      %d seq gaps, %d out of order, %d dropped\n", r.Gaps, r.OutOfOrder, r.Disconnected)
	fmt.Fprintf(w, "  raw SQLite durable commits %.0f/s on this disk; scans/raw = %.2f\n", r.RawCommits, r.Ratio)
	fmt.Fprintf(w, "  server memory: RSS %.1f MB, heap in use %.1f MB\n", r.ServerRSSMB, r.ServerHeapMB)
	if len(r.Health) > 1 {
		for _, h := range r.Health {
			fmt.Fprintf(w, "    %s: RSS %.1f MB, heap in use %.1f MB", h.URL, h.RSSMB, h.HeapMB)
			if h.FeedLagMS != nil {
				fmt.Fprintf(w, ", feed lag %d ms", *h.FeedLagMS)
			}
			fmt.Fprintln(w)
		}
	}
}

func sortedCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += fmt.Sprintf("%s=%d ", k, m[k])
	}
	return s
}

// slowScan is one of the run's slowest scans: when it was due, counted
// from the first scan, and how long it waited for its answer.
type slowScan struct {
	DueS      float64 `json:"due_s"`
	LatencyMS float64 `json:"latency_ms"`
}

// slowest keeps the run's five slowest scans, to tell a stall at one
// moment (an import starting, a checkpoint) from load spread thin.
type slowest struct {
	mu    sync.Mutex
	worst []slowScan
}

func (s *slowest) add(due, latency time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.worst = append(s.worst, slowScan{DueS: due.Seconds(), LatencyMS: float64(latency.Microseconds()) / 1000})
	slices.SortFunc(s.worst, func(a, b slowScan) int { return cmp.Compare(b.LatencyMS, a.LatencyMS) })
	if len(s.worst) > 5 {
		s.worst = s.worst[:5]
	}
}

func (s *slowest) list() []slowScan {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.worst)
}
