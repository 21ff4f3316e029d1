package web_test

import (
	"net/http"
	"strings"
	"testing"

	"huiwu/server/internal/testkit"
)

// TestSecurityHeaders (issue 10.10): every answer says nosniff, sends no
// Referer on and may not be framed; pages carry a CSP they live with (the
// kiosk's lets its WebAssembly scanner run, in its worker too), everything
// else a CSP under which nothing runs; answers with personal data or
// tokens are never stored by a browser or proxy, while static files may
// be kept.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	type want struct {
		status      int
		csp         []string // parts the CSP must hold
		cspNot      []string // parts it must not
		noStore     bool     // Cache-Control: no-store
		cacheable   bool     // Cache-Control anything but no-store
		contentType string
	}
	page := func(extra ...string) want {
		return want{status: 200, csp: append([]string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'",
			"base-uri 'none'", "connect-src 'self'"}, extra...), cacheable: true, contentType: "text/html"}
	}
	api := want{status: 200, csp: []string{"default-src 'none'", "frame-ancestors 'none'"}, noStore: true}
	for _, c := range []struct {
		method, path, token string
		want                want
	}{
		{"GET", "/kiosk", "", func() want {
			w := page("'wasm-unsafe-eval'", "worker-src 'self'", "img-src 'self' data:")
			return w
		}()},
		{"GET", "/desk", "", page("style-src-attr 'unsafe-inline'", "worker-src 'self'")}, // the face engine's worker
		{"GET", "/usher", "", want{status: 200, csp: append(page().csp, "img-src 'self' blob:"), cspNot: []string{"wasm-unsafe-eval", "unsafe-inline", "data:"}, cacheable: true}},
		{"GET", "/screen", "", want{status: 200, csp: page().csp, cspNot: []string{"wasm-unsafe-eval", "unsafe-inline"}, cacheable: true}},
		{"GET", "/chair", "", want{status: 200, csp: page().csp, cspNot: []string{"wasm-unsafe-eval", "unsafe-inline"}, cacheable: true}},
		{"GET", "/seating", "", want{status: 200, csp: page().csp, cspNot: []string{"wasm-unsafe-eval", "unsafe-inline"}, cacheable: true}},
		{"GET", "/kiosk/worker.js", "", want{status: 200, csp: []string{"'wasm-unsafe-eval'", "script-src 'self'"}, cacheable: true}},
		{"GET", "/kiosk/face-worker.js", "", want{status: 200, csp: []string{"'wasm-unsafe-eval'", "script-src 'self'", "connect-src 'self'"}, cacheable: true}},
		{"GET", "/kiosk-sw.js", "", want{status: 200, csp: []string{"connect-src 'self'"}, cacheable: true}},
		{"GET", "/static/common/base.css", "", want{status: 200, csp: []string{"default-src 'none'"}, cacheable: true}},
		{"GET", "/api/v1/attendees?limit=3", testkit.AdminToken, api},
		{"GET", "/api/v1/attendees/1/card", testkit.AdminToken, api},
		{"GET", "/api/v1/attendees/1", "", want{status: 401, csp: api.csp, noStore: true}},
		{"GET", "/api/v1/exports/rooms.xlsx", testkit.AdminToken, api},
		{"GET", "/api/v1/health", "", api},
		{"POST", "/kiosk/pair/request", "", want{status: 201, csp: api.csp, noStore: true}},
		{"GET", "/no/such/page", "", want{status: 404, csp: api.csp, noStore: true}},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h, w := resp.Header, c.want
		name := c.method + " " + c.path
		if resp.StatusCode != w.status {
			t.Errorf("%s: HTTP %d, want %d", name, resp.StatusCode, w.status)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s %q, want %q", name, k, h.Get(k), v)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, part := range w.csp {
			if !strings.Contains(csp, part) {
				t.Errorf("%s: CSP %q lacks %q", name, csp, part)
			}
		}
		for _, part := range w.cspNot {
			if strings.Contains(csp, part) {
				t.Errorf("%s: CSP %q has %q", name, csp, part)
			}
		}
		cc := h.Get("Cache-Control")
		if w.noStore && !strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", name, cc)
		}
		if w.cacheable && strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q: may be kept", name, cc)
		}
		if w.contentType != "" && !strings.HasPrefix(h.Get("Content-Type"), w.contentType) {
			t.Errorf("%s: Content-Type %q", name, h.Get("Content-Type"))
		}
	}
}
