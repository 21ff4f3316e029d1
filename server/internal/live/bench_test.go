package live

import (
	"runtime"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// sessionCounts is the size of a real attendance delta: one session's counts.
var sessionCounts = struct {
	Session  string `json:"session_id"`
	Expected int    `json:"expected"`
	Present  int    `json:"present"`
	OnLeave  int    `json:"on_leave"`
	Absent   int    `json:"absent"`
	Quorum   bool   `json:"quorum_met"`
}{"S1", 312, 287, 9, 16, true}

// BenchmarkPublishNoSubscribers is the cost a check-in pays to publish when
// no screen is watching: marshal, hand-off to the hub, seq and history. The
// clock runs until the hub has taken every delta.
func BenchmarkPublishNoSubscribers(b *testing.B) {
	th := startHub(b, Options{}, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		th.Publish("attendance", sessionCounts)
	}
	for th.Stats().Published < uint64(b.N) {
		runtime.Gosched()
	}
}

// BenchmarkFanOut200 measures one publish reaching 200 screens connected over
// loopback: each op is the time from Publish until all 200 have read it.
func BenchmarkFanOut200(b *testing.B) {
	const screens = 200
	th := startHub(b, Options{}, nil)
	got := make(chan struct{}, screens)
	failed := make(chan error, screens)
	for range screens {
		c, _, err := websocket.DefaultDialer.Dial(th.url("topics=attendance"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		go func() {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					failed <- err
					return
				}
				got <- struct{}{}
			}
		}()
	}
	timeout := time.NewTimer(wait)
	all := func() {
		timeout.Reset(wait)
		for range screens {
			select {
			case <-got:
			case err := <-failed:
				b.Fatalf("a screen failed: %v", err)
			case <-timeout.C:
				b.Fatal("a screen did not receive the message")
			}
		}
	}
	all() // the snapshots
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		th.Publish("attendance", sessionCounts)
		all()
	}
	b.StopTimer()
	if s := th.Stats(); s.Dropped != 0 {
		b.Fatalf("%d screens dropped", s.Dropped)
	}
}
