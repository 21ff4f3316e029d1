package web

import (
	"crypto/subtle"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
)

// oneTimeCode is the admin login code printed at start when no admin token
// was given: it works once, so a link left in a terminal's scrollback is
// worthless after the first login.
type oneTimeCode struct {
	mu   sync.Mutex
	code string
}

func newOneTimeCode(code string) *oneTimeCode { return &oneTimeCode{code: code} }

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

// handleLogin trades the one-time code for an admin user whose token is set
// as an HTTP-only cookie for the browser pages.
func (s *Server) handleLogin(c *fiber.Ctx) error {
	if !s.pair.allow(c.IP()) {
		return errTooManyAttempts
	}
	if !s.login.take(c.Query("code")) {
		return apiError(fiber.StatusForbidden, "bad_login_code", "登录链接无效或已使用", "login link invalid or already used")
	}
	_, token, err := s.Auth.CreateUser(c.UserContext(), "管理员（登录链接）", auth.RoleAdmin)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: "huiwu_token", Value: token, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Expires: time.Now().Add(30 * 24 * time.Hour)})
	return c.Redirect("/desk", fiber.StatusSeeOther) // on an empty server the desk opens the set-up wizard
}

var errTooManyAttempts = apiError(fiber.StatusTooManyRequests, "rate_limited", "尝试次数过多，请一分钟后再试", "too many attempts, wait a minute")

// limiter allows n attempts per window per client address: pairing codes
// and login codes must not be guessable by brute force.
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
