package main

import (
	"strings"
	"testing"
)

// A build failure, a package with a failing subtest and a test that
// passed while logging, and a package that passed (as go 1.26 writes them).
const stream = `{"ImportPath":"bf/a","Action":"build-output","Output":"# bf/a\n"}
{"ImportPath":"bf/a","Action":"build-output","Output":"a/a.go:2:23: cannot use \"x\" (untyped string constant) as int value in return statement\n"}
{"ImportPath":"bf/a","Action":"build-fail"}
{"Action":"start","Package":"bf/a"}
{"Action":"output","Package":"bf/a","Output":"FAIL\tbf/a [build failed]\n"}
{"Action":"fail","Package":"bf/a","Elapsed":0,"FailedBuild":"bf/a"}
{"Action":"start","Package":"bf/b"}
{"Action":"run","Package":"bf/b","Test":"TestB"}
{"Action":"output","Package":"bf/b","Test":"TestB","Output":"=== RUN   TestB\n"}
{"Action":"output","Package":"bf/b","Test":"TestB","Output":"    b_test.go:3: hi\n"}
{"Action":"run","Package":"bf/b","Test":"TestB/s"}
{"Action":"output","Package":"bf/b","Test":"TestB/s","Output":"=== RUN   TestB/s\n"}
{"Action":"output","Package":"bf/b","Test":"TestB/s","Output":"    b_test.go:3: bad\n"}
{"Action":"output","Package":"bf/b","Test":"TestB/s","Output":"--- FAIL: TestB/s (0.50s)\n"}
{"Action":"fail","Package":"bf/b","Test":"TestB/s","Elapsed":0.5}
{"Action":"run","Package":"bf/b","Test":"TestB/t"}
{"Action":"output","Package":"bf/b","Test":"TestB/t","Output":"--- PASS: TestB/t (0.00s)\n"}
{"Action":"pass","Package":"bf/b","Test":"TestB/t","Elapsed":0}
{"Action":"output","Package":"bf/b","Test":"TestB","Output":"--- FAIL: TestB (0.60s)\n"}
{"Action":"fail","Package":"bf/b","Test":"TestB","Elapsed":0.6}
{"Action":"run","Package":"bf/b","Test":"TestC"}
{"Action":"output","Package":"bf/b","Test":"TestC","Output":"=== RUN   TestC\n"}
{"Action":"output","Package":"bf/b","Test":"TestC","Output":"2026/12/02 07:30:11 WARN a log line of a passing test\n"}
{"Action":"output","Package":"bf/b","Test":"TestC","Output":"--- PASS: TestC (2.00s)\n"}
{"Action":"pass","Package":"bf/b","Test":"TestC","Elapsed":2}
{"Action":"output","Package":"bf/b","Output":"FAIL\n"}
{"Action":"output","Package":"bf/b","Output":"FAIL\tbf/b\t2.602s\n"}
{"Action":"fail","Package":"bf/b","Elapsed":2.603}
{"Action":"start","Package":"bf/c"}
{"Action":"run","Package":"bf/c","Test":"TestD"}
{"Action":"output","Package":"bf/c","Test":"TestD","Output":"--- PASS: TestD (0.10s)\n"}
{"Action":"pass","Package":"bf/c","Test":"TestD","Elapsed":0.1}
{"Action":"output","Package":"bf/c","Output":"PASS\n"}
{"Action":"output","Package":"bf/c","Output":"ok  \tbf/c\t0.2s\n"}
{"Action":"pass","Package":"bf/c","Elapsed":0.2}
`

func TestPlainOutputThenSlowest(t *testing.T) {
	var out strings.Builder
	r := newReport(&out)
	if err := r.read(strings.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
	r.slowest(2)
	want := "# bf/a\n" +
		"a/a.go:2:23: cannot use \"x\" (untyped string constant) as int value in return statement\n" +
		"FAIL\tbf/a [build failed]\n" +
		"--- FAIL: TestB (0.60s)\n" +
		"    b_test.go:3: hi\n" +
		"--- FAIL: TestB/s (0.50s)\n" +
		"    b_test.go:3: bad\n" +
		"FAIL\n" +
		"FAIL\tbf/b\t2.602s\n" +
		"ok  \tbf/c\t0.2s\n" +
		"\nslowest tests:\n" +
		"     2.0s  TestC bf/b\n" +
		"     0.6s  TestB bf/b\n" +
		"slowest packages:\n" +
		"     2.6s  bf/b\n" +
		"     0.2s  bf/c\n" +
		"     0.0s  bf/a\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// TestCutShort: a test binary that dies (a panic, -timeout) ends its
// package without ending the running test; what that test said is shown.
func TestCutShort(t *testing.T) {
	var out strings.Builder
	r := newReport(&out)
	r.read(strings.NewReader(`{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"    hang_test.go:9: waiting\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"panic: test timed out after 1s\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t1.0s\n"}
{"Action":"fail","Package":"p","Elapsed":1}
not json
`))
	want := "    hang_test.go:9: waiting\npanic: test timed out after 1s\nFAIL\tp\t1.0s\nnot json\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// TestTimeline: packages in start order, their times from the first
// start, and the binaries running at once (a alone for 10 s, then a and b
// together for 10 s: 30 busy seconds over 20).
func TestTimeline(t *testing.T) {
	const saved = `{"Time":"2026-12-03T08:00:00Z","Action":"start","Package":"p/a"}
{"Time":"2026-12-03T08:00:10Z","Action":"start","Package":"p/b"}
{"Time":"2026-12-03T08:00:15Z","Action":"pass","Package":"p/b","Test":"TestB","Elapsed":5}
{"Time":"2026-12-03T08:00:20Z","Action":"pass","Package":"p/b","Elapsed":10}
{"Time":"2026-12-03T08:00:20Z","Action":"fail","Package":"p/a","Elapsed":20}
`
	var out strings.Builder
	if err := timeline(strings.NewReader(saved), &out, 20); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"     0s     20s   20.0s  ====================  p/a",
		"    10s     20s   10.0s            ==========  p/b",
		"2 packages over 20s; test binaries running at once, on average: 1.50",
		"longest: p/a, 20.0s",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Index(got, "p/a") > strings.Index(got, "p/b") {
		t.Errorf("not in start order:\n%s", got)
	}
	if err := timeline(strings.NewReader("not json\n"), &out, 20); err == nil {
		t.Error("a stream with no package times: no error")
	}
}
