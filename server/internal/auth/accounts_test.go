package auth_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// clock is a test clock the service reads.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// service opens a store in a temporary directory and an auth service on
// it with a test clock and cheap hashing (the real cost is checked in
// TestPasswordHash).
func service(t *testing.T) (*auth.Service, *store.DB, *clock) {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := auth.New(db, "")
	c := &clock{now: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)}
	s.SetClock(c.Now)
	p := auth.DefaultPolicy()
	p.Argon2 = auth.Argon2{Time: 1, Memory: 64, Threads: 1}
	s.SetPolicy(p)
	return s, db, c
}

// TestSessionsExpire: a browser session ends after an hour unused and
// after twelve hours whatever happens; signing out ends it on the server.
// Each end is heard by the live connections' listener.
func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, c := service(t)
	var mu sync.Mutex
	var closed []string
	s.OnRevoke(func(owner string) {
		mu.Lock()
		closed = append(closed, owner)
		mu.Unlock()
	})
	id, err := s.CreateAccount(ctx, auth.NewAccount{Login: "wangf", Name: "王芳", Role: auth.RoleDesk, Password: "desk-pass-2026"}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.Login(ctx, "WANGF", "desk-pass-2026", auth.Client{Address: "10.0.0.5"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(in.Token, "hws_") || in.Expires != c.Now().Add(12*time.Hour) {
		t.Errorf("session %+v", in)
	}
	p, err := s.Authenticate(ctx, in.Token)
	if err != nil || p.Role != auth.RoleDesk || p.Name != "王芳 (wangf)" || p.User != id || p.Session == 0 {
		t.Fatalf("session principal %+v %v", p, err)
	}
	if !slices.Equal(p.Owners(), []string{"user:" + itoa(id), "session:" + itoa(p.Session)}) {
		t.Errorf("owners %v", p.Owners())
	}
	// Used every 50 minutes it lives; the cache forgetting (any change)
	// must not lose the use, which is written to the store.
	for range 5 {
		c.Add(50 * time.Minute)
		if _, err := s.Authenticate(ctx, in.Token); err != nil {
			t.Fatalf("used session refused at %v: %v", c.Now(), err)
		}
		name := "王芳"
		if _, err := s.UpdateUser(ctx, id, &name, nil, "admin"); err != nil { // clears the cache
			t.Fatal(err)
		}
	}
	// Unused for over an hour it ends.
	c.Add(61 * time.Minute)
	if _, err := s.Authenticate(ctx, in.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("idle session: %v", err)
	}

	// Twelve hours after sign-in it ends, however busy.
	in, _ = s.Login(ctx, "wangf", "desk-pass-2026", auth.Client{})
	for range 15 {
		c.Add(50 * time.Minute)
		s.Authenticate(ctx, in.Token)
	}
	if _, err := s.Authenticate(ctx, in.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("a session outlived twelve hours: %v", err)
	}

	// Signing out ends it at once, and closes its live pages.
	in, _ = s.Login(ctx, "wangf", "desk-pass-2026", auth.Client{})
	p, _ = s.Authenticate(ctx, in.Token)
	if err := s.Logout(ctx, p); err != nil {
		t.Fatal(err)
	}
	if s.Valid(ctx, in.Token) {
		t.Fatal("a signed-out session is still valid")
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(closed, "session:"+itoa(p.Session)) {
		t.Errorf("sign-out closed %v", closed)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAccountLockOut: five wrong passwords in a row lock the account for
// fifteen minutes, even against the right password; a right password
// before that clears the count; an admin's reset lifts the lock.
func TestAccountLockOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, c := service(t)
	id, err := s.CreateAccount(ctx, auth.NewAccount{Login: "zhao", Name: "赵敏", Role: auth.RoleUsher, Password: "right-password"}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	wrong := func(n int) {
		t.Helper()
		for i := range n {
			if _, err := s.Login(ctx, "zhao", "wrong-password", auth.Client{Address: "10.0.0." + itoa(int64(i))}); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
	}
	wrong(4)
	if _, err := s.Login(ctx, "zhao", "right-password", auth.Client{}); err != nil {
		t.Fatalf("right password after four wrong: %v", err)
	}
	wrong(5)
	var locked *auth.LockedError
	if _, err := s.Login(ctx, "zhao", "right-password", auth.Client{}); !errors.As(err, &locked) || !locked.Until.Equal(c.Now().Add(15*time.Minute)) {
		t.Fatalf("after five wrong passwords: %v", err)
	}
	c.Add(14 * time.Minute)
	if _, err := s.Login(ctx, "zhao", "right-password", auth.Client{}); !errors.As(err, &locked) {
		t.Fatalf("lock lifted early: %v", err)
	}
	c.Add(2 * time.Minute)
	if _, err := s.Login(ctx, "zhao", "right-password", auth.Client{}); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	wrong(5)
	if err := s.ResetPassword(ctx, id, "brand-new-pass", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "zhao", "brand-new-pass", auth.Client{}); err != nil {
		t.Fatalf("a reset did not lift the lock: %v", err)
	}
	var n int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'user.locked'`).Scan(&n)
	if n != 2 {
		t.Errorf("%d lock-outs audited, want 2", n)
	}
}

// TestAddressAndGlobalBudgets: failures are counted per address and over
// all addresses, per kind; a spent budget refuses until the window moves
// on, and another kind's budget is untouched.
func TestAddressAndGlobalBudgets(t *testing.T) {
	t.Parallel()
	s, _, c := service(t)
	p := auth.DefaultPolicy()
	p.Argon2 = auth.Argon2{Time: 1, Memory: 64, Threads: 1}
	p.Limits = map[auth.Kind]auth.Limit{
		auth.KindPairingCode: {PerAddress: 3, Global: 5, Window: time.Minute},
		auth.KindLogin:       {PerAddress: 3, Global: 5, Window: time.Minute},
	}
	s.SetPolicy(p)
	for range 3 {
		s.Fail(auth.KindPairingCode, "a")
	}
	if s.Allow(auth.KindPairingCode, "a") || !s.Allow(auth.KindPairingCode, "b") || !s.Allow(auth.KindLogin, "a") {
		t.Fatal("per-address budget")
	}
	s.Fail(auth.KindPairingCode, "b")
	s.Fail(auth.KindPairingCode, "c")
	if s.Allow(auth.KindPairingCode, "fresh") || s.Allow(auth.KindPairingCode, "") {
		t.Fatal("five failures from three addresses did not spend the global budget")
	}
	if !s.Allow(auth.KindLogin, "fresh") {
		t.Fatal("pairing failures spent the login budget")
	}
	c.Add(61 * time.Second)
	if !s.Allow(auth.KindPairingCode, "a") || !s.Allow(auth.KindPairingCode, "fresh") {
		t.Fatal("budgets not restored after the window")
	}
}

// TestFirstAdminOnce: the first admin is made once; while an admin that
// can sign in exists, no other first admin, and the last such admin can be
// neither demoted nor revoked.
func TestFirstAdminOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, _ := service(t)
	if has, _ := s.HasAdmin(ctx); has {
		t.Fatal("an empty store has an admin")
	}
	if _, _, err := s.CreateUser(ctx, "脚本", auth.RoleAdmin); err != nil { // a token-only admin is no one to sign in as
		t.Fatal(err)
	}
	in, err := s.FirstAdmin(ctx, auth.NewAccount{Login: "wangf", Name: "王芳", Password: "first-admin-pw"}, auth.Client{})
	if err != nil || in.Principal.Role != auth.RoleAdmin || in.Principal.User == 0 || in.Principal.Session == 0 {
		t.Fatalf("first admin: %+v %v", in, err)
	}
	if p, err := s.Authenticate(ctx, in.Token); err != nil || p != in.Principal {
		t.Fatalf("first admin's session: %+v %v, want %+v", p, err, in.Principal)
	}
	if _, err := s.FirstAdmin(ctx, auth.NewAccount{Login: "other", Name: "M", Password: "first-admin-pw"}, auth.Client{}); !errors.Is(err, store.ErrAdminExists) {
		t.Fatalf("second first admin: %v", err)
	}
	desk := auth.RoleDesk
	if _, err := s.UpdateUser(ctx, in.Principal.User, nil, &desk, "x"); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("demoting the last admin: %v", err)
	}
	if err := s.RevokeUser(ctx, in.Principal.User, "x"); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("revoking the last admin: %v", err)
	}
	if _, err := s.CreateAccount(ctx, auth.NewAccount{Login: "WangF", Name: "又一个", Role: auth.RoleDesk, Password: "some-password"}, "x"); !errors.Is(err, store.ErrLoginTaken) {
		t.Errorf("user name taken in another case: %v", err)
	}
	for _, a := range []auth.NewAccount{
		{Login: "a", Name: "x", Role: auth.RoleDesk, Password: "long-enough"},
		{Login: "有中文", Name: "x", Role: auth.RoleDesk, Password: "long-enough"},
		{Login: "li", Name: "x", Role: auth.RoleKiosk, Password: "long-enough"},
		{Login: "li", Name: "x", Role: auth.RoleDesk, Password: "short"},
		{Login: "li", Name: "", Role: auth.RoleDesk, Password: "long-enough"},
	} {
		if _, err := s.CreateAccount(ctx, a, "x"); err == nil {
			t.Errorf("created %+v", a)
		}
	}
}

// TestTokenLookupsLimited: unknown tokens from one address are refused
// after its budget of failures, then from everyone after the global one;
// the same stale token repeated costs nothing (it is remembered as
// unknown), and a token already in use keeps working throughout.
func TestTokenLookupsLimited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, c := service(t)
	p := auth.DefaultPolicy()
	p.Argon2 = auth.Argon2{Time: 1, Memory: 64, Threads: 1}
	p.Limits = map[auth.Kind]auth.Limit{auth.KindToken: {PerAddress: 5, Global: 8, Window: time.Minute}}
	s.SetPolicy(p)
	_, good, err := s.CreateUser(ctx, "脚本", auth.RoleScreen)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuthenticateFrom(ctx, good, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := s.AuthenticateFrom(ctx, "hwd_stale", "10.0.0.1"); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("a repeated stale token: %v", err)
		}
	}
	for i := range 4 {
		if _, err := s.AuthenticateFrom(ctx, "guess-"+itoa(int64(i)), "10.0.0.1"); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := s.AuthenticateFrom(ctx, "guess-x", "10.0.0.1"); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("sixth failure from one address: %v", err)
	}
	if _, err := s.AuthenticateFrom(ctx, good, "10.0.0.1"); err != nil {
		t.Fatalf("a token in use, from the limited address: %v", err)
	}
	for i := range 3 {
		s.AuthenticateFrom(ctx, "other-"+itoa(int64(i)), "10.0.0.2")
	}
	if _, err := s.AuthenticateFrom(ctx, "fresh-guess", "10.0.0.3"); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("after the global budget, a fresh address: %v", err)
	}
	c.Add(61 * time.Second)
	if _, err := s.AuthenticateFrom(ctx, "fresh-guess", "10.0.0.3"); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("after the window: %v", err)
	}
}
