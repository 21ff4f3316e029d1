package main

import (
	"fmt"
	"io"
	"sort"
)

func (r *Report) print(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "load: %d kiosks at %.0f scans/s for %v, %d subscribers, %d attendees\n",
		c.Kiosks, c.Rate, c.Duration, r.Subscribers, r.Attendees)
	fmt.Fprintf(w, "  scans        %d answered, %.0f/s\n", r.Scans, r.Throughput)
	fmt.Fprintf(w, "  scan latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms\n",
		r.ScanLatency.P50, r.ScanLatency.P99, r.ScanLatency.P999, r.ScanLatency.Max)
	fmt.Fprintf(w, "  push latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms (%d samples)\n",
		r.PushLatency.P50, r.PushLatency.P99, r.PushLatency.P999, r.PushLatency.Max, r.PushLatency.Count)
	if i := r.Import; i != nil {
		fmt.Fprintf(w, "  import       %d rows: HTTP %d in %.2f s %s\n", i.Rows, i.Status, i.Seconds, i.Error)
		for _, h := range []struct {
			when string
			s    summary
		}{{"during", i.Scans}, {"outside", i.Outside}} {
			fmt.Fprintf(w, "  scans due %-7s the import: %5d, latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms\n",
				h.when, h.s.Count, h.s.P50, h.s.P99, h.s.P999, h.s.Max)
		}
	}
	fmt.Fprintf(w, "  statuses     %s\n", sortedCounts(r.Statuses))
	fmt.Fprintf(w, "  errors       %s\n", sortedCounts(r.Errors))
	fmt.Fprintf(w, "  screens      %d seq gaps, %d out of order, %d dropped\n", r.Gaps, r.OutOfOrder, r.Disconnected)
	fmt.Fprintf(w, "  raw SQLite durable commits %.0f/s on this disk; scans/raw = %.2f\n", r.RawCommits, r.Ratio)
	fmt.Fprintf(w, "  server memory: RSS %.1f MB, heap in use %.1f MB\n", r.ServerRSSMB, r.ServerHeapMB)
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
