package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wait bounds every wait in these tests: long enough for a loaded CI
// machine, short enough that a hang fails the test rather than the run.
const wait = 10 * time.Second

// wsMsg is any message the server sends.
type wsMsg struct {
	Topic   string            `json:"topic"`
	Seq     uint64            `json:"seq"`
	Type    string            `json:"type"`
	Data    json.RawMessage   `json:"data"`
	Code    string            `json:"code"`
	Message map[string]string `json:"message"`
}

// counts is the payload the tests publish and the providers return.
type counts struct {
	Session string `json:"session,omitempty"`
	Present int    `json:"present"`
	Pub     int    `json:"pub,omitempty"`
	Pad     string `json:"pad,omitempty"`
}

type testHub struct {
	*Hub
	srv     *httptest.Server
	cancel  context.CancelFunc
	stopped chan struct{}
}

// startHub runs a hub with providers for "attendance" and "seats" behind an
// httptest server; both stop when the test ends.
func startHub(t testing.TB, opts Options, authorize func(*http.Request) (func(string) bool, error)) *testHub {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler) // drops are expected here
	}
	h := New(opts)
	h.Provide("attendance", func(ctx context.Context, topic string) (any, error) {
		return []counts{{Session: "S1", Present: 0}}, nil
	})
	h.Provide("seats", func(ctx context.Context, topic string) (any, error) {
		return []string{"A-1-1", "A-1-2"}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	th := &testHub{Hub: h, cancel: cancel, stopped: make(chan struct{})}
	go func() {
		h.Run(ctx)
		close(th.stopped)
	}()
	th.srv = httptest.NewServer(h.Handler(authorize))
	t.Cleanup(func() {
		th.stop(t)
		th.srv.Close()
	})
	return th
}

// stop cancels Run and waits for it to return.
func (th *testHub) stop(t testing.TB) {
	th.cancel()
	select {
	case <-th.stopped:
	case <-time.After(wait):
		t.Error("Run did not return after its context was cancelled")
	}
}

func (th *testHub) url(query string) string {
	return "ws" + strings.TrimPrefix(th.srv.URL, "http") + "/ws?" + query
}

// dial connects to /ws?query and fails the test unless the upgrade succeeds.
func (th *testHub) dial(t testing.TB, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(th.url(query), nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (HTTP %d)", query, err, status)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readMsg reads the next message, failing the test after wait.
func readMsg(t testing.TB, c *websocket.Conn) wsMsg {
	t.Helper()
	m, err := tryRead(c)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return m
}

// tryRead is readMsg for goroutines other than the test's.
func tryRead(c *websocket.Conn) (wsMsg, error) {
	var m wsMsg
	_ = c.SetReadDeadline(time.Now().Add(wait))
	_, data, err := c.ReadMessage()
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("message %s: %w", data, err)
	}
	return m, nil
}

// expectSnapshot reads a message and checks it is topic's snapshot.
func expectSnapshot(t testing.TB, c *websocket.Conn, topic string) wsMsg {
	t.Helper()
	m := readMsg(t, c)
	if m.Type != "snapshot" || m.Topic != topic {
		t.Fatalf("got %+v, want a snapshot of %s", m, topic)
	}
	return m
}

// expectDelta reads a message and checks it is topic's delta number seq.
func expectDelta(t testing.TB, c *websocket.Conn, topic string, seq uint64) wsMsg {
	t.Helper()
	m := readMsg(t, c)
	if m.Type != "delta" || m.Topic != topic || m.Seq != seq {
		t.Fatalf("got %s seq %d of %q, want delta seq %d of %q", m.Type, m.Seq, m.Topic, seq, topic)
	}
	return m
}

// expectClose reads until the connection ends and checks the close code.
func expectClose(t testing.TB, c *websocket.Conn, code int) {
	t.Helper()
	for {
		_ = c.SetReadDeadline(time.Now().Add(wait))
		if _, _, err := c.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != code {
				t.Fatalf("connection ended with %v, want close code %d", err, code)
			}
			return
		}
	}
}

func send(t testing.TB, c *websocket.Conn, msg string) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatalf("send %s: %v", msg, err)
	}
}

// waitUntil waits for cond, checking it every few milliseconds, and fails
// the test if it does not hold within wait.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(wait)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

func payload(t testing.TB, raw json.RawMessage) counts {
	t.Helper()
	var c counts
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("data %s: %v", raw, err)
	}
	return c
}
