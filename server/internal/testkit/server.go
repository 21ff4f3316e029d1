package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"huiwu/kiosk/wasmbuild"
	"huiwu/server/internal/app"
)

// AdminToken is the admin bearer token of servers started by Serve.
const AdminToken = "test-admin-token"

// scannerOnce builds the kiosk's scanner core for the whole test binary.
var scannerOnce sync.Once

// scannerReady builds the kiosk's scanner core, once per test binary,
// before a server of the tests answers: built on a page's first request
// instead, a build still running when the test ends held the server's
// shutdown past its deadline ("close server: context deadline exceeded";
// TestKioskFollowsEvent failed so on a server started without it).
func scannerReady() { scannerOnce.Do(func() { _, _ = wasmbuild.Get(context.Background()) }) }

// Server is a whole Huiwu server on a loopback port, started like the huiwu
// command starts it.
type Server struct {
	URL string // http://127.0.0.1:PORT
	App *app.App
	t   testing.TB
}

// Serve starts a server on the demo event (generated for now) in a fresh
// data directory; it stops when the test ends.
func Serve(t testing.TB) *Server {
	t.Helper()
	return serve(t, true, time.Now())
}

// ServeAt starts a server on the demo event generated for the moment at
// (the server's clock is still the real one): at an hour and a half ago,
// the opening meeting is under way; at five hours ago, it is over.
func ServeAt(t testing.TB, at time.Time) *Server {
	t.Helper()
	return serve(t, true, at)
}

// ServeEmpty starts a server on a fresh data directory without -demo: no
// meeting is set up yet.
func ServeEmpty(t testing.TB) *Server {
	t.Helper()
	return serve(t, false, time.Time{})
}

func serve(t testing.TB, demo bool, at time.Time) *Server {
	t.Helper()
	dir := t.TempDir()
	if demo {
		// What -demo would load, copied rather than loaded again.
		CopyDemo(t, dir, at)
	}
	return serveOn(t, onDB(t, app.Config{DataDir: dir, AdminToken: AdminToken, Demo: demo, DemoTime: at}))
}

// Call makes an API request under /api/v1 with token and decodes the JSON
// answer into out (when not nil); it returns the HTTP status.
func (s *Server) Call(method, path, token string, body, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+"/api/v1"+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: HTTP %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

// Get GETs path under /api/v1 with token and answers the status, the body
// and the headers (a print's file name, its type).
func (s *Server) Get(t testing.TB, path, token string) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}
