package web

import (
	"crypto/subtle"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// oneTimeCode is the admin login code printed at start when no admin token
// was given. It only creates the first admin account, once: a link left in
// a terminal's scrollback is worthless after that.
type oneTimeCode struct {
	mu   sync.Mutex
	code string
}

func newOneTimeCode(code string) *oneTimeCode { return &oneTimeCode{code: code} }

// firstAdminCode is the code that may create the first admin account: the
// printed one, unless the server has an admin token, whose link signs in
// with that token instead (handleLogin) and creates no one.
func firstAdminCode(d Deps) *oneTimeCode {
	if d.AdminToken != "" {
		return newOneTimeCode("")
	}
	return newOneTimeCode(d.LoginCode)
}

// valid reports whether code matches, without using it up.
func (o *oneTimeCode) valid(code string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.code != "" && subtle.ConstantTimeCompare([]byte(code), []byte(o.code)) == 1
}

// take reports whether code matches and, if so, burns it.
func (o *oneTimeCode) take(code string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.code == "" || subtle.ConstantTimeCompare([]byte(code), []byte(o.code)) != 1 {
		return false
	}
	o.code = ""
	return true
}

// sessionCookie is the cookie the pages authenticate with (the web
// middleware and the websocket read it); it also takes an API token.
const sessionCookie = "huiwu_token"

// accountRoutes mount sign-in and the admin's users API. Signing in
// happens before there is a token, so /login and its friends sit outside
// /api/v1; the login page itself is served at GET /login (handleLogin).
func (s *Server) accountRoutes(app *fiber.App, api fiber.Router) {
	app.Get("/login/state", s.handleLoginState)
	app.Post("/login", s.handleLoginPost)
	app.Post("/login/setup", s.handleFirstAdmin)
	app.Post("/logout", s.handleLogout)
	api.Get("/me", s.handleMe)
	api.Get("/users", s.adminOnly, s.handleUsers)
	api.Patch("/users/:id", s.adminOnly, s.handleUserUpdate)
	api.Post("/users/:id/password", s.adminOnly, s.handleUserPassword)
	api.Post("/users/:id/revoke", s.adminOnly, s.handleUserRevoke)
	api.Delete("/users/:id/sessions/:session", s.adminOnly, s.handleSessionEnd)
	// POST /users (create) is mounted with the core API in web.go.
}

// handleLogin serves the login page. With ?code= from the link printed at
// start, and while no admin account exists, the page offers to create the
// first admin instead (it asks /login/state). A server started with an
// admin token prints a link whose code signs the browser in with that
// token and opens the desk (or ?next=): whoever started the server holds
// the token anyway, and the desk needs a way in from a browser.
func (s *Server) handleLogin(c *fiber.Ctx) error {
	if code := c.Query("code"); code != "" && s.AdminToken != "" {
		if !s.Auth.Allow(auth.KindLogin, c.IP()) {
			return errTooManyAttempts
		}
		if subtle.ConstantTimeCompare([]byte(code), []byte(s.LoginCode)) == 1 {
			c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: s.AdminToken, Path: "/", HTTPOnly: true,
				SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
			next := c.Query("next")
			if !pageAddress(next) {
				next = "/desk"
			}
			return c.Redirect(next, fiber.StatusSeeOther)
		}
		s.Auth.Fail(auth.KindLogin, c.IP())
	}
	return sendPage(c, "login")
}

// pageAddress reports whether p is a page of this server to land on after
// signing in: a path, not another site ("//host") and not the API.
func pageAddress(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\t\r\n") {
		return false
	}
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/login") && !strings.HasPrefix(p, "/logout")
}

// handleLoginState tells the login page whether its ?code= may create the
// first admin, and whether an admin exists already.
func (s *Server) handleLoginState(c *fiber.Ctx) error {
	has, err := s.Auth.HasAdmin(c.UserContext())
	if err != nil {
		return err
	}
	code, first := c.Query("code"), false
	if code != "" && s.AdminToken == "" {
		if !s.Auth.Allow(auth.KindLogin, c.IP()) {
			return errTooManyAttempts
		}
		if s.login.valid(code) {
			first = !has
		} else {
			s.Auth.Fail(auth.KindLogin, c.IP())
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"first_admin": first, "admin_exists": has})
}

