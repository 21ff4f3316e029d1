package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// browserish makes requests as a page on base would: JSON, the page's
// Origin, and the cookie it was given (if any).
type browserish struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	client *http.Client
}

func newBrowserish(t *testing.T, base string) *browserish {
	return &browserish{t: t, base: base, client: &http.Client{Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends method path with body and decodes the answer into out; it
// answers the status and the error code, and keeps a huiwu_token cookie
// the server sets.
func (b *browserish) do(method, path string, body, out any) (int, string) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", b.base)
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "huiwu_token" {
			if c.Value == "" || c.MaxAge < 0 {
				b.cookie = nil
			} else {
				if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
					b.t.Errorf("%s %s set a session cookie that is not HTTP-only and SameSite=Strict: %+v", method, path, c)
				}
				b.cookie = c
			}
		}
	}
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct{ Code string }
	}
	_ = json.Unmarshal(raw, &e)
	if out != nil && len(raw) > 0 && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatalf("%s %s: HTTP %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode, e.Error.Code
}

type me struct {
	Name  string `json:"name"`
	Login string `json:"login"`
	Role  string `json:"role"`
}

// TestFirstAdminThroughLoginLink: the link printed at start opens a form
// that creates the first admin account (user name and password) and signs
// that person in with an HTTP-only, SameSite=Strict cookie. It makes one
// admin only: used again, or on a later start once an admin exists, it no
// longer works.
func TestFirstAdminThroughLoginLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := testkit.ServeLinked(t, dir)
	code := srv.App.LoginCode
	b := newBrowserish(t, srv.URL)

	// Following the link shows the page and signs no one in by itself.
	if st, _ := b.do("GET", "/login?code="+code, nil, nil); st != 200 || b.cookie != nil {
		t.Fatalf("GET the login link: HTTP %d, cookie %v; want the page and no cookie", st, b.cookie)
	}
	var state struct {
		FirstAdmin bool `json:"first_admin"`
	}
	if st, _ := b.do("GET", "/login/state?code="+code, nil, &state); st != 200 || !state.FirstAdmin {
		t.Fatalf("link state: HTTP %d %+v", st, state)
	}
	if b.do("GET", "/login/state?code=not-the-code", nil, &state); state.FirstAdmin {
		t.Fatal("a wrong code offers to create the first admin")
	}
	if st, c := b.do("POST", "/login/setup", map[string]string{"code": code, "login": "wangf", "name": "王芳", "password": "short"}, nil); st != 400 || c != "weak_password" {
		t.Fatalf("short password: HTTP %d %s", st, c)
	}
	if st, c := b.do("POST", "/login/setup", map[string]string{"code": code, "login": "wangf", "name": "王芳", "password": "长城-2026-desk"}, nil); st != 201 || b.cookie == nil {
		t.Fatalf("create the first admin: HTTP %d %s", st, c)
	}
	var who me
	if st, _ := b.do("GET", "/api/v1/me", nil, &who); st != 200 || who.Role != "admin" || who.Login != "wangf" || !strings.Contains(who.Name, "王芳") {
		t.Fatalf("signed in as %+v (HTTP %d)", who, st)
	}
	// The link is spent: not again, not for anyone else.
	other := newBrowserish(t, srv.URL)
	if st, _ := other.do("POST", "/login/setup", map[string]string{"code": code, "login": "mallory", "name": "M", "password": "another-password"}, nil); st < 400 || other.cookie != nil {
		t.Fatalf("the link made a second admin: HTTP %d", st)
	}
	// The admin signs in with the password from now on.
	if st, _ := other.do("POST", "/login", map[string]string{"login": "WangF", "password": "长城-2026-desk"}, &who); st != 200 || other.cookie == nil {
		t.Fatalf("password sign-in: HTTP %d", st)
	}
	srv.Stop()

	// Started again without an admin token, the server has a new link; with
	// an admin account in place it creates nobody.
	again := testkit.ServeLinked(t, dir)
	b = newBrowserish(t, again.URL)
	if b.do("GET", "/login/state?code="+again.App.LoginCode, nil, &state); state.FirstAdmin {
		t.Fatal("the new link offers to create an admin although one exists")
	}
	if st, _ := b.do("POST", "/login/setup", map[string]string{"code": again.App.LoginCode, "login": "mallory", "name": "M", "password": "another-password"}, nil); st < 400 || b.cookie != nil {
		t.Fatalf("a login link made another admin: HTTP %d", st)
	}
}

