package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// printTable reads JSON reports (-table FILE...) and prints one markdown
// row each: the setup, the rate asked for, and the figures that compare
// setups (scripts/load-pg prints its runs so).
func printTable(w io.Writer, paths []string) error {
	fmt.Fprintln(w, "| setup | rate asked | scans/s | scan p50 ms | scan p99 ms | push p99 ms | same server | other server | other, after answer | errors | gaps+dropped |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var r Report
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		errs := 0
		for _, n := range r.Errors {
			errs += n
		}
		p99 := func(s *summary) string {
			if s == nil {
				return "–"
			}
			return fmt.Sprintf("%.1f", s.P99)
		}
		fmt.Fprintf(w, "| %s ×%d | %.0f | %.0f | %.1f | %.1f | %.1f | %s | %s | %s | %d | %d |\n",
			r.Database, r.Servers, r.Config.Rate, r.Throughput, r.ScanLatency.P50, r.ScanLatency.P99,
			r.PushLatency.P99, p99(r.PushSame), p99(r.PushOther), p99(r.PushOtherAfter), errs, r.Gaps+r.Disconnected)
	}
	return nil
}
