package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Content-Security-Policy. Every page loads only its own files from this
// server, so each directive names 'self' at most and default-src is 'none':
// anything a page starts loading that is not listed here shows up as a
// violation in the browser tests instead of working by accident.
//
//   - script-src 'self': ES modules from /static and the kiosk's scripts;
//     no inline script or event-handler attribute anywhere.
//   - style-src 'self': stylesheets from /static. Styles set from script
//     through element.style are not affected.
//   - img-src 'self': (the kiosk adds data: for its pairing QR code, which
//     the server sends as a data: URL).
//   - font-src 'self': the Noto CJK face under /static-fonts/.
//   - connect-src 'self' and the websocket on this host: fetch to /api/v1,
//     /ws for live counts. 'self' covers ws: and wss: in current browsers;
//     the host is also named with ws:// and wss:// for Safari before 16,
//     which the ushers' tablets may run.
//   - base-uri 'none', form-action 'self', object-src (from default-src)
//     'none'.
//   - frame-ancestors 'none': no page may be framed (clickjacking); also
//     X-Frame-Options: DENY for browsers without CSP 2.
//
// The kiosk adds 'wasm-unsafe-eval' (its scanner core is Go compiled to
// WebAssembly, instantiated in a worker) and worker-src 'self' (that worker
// at /kiosk/worker.js and the service worker /kiosk-sw.js). The two worker
// scripts carry the kiosk's policy too: a dedicated worker runs under the
// policy of its own script's response in current Chromium (under the
// page's in older versions), a service worker always under its own.
//
// The desk adds worker-src 'self' for the face engine's worker
// (/kiosk/face-worker.js, which carries the kiosk's policy and its
// 'wasm-unsafe-eval'): the webcam photo check, references, 忘带证件.
//
// The desk also adds style-src-attr 'unsafe-inline': its category chips take
// their colour from a style attribute (setAttribute('style', …) in
// kiosk/web/common/dom.js's h helper). That allows inline style attributes
// only, never <style> elements or scripts; browsers without
// style-src-attr fall back to style-src and show the chips uncoloured. The
// badge PDFs it opens as blob: URLs in a new tab inherit its policy;
// Chromium's PDF viewer shows them under it (checked with Chromium 156, as
// it shows the API's PDFs under cspNone).
const (
	cspPageBase = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
		"connect-src 'self'%s; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	cspKiosk = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'%s; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	cspDesk = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; " +
		"font-src 'self'; connect-src 'self'%s; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	// cspUsher adds blob: images: the usher's tablet shows the photos of
	// 刷脸 alerts and of the glance check, fetched with its device token
	// (an <img src> would carry no token) and shown as blob: URLs.
	cspUsher = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; " +
		"connect-src 'self'%s; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	// cspNone is for everything that is not a page: API answers, files,
	// downloads. Nothing in them may run or load, should one ever be
	// shown as a document.
	cspNone = "default-src 'none'; frame-ancestors 'none'"
)

// pagePolicies are the policies of the documents and workers that need
// more than cspPageBase, by path as Fiber routes it (any case, no trailing
// slash).
var pagePolicies = map[string]string{
	"/kiosk":           cspKiosk,
	"/kiosk/worker.js": cspKiosk,
	"/kiosk-sw.js":     cspKiosk,
	"/desk":            cspDesk,
	"/usher":           cspUsher,

	// The face engine's WebAssembly backend needs 'wasm-unsafe-eval' in
	// the worker, whichever page (the kiosk, the desk) starts it.
	"/kiosk/face-worker.js": cspKiosk,
}

// secureHeaders sets the headers every answer carries: no MIME sniffing,
// no Referer leaving a page (page URLs may carry a session id or a code),
// no framing, a CSP, and no caching unless the route allows it. Pages,
// static files, fonts and the scanner core set their own Cache-Control
// (they carry no personal data); every API answer, login and pairing
// answer is no-store whatever its handler set, since they carry names,
// phones, tokens.
func (s *Server) secureHeaders(c *fiber.Ctx) error {
	path := strings.TrimSuffix(strings.ToLower(c.Path()), "/")
	h := &c.Response().Header
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	h.Set(fiber.HeaderXFrameOptions, "DENY")
	h.Set(fiber.HeaderCacheControl, "no-store")
	if p, ok := pagePolicies[path]; ok {
		if p == cspKiosk {
			// A kiosk may fail over to the peers (peers.go).
			p = strings.Replace(p, "%s", s.peerSources()+"%s", 1)
		}
		h.Set(fiber.HeaderContentSecurityPolicy, withSocket(p, c.Hostname()))
	} else {
		h.Set(fiber.HeaderContentSecurityPolicy, cspNone)
	}
	err := c.Next()
	if err == nil && strings.HasPrefix(string(h.ContentType()), "text/html") &&
		string(h.Peek(fiber.HeaderContentSecurityPolicy)) == cspNone {
		// A page without an entry above (the other apps, a login form):
		// the base policy.
		h.Set(fiber.HeaderContentSecurityPolicy, withSocket(cspPageBase, c.Hostname()))
	}
	if personal(path) {
		h.Set(fiber.HeaderCacheControl, "no-store")
	}
	return err
}

// personal reports whether answers under path may carry personal data or
// secrets: the API, the login, pairing (which hands out tokens).
func personal(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/login" || strings.HasPrefix(path, "/login/") ||
		strings.HasPrefix(path, "/kiosk/pair/") || path == "/ws"
}

// withSocket fills a policy's connect-src with the websocket origins of
// host (the Host header: the address the page was loaded from). A host
// with anything but the characters of a name, an address and a port is
// left out: 'self' alone then.
func withSocket(policy, host string) string {
	extra := ""
	if host != "" && strings.Trim(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == "" {
		extra = " ws://" + host + " wss://" + host
	}
	return strings.Replace(policy, "%s", extra, 1)
}
