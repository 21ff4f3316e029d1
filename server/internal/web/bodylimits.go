package web

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
)

// Request bodies. fasthttp normally reads a whole body (up to the app's
// BodyLimit) before any handler runs, so a caller without a token could
// make the server hold 12 MB per request. The app streams bodies instead
// (fiber.Config.StreamRequestBody: only the first 8 KB arrive with the
// headers) and guard reads the rest itself, after the caller is known and
// only up to what the route takes from that caller.
const (
	// anonBodyLimit is all a caller without a valid token may send: a
	// pairing request, a login form. It is what fasthttp reads with the
	// headers anyway.
	anonBodyLimit = 8 << 10
	// defaultBodyLimit is any other signed-in write: an attendee edit, a
	// leave, a device, a seat swap.
	defaultBodyLimit = 64 << 10
	scanBodyLimit    = 4 << 10 // one scan: a 200-character token and a few fields
	batchBodyLimit   = 1 << 20 // an offline kiosk's queue, at most 500 scans
	// uploadBodyLimit is a 10 MB file with its multipart wrapping.
	uploadBodyLimit = maxImportSize + 64<<10
	// deskDocLimit is a definition or venue the desk puts (the demo's whole
	// definition is 100 KB; a 5,000-seat hall is under 1 MB).
	deskDocLimit = maxImportSize

	// maxInFlight requests are handled at once; the next gets 503 at once
	// rather than queueing memory and goroutines.
	maxInFlight = 512
	// bodyBudget is the bytes of request bodies held in memory at once,
	// over all requests: six imports side by side, or thousands of scans.
	bodyBudget = 64 << 20
	// maxConnections is fasthttp's Concurrency: open connections served at
	// once (websockets leave this count once upgraded).
	maxConnections = 4096

	// After refusing a body, at most maxLingering connections at a time
	// read and drop what is left of it (up to lingerMax bytes, for up to
	// lingerTime) so that the client sees the refusal: see linger.
	maxLingering = 32
	lingerMax    = 2 * uploadBodyLimit
	lingerTime   = 15 * time.Second
	// fasthttpDrains is what fasthttp itself reads and drops of a body left
	// unread (its maxUnreadStreamBodySize), keeping the connection open.
	fasthttpDrains = 256 << 10
)

var (
	errBodyTooLarge = apiError(fiber.StatusRequestEntityTooLarge, "too_large", "上传内容超过大小限制", "request body too large")
	errEncodedBody  = apiError(fiber.StatusUnsupportedMediaType, "encoded_body",
		"请求体不可压缩（Content-Encoding）", "request bodies may not be compressed (Content-Encoding)")
	errBusy = apiError(fiber.StatusServiceUnavailable, "busy", "服务器繁忙，请稍后重试", "the server is busy, retry shortly")
	errBody = badRequest("body_incomplete", "请求体未能完整接收", "the request body did not arrive whole")
)

// bodyRule lets one route take more (or less) than defaultBodyLimit, and
// says who may send that much.
type bodyRule struct {
	method string
	path   []string // segments; "*" matches any one
	limit  int
	roles  []auth.Role // nil: anyone signed in
}

func rule(route string, limit int, roles ...auth.Role) bodyRule {
	method, path, _ := strings.Cut(route, " ")
	return bodyRule{method: method, path: strings.Split(strings.Trim(path, "/"), "/"), limit: limit, roles: roles}
}

// bodyRules are the routes whose bodies are not ordinary small JSON.
var bodyRules = []bodyRule{
	rule("POST /api/v1/checkins", scanBodyLimit),
	rule("POST /api/v1/checkins/batch", batchBodyLimit, auth.RoleDesk, auth.RoleKiosk),
	rule("POST /api/v1/import", uploadBodyLimit, auth.RoleDesk),
	rule("POST /api/v1/photos/import", uploadBodyLimit, auth.RoleDesk),
	rule("PUT /api/v1/attendees/*/photo", deskPhotoLimit, auth.RoleDesk),
	rule("POST /api/v1/event/workbook", uploadBodyLimit, auth.RoleDesk),
	rule("POST /api/v1/decode", uploadBodyLimit, auth.RoleDesk, auth.RoleKiosk),
	rule("PUT /api/v1/event", deskDocLimit, auth.RoleDesk),
	rule("POST /api/v1/event/layout", deskDocLimit, auth.RoleDesk),
	rule("POST /api/v1/venues", deskDocLimit, auth.RoleDesk),
	rule("PUT /api/v1/venues/*/sections/*/grid", deskDocLimit, auth.RoleDesk),
	// A face reference is 1,368 characters (faces.go).
	rule("PUT /api/v1/attendees/*/face", faceBodyLimit),
	rule("POST /api/v1/faces/search", faceBodyLimit),
}

// bodyLimit answers how many bytes the caller may send to method path, and
// whether a larger body would be the caller's role's fault (403) rather
// than the body's (413). Paths are matched as Fiber routes them: any case,
// a trailing slash ignored. A path no rule matches, however spelt, gets
// the default: the safe direction.
func bodyLimit(method, path string, p auth.Principal, signedIn bool) (limit int, roleBound bool) {
	if !signedIn {
		return anonBodyLimit, false
	}
	segs := strings.Split(strings.Trim(strings.ToLower(path), "/"), "/")
	for _, r := range bodyRules {
		if r.method != method || !matchSegments(r.path, segs) {
			continue
		}
		if r.roles != nil && !p.Can(r.roles...) {
			return min(r.limit, defaultBodyLimit), r.limit > defaultBodyLimit
		}
		return r.limit, false
	}
	return defaultBodyLimit, false
}

