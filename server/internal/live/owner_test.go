package live

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
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
	// Pings every 0.9 s: with a tenth of that, a loaded machine (CI runs
	// this beside other packages) let the client's pong miss its deadline
	// first, and the hub closed the connection as dead (1000), not as
	// signed out.
	th := startOwnedHub(t, Options{PongTimeout: time.Second}, &alive)
	c := th.dial(t, "topics=attendance&owner=user:1")
	expectSnapshot(t, c, "attendance")
	alive.Store(false)
	expectClose(t, c, CloseSignedOut)
}