type loginBody struct {
	Code     string `json:"code"`
	Login    string `json:"login"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// readLogin parses a sign-in form posted by our own login page: another
// site must not sign a browser in (or out) behind its back.
func readLogin(c *fiber.Ctx) (loginBody, error) {
	var b loginBody
	if !sameOrigin(c) {
		return b, errCrossSite
	}
	if err := readJSON(c, &b); err != nil {
		return b, err
	}
	b.Login, b.Name = strings.TrimSpace(b.Login), strings.TrimSpace(b.Name)
	return b, nil
}

func client(c *fiber.Ctx) auth.Client {
	return auth.Client{Address: c.IP(), Agent: c.Get(fiber.HeaderUserAgent)}
}

// setSession gives the browser its session cookie: HTTP-only (no script
// reads it), SameSite=Strict (no other site's page sends it), gone when
// the session's absolute limit is reached.
func setSession(c *fiber.Ctx, in auth.SignedIn) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: in.Token, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https", Expires: in.Expires})
}

// landing is the page a role opens after signing in.
func landing(r auth.Role) string {
	switch r {
	case auth.RoleUsher:
		return "/usher"
	case auth.RoleChair:
		return "/chair"
	case auth.RoleScreen:
		return "/screen"
	case auth.RoleLogistics:
		return "/logistics"
	}
	return "/desk"
}

func signedIn(c *fiber.Ctx, status int, in auth.SignedIn) error {
	setSession(c, in)
	c.Set(fiber.HeaderCacheControl, "no-store")
	p := in.Principal
	return c.Status(status).JSON(fiber.Map{"login": p.Login, "name": p.Name, "role": p.Role, "next": landing(p.Role)})
}

// handleLoginPost signs a person in with their user name and password.
func (s *Server) handleLoginPost(c *fiber.Ctx) error {
	b, err := readLogin(c)
	if err != nil {
		return err
	}
	in, err := s.Auth.Login(c.UserContext(), b.Login, b.Password, client(c))
	if err != nil {
		return s.accountError(err)
	}
	return signedIn(c, fiber.StatusOK, in)
}

// handleFirstAdmin creates the first admin account with the one-time
// code from the link printed at start, and signs them in. The code is
// used up only when the account is made, so a typo in the form costs
// nothing; once any admin can sign in, no code makes another.
func (s *Server) handleFirstAdmin(c *fiber.Ctx) error {
	b, err := readLogin(c)
	if err != nil {
		return err
	}
	if !s.Auth.Allow(auth.KindLogin, c.IP()) {
		return errTooManyAttempts
	}
	if !s.login.valid(b.Code) {
		s.Auth.Fail(auth.KindLogin, c.IP())
		return errBadLoginCode
	}
	in, err := s.Auth.FirstAdmin(c.UserContext(), auth.NewAccount{Login: b.Login, Name: b.Name, Password: b.Password}, client(c))
	if err == nil || errors.Is(err, store.ErrAdminExists) {
		s.login.take(b.Code) // made an admin, or never will
	}
	if err != nil {
		return s.accountError(err)
	}
	return signedIn(c, fiber.StatusCreated, in)
}

var errBadLoginCode = apiError(fiber.StatusForbidden, "bad_login_code", "登录链接无效或已使用", "login link invalid or already used")

// handleLogout ends the browser's session on the server and drops its
// cookie.
func (s *Server) handleLogout(c *fiber.Ctx) error {
	if !sameOrigin(c) {
		return errCrossSite
	}
	if p, err := s.Auth.Authenticate(c.UserContext(), c.Cookies(sessionCookie)); err == nil {
		if err := s.Auth.Logout(c.UserContext(), p); err != nil {
			return err
		}
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Expires: time.Unix(0, 0), MaxAge: -1})
	return c.SendStatus(fiber.StatusNoContent)
}

// handleMe answers who the caller is, for pages that greet or sign out.
func (s *Server) handleMe(c *fiber.Ctx) error {
	p := principal(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"name": p.Name, "login": p.Login, "role": p.Role, "user_id": p.User,
		"session_id": p.Session, "device": p.Device, "staff": p.Session != 0})
}

var errTooManyAttempts = apiError(fiber.StatusTooManyRequests, "rate_limited", "尝试次数过多，请稍后再试", "too many attempts, try again later")

// limiter allows n attempts per window per client address: a bound on the
// load one address makes (kiosks asking for codes, polling for tokens).
// Failed guesses have budgets of their own, per address and over all
// addresses (auth.Guard).
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	hits   map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, hits: map[string][]time.Time{}}
}

func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	cut := now.Add(-l.window)
	h := l.hits[key]
	i := 0
	for i < len(h) && h[i].Before(cut) {
		i++
	}
	h = h[i:]
	if len(h) >= l.n {
		l.hits[key] = h
		return false
	}
	l.hits[key] = append(h, now)
	if len(l.hits) > 10_000 { // forget idle clients rather than grow without bound
		for k, v := range l.hits {
			if len(v) == 0 || v[len(v)-1].Before(cut) {
				delete(l.hits, k)
			}
		}
	}
	return true
}
