package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	"huiwu/server/internal/store"
)

// Policy is how long sessions last, when accounts lock, what hashing
// costs and how many failures of each kind are let through.
type Policy struct {
	Argon2 Argon2
	// SessionIdle ends a browser session no request has used for this
	// long; an open live page (its websocket) counts as use.
	SessionIdle time.Duration
	// SessionMax ends a browser session this long after sign-in, used or
	// not: people sign in again each working day.
	SessionMax time.Duration
	// TokenMax is how long a token-only account's API token lasts.
	TokenMax time.Duration
	// LockAfter wrong passwords in a row lock an account for LockFor.
	LockAfter int
	LockFor   time.Duration
	// Limits are the failure budgets per kind of attempt.
	Limits map[Kind]Limit
}

// DefaultPolicy is what the server runs with.
func DefaultPolicy() Policy {
	return Policy{
		Argon2:      DefaultArgon2,
		SessionIdle: time.Hour,
		SessionMax:  12 * time.Hour,
		TokenMax:    30 * 24 * time.Hour,
		LockAfter:   5,
		LockFor:     15 * time.Minute,
		Limits: map[Kind]Limit{
			KindLogin:        {PerAddress: 10, Global: 100, Window: 15 * time.Minute},
			KindPairingCode:  {PerAddress: 10, Global: 60, Window: time.Minute},
			KindPairingClaim: {PerAddress: 20, Global: 60, Window: time.Minute},
			KindPairingPoll:  {PerAddress: 30, Global: 300, Window: time.Minute},
			KindToken:        {PerAddress: 60, Global: 600, Window: time.Minute},
		},
	}
}

// SetPolicy replaces the policy (tests use small budgets and cheap hashes).
func (s *Service) SetPolicy(p Policy) {
	s.mu.Lock()
	s.policy, s.dummy = p, ""
	s.mu.Unlock()
	s.guard.setLimits(p.Limits)
}

func (s *Service) currentPolicy() Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policy
}

// dummyHash is a hash made at the policy's cost, which an unknown user's
// password is checked against so that "no such user" takes as long as
// "wrong password". It is made when first needed.
func (s *Service) dummyHash() string {
	s.mu.Lock()
	p, dummy := s.policy, s.dummy
	s.mu.Unlock()
	if dummy == "" {
		dummy = hashPassword("no such user", p.Argon2)
		s.mu.Lock()
		s.dummy = dummy
		s.mu.Unlock()
	}
	return dummy
}

// Errors of sign-in and account management; the web layer gives each its
// code and sentence.
var (
	ErrBadCredentials = errors.New("auth: user name or password wrong")
	ErrBadLogin       = errors.New("auth: user name must be 2 to 32 letters, digits, '.', '_' or '-'")
	ErrWeakPassword   = errors.New("auth: password must be 8 to 128 characters")
	ErrBadRole        = errors.New("auth: no such role for a person")
	ErrBadName        = errors.New("auth: name must be 1 to 40 characters")
	ErrBadLoginCode   = errors.New("auth: login link invalid or used")
)

// LockedError means the account is locked after repeated wrong passwords.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "auth: account locked until " + e.Until.Format(time.RFC3339)
}

const sessionBrowser, sessionAPI = "browser", "api"

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{2,32}$`)

// PersonRole reports whether r is a role a person's account may have.
func PersonRole(r Role) bool {
	switch r {
	case RoleAdmin, RoleDesk, RoleUsher, RoleChair, RoleScreen, RoleLogistics:
		return true
	}
	return false
}

// Account is a staff account as the admin's users page shows it.
type Account struct {
	ID          int64         `json:"id"`
	Login       string        `json:"login,omitempty"`
	Name        string        `json:"name"`
	Role        Role          `json:"role"`
	HasPassword bool          `json:"has_password"`
	LockedUntil *time.Time    `json:"locked_until,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	CreatedBy   string        `json:"created_by,omitempty"`
	RevokedAt   *time.Time    `json:"revoked_at,omitempty"`
	Sessions    []SessionInfo `json:"sessions"`
}

