package live

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// startOwnedHub is startHub with a HandlerFor whose connections belong to
// the owner named in ?owner= and stay alive while alive() says so.
func startOwnedHub(t *testing.T, opts Options, alive *atomic.Bool) *testHub {
	t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	h := New(opts)
	h.Provide("attendance", func(context.Context, string) (any, error) { return []counts{{Present: 1}}, nil })
	ctx, cancel := context.WithCancel(context.Background())
	th := &testHub{Hub: h, cancel: cancel, stopped: make(chan struct{})}
	go func() {
		h.Run(ctx)
		close(th.stopped)
	}()
	th.srv = httptest.NewServer(h.HandlerFor(func(r *http.Request) (Access, error) {
		return Access{
			Allowed: func(string) bool { return true },
			Owners:  []string{r.URL.Query().Get("owner"), "everyone"},
			Alive:   func() bool { return alive.Load() },
		}, nil
	}))
	t.Cleanup(func() {
		th.stop(t)
		th.srv.Close()
	})
	return th
}

// TestDisconnectClosesOwnersConnections: Disconnect closes every connection
// of one owner (a revoked device or user) with CloseSignedOut, and only
// theirs; what was queued for them is not sent.
func TestDisconnectClosesOwnersConnections(t *testing.T) {
	t.Parallel()
	var alive atomic.Bool
	alive.Store(true)
	th := startOwnedHub(t, Options{}, &alive)
	a1 := th.dial(t, "topics=attendance&owner=device:a")
	a2 := th.dial(t, "topics=attendance&owner=device:a")
	b := th.dial(t, "topics=attendance&owner=device:b")
	expectSnapshot(t, a1, "attendance")
	expectSnapshot(t, a2, "attendance")
	s := expectSnapshot(t, b, "attendance")
	waitUntil(t, "three clients", func() bool { return th.Stats().Clients == 3 })

	th.Disconnect("device:a")
	th.Publish("attendance", counts{Present: 2}) // must not reach a1 or a2
	expectClose(t, a1, CloseSignedOut)
	expectClose(t, a2, CloseSignedOut)
	expectDelta(t, b, "attendance", s.Seq+1)
	waitUntil(t, "one client left", func() bool { return th.Stats().Clients == 1 })

	// An owner nobody connected as, or one every connection shares.
	th.Disconnect("device:nobody")
	th.Disconnect("everyone")
	expectClose(t, b, CloseSignedOut)
}

// TestAliveChecked: a connection whose principal is no longer valid (a
// session expired, or revoked while its handshake was under way) is
// closed with CloseSignedOut at the next ping.
func TestAliveChecked(t *testing.T) {
	t.Parallel()
	var alive atomic.Bool
	alive.Store(true)
	// Pings every second, the client has a second to answer (a loaded
	// machine that missed a shorter deadline closed the connection as dead,
	// 1000, not as signed out).
	th := startOwnedHub(t, Options{PongTimeout: 2 * time.Second}, &alive)
	c := th.dial(t, "topics=attendance&owner=user:1")
	expectSnapshot(t, c, "attendance")
	alive.Store(false)
	expectClose(t, c, CloseSignedOut)
}

// TestSlowPongKeepsConnection: a client that answers each ping a little
// late — well inside PongTimeout, as a busy tablet on a slow network does
// — stays connected. Pinging at 9/10 of PongTimeout left it a tenth of
// the timeout to answer (CI's loaded machine missed that in
// TestAliveChecked); at half, it has half. The pong comes a fifth of the
// timeout late: past the deadline with pings at 9/10, 1.2 s inside it at
// half (a 2 s timeout with pongs 0.6 s late left 0.4 s, and CI's loaded
// PostgreSQL pass missed that).
func TestSlowPongKeepsConnection(t *testing.T) {
	t.Parallel()
	var alive atomic.Bool
	alive.Store(true)
	const timeout = 4 * time.Second
	th := startOwnedHub(t, Options{PongTimeout: timeout}, &alive)
	c := th.dial(t, "topics=attendance&owner=user:1")
	c.SetPingHandler(func(data string) error {
		go func() {
			time.Sleep(timeout / 5) // late, but within the timeout
			_ = c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		}()
		return nil
	})
	expectSnapshot(t, c, "attendance")
	// Two timeouts of silence but for the late pongs.
	_ = c.SetReadDeadline(time.Now().Add(2 * timeout))
	if _, _, err := c.ReadMessage(); err == nil {
		t.Fatal("a message nobody published")
	} else if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("the hub ended a connection that answered every ping: %v", err)
	}
}
