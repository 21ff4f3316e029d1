package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// follow GETs base+path without following redirects and answers the
// response (body closed).
func follow(t *testing.T, base, path string, cookies ...*http.Cookie) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func tokenCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "huiwu_token" && c.Value != "" {
			return c
		}
	}
	return nil
}

// TestDeskLinkWithAdminToken: a server started with an admin token has a
// link to print (App.LoginCode). Following it signs the browser in with
// the admin token (an HTTP-only, SameSite=Strict cookie) and lands on the
// desk, or on the page ?next= names; it keeps working while the server
// runs. A wrong code signs no one in and shows the login page, and the
// code never creates an admin account.
func TestDeskLinkWithAdminToken(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	code := srv.App.LoginCode
	if code == "" {
		t.Fatal("a server started with an admin token has no link to print")
	}
	for range 2 {
		resp := follow(t, srv.URL, "/login?code="+code)
		c := tokenCookie(resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk" || c == nil {
			t.Fatalf("the link answered HTTP %d, Location %q, cookie %v; want 303 to /desk with a cookie",
				resp.StatusCode, resp.Header.Get("Location"), c)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("the cookie is not HTTP-only and SameSite=Strict: %+v", c)
		}
		if desk := follow(t, srv.URL, "/desk", c); desk.StatusCode != 200 || !strings.HasPrefix(desk.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("the desk after the link: HTTP %d %s", desk.StatusCode, desk.Header.Get("Content-Type"))
		}
		b := newBrowserish(t, srv.URL)
		b.cookie = c
		var who me
		if st, _ := b.do("GET", "/api/v1/me", nil, &who); st != 200 || who.Role != "admin" {
			t.Fatalf("signed in through the link as %+v (HTTP %d)", who, st)
		}
	}
	if resp := follow(t, srv.URL, "/login?code="+code+"&next=/usher"); resp.Header.Get("Location") != "/usher" {
		t.Errorf("the link with next=/usher went to %q", resp.Header.Get("Location"))
	}
	for _, next := range []string{"//evil.example/", "/api/v1/me", "https://evil.example/"} {
		if resp := follow(t, srv.URL, "/login?code="+code+"&next="+next); resp.Header.Get("Location") != "/desk" {
			t.Errorf("the link with next=%s went to %q, want /desk", next, resp.Header.Get("Location"))
		}
	}
	resp := follow(t, srv.URL, "/login?code=not-the-code")
	if resp.StatusCode != 200 || tokenCookie(resp) != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a wrong code: HTTP %d, cookie %v; want the login page and no cookie", resp.StatusCode, tokenCookie(resp))
	}
	b := newBrowserish(t, srv.URL)
	if st, _ := b.do("POST", "/login/setup", map[string]string{"code": code, "login": "mallory", "name": "M", "password": "another-password"}, nil); st < 400 || b.cookie != nil {
		t.Fatalf("the desk link created an admin account: HTTP %d", st)
	}
}