// auditActors lists who did action, in order.
func auditActors(t *testing.T, srv *testkit.Server, action string) []string {
	t.Helper()
	rows, err := srv.App.DB.ForTest().R.Query(`SELECT actor FROM audit WHERE action = ? ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

// absentee answers someone expected at the opening who is neither there
// nor on leave (未到 before the start, 缺席 from it: docs/counts.md).
func absentee(t *testing.T, srv *testkit.Server, n int) int64 {
	t.Helper()
	var roster struct {
		People []struct {
			ID      int64  `json:"attendee_id"`
			State   string `json:"state"`
			Counted bool   `json:"counted"`
		} `json:"people"`
	}
	if st := srv.Call("GET", "/sessions/opening/roster", testkit.AdminToken, nil, &roster); st != 200 {
		t.Fatalf("roster: HTTP %d", st)
	}
	for _, p := range roster.People {
		if p.Counted && (p.State == "not_yet" || p.State == "absent") {
			if n == 0 {
				return p.ID
			}
			n--
		}
	}
	t.Fatalf("fewer absentees than asked for")
	return 0
}

// TestStaffAccounts: the admin creates a named desk account; its person
// signs in with a password, and what they do is audited under their name.
// The admin sees the session and can end it, change the role, reset the
// password (which ends every session) and revoke the account, each taking
// effect on the very next request.
func TestStaffAccounts(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var u struct {
		ID    int64  `json:"id"`
		Login string `json:"login"`
	}
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"login": "lina", "name": "李娜", "role": "desk", "password": "desk-pass-2026"}, &u); st != 201 || u.ID == 0 {
		t.Fatalf("create account: HTTP %d %+v", st, u)
	}
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"login": "LINA", "name": "又一个", "role": "desk", "password": "desk-pass-2026"}, nil); st != 409 {
		t.Errorf("a second account named LINA: HTTP %d, want 409", st)
	}
	desk := newBrowserish(t, srv.URL)
	for _, bad := range []map[string]string{{"login": "lina", "password": "desk-pass-2025"}, {"login": "nobody", "password": "desk-pass-2026"}} {
		if st, c := desk.do("POST", "/login", bad, nil); st != 401 || c != "bad_credentials" || desk.cookie != nil {
			t.Fatalf("sign-in %v: HTTP %d %s", bad, st, c)
		}
	}
	if st, c := desk.do("POST", "/login", map[string]string{"login": "lina", "password": "desk-pass-2026"}, nil); st != 200 || desk.cookie == nil {
		t.Fatalf("sign-in: HTTP %d %s", st, c)
	}
	leave := func(n int) int {
		st, _ := desk.do("POST", "/api/v1/sessions/opening/leaves", map[string]any{"attendee_id": absentee(t, srv, n), "reason": "公务"}, nil)
		return st
	}
	if st := leave(0); st != 201 {
		t.Fatalf("desk records a leave: HTTP %d", st)
	}
	if a := auditActors(t, srv, "leave.create"); len(a) != 1 || !strings.Contains(a[0], "李娜") {
		t.Errorf("audit names %q, want the desk person 李娜", a)
	}

	var list []struct {
		ID       int64  `json:"id"`
		Login    string `json:"login"`
		Role     string `json:"role"`
		Sessions []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"sessions"`
	}
	if st := srv.Call("GET", "/users", testkit.AdminToken, nil, &list); st != 200 {
		t.Fatalf("list users: HTTP %d", st)
	}
	var sid int64
	for _, x := range list {
		if x.ID == u.ID && len(x.Sessions) == 1 && x.Sessions[0].Kind == "browser" {
			sid = x.Sessions[0].ID
		}
	}
	if sid == 0 {
		t.Fatalf("the desk person's session is not listed: %+v", list)
	}
	if st := srv.Call("DELETE", fmt.Sprintf("/users/%d/sessions/%d", u.ID, sid), testkit.AdminToken, nil, nil); st != 204 {
		t.Fatalf("end the session: HTTP %d", st)
	}
	if st, _ := desk.do("GET", "/api/v1/me", nil, nil); st != 401 {
		t.Fatalf("an ended session still works: HTTP %d", st)
	}

	// A new role applies to the next request.
	desk.do("POST", "/login", map[string]string{"login": "lina", "password": "desk-pass-2026"}, nil)
	if st := srv.Call("PATCH", fmt.Sprintf("/users/%d", u.ID), testkit.AdminToken, map[string]string{"role": "usher"}, nil); st != 200 {
		t.Fatalf("change role: HTTP %d", st)
	}
	if st := leave(1); st != 403 {
		t.Errorf("an usher recorded a leave: HTTP %d", st)
	}

	// A reset password ends every session and replaces the old password.
	if st := srv.Call("POST", fmt.Sprintf("/users/%d/password", u.ID), testkit.AdminToken, map[string]string{"password": "new-pass-2026"}, nil); st != 204 {
		t.Fatalf("reset password: HTTP %d", st)
	}
	if st, _ := desk.do("GET", "/api/v1/me", nil, nil); st != 401 {
		t.Errorf("a session outlived its password: HTTP %d", st)
	}
	if st, _ := desk.do("POST", "/login", map[string]string{"login": "lina", "password": "desk-pass-2026"}, nil); st != 401 {
		t.Errorf("the old password still works: HTTP %d", st)
	}
	if st, _ := desk.do("POST", "/login", map[string]string{"login": "lina", "password": "new-pass-2026"}, nil); st != 200 {
		t.Fatalf("the new password: HTTP %d", st)
	}
	// Signing out ends the session on the server, not just in the browser.
	old := desk.cookie
	if st, _ := desk.do("POST", "/logout", nil, nil); st != 204 {
		t.Fatalf("logout: HTTP %d", st)
	}
	desk.cookie = old
	if st, _ := desk.do("GET", "/api/v1/me", nil, nil); st != 401 {
		t.Errorf("a signed-out cookie still works: HTTP %d", st)
	}

	// Revoked: no sign-in, no session.
	desk.do("POST", "/login", map[string]string{"login": "lina", "password": "new-pass-2026"}, nil)
	if st := srv.Call("POST", fmt.Sprintf("/users/%d/revoke", u.ID), testkit.AdminToken, nil, nil); st != 204 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	if st, _ := desk.do("GET", "/api/v1/me", nil, nil); st != 401 {
		t.Errorf("a revoked account's session works: HTTP %d", st)
	}
	if st, _ := desk.do("POST", "/login", map[string]string{"login": "lina", "password": "new-pass-2026"}, nil); st != 401 {
		t.Errorf("a revoked account signs in: HTTP %d", st)
	}
	if a := auditActors(t, srv, "user.revoke"); len(a) != 1 {
		t.Errorf("revocation audited as %q", a)
	}
}