// SessionInfo is one open session, for listing and revoking.
type SessionInfo struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"` // browser or api
	Address    string    `json:"address,omitempty"`
	Agent      string    `json:"agent,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// NewAccount is a person's account to create.
type NewAccount struct {
	Login    string
	Name     string
	Role     Role
	Password string
}

func (a NewAccount) check() error {
	switch {
	case !loginPattern.MatchString(a.Login):
		return ErrBadLogin
	case a.Name == "" || utf8.RuneCountInString(a.Name) > 40:
		return ErrBadName
	case !PersonRole(a.Role):
		return ErrBadRole
	}
	return checkPasswordRules(a.Password)
}

func checkPasswordRules(pw string) error {
	if n := utf8.RuneCountInString(pw); n < 8 || n > 128 {
		return ErrWeakPassword
	}
	return nil
}

// hash runs argon2id with at most two hashes in flight.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	p := s.currentPolicy()
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.hashing }()
	return hashPassword(password, p.Argon2), nil
}

func (s *Service) check(ctx context.Context, password, hash string) (bool, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashing }()
	return checkPassword(password, hash)
}

// CreateAccount adds a person who signs in with a user name and password.
func (s *Service) CreateAccount(ctx context.Context, a NewAccount, actor string) (int64, error) {
	if err := a.check(); err != nil {
		return 0, err
	}
	h, err := s.hash(ctx, a.Password)
	if err != nil {
		return 0, err
	}
	id, _, err := s.db.CreateUser(ctx, store.NewUser{Login: a.Login, Name: a.Name, Role: string(a.Role), PasswordHash: h, Actor: actor})
	return id, err
}

// CreateTokenUser adds a token-only account (for scripts) and returns its
// API token, shown once; it lasts Policy.TokenMax and is revoked with the
// account or on its own.
func (s *Service) CreateTokenUser(ctx context.Context, name string, role Role, actor string) (int64, string, error) {
	if !PersonRole(role) {
		return 0, "", fmt.Errorf("%w: %q", ErrBadRole, role)
	}
	p := s.currentPolicy()
	token, now := newToken("hwu_"), s.now()
	id, _, err := s.db.CreateUser(ctx, store.NewUser{Name: name, Role: string(role), Actor: actor,
		Session: &store.NewUserSession{TokenHash: hashToken(token), Kind: sessionAPI, At: now, Expires: now.Add(p.TokenMax)}})
	return id, token, err
}

// SignedIn is a new session: its token goes into the cookie.
type SignedIn struct {
	Token     string
	Principal Principal
	Expires   time.Time
}

// Client is where a sign-in comes from, kept with the session.
type Client struct {
	Address string
	Agent   string
}

func (s *Service) newSession(ctx context.Context, u *store.User, c Client, create func(store.NewUserSession) (int64, error)) (SignedIn, error) {
	p := s.currentPolicy()
	now := s.now()
	token := newToken("hws_")
	ns := store.NewUserSession{TokenHash: hashToken(token), Kind: sessionBrowser, Address: c.Address,
		Agent: truncate(c.Agent, 200), At: now, Expires: now.Add(p.SessionMax)}
	id, err := create(ns)
	if err != nil {
		return SignedIn{}, err
	}
	return SignedIn{Token: token, Expires: ns.Expires,
		Principal: Principal{Role: Role(u.Role), Name: staffName(*u), User: u.ID, Login: u.Login, Session: id}}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Login checks a user name and password from c and starts a browser
// session. Wrong names and wrong passwords answer alike (and take as long);
// failures count against the address and all addresses (ErrThrottled) and
// against the account, which locks after Policy.LockAfter in a row
// (*LockedError).
func (s *Service) Login(ctx context.Context, login, password string, c Client) (SignedIn, error) {
	if !s.guard.Allow(KindLogin, c.Address) {
		return SignedIn{}, ErrThrottled
	}
	p := s.currentPolicy()
	u, err := s.db.UserByLogin(ctx, login)
	if errors.Is(err, store.ErrNotFound) || err == nil && (!u.RevokedAt.IsZero() || u.PasswordHash == "") || len(password) > 1024 {
		_, _ = s.check(ctx, password, s.dummyHash())
		s.guard.Fail(KindLogin, c.Address)
		return SignedIn{}, ErrBadCredentials
	} else if err != nil {
		return SignedIn{}, err
	}
	now := s.now()
	if now.Before(u.LockedUntil) {
		s.guard.Fail(KindLogin, c.Address)
		return SignedIn{}, &LockedError{Until: u.LockedUntil}
	}
	ok, err := s.check(ctx, password, u.PasswordHash)
	if err != nil {
		return SignedIn{}, err
	}
	if !ok {
		s.guard.Fail(KindLogin, c.Address)
		if _, err := s.db.LoginFailed(ctx, u.ID, now, p.LockAfter, p.LockFor, c.Address); err != nil {
			return SignedIn{}, err
		}
		return SignedIn{}, ErrBadCredentials
	}
	return s.newSession(ctx, &u, c, func(ns store.NewUserSession) (int64, error) { return s.db.SignIn(ctx, u.ID, ns) })
}

// HasAdmin reports whether an admin account that can sign in exists; the
// one-time login link creates the first one only while none does.
func (s *Service) HasAdmin(ctx context.Context) (bool, error) { return s.db.HasAdmin(ctx) }

// FirstAdmin creates the first admin account (none that can sign in may
// exist: store.ErrAdminExists otherwise) and signs them in.
func (s *Service) FirstAdmin(ctx context.Context, a NewAccount, c Client) (SignedIn, error) {
	a.Role = RoleAdmin
	if err := a.check(); err != nil {
		return SignedIn{}, err
	}
	h, err := s.hash(ctx, a.Password)
	if err != nil {
		return SignedIn{}, err
	}
	u := store.User{Login: a.Login, Name: a.Name, Role: string(RoleAdmin)}
	return s.newSession(ctx, &u, c, func(ns store.NewUserSession) (int64, error) {
		id, sid, err := s.db.CreateUser(ctx, store.NewUser{Login: a.Login, Name: a.Name, Role: string(RoleAdmin), PasswordHash: h,
			Actor: "login link", FirstAdmin: true, Session: &ns})
		u.ID = id
		return sid, err
	})
}

// Logout ends the caller's own session.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	if p.Session == 0 {
		return nil
	}
	if err := s.db.EndSession(ctx, p.User, p.Session, "signed out", p.Name); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	s.revoked(sessionOwner(p.Session))
	return nil
}

// EndSession ends one of a user's sessions (the admin revoking it).
func (s *Service) EndSession(ctx context.Context, user, session int64, actor string) error {
	if err := s.db.EndSession(ctx, user, session, "revoked by "+actor, actor); err != nil {
		return err
	}
	s.revoked(sessionOwner(session))
	return nil
}

// ResetPassword gives an account a new password; every session it had
// ends, and a lock is lifted.
func (s *Service) ResetPassword(ctx context.Context, user int64, password, actor string) error {
	if err := checkPasswordRules(password); err != nil {
		return err
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(ctx, user, h, actor); err != nil {
		return err
	}
	s.revoked(userOwner(user))
	return nil
}

// UpdateUser renames an account or changes its role (nil: unchanged). A
// new role applies to the next request; open live pages are closed so
// that they reconnect with what the new role may follow.
func (s *Service) UpdateUser(ctx context.Context, user int64, name *string, role *Role, actor string) (Account, error) {
	var r *string
	if role != nil {
		if !PersonRole(*role) {
			return Account{}, ErrBadRole
		}
		r = (*string)(role)
	}
	if name != nil && (*name == "" || utf8.RuneCountInString(*name) > 40) {
		return Account{}, ErrBadName
	}
	u, err := s.db.UpdateUser(ctx, user, name, r, actor)
	if err != nil {
		return Account{}, err
	}
	if role != nil {
		s.revoked(userOwner(user))
	} else {
		s.forget()
	}
	return account(u, nil), nil
}

// RevokeUser disables an account for good: its sessions end and its live
// pages close at once.
func (s *Service) RevokeUser(ctx context.Context, user int64, actor string) error {
	if err := s.db.RevokeUser(ctx, user, actor); err != nil {
		return err
	}
	s.revoked(userOwner(user))
	return nil
}

func account(u store.User, sessions []SessionInfo) Account {
	a := Account{ID: u.ID, Login: u.Login, Name: u.Name, Role: Role(u.Role), HasPassword: u.PasswordHash != "",
		CreatedAt: u.CreatedAt, CreatedBy: u.CreatedBy, Sessions: sessions}
	if a.Sessions == nil {
		a.Sessions = []SessionInfo{}
	}
	if !u.LockedUntil.IsZero() {
		t := u.LockedUntil
		a.LockedUntil = &t
	}
	if !u.RevokedAt.IsZero() {
		t := u.RevokedAt
		a.RevokedAt = &t
	}
	return a
}

// Accounts lists every account with its open sessions (idle ones left
// out); a lock that has run out is not shown.
func (s *Service) Accounts(ctx context.Context) ([]Account, error) {
	users, err := s.db.Users(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	open, err := s.db.OpenSessions(ctx, now)
	if err != nil {
		return nil, err
	}
	p := s.currentPolicy()
	out := make([]Account, 0, len(users))
	for _, u := range users {
		var list []SessionInfo
		for _, x := range open[u.ID] {
			if x.Kind == sessionBrowser && now.Sub(x.LastSeenAt) > p.SessionIdle+time.Minute {
				continue // idle: it will be refused
			}
			list = append(list, SessionInfo{ID: x.ID, Kind: x.Kind, Address: x.Address, Agent: x.Agent,
				CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, ExpiresAt: x.ExpiresAt})
		}
		if !now.Before(u.LockedUntil) {
			u.LockedUntil = time.Time{}
		}
		out = append(out, account(u, list))
	}
	return out, nil
}
