package live

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestSnapshotFirstThenDeltas(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{}, nil)
	c := th.dial(t, "topics=attendance")

	snap := expectSnapshot(t, c, "attendance")
	var got []counts
	if err := json.Unmarshal(snap.Data, &got); err != nil || len(got) != 1 || got[0].Session != "S1" {
		t.Fatalf("snapshot data %s (%v), want the provider's counts", snap.Data, err)
	}
	for i := 1; i <= 3; i++ {
		th.Publish("attendance", counts{Session: "S1", Present: i})
	}
	for i := 1; i <= 3; i++ {
		m := expectDelta(t, c, "attendance", snap.Seq+uint64(i))
		if p := payload(t, m.Data); p.Present != i {
			t.Errorf("delta %d carries present=%d, want %d", i, p.Present, i)
		}
	}
	if s := th.Stats(); s.Published != 3 || s.Clients != 1 {
		t.Errorf("stats %+v, want 3 published and 1 client", s)
	}
}

func TestTopicsHaveTheirOwnSeq(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{}, nil)
	c := th.dial(t, "topics=attendance,seats:S1")

	start := map[string]uint64{}
	for range 2 {
		m := readMsg(t, c)
		if m.Type != "snapshot" {
			t.Fatalf("got %+v before both snapshots", m)
		}
		start[m.Topic] = m.Seq
	}
	order := []string{"attendance", "attendance", "seats:S1", "attendance"}
	for _, topic := range order {
		th.Publish(topic, counts{})
	}
	seen := map[string]uint64{}
	for _, topic := range order {
		seen[topic]++
		expectDelta(t, c, topic, start[topic]+seen[topic])
	}
}

func TestSinceReplaysOrSnapshots(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{History: 8}, nil)
	c := th.dial(t, "topics=attendance")
	s0 := expectSnapshot(t, c, "attendance").Seq

	for i := 1; i <= 5; i++ {
		th.Publish("attendance", counts{Present: i})
		expectDelta(t, c, "attendance", s0+uint64(i))
	}

	// A gap after s0+2: the deltas after it come again, in order.
	send(t, c, fmt.Sprintf(`{"topic":"attendance","since":%d}`, s0+2))
	for seq := s0 + 3; seq <= s0+5; seq++ {
		expectDelta(t, c, "attendance", seq)
	}
	// API.md's short form, for a connection with one topic.
	send(t, c, fmt.Sprintf(`{"since":%d}`, s0+4))
	expectDelta(t, c, "attendance", s0+5)

	// Push s0+1 out of the history of 8: since=s0 must get a snapshot.
	for i := 6; i <= 12; i++ {
		th.Publish("attendance", counts{Present: i})
		expectDelta(t, c, "attendance", s0+uint64(i))
	}
	send(t, c, fmt.Sprintf(`{"topic":"attendance","since":%d}`, s0))
	if m := expectSnapshot(t, c, "attendance"); m.Seq != s0+12 {
		t.Fatalf("snapshot for an old since has seq %d, want the current %d", m.Seq, s0+12)
	}
	// The oldest still held is s0+5: since=s0+4 replays eight.
	send(t, c, fmt.Sprintf(`{"topic":"attendance","since":%d}`, s0+4))
	for seq := s0 + 5; seq <= s0+12; seq++ {
		expectDelta(t, c, "attendance", seq)
	}
	// A seq this server never reached (a client of another server): snapshot.
	send(t, c, fmt.Sprintf(`{"topic":"attendance","since":%d}`, s0+1000))
	expectSnapshot(t, c, "attendance")
	// An explicit request, then live deltas again.
	send(t, c, `{"topic":"attendance","snapshot":true}`)
	if m := expectSnapshot(t, c, "attendance"); m.Seq != s0+12 {
		t.Fatalf("requested snapshot has seq %d, want %d", m.Seq, s0+12)
	}
	th.Publish("attendance", counts{})
	expectDelta(t, c, "attendance", s0+13)
}

