package kiosk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiwu/kiosk/wasmbuild"
	"huiwu/server/internal/app"
	"huiwu/server/internal/testkit"
)

// A loopback TCP proxy in front of a server: a second origin for the same
// server and database, standing in for a second server until the store
// runs on PostgreSQL. It can be stopped (its listener and every connection
// closed, as a server that dies) and started again on the same address, or
// muted: requests still reach the server, which acts on them, but no answer
// comes back, as when a server's network goes away after it took a scan.
type proxy struct {
	t        *testing.T
	upstream string // host:port of the server
	addr     string // host:port, fixed at the first start

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	done  chan struct{} // the accept loop has ended

	muted      atomic.Bool
	swallowed  atomic.Int64 // bytes of answers dropped while muted
	mutedScans atomic.Int64 // POST /api/v1/checkins requests passed on while muted
}

// listen opens the proxy's listener on its address (a free port the first
// time); it serves once upstream is set and serve runs.
func (p *proxy) listen() {
	p.t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatalf("proxy listen %s: %v", addr, err)
	}
	p.mu.Lock()
	p.ln, p.addr, p.conns, p.done = ln, ln.Addr().String(), map[net.Conn]struct{}{}, make(chan struct{})
	p.mu.Unlock()
}

// serve accepts connections until stop.
func (p *proxy) serve() {
	p.mu.Lock()
	ln, done := p.ln, p.done
	p.mu.Unlock()
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

// start listens again on the same address and serves.
func (p *proxy) start() {
	p.t.Helper()
	p.listen()
	p.serve()
}

// track remembers a connection to close on stop; false when stopped.
func (p *proxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *proxy) pipe(client net.Conn) {
	up, err := net.Dial("tcp", p.upstream)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, up) {
		client.Close()
		up.Close()
		return
	}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := client.Read(buf)
			if n > 0 {
				if p.muted.Load() && bytes.Contains(buf[:n], []byte("POST /api/v1/checkins ")) {
					p.mutedScans.Add(1)
				}
				if _, werr := up.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		up.Close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := up.Read(buf)
		if n > 0 {
			if p.muted.Load() {
				p.swallowed.Add(int64(n))
			} else if _, werr := client.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	client.Close()
}

// stop closes the listener and every connection through it, and waits for
// the accept loop to end: the address now refuses connections.
func (p *proxy) stop() {
	p.mu.Lock()
	ln, done, conns := p.ln, p.done, p.conns
	p.ln, p.conns = nil, nil
	p.mu.Unlock()
	if ln == nil {
		return
	}
	ln.Close()
	for c := range conns {
		c.Close()
	}
	<-done
}

// origin is the proxy's base URL.
func (p *proxy) origin() string { return "http://" + p.addr }

// peerServer is a whole server started with -peers, behind the proxies that
// are its origins; it stops when the test ends.
type peerServer struct {
	t    *testing.T
	addr string
	app  *app.App
}

// servePeers starts a server on the demo event whose peers are the given
// origins.
func servePeers(t *testing.T, peers string) *peerServer {
	t.Helper()
	dir := t.TempDir()
	testkit.CopyDemo(t, dir, time.Now())
	a, err := app.Start(context.Background(), app.Config{DataDir: dir, AdminToken: testkit.AdminToken, Demo: true, Peers: peers})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	// The scanner core is built before anyone asks (testkit's servers do
	// the same): built on the page's first request, a build still running
	// at the end held the server's shutdown past its deadline.
	if _, err := wasmbuild.Get(context.Background()); err != nil {
		t.Logf("scanner core: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ln) }()
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
		if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Logf("serve: %v", err)
		}
	})
	return &peerServer{t: t, addr: ln.Addr().String(), app: a}
}

// Call is testkit.Server's Call, straight to the server (not through a
// proxy).
func (s *peerServer) Call(method, path, token string, body, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+s.addr+"/api/v1"+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: HTTP %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}
