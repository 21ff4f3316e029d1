// Package web is Huiwu's HTTP face: the JSON API under /api/v1, the live
// websocket at /ws, and (later) the pages kiosks, ushers and the desk load.
// Handlers return errors; errorHandler turns them into one JSON shape.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/live"
	"huiwu/server/internal/store"
)

// Limits on what clients may send (the body limits per route are in
// bodylimits.go).
const (
	maxImportSize = 10 << 20
	maxBatchScans = 500
)

// Deps are what the handlers work with.
type Deps struct {
	DB     *store.DB
	Engine *checkin.Engine
	Creds  *credentials.Service
	Auth   *auth.Service
	Hub    *live.Hub
	// Attendance counts from memory; the live feed and the API share it.
	Attendance *attendance.Tracker
	Version    string
	// LoginCode is the code of the login link printed at start: without an
	// admin token it creates the first admin account, once; with one it
	// signs a browser in with AdminToken (login.go).
	LoginCode  string
	AdminToken string
	// Peers are the other servers on the same database, as origins
	// (ParsePeers): kiosks fail over to them (peers.go).
	Peers []string
}

// Server holds the handlers' dependencies.
type Server struct {
	Deps
	login *oneTimeCode
	pair  *limiter

	inFlight    atomic.Int64 // requests being handled (guard)
	inFlightCap int64        // maxInFlight
	bodies      *budget      // request body bytes held (guard)
	lingering   atomic.Int64 // connections dropping a refused body (linger)
}

// New builds the Fiber app.
func New(d Deps) *fiber.App {
	s := &Server{Deps: d, login: firstAdminCode(d), pair: newLimiter(10, time.Minute),
		bodies: newBudget(bodyBudget), inFlightCap: maxInFlight}
	app := fiber.New(fiber.Config{
		AppName:      "huiwu",
		ErrorHandler: errorHandler,
		// Bodies arrive as a stream (the first 8 KB with the headers), and
		// guard reads them once the caller is known: see bodylimits.go. The
		// multipart pre-parse would read a whole upload before that.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    uploadBodyLimit,
		Concurrency:                  maxConnections,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 30 * time.Second,
		IdleTimeout:                  120 * time.Second,
		DisableStartupMessage:        true,
		// Values read from a fiber.Ctx (params, queries, bodies) normally
		// point into buffers reused after the handler returns; a session id
		// that travels on to the live feed would then change under it.
		// Immutable copies them, for every handler, at a small cost.
		Immutable: true,
	})
	s.routes(app)
	return app
}

func (s *Server) routes(app *fiber.App) {
	app.Use(s.secureHeaders, s.cors, s.guard)
	app.Get("/login", s.handleLogin)
	s.mountPages(app)
	app.Get("/ws", s.handleWS())

	api := app.Group("/api/v1")
	api.Get("/health", s.handleHealth)
	api.Post("/pair", s.handlePair)
	s.noticeRoutes(app, api) // before authenticate: the reply routes take a reply link; the desk's sign in themselves
	api.Use(s.authenticate)

	anyone := require()
	staff := require(auth.RoleDesk, auth.RoleUsher)
	desk := require(auth.RoleDesk)
	scanners := require(auth.RoleDesk, auth.RoleKiosk)

	api.Get("/event", anyone, s.handleEvent)
	api.Get("/sessions", anyone, s.handleSessions)
	api.Get("/checkpoints", anyone, s.handleCheckpoints)
	api.Get("/sessions/:id/attendance", anyone, s.handleAttendance)
	api.Get("/sessions/:id/seats", staff, s.handleSeats)
	api.Get("/sessions/:id/leaves", staff, s.handleLeaves)
	api.Post("/sessions/:id/leaves", desk, s.handleLeaveCreate)
	api.Delete("/sessions/:id/leaves/:attendee", desk, s.handleLeaveRevoke)

	api.Get("/attendees", staff, s.handleAttendees)
	api.Get("/attendees/:id", staff, s.handleAttendee)
	api.Get("/attendees/:id/phone", desk, s.handlePhone)
	api.Get("/attendees/:id/credential", desk, s.handleCredential)
	api.Post("/attendees/:id/credential", desk, s.handleReissue)

	api.Post("/import", desk, s.handleImport)
	api.Post("/checkins", scanners, s.handleCheckin)
	api.Post("/checkins/batch", scanners, s.handleCheckinBatch)
	api.Get("/keys", scanners, s.handleKeys)
	api.Post("/decode", scanners, s.handleDecode)

	api.Get("/devices", desk, s.handleDevices)
	api.Post("/devices", desk, s.handleDeviceCreate)
	api.Patch("/devices/:id", desk, s.handleDeviceUpdate)
	api.Delete("/devices/:id", desk, s.handleDeviceRevoke)
	api.Post("/users", require(), s.adminOnly, s.handleUserCreate)
	s.areaRoutes(app, api)
	s.travelRoutes(api)
	s.boardRoutes(api)
	s.transportRoutes(api)
	s.hotelRoutes(api)
	s.materialsRoutes(api)
	s.documentRoutes(api)
	s.dutyRoutes(api)
	s.photoRoutes(api)
	s.faceRoutes(api)   // faces.go: consent, references, 1:N search, deletion
	s.glanceRoutes(api) // faces_glance.go: the glance check and the face alerts (issue 15.3–15.4)
}

