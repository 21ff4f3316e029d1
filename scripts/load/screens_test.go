package main

import (
	"slices"
	"testing"
	"time"
)

// TestPushLatencyByServer: each rise of a screen's count is paired with the
// ok that made it, and counted as same-server or other-server by where
// that ok was taken and where the screen listens.
func TestPushLatencyByServer(t *testing.T) {
	t0 := time.Now()
	oks := &okLog{}
	// Added out of order, as the kiosks' answers come back.
	oks.add(t0.Add(10*time.Millisecond), t0.Add(12*time.Millisecond), 1)
	oks.add(t0, t0.Add(1*time.Millisecond), 0)
	s := &screens{
		baseline: []int{5, 7},
		server:   []int{0, 1},
		arrivals: [][]arrival{
			{{6, t0.Add(2 * time.Millisecond)}, {7, t0.Add(40 * time.Millisecond)}},
			{{8, t0.Add(30 * time.Millisecond)}, {9, t0.Add(15 * time.Millisecond)}},
		},
	}
	p := s.pushLatency(oks)
	// Screen 0 (server 0): the ok on 0 after 2 ms (1 ms after its
	// answer), the ok on 1 after 30 ms (28 ms).
	// Screen 1 (server 1): the ok on 0 after 30 ms (29 ms), the ok on 1
	// after 5 ms (3 ms).
	want := map[string]struct {
		h   *histogram
		n   uint64
		max time.Duration
	}{
		"all": {p.all, 4, 30 * time.Millisecond}, "same": {p.same, 2, 5 * time.Millisecond}, "other": {p.other, 2, 30 * time.Millisecond},
		"same after": {p.sameAfter, 2, 3 * time.Millisecond}, "other after": {p.otherAfter, 2, 29 * time.Millisecond},
	}
	for name, w := range want {
		if w.h.count() != w.n || w.h.max != w.max {
			t.Errorf("%s: %d samples, max %v; want %d, max %v", name, w.h.count(), w.h.max, w.n, w.max)
		}
	}
}

// TestSplitServers: -server takes one URL, as before, or several.
func TestSplitServers(t *testing.T) {
	for in, want := range map[string][]string{
		"http://127.0.0.1:8080":                          {"http://127.0.0.1:8080"},
		"http://127.0.0.1:8081/, http://127.0.0.1:8082,": {"http://127.0.0.1:8081", "http://127.0.0.1:8082"},
		"": nil,
	} {
		if got := splitServers(in); !slices.Equal(got, want) {
			t.Errorf("splitServers(%q) = %q, want %q", in, got, want)
		}
	}
}
