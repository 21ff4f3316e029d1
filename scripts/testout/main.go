// Command testout reads `go test -json` on its standard input and prints
// what plain `go test` would — each package's ok or FAIL line, and the
// output of the tests that failed — and at the end the slowest tests and
// packages, to see where the suite's time goes:
//
//	go test -json ./... | go run ./scripts/testout
//
// With -timeline FILE it reads a saved stream instead and shows when each
// package's tests ran (scripts/test saves one with HUIWU_TEST_JSON=FILE).
//
// It always exits 0: run it under `set -o pipefail`, so that the pipeline
// fails when go test does.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 10, "how many of the slowest tests to list")
	tl := flag.String("timeline", "", "instead: read this saved go test -json file and show when each package ran")
	flag.Parse()
	if *tl != "" {
		f, err := os.Open(*tl)
		if err == nil {
			err = timeline(f, os.Stdout, 60)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "testout:", err)
			os.Exit(1)
		}
		return
	}
	r := newReport(os.Stdout)
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testout:", err)
	}
	r.slowest(*n)
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // of build-output
	Test       string
	Elapsed    float64
	Output     string
}

// test is the output of one test, kept until it is known whether it failed.
type test struct {
	name  string
	lines []string
	done  bool
	fail  bool
}

type timing struct {
	pkg, test string
	took      time.Duration
}

type report struct {
	out      io.Writer
	running  map[string][]*test // by package + top-level test: the test and its subtests in start order
	verdict  map[string]string  // a package's "ok" or "FAIL" line, until it has ended
	tests    []timing           // top-level tests
	packages []timing
}

func newReport(out io.Writer) *report {
	return &report{out: out, running: map[string][]*test{}, verdict: map[string]string{}}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20) // a long line of test output
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			fmt.Fprintln(r.out, sc.Text()) // not go test's JSON: show it as it is
			continue
		}
		r.add(e)
	}
	return sc.Err()
}

func (r *report) add(e event) {
	if e.Action == "build-output" {
		fmt.Fprint(r.out, e.Output)
		return
	}
	if e.Test == "" {
		switch e.Action {
		case "output":
			switch {
			case e.Output == "PASS\n":
			case strings.HasPrefix(e.Output, "ok  \t") || strings.HasPrefix(e.Output, "FAIL\t"):
				r.verdict[e.Package] = e.Output // after the output of the tests cut short
			default:
				fmt.Fprint(r.out, e.Output)
			}
		case "pass", "fail":
			r.packages = append(r.packages, timing{pkg: e.Package, took: seconds(e.Elapsed)})
			if e.Action == "fail" {
				r.flushPackage(e.Package) // a panic or a timeout: the tests it cut short
			}
			fmt.Fprint(r.out, r.verdict[e.Package])
			delete(r.verdict, e.Package)
		}
		return
	}
	top, _, sub := strings.Cut(e.Test, "/")
	key := e.Package + "\x00" + top
	tree := r.running[key]
	var t *test
	for _, x := range tree {
		if x.name == e.Test {
			t = x
		}
	}
	if t == nil {
		t = &test{name: e.Test}
		tree = append(tree, t)
		r.running[key] = tree
	}
	switch e.Action {
	case "output":
		if !strings.HasPrefix(e.Output, "=== ") { // RUN, PAUSE, CONT, NAME: -json's framing
			t.lines = append(t.lines, e.Output)
		}
	case "pass", "fail", "skip":
		t.done, t.fail = true, e.Action == "fail"
		if sub {
			return
		}
		r.tests = append(r.tests, timing{pkg: e.Package, test: e.Test, took: seconds(e.Elapsed)})
		if t.fail {
			r.print(tree)
		}
		delete(r.running, key)
	}
}

// print shows the failed tests of a tree, each with its "--- FAIL" line
// first, as plain go test does.
func (r *report) print(tree []*test) {
	for _, t := range tree {
		if t.done && !t.fail {
			continue
		}
		for i, l := range t.lines {
			if strings.HasPrefix(l, "--- ") {
				t.lines = append(append([]string{l}, t.lines[:i]...), t.lines[i+1:]...)
				break
			}
		}
		for _, l := range t.lines {
			fmt.Fprint(r.out, l)
		}
	}
}

// flushPackage prints what the tests of pkg that never ended said.
func (r *report) flushPackage(pkg string) {
	keys := make([]string, 0)
	for k := range r.running {
		if strings.HasPrefix(k, pkg+"\x00") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.print(r.running[k])
		delete(r.running, k)
	}
}

func (r *report) slowest(n int) {
	longest := func(a, b timing) int { return cmp.Compare(b.took, a.took) }
	slices.SortStableFunc(r.tests, longest)
	slices.SortStableFunc(r.packages, longest)
	if len(r.tests) > 0 {
		fmt.Fprintf(r.out, "\nslowest tests:\n")
		for _, t := range r.tests[:min(n, len(r.tests))] {
			fmt.Fprintf(r.out, "%8.1fs  %s %s\n", t.took.Seconds(), t.test, t.pkg)
		}
	}
	if len(r.packages) > 0 {
		fmt.Fprintf(r.out, "slowest packages:\n")
		for _, p := range r.packages[:min(5, len(r.packages))] {
			fmt.Fprintf(r.out, "%8.1fs  %s\n", p.took.Seconds(), p.pkg)
		}
	}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