// principal is the authenticated caller of this request.
func principal(c *fiber.Ctx) auth.Principal {
	p, _ := c.Locals("principal").(auth.Principal)
	return p
}

// authenticate admits callers with a valid token. Cookie-authenticated
// writes must come from our own origin.
func (s *Server) authenticate(c *fiber.Ctx) error {
	p, fromCookie, err := s.caller(c)
	if err != nil {
		return err
	}
	if fromCookie && c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead && !sameOrigin(c) {
		return errCrossSite
	}
	c.Locals("principal", p)
	return c.Next()
}

// requestToken reads the token from the Authorization header or the
// huiwu_token cookie (browser pages). Only the websocket takes ?token= (it
// cannot set headers): a token in an API URL would leak through logs and
// Referer headers.
func requestToken(c *fiber.Ctx) (token string, fromCookie bool) {
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):]), false
	}
	if t := c.Cookies("huiwu_token"); t != "" {
		return t, true
	}
	return "", false
}

// callerResult is the token look-up of one request, kept so that guard
// (which looks first, to size the body) and authenticate ask once.
type callerResult struct {
	p          auth.Principal
	fromCookie bool
	err        error
}

// caller looks up the request's token, once per request. The auth service
// remembers unknown tokens for a while and counts failed look-ups against
// the client's address and all addresses (auth.ErrThrottled, 429).
func (s *Server) caller(c *fiber.Ctx) (auth.Principal, bool, error) {
	if r, ok := c.Locals("caller").(*callerResult); ok {
		return r.p, r.fromCookie, r.err
	}
	token, fromCookie := requestToken(c)
	p, err := auth.Principal{}, auth.ErrUnauthenticated
	if token != "" {
		p, err = s.Auth.AuthenticateFrom(c.UserContext(), token, c.IP())
	}
	// A revoked kiosk hands in its offline queue, and nothing else.
	var revoked *auth.RevokedDevice
	if errors.As(err, &revoked) && revoked.MayUpload && !fromCookie && isBatchUpload(c) {
		p, err = revoked.Principal, nil
		c.Locals(revokedAtKey, revoked.At)
	}
	c.Locals("caller", &callerResult{p: p, fromCookie: fromCookie, err: err})
	return p, fromCookie, err
}

// sameOrigin reports whether the request's Origin (or Referer) names this
// host, which browsers set on every cross-site write.
func sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		origin = c.Get(fiber.HeaderReferer)
	}
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == c.Hostname()
}

// require admits callers holding one of roles (admin always); with no roles
// any authenticated caller.
func require(roles ...auth.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(roles) > 0 && !principal(c).Can(roles...) {
			return errForbidden
		}
		return c.Next()
	}
}

func (s *Server) adminOnly(c *fiber.Ctx) error {
	if principal(c).Role != auth.RoleAdmin {
		return errForbidden
	}
	return c.Next()
}

func (s *Server) catalog() *store.Catalog { return s.Engine.Catalog() }

func (s *Server) handleHealth(c *fiber.Ctx) error {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	out := fiber.Map{"ok": true, "version": s.Version, "event": s.catalog().Event.ID,
		"database": s.DB.Dialect(),
		"live":     s.Hub.Stats(),
		"memory":   fiber.Map{"rss_bytes": rss(), "heap_inuse_bytes": m.HeapInuse, "sys_bytes": m.Sys}}
	// On PostgreSQL: how far this server's live feed is behind the
	// changes the others commit (store.FeedLag). A failed read leaves the
	// figure out rather than failing the health check.
	if lag, ok, err := s.DB.FeedLag(c.UserContext()); ok && err == nil {
		out["feed_lag_ms"] = lag.Milliseconds()
	} else if err != nil {
		slog.Warn("health: live feed lag", "err", err)
	}
	return c.JSON(out)
}

// rss is the process's resident memory on Linux (0 elsewhere), for load
// scripts that hold the server to a memory budget.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(b), &size, &resident); err != nil {
		return 0
	}
	return resident * int64(os.Getpagesize())
}