func matchSegments(pattern, segs []string) bool {
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != segs[i] {
			return false
		}
	}
	return true
}

// guard runs before every route: it caps the requests in flight, refuses
// compressed bodies (fasthttp would unpack them without a limit), and
// reads the body only once the caller is known, up to the route's limit
// for that caller. A body over the limit is refused from its
// Content-Length, unread; a chunked one as soon as it passes the limit.
// Either way the client gets its answer while still sending, and the rest
// is dropped unread (linger) or the connection closed; nothing of it is
// kept.
func (s *Server) guard(c *fiber.Ctx) error {
	if n := s.inFlight.Add(1); n > s.inFlightCap {
		s.inFlight.Add(-1)
		c.Set(fiber.HeaderRetryAfter, "1")
		return errBusy
	}
	defer s.inFlight.Add(-1)
	release, err := s.admitBody(c)
	if err != nil {
		if errors.Is(err, errBusy) {
			c.Set(fiber.HeaderRetryAfter, "1")
		}
		return err
	}
	defer release()
	return c.Next()
}

// admitBody reads the request body into memory if the caller may send it,
// and answers a function that gives its bytes back to the budget.
func (s *Server) admitBody(c *fiber.Ctx) (func(), error) {
	req := c.Request()
	declared := req.Header.ContentLength() // -1: chunked
	if declared == 0 || declared < -1 {
		return func() {}, nil // no body (-2: a GET or HEAD without one)
	}
	if enc := strings.TrimSpace(c.Get(fiber.HeaderContentEncoding)); enc != "" && !strings.EqualFold(enc, "identity") {
		return nil, errEncodedBody
	}
	p, _, authErr := s.caller(c)
	if authErr != nil && !errors.Is(authErr, auth.ErrUnauthenticated) {
		return nil, authErr // too many failed look-ups (429), or the store failing
	}
	limit, roleBound := bodyLimit(c.Method(), c.Path(), p, authErr == nil)
	refuse := func() error {
		s.linger(c, declared)
		switch {
		case authErr != nil:
			return errUnauthenticated // a body this large needs a valid token
		case roleBound:
			return errForbidden
		}
		return errBodyTooLarge
	}
	if declared > limit {
		return nil, refuse()
	}
	n := declared
	if n < 0 {
		n = limit
	}
	if !s.bodies.take(n) {
		return nil, errBusy
	}
	release := func() { s.bodies.give(n) }
	over, err := readBody(req.BodyStream(), req, declared, limit)
	if err != nil || over {
		release()
		if over {
			return nil, refuse()
		}
		return nil, errBody
	}
	return release, nil
}

// linger has the connection, once the refusal has been sent, read and drop
// the rest of the body, then close. A client that writes its whole body
// before it reads (Go's http client; browsers, often) would otherwise meet
// a reset connection instead of the answer, as fasthttp closes a
// connection with more than 256 KB left unread. Nothing is kept: the bytes
// go to io.Discard through a small buffer, outside the handler slots, on at
// most maxLingering connections at once; past that, or for a body over
// lingerMax, the connection is closed at once.
//
// A body fasthttp drains itself (up to fasthttpDrains, of a known length)
// is left to it: it keeps the connection alive, as the client expects from
// a response without Connection: close. Lingering on it closed a
// connection the client had put back in its pool, and the client's next
// request on it met a reset (TestFaceBodyLimit, one run in ten on a loaded
// machine).
func (s *Server) linger(c *fiber.Ctx, declared int) {
	stream := c.Request().BodyStream()
	if stream == nil || declared > lingerMax || declared >= 0 && declared <= fasthttpDrains {
		return
	}
	if s.lingering.Add(1) > maxLingering {
		s.lingering.Add(-1)
		return
	}
	c.Context().Hijack(func(conn net.Conn) {
		defer s.lingering.Add(-1)
		conn.SetReadDeadline(time.Now().Add(lingerTime))
		io.CopyN(io.Discard, stream, lingerMax)
	})
}

// bodyReader is the part of fasthttp's request that readBody needs (the
// module is only an indirect requirement of this one).
type bodyReader interface {
	Body() []byte
	SetBodyRaw([]byte)
}

// readBody reads a streamed body of declared length (-1: chunked) into
// memory, at most limit bytes; over reports a chunked body past the limit.
// A body that is not streamed (fasthttp read it with the headers, being
// small) is only measured.
func readBody(stream io.Reader, req bodyReader, declared, limit int) (over bool, err error) {
	if stream == nil {
		return len(req.Body()) > limit, nil
	}
	var buf []byte
	if declared >= 0 {
		buf = make([]byte, declared)
		if _, err := io.ReadFull(stream, buf); err != nil {
			return false, err
		}
	} else {
		if buf, err = io.ReadAll(io.LimitReader(stream, int64(limit)+1)); err != nil {
			return false, err
		}
		if len(buf) > limit {
			return true, nil
		}
	}
	req.SetBodyRaw(buf)
	return false, nil
}

// budget counts bytes held against a total.
type budget struct {
	mu    sync.Mutex
	left  int
	total int
}

func newBudget(total int) *budget { return &budget{left: total, total: total} }

func (b *budget) take(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > b.left {
		return false
	}
	b.left -= n
	return true
}

func (b *budget) give(n int) {
	b.mu.Lock()
	b.left = min(b.left+n, b.total)
	b.mu.Unlock()
}
