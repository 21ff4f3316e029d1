package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// span is when one test binary ran: from go test's "start" event to its
// package's pass or fail.
type span struct {
	pkg        string
	start, end time.Time
}

// timeline reads a saved `go test -json` stream (scripts/test keeps one
// with HUIWU_TEST_JSON=FILE) and prints when each package's tests ran, in
// start order, with a bar per package across the run and, at the end, how
// many test binaries ran at once on average. It shows what the slowest
// list cannot: which packages ran alone at the end, and where the run
// had fewer binaries going than it could.
func timeline(in io.Reader, out io.Writer, width int) error {
	type stamped struct {
		Action  string
		Package string
		Test    string
		Time    time.Time
	}
	started := map[string]time.Time{}
	var spans []span
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e stamped
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Test != "" || e.Time.IsZero() {
			continue
		}
		switch e.Action {
		case "start":
			started[e.Package] = e.Time
		case "pass", "fail", "skip":
			if t, ok := started[e.Package]; ok {
				spans = append(spans, span{e.Package, t, e.Time})
				delete(started, e.Package)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(spans) == 0 {
		return fmt.Errorf("no package with a start and an end time in the stream")
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.start.Compare(b.start) })
	first := spans[0].start
	last := spans[0].end
	busy := 0.0
	for _, s := range spans {
		if s.end.After(last) {
			last = s.end
		}
		busy += s.end.Sub(s.start).Seconds()
	}
	total := last.Sub(first).Seconds()
	col := func(t time.Time) int {
		if total <= 0 {
			return 0
		}
		return min(width-1, int(t.Sub(first).Seconds()/total*float64(width)))
	}
	fmt.Fprintf(out, "%7s %7s %7s  %-*s  %s\n", "start", "end", "took", width, "", "package")
	for _, s := range spans {
		bar := []byte(strings.Repeat(" ", width))
		for i := col(s.start); i <= col(s.end); i++ {
			bar[i] = '='
		}
		fmt.Fprintf(out, "%6.0fs %6.0fs %6.1fs  %s  %s\n",
			s.start.Sub(first).Seconds(), s.end.Sub(first).Seconds(),
			s.end.Sub(s.start).Seconds(), bar, s.pkg)
	}
	fmt.Fprintf(out, "%d packages over %.0fs; test binaries running at once, on average: %.2f\n",
		len(spans), total, busy/max(total, 1e-9))
	longest := slices.MaxFunc(spans, func(a, b span) int {
		return cmp.Compare(a.end.Sub(a.start), b.end.Sub(b.start))
	})
	fmt.Fprintf(out, "longest: %s, %.1fs\n", longest.pkg, longest.end.Sub(longest.start).Seconds())
	return nil
}
