package live

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A screen that stops reading must be dropped without holding back the
// others. The publisher is paced by the fast client (it never gets more than
// a window ahead of it, window < SendBuffer) so that the fast client cannot
// be dropped for a lag of its own; if the hub ever waited on the slow
// client, the fast one would stall and the test would time out.
func TestSlowClientDroppedFastClientKeepsUp(t *testing.T) {
	t.Parallel()
	const (
		burst  = 3000
		buffer = 64
		window = 32
	)
	th := startHub(t, Options{SendBuffer: buffer}, nil)
	slow := th.dial(t, "topics=attendance")
	expectSnapshot(t, slow, "attendance") // and then it reads nothing
	fast := th.dial(t, "topics=attendance")
	s0 := expectSnapshot(t, fast, "attendance").Seq

	received := make(chan uint64, burst)
	readErr := make(chan error, 1)
	go func() {
		for range burst {
			m, err := tryRead(fast)
			if err != nil {
				readErr <- err
				return
			}
			received <- m.Seq
		}
	}()
	pad := strings.Repeat("x", 4000) // 4 KB a message: 12 MB outgrow the sockets' buffers
	start := time.Now()
	next := s0 + 1
	take := func() {
		select {
		case seq := <-received:
			if seq != next {
				t.Fatalf("fast client got seq %d, want %d", seq, next)
			}
			next++
		case err := <-readErr:
			t.Fatalf("fast client: %v", err)
		case <-time.After(wait):
			t.Fatalf("fast client stalled at seq %d", next)
		}
	}
	for i := 1; i <= burst; i++ {
		for s0+uint64(i)-next >= window {
			take()
		}
		th.Publish("attendance", counts{Present: i, Pad: pad})
	}
	for next <= s0+burst {
		take()
	}
	t.Logf("fast client received %d messages of ~4 KB in %v", burst, time.Since(start))

	// Every publish has been fanned out, so the drop has been decided.
	if s := th.Stats(); s.Dropped != 1 || s.Clients != 1 {
		t.Fatalf("stats %+v, want the slow client dropped and the fast one kept", s)
	}
	n := 0
	for {
		_ = slow.SetReadDeadline(time.Now().Add(wait))
		if _, _, err := slow.ReadMessage(); err != nil {
			// Cut mid-frame or closed with 1013; only a timeout is wrong.
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("slow client still connected %v after it was dropped", wait)
			}
			break
		}
		n++
	}
	if n >= burst {
		t.Errorf("slow client read all %d messages; it should have been cut off", n)
	}
	t.Logf("slow client had %d messages in its buffers when it was dropped", n)
}

func TestDeadClientIsCleanedUp(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{PongTimeout: 300 * time.Millisecond}, nil)

	// A tablet whose connection is cut: the socket closes without a close frame.
	cut := th.dial(t, "topics=attendance")
	expectSnapshot(t, cut, "attendance")
	_ = cut.NetConn().Close()
	waitUntil(t, "the cut client is gone", func() bool { return th.Stats().Clients == 0 })

	// A tablet that went silent (Wi-Fi lost): it never answers pings, because
	// a gorilla client answers them only while reading.
	th.dial(t, "topics=attendance")
	waitUntil(t, "the silent client is registered", func() bool { return th.Stats().Clients == 1 })
	waitUntil(t, "the silent client is gone", func() bool { return th.Stats().Clients == 0 })

	// The hub carries on for the next client.
	c := th.dial(t, "topics=attendance")
	s0 := expectSnapshot(t, c, "attendance").Seq
	th.Publish("attendance", counts{Present: 1})
	expectDelta(t, c, "attendance", s0+1)
	if s := th.Stats(); s.Dropped != 0 {
		t.Errorf("dead clients counted as dropped for slowness: %+v", s)
	}
}

func TestOversizedMessageClosesClient(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{}, nil)
	c := th.dial(t, "topics=attendance")
	expectSnapshot(t, c, "attendance")
	send(t, c, `{"topic":"attendance","since":1,"x":"`+strings.Repeat("x", 5000)+`"}`)
	expectClose(t, c, websocket.CloseMessageTooBig)
	waitUntil(t, "the client is gone", func() bool { return th.Stats().Clients == 0 })
}

func TestMalformedMessagesGetErrorsThenClose(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{MaxBadMessages: 4}, nil)
	c := th.dial(t, "topics=attendance")
	s0 := expectSnapshot(t, c, "attendance").Seq

	for _, tc := range []struct{ send, code, topic string }{
		{`not json`, "bad_message", ""},
		{`{"topic":"seats:S1","since":1}`, "not_subscribed", "seats:S1"},
		{`{"topic":"attendance"}`, "bad_message", ""},
	} {
		send(t, c, tc.send)
		m := readMsg(t, c)
		if m.Type != "error" || m.Code != tc.code || m.Topic != tc.topic || m.Message["zh"] == "" || m.Message["en"] == "" {
			t.Fatalf("after %s got %+v, want a bilingual %s error", tc.send, m, tc.code)
		}
	}
	// Still served after a few mistakes...
	th.Publish("attendance", counts{})
	expectDelta(t, c, "attendance", s0+1)
	// ...but not after the fourth.
	if err := c.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	expectClose(t, c, websocket.ClosePolicyViolation)
}

func TestShutdownClosesClients(t *testing.T) {
	t.Parallel()
	th := startHub(t, Options{}, nil)
	c := th.dial(t, "topics=attendance")
	expectSnapshot(t, c, "attendance")
	th.stop(t)
	expectClose(t, c, websocket.CloseGoingAway)
	if s := th.Stats(); s.Clients != 0 {
		t.Errorf("%d clients left after shutdown", s.Clients)
	}

	th.Publish("attendance", counts{}) // must not block once the hub is gone
	_, resp, err := websocket.DefaultDialer.Dial(th.url("topics=attendance"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after shutdown: %v, %v; want 503", err, resp)
	}
}
