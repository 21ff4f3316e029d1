package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Several servers on one database (issue 17.4): each is started with the
// others' base URLs (-peers, HUIWU_PEERS). A kiosk learns the list when it
// pairs and on every GET /device, this server first, and moves to the next
// when the one it uses stops answering. Its page stays on the origin it was
// loaded from and calls the other servers' /api/v1 and /ws across origins:
// the kiosk's CSP names them in connect-src, /api/v1 answers CORS for them,
// and the websocket's origin check admits them. Tokens travel as bearer
// headers (or ?token= on the websocket); no cookie is ever honoured from a
// peer's page, so CORS never carries credentials.

// ParsePeers reads a comma-separated list of base URLs ("http://10.0.0.2:8080,
// https://b.example") into origins, in order and without repeats. Each must
// be http or https with a host and nothing after it but "/": a kiosk puts
// /api/v1 and /ws behind it, and the CORS and CSP checks compare origins.
func ParsePeers(list string) ([]string, error) {
	var out []string
	for part := range strings.SplitSeq(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		o, err := peerOrigin(part)
		if err != nil {
			return nil, fmt.Errorf("-peers %q: %w", part, err)
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out, nil
}

// peerOrigin is the origin (scheme://host[:port], lower case) of a base URL.
func peerOrigin(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("not a URL: %w", err)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		return "", fmt.Errorf("the scheme must be http or https")
	case u.Host == "" || !hostChars(u.Host):
		return "", fmt.Errorf("no host, or a host with characters a host cannot have")
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("give the server's base URL only (scheme, host, port)")
	}
	return scheme + "://" + strings.ToLower(u.Host), nil
}

// hostChars reports whether host holds only what a name, an address and a
// port are written with: it goes into a CSP header and a JSON answer.
func hostChars(host string) bool {
	return host != "" && strings.Trim(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == ""
}

// isPeer reports whether origin (an Origin header) is one of the peers'.
func (s *Server) isPeer(origin string) bool {
	return origin != "" && slices.Contains(s.Peers, strings.ToLower(origin))
}

// servers answers the servers a kiosk may use, in order: this one as the
// caller reached it (its Host header), then the peers. A kiosk keeps the
// server it paired with first whatever order a later answer gives.
func (s *Server) servers(c *fiber.Ctx) []string {
	out := make([]string, 0, len(s.Peers)+1)
	if host := c.Hostname(); hostChars(host) {
		out = append(out, strings.ToLower(c.Protocol()+"://"+host))
	}
	for _, p := range s.Peers {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// peerSources are the peers' origins for a kiosk page's connect-src: their
// API and their websocket (ws:// or wss://, named for Safari before 16).
func (s *Server) peerSources() string {
	var b strings.Builder
	for _, p := range s.Peers {
		ws := "ws" + strings.TrimPrefix(p, "http")
		b.WriteString(" " + p + " " + ws)
	}
	return b.String()
}

// cors answers the peers' kiosk pages on /api/v1: the answer may be read by
// a page of a listed origin, with the Authorization and Content-Type
// headers the kiosk sends, and a preflight is answered here at once. No
// Access-Control-Allow-Credentials: a browser sends no cookie across
// origins with it, so a peer's page can act only with a bearer token.
func (s *Server) cors(c *fiber.Ctx) error {
	origin := c.Get(fiber.HeaderOrigin)
	if !s.isPeer(origin) || !strings.HasPrefix(c.Path(), "/api/v1/") {
		return c.Next()
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	h.Add(fiber.HeaderVary, fiber.HeaderOrigin)
	if c.Method() == fiber.MethodOptions && c.Get(fiber.HeaderAccessControlRequestMethod) != "" {
		h.Set(fiber.HeaderAccessControlAllowMethods, "GET, POST, PUT, PATCH, DELETE")
		h.Set(fiber.HeaderAccessControlAllowHeaders, "Authorization, Content-Type")
		h.Set(fiber.HeaderAccessControlMaxAge, "600")
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Next()
}

// SocketOrigins is the live hub's origin check (live.Options.CheckOrigin)
// for a server with peers: a request without an Origin (not a browser), from
// a page of this host, or from a page of a peer may open the websocket.
func SocketOrigins(peers []string) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true
		}
		u, err := url.Parse(origin)
		if err != nil {
			return false
		}
		return strings.EqualFold(u.Host, r.Host) || slices.Contains(peers, strings.ToLower(origin))
	}
}

// crossOrigin reports whether a websocket handshake comes from a page of
// another origin (a peer's kiosk): its cookie, if the browser sent one, is
// not its own and must not sign it in.
func crossOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}
