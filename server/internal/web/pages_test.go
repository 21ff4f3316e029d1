package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"huiwu/server/internal/testkit"
)

// TestStartPageAndFavicon: / is a page that links every app (not a JSON
// 404), and /favicon.ico, which browsers ask for on every page, is an
// icon.
func TestStartPageAndFavicon(t *testing.T) {
	t.Parallel()
	srv := testkit.ServeEmpty(t)
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, page := get("/")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/: HTTP %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	for _, p := range []string{"/desk", "/kiosk", "/usher", "/screen", "/chair", "/login"} {
		if !bytes.Contains(page, []byte(`href="`+p+`"`)) {
			t.Errorf("the start page does not link %s", p)
		}
	}
	resp, icon := get("/favicon.ico")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/x-icon" || !bytes.HasPrefix(icon, []byte{0, 0, 1, 0}) {
		t.Fatalf("/favicon.ico: HTTP %d %s, % x", resp.StatusCode, resp.Header.Get("Content-Type"), icon[:min(len(icon), 8)])
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("/favicon.ico: Cache-Control %q; browsers would ask on every page", cc)
	}
}
