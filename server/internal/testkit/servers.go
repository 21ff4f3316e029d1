package testkit

// Several servers on one PostgreSQL database (issue 17), each with a data
// directory of its own, as on several machines.

import (
	"context"
	"net"
	"testing"
	"time"

	"huiwu/server/internal/app"
	"huiwu/server/internal/testkit/pgtest"
)

// ServeShared starts n servers on one PostgreSQL database holding the demo
// event (generated for now), each on its own loopback port and data
// directory; they stop when the test ends. Without HUIWU_TEST_PG the test
// is skipped: servers share only PostgreSQL.
func ServeShared(t testing.TB, n int) []*Server {
	t.Helper()
	if !pgtest.Enabled() {
		t.Skip("several servers share PostgreSQL only: set HUIWU_TEST_PG (scripts/pg start DIR)")
	}
	first := t.TempDir()
	CopyDemo(t, first, time.Now())
	url := StoreConfig(t, first).URL
	out := make([]*Server, n)
	for i := range out {
		dir := first
		if i > 0 {
			dir = t.TempDir()
		}
		out[i] = serveOn(t, app.Config{DataDir: dir, DBURL: url, MasterKey: PGMasterKey, AdminToken: AdminToken})
	}
	return out
}

// serveOn starts a server with cfg on a loopback port until the test ends,
// the scanner core built before it answers (see scannerReady).
func serveOn(t testing.TB, cfg app.Config) *Server {
	t.Helper()
	a, err := app.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	scannerReady()
	done := make(chan error, 1)
	go func() { done <- a.Serve(ln) }()
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
		<-done
	})
	return &Server{URL: "http://" + ln.Addr().String(), App: a, t: t}
}