// A slow provider holds back only the clients waiting for its snapshot; they
// then get the snapshot with the seq of the moment it was asked for and the
// deltas published meanwhile, and share one provider call.
func TestSlowProviderStallsNoOne(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{}, nil)
	var calls atomic.Int32
	called := make(chan struct{}, 10)
	release := make(chan struct{})
	th.Provide("seats", func(ctx context.Context, topic string) (any, error) {
		calls.Add(1)
		called <- struct{}{}
		select {
		case <-release:
			return []string{"A-1-1"}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})

	screen := th.dial(t, "topics=attendance")
	a0 := expectSnapshot(t, screen, "attendance").Seq
	usher1 := th.dial(t, "topics=seats:S1")
	select {
	case <-called:
	case <-time.After(wait):
		t.Fatal("provider not called")
	}
	usher2 := th.dial(t, "topics=seats:S1")
	waitUntil(t, "three clients are registered", func() bool { return th.Stats().Clients == 3 })

	for i := 1; i <= 3; i++ {
		th.Publish("seats:S1", counts{Pub: i})
		th.Publish("attendance", counts{Present: i})
		expectDelta(t, screen, "attendance", a0+uint64(i)) // while the provider is stuck
	}
	close(release)
	for _, c := range []*websocket.Conn{usher1, usher2} {
		s0 := expectSnapshot(t, c, "seats:S1").Seq
		for i := 1; i <= 3; i++ {
			if p := payload(t, expectDelta(t, c, "seats:S1", s0+uint64(i)).Data); p.Pub != i {
				t.Fatalf("delta %d after the snapshot carries pub=%d", i, p.Pub)
			}
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("provider called %d times for two waiting clients, want 1", n)
	}
}

// When more deltas arrive during a slow snapshot than the history holds, or
// than the waiting client's queue takes, the snapshot is taken again rather
// than sent with a hole after it.
func TestSnapshotRetakenWhenDeltasOutrunIt(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]Options{
		"history overflows": {History: 4},
		"queue too small":   {SendBuffer: 4},
	} {
		t.Run(name, func(t *testing.T) {
			th := startHub(t, opts, nil)
			var calls atomic.Int32
			var block atomic.Bool
			called := make(chan struct{}, 10)
			release := make(chan struct{})
			th.Provide("seats", func(ctx context.Context, topic string) (any, error) {
				calls.Add(1)
				if block.CompareAndSwap(true, false) {
					called <- struct{}{}
					<-release
				}
				return []string{}, nil
			})
			live := th.dial(t, "topics=seats:S1")
			s0 := expectSnapshot(t, live, "seats:S1").Seq

			block.Store(true)
			waiting := th.dial(t, "topics=seats:S1")
			select {
			case <-called:
			case <-time.After(wait):
				t.Fatal("provider not called")
			}
			for i := 1; i <= 10; i++ {
				th.Publish("seats:S1", counts{Pub: i})
				expectDelta(t, live, "seats:S1", s0+uint64(i))
			}
			close(release)
			if m := expectSnapshot(t, waiting, "seats:S1"); m.Seq != s0+10 {
				t.Fatalf("snapshot seq %d, want %d: a retaken snapshot is as of its own start", m.Seq, s0+10)
			}
			th.Publish("seats:S1", counts{})
			expectDelta(t, waiting, "seats:S1", s0+11)
			if n := calls.Load(); n != 3 {
				t.Errorf("provider called %d times, want 3 (first client, second, retake)", n)
			}
		})
	}
}

