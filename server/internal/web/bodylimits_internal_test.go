package web

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
)

// TestRequestsInFlightCapped: once the cap of requests is being handled,
// the next is answered 503 at once with Retry-After, and is served again
// once one finishes; a body that would overrun the byte budget likewise.
func TestRequestsInFlightCapped(t *testing.T) {
	t.Parallel()
	s := &Server{bodies: newBudget(bodyBudget), inFlightCap: 3}
	app := fiber.New(fiber.Config{ErrorHandler: errorHandler, StreamRequestBody: true, DisablePreParseMultipartForm: true,
		DisableStartupMessage: true})
	app.Use(s.guard)
	entered, release := make(chan struct{}), make(chan struct{})
	app.Get("/slow", func(c *fiber.Ctx) error {
		entered <- struct{}{}
		<-release
		return c.SendString("done")
	})
	app.Post("/echo", func(c *fiber.Ctx) error { return c.Send(c.Body()) })
	app.Get("/ping", func(c *fiber.Ctx) error { return c.SendString("pong") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })
	base := "http://" + ln.Addr().String()

	done := make(chan int, 3)
	for range 3 {
		go func() {
			resp, err := http.Get(base + "/slow")
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
	}
	for range 3 {
		select {
		case <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the slow requests did not start")
		}
	}
	resp, err := http.Get(base + "/slow")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a fourth request: HTTP %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(release)
	for range 3 {
		if st := <-done; st != 200 {
			t.Errorf("a slow request: HTTP %d", st)
		}
	}
	resp, err = http.Post(base+"/echo", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("after the others finished: HTTP %d", resp.StatusCode)
	}

	s.bodies = newBudget(4 << 10)
	resp, err = http.Post(base+"/echo", "text/plain", strings.NewReader(strings.Repeat("x", 6<<10)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("a 6 KB body with 4 KB of budget left: HTTP %d, want 503", resp.StatusCode)
	}
	s.bodies = newBudget(0)
	if resp, err = http.Get(base + "/ping"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a GET without a body, no budget left: HTTP %d, want 200", resp.StatusCode)
	}
}

// TestBodyLimitByRouteAndRole: the table, as Fiber routes paths.
func TestBodyLimitByRouteAndRole(t *testing.T) {
	t.Parallel()
	desk := auth.Principal{Role: auth.RoleDesk}
	kiosk := auth.Principal{Role: auth.RoleKiosk}
	for _, c := range []struct {
		method, path string
		p            auth.Principal
		signedIn     bool
		limit        int
		roleBound    bool
	}{
		{"POST", "/api/v1/import", auth.Principal{}, false, anonBodyLimit, false},
		{"POST", "/api/v1/import", desk, true, uploadBodyLimit, false},
		{"POST", "/API/V1/Import/", desk, true, uploadBodyLimit, false},
		{"POST", "/api/v1/import", kiosk, true, defaultBodyLimit, true},
		{"POST", "/api/v1/checkins", kiosk, true, scanBodyLimit, false},
		{"POST", "/api/v1/checkins/batch", kiosk, true, batchBodyLimit, false},
		{"PUT", "/api/v1/venues/hall/sections/A/grid", desk, true, deskDocLimit, false},
		{"PUT", "/api/v1/venues/hall/sections/A/grid", kiosk, true, defaultBodyLimit, true},
		{"PATCH", "/api/v1/attendees/3", desk, true, defaultBodyLimit, false},
		{"POST", "/kiosk/pair/request", auth.Principal{}, false, anonBodyLimit, false},
	} {
		limit, roleBound := bodyLimit(c.method, c.path, c.p, c.signedIn)
		if limit != c.limit || roleBound != c.roleBound {
			t.Errorf("%s %s as %q: %d %v, want %d %v", c.method, c.path, c.p.Role, limit, roleBound, c.limit, c.roleBound)
		}
	}
}
