// Package auth knows who is calling: the admin token given at start, staff
// accounts (a user name and an argon2id password, signed in as sessions
// that expire, or token-only accounts for scripts), and paired devices
// (kiosks, screens, usher tablets). Tokens are random, shown once, and
// stored only as SHA-256 hashes. A revocation applies to the very next
// request and, through OnRevoke, closes the principal's websockets.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"huiwu/server/internal/store"
)

// Role is what a caller may do.
type Role string

// The roles. A device's role is its kind; chair is the chair's office or
// the secretariat: attendance, the absentees and the chair's view.
const (
	RoleAdmin Role = "admin"
	RoleDesk  Role = "desk"
	RoleUsher Role = "usher"
	RoleChair Role = "chair"
	// RoleLogistics is the 会务组's travel and lodging staff: arrivals,
	// vehicles, pickups, hotel stays and departures (and no more).
	RoleLogistics Role = "logistics"
	RoleKiosk     Role = "kiosk"
	RoleScreen    Role = "screen"
)

// Principal is an authenticated caller.
type Principal struct {
	Role Role
	// Name is who, for logs and the audit trail: "admin", "王芳 (wangf)"
	// for a staff account, "user:3 值机脚本" for a token-only account,
	// "device:k7f3 东门1号".
	Name string
	// Device is the device id for paired devices, else "".
	Device string
	// Checkpoint is a kiosk's checkpoint at the moment of the request.
	Checkpoint string
	// User, Login and Session identify a staff account's session (0 and
	// "" for devices and the admin token).
	User    int64
	Login   string
	Session int64
}

// Can reports whether the principal holds one of roles; admin holds all.
func (p Principal) Can(roles ...Role) bool {
	if p.Role == RoleAdmin {
		return true
	}
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// Owners name the principal for closing its live connections: a device,
// or a user and the one session (live.Access.Owners).
func (p Principal) Owners() []string {
	switch {
	case p.Device != "":
		return []string{deviceOwner(p.Device)}
	case p.User != 0:
		return []string{userOwner(p.User), sessionOwner(p.Session)}
	}
	return nil
}

func deviceOwner(id string) string { return "device:" + id }
func userOwner(id int64) string    { return fmt.Sprintf("user:%d", id) }
func sessionOwner(id int64) string { return fmt.Sprintf("session:%d", id) }
func staffName(u store.User) string {
	if u.Login == "" {
		return fmt.Sprintf("user:%d %s", u.ID, u.Name)
	}
	return fmt.Sprintf("%s (%s)", u.Name, u.Login)
}

// ErrUnauthenticated means no valid token was presented.
var ErrUnauthenticated = errors.New("auth: no valid token")

// LastUploadWindow is how long after its revocation a device may still
// hand in the scans it made before it (RevokedDevice.MayUpload): a kiosk
// revoked while it was offline uploads its queue on its next contact, then
// wipes itself.
const LastUploadWindow = 72 * time.Hour

// RevokedDevice is the error for the token of a device the desk revoked.
// It is ErrUnauthenticated to everything that does not ask (errors.Is);
// a kiosk told so wipes what it stores, and the one route that takes a
// revoked device's last upload reads Principal and At.
type RevokedDevice struct {
	Principal Principal
	At        time.Time // when it was revoked
	MayUpload bool      // within LastUploadWindow of At
}

func (e *RevokedDevice) Error() string { return "auth: device revoked" }

// Is makes a revoked device's token an unauthenticated one.
func (e *RevokedDevice) Is(target error) bool { return target == ErrUnauthenticated }

// Service authenticates tokens and manages users and devices.
type Service struct {
	db         *store.DB
	adminToken []byte
	guard      *Guard
	hashing    chan struct{} // bounds argon2 work (memory) in flight

	mu       sync.Mutex
	policy   Policy
	dummy    string // a hash to check unknown users against, so they take as long
	clock    func() time.Time
	cache    map[string]*cached   // token hash -> principal
	unknown  map[string]time.Time // token hash -> until when it is known to sign in no one
	seen     map[string]time.Time // device id -> last request
	onRevoke []func(owner string)
}

// cached is an authenticated token. For a session it also holds when the
// session ends and when it was last used (written to the store at most
// once a minute, so a busy page does not cost a write per request).
type cached struct {
	p         Principal
	revokedAt time.Time // a revoked device's token: known, but signs in no one
	browser   bool
	expires   time.Time
	seen      time.Time
	stored    time.Time
}

// New makes the service. adminToken may be empty (no static admin token).
func New(db *store.DB, adminToken string) *Service {
	s := &Service{db: db, adminToken: []byte(adminToken), hashing: make(chan struct{}, 2),
		clock: time.Now, cache: map[string]*cached{}, unknown: map[string]time.Time{}, seen: map[string]time.Time{}}
	s.guard = newGuard(s.now)
	s.SetPolicy(DefaultPolicy())
	return s
}

// SetClock replaces the clock that sessions, lock-outs and rate limits go
// by (tests move it instead of waiting).
func (s *Service) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = now
}

func (s *Service) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock()
}