func TestProviderFailureIsReported(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{}, nil)
	var fail atomic.Bool
	fail.Store(true)
	th.Provide("seats", func(ctx context.Context, topic string) (any, error) {
		if fail.Load() {
			return nil, fmt.Errorf("database is locked")
		}
		return []string{}, nil
	})
	c := th.dial(t, "topics=seats:S9")
	m := readMsg(t, c)
	if m.Type != "error" || m.Code != "snapshot_failed" || m.Topic != "seats:S9" || m.Message["zh"] == "" {
		t.Fatalf("got %+v, want a snapshot_failed error for seats:S9", m)
	}
	th.Publish("seats:S9", counts{}) // not sent: the client has no snapshot yet
	fail.Store(false)
	send(t, c, `{"topic":"seats:S9","snapshot":true}`)
	s := expectSnapshot(t, c, "seats:S9")
	th.Publish("seats:S9", counts{})
	expectDelta(t, c, "seats:S9", s.Seq+1)
}

// Several goroutines publish to two topics while subscribers join; every
// subscriber must see each topic as a snapshot and then an unbroken run of
// seqs up to the last delta, and those present from the start every delta.
func TestConcurrentPublishersGapFree(t *testing.T) {
	t.Parallel()
	const publishers, perPublisher = 4, 400
	const total = publishers * perPublisher
	topics := []string{"attendance", "seats:S1"}
	th := startHub(t, Options{SendBuffer: 2 * total}, nil)

	type result struct {
		early  bool
		deltas map[string]int
		err    error
	}
	results := make(chan result, 8)
	final := map[string]uint64{} // the seq of each topic's last delta
	// subscribe checks c's messages until both topics reach their final seq;
	// last holds the snapshots' seqs when the test has already read them.
	subscribe := func(c *websocket.Conn, last map[string]uint64) {
		r := result{early: len(last) > 0, deltas: map[string]int{}}
		done := func() bool {
			for _, topic := range topics {
				if last[topic] < final[topic] {
					return false
				}
			}
			return true
		}
		for !done() {
			m, err := tryRead(c)
			if err != nil {
				r.err = err
				break
			}
			if _, ok := last[m.Topic]; !ok {
				if m.Type != "snapshot" {
					r.err = fmt.Errorf("first message of %s is a %s", m.Topic, m.Type)
					break
				}
				last[m.Topic] = m.Seq
				continue
			}
			if m.Type != "delta" || m.Seq != last[m.Topic]+1 {
				r.err = fmt.Errorf("%s: got %s seq %d after %d", m.Topic, m.Type, m.Seq, last[m.Topic])
				break
			}
			last[m.Topic] = m.Seq
			r.deltas[m.Topic]++
		}
		results <- r
	}

	early := make([]*websocket.Conn, 3)
	lasts := make([]map[string]uint64, 3)
	for i := range early {
		early[i] = th.dial(t, "topics=attendance,seats:S1")
		lasts[i] = map[string]uint64{}
		for range topics { // live on both topics before anything is published
			m := readMsg(t, early[i])
			lasts[i][m.Topic] = m.Seq
		}
	}
	for _, topic := range topics {
		final[topic] = lasts[0][topic] + total
	}
	for i, c := range early {
		go subscribe(c, lasts[i])
	}
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := range perPublisher {
				for _, topic := range topics {
					th.Publish(topic, counts{Pub: p, Present: i})
				}
			}
		})
	}
	for range 2 { // latecomers, subscribing mid-stream or after
		c := th.dial(t, "topics=attendance,seats:S1")
		go subscribe(c, map[string]uint64{})
	}
	wg.Wait()
	for range 5 {
		select {
		case r := <-results:
			if r.err != nil {
				t.Fatal(r.err)
			}
			for _, topic := range topics {
				if r.early && r.deltas[topic] != total {
					t.Errorf("%s: an early subscriber got %d deltas, want %d", topic, r.deltas[topic], total)
				}
			}
		case <-time.After(wait):
			t.Fatal("subscribers did not reach the last delta of both topics")
		}
	}
	if s := th.Stats(); s.Dropped != 0 {
		t.Errorf("%d clients dropped", s.Dropped)
	}
}