// TestLoginLockOut: five wrong passwords lock the account for a while,
// even against the right password; repeated failures from one address lock
// that address out whatever account it tries; time (an injected clock)
// lifts both.
func TestLoginLockOut(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	now := time.Now()
	clock := func() time.Time { return now }
	srv.App.Auth.SetClock(func() time.Time { return clock() })
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"login": "zhao", "name": "赵敏", "role": "desk", "password": "right-password"}, nil); st != 201 {
		t.Fatalf("create account: HTTP %d", st)
	}
	login := func(c *http.Client, name, pw string) (int, string) {
		return send(t, c, "POST", srv.URL+"/login", http.Header{"Origin": {srv.URL}}, map[string]string{"login": name, "password": pw})
	}
	for i := range 5 {
		if st, _ := login(from(fmt.Sprintf("127.0.0.%d", 10+i)), "zhao", "wrong-password"); st != 401 {
			t.Fatalf("wrong password %d: HTTP %d", i, st)
		}
	}
	if st, c := login(from("127.0.0.20"), "zhao", "right-password"); st != 429 || c != "account_locked" {
		t.Fatalf("locked account with the right password: HTTP %d %s", st, c)
	}
	now = now.Add(16 * time.Minute)
	if st, c := login(from("127.0.0.20"), "zhao", "right-password"); st != 200 {
		t.Fatalf("after the lock: HTTP %d %s", st, c)
	}

	// One address trying many accounts.
	bad := from("127.0.0.30")
	refused := false
	for i := range 12 {
		st, c := login(bad, fmt.Sprintf("guess%d", i), "whatever-password")
		if st == 429 && c == "rate_limited" {
			refused = i >= 10
			break
		}
		if st != 401 {
			t.Fatalf("guess %d: HTTP %d %s", i, st, c)
		}
	}
	if !refused {
		t.Fatal("an address failing ten times in a row was never refused")
	}
	if st, _ := login(bad, "zhao", "right-password"); st != 429 {
		t.Errorf("a locked-out address signed in: HTTP %d", st)
	}
	if st, _ := login(from("127.0.0.31"), "zhao", "right-password"); st != 200 {
		t.Errorf("another address was locked out too: HTTP %d", st)
	}
	now = now.Add(16 * time.Minute)
	if st, _ := login(bad, "zhao", "right-password"); st != 200 {
		t.Errorf("the address stayed locked: HTTP %d", st)
	}
}

// TestChairRole: the chair (or the secretariat) reads attendance, the
// absentees and the arrival curve, and nothing personal beyond that: no
// attendee search, no seat map.
func TestChairRole(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "秘书处", "role": "chair"}, &u); st != 201 {
		t.Fatalf("create chair: HTTP %d", st)
	}
	for _, c := range []struct {
		path string
		want int
	}{
		{"/sessions/opening/attendance", 200},
		{"/sessions/opening/absentees", 200},
		{"/sessions/opening/arrivals", 200},
		{"/sessions", 200},
		{"/attendees?q=a", 403},
		{"/sessions/opening/seats", 403},
		{"/sessions/opening/leaves", 403},
		{"/users", 403},
	} {
		if st := srv.Call("GET", c.path, u.Token, nil, nil); st != c.want {
			t.Errorf("chair GET %s: HTTP %d, want %d", c.path, st, c.want)
		}
	}
}