// OnRevoke registers fn to hear, after each commit that revokes or changes
// a principal, the owners (Principal.Owners) whose live connections must
// close: "device:ID", "user:N" or "session:N".
func (s *Service) OnRevoke(fn func(owner string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRevoke = append(s.onRevoke, fn)
}

// revoked forgets every cached principal and tells the OnRevoke listeners.
func (s *Service) revoked(owners ...string) {
	s.forget()
	s.mu.Lock()
	fns := s.onRevoke
	s.mu.Unlock()
	for _, o := range owners {
		for _, fn := range fns {
			fn(o)
		}
	}
}

// Authenticate resolves a bearer token.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	return s.authenticate(ctx, token, "", true)
}

// AuthenticateFrom resolves a bearer token presented from address, which
// failed look-ups count against (per address and over all addresses).
func (s *Service) AuthenticateFrom(ctx context.Context, token, address string) (Principal, error) {
	return s.authenticate(ctx, token, address, true)
}

// Valid reports whether token still authenticates, for a long-lived
// connection made with it; it counts as use of a session, not as a
// device's request, and is never throttled (the connection signed in).
func (s *Service) Valid(ctx context.Context, token string) bool {
	_, err := s.authenticate(ctx, token, "", false)
	return err == nil
}

func (s *Service) authenticate(ctx context.Context, token, address string, request bool) (Principal, error) {
	if token == "" || len(token) > 200 {
		return Principal{}, ErrUnauthenticated
	}
	if len(s.adminToken) > 0 && subtle.ConstantTimeCompare([]byte(token), s.adminToken) == 1 {
		return Principal{Role: RoleAdmin, Name: "admin"}, nil
	}
	h := hashToken(token)
	now := s.now()
	s.mu.Lock()
	e, ok := s.cache[h]
	known := now.Before(s.unknown[h])
	s.mu.Unlock()
	if known {
		// The same wrong token again (a device with a stale token): no
		// look-up, and no new failure counted against its address.
		return Principal{}, ErrUnauthenticated
	}
	if !ok {
		// A connection that signed in already is not refused for others'
		// guessing: only new requests answer to the budget.
		if request && !s.guard.Allow(KindToken, address) {
			return Principal{}, ErrThrottled
		}
		var err error
		if e, err = s.lookup(ctx, h); errors.Is(err, ErrUnauthenticated) {
			s.mu.Lock()
			if len(s.unknown) >= 10_000 {
				clear(s.unknown)
			}
			s.unknown[h] = now.Add(time.Minute)
			s.mu.Unlock()
			if request {
				s.guard.Fail(KindToken, address)
			}
			return Principal{}, err
		} else if err != nil {
			return Principal{}, err
		}
		s.mu.Lock()
		s.cache[h] = e
		s.mu.Unlock()
	}
	if !e.revokedAt.IsZero() {
		return Principal{}, &RevokedDevice{Principal: e.p, At: e.revokedAt, MayUpload: now.Sub(e.revokedAt) < LastUploadWindow}
	}
	s.mu.Lock()
	p, touch := e.p, false
	if p.Session != 0 {
		if !now.Before(e.expires) || e.browser && now.Sub(e.seen) > s.policy.SessionIdle {
			delete(s.cache, h)
			s.mu.Unlock()
			return Principal{}, ErrUnauthenticated
		}
		e.seen = now
		if touch = now.Sub(e.stored) >= time.Minute; touch {
			e.stored = now
		}
	}
	if p.Device != "" && request {
		s.seen[p.Device] = now
	}
	s.mu.Unlock()
	if touch {
		if err := s.db.TouchSession(ctx, p.Session, now); err != nil {
			slog.Warn("auth: record session use", "session", p.Session, "err", err)
		}
	}
	return p, nil
}

func (s *Service) lookup(ctx context.Context, h string) (*cached, error) {
	sess, u, err := s.db.SessionByToken(ctx, h)
	if err == nil {
		return &cached{
			p:       Principal{Role: Role(u.Role), Name: staffName(u), User: u.ID, Login: u.Login, Session: sess.ID},
			browser: sess.Kind == sessionBrowser, expires: sess.ExpiresAt, seen: sess.LastSeenAt, stored: sess.LastSeenAt,
		}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("auth: %w", err)
	}
	d, err := s.db.DeviceByToken(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	} else if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	e := &cached{p: Principal{Role: Role(d.Kind), Name: "device:" + d.ID + " " + d.Name, Device: d.ID, Checkpoint: d.Checkpoint},
		revokedAt: d.RevokedAt}
	return e, nil
}

// forget drops cached principals so that a change to users or devices
// applies to the very next request.
func (s *Service) forget() {
	s.mu.Lock()
	clear(s.cache)
	s.mu.Unlock()
}

// LastSeen is when each device last made a request since this process
// started.
func (s *Service) LastSeen() map[string]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]time.Time, len(s.seen))
	for k, v := range s.seen {
		out[k] = v
	}
	return out
}

// CreateUser adds a token-only account (for scripts) with a role and
// returns its API token, shown once; see CreateTokenUser.
func (s *Service) CreateUser(ctx context.Context, name string, role Role) (int64, string, error) {
	return s.CreateTokenUser(ctx, name, role, "")
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken makes a random bearer token with a prefix that says what it is
// (hwu_ user, hwd_ device), which helps when one turns up in a log.
func newToken(prefix string) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
