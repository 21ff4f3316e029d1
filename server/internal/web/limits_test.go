package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// from is an HTTP client whose connections leave from the loopback
// address ip (any of 127.0.0.0/8 works on Linux): many "addresses" on one
// machine, as an attacker with many hosts would have.
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// send makes a request and answers the status and the error code, if any.
func send(t *testing.T, c *http.Client, method, url string, header http.Header, body any) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code string }
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &e)
	return resp.StatusCode, e.Error.Code
}

// TestPairingGuessesLimitedOverAllAddresses: many addresses guessing
// pairing codes together are cut off as a whole, not each at its own ten a
// minute (the review made 500 guesses from 50 loopback addresses in
// seconds). Once the global budget of failures is spent, even an address
// that never guessed is refused.
func TestPairingGuessesLimitedOverAllAddresses(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	wrong, refused := 0, 0
	for a := 2; a < 22; a++ {
		c := from(fmt.Sprintf("127.0.0.%d", a))
		for i := range 5 {
			st, code := send(t, c, "POST", srv.URL+"/api/v1/pair", nil, map[string]string{"code": fmt.Sprintf("9%03d%04d", a, i)})
			switch {
			case st == 403 && code == "bad_pairing_code":
				wrong++
			case st == 429:
				refused++
			default:
				t.Fatalf("guess from 127.0.0.%d: HTTP %d %s", a, st, code)
			}
		}
	}
	if wrong > 60 || refused == 0 {
		t.Fatalf("100 guesses from 20 addresses: %d answered, %d refused; want at most 60 answered", wrong, refused)
	}
	if st, _ := send(t, from("127.0.0.99"), "POST", srv.URL+"/api/v1/pair", nil, map[string]string{"code": "12345678"}); st != 429 {
		t.Errorf("a fresh address guessed after the global budget was spent: HTTP %d", st)
	}
}

// TestLoginHasItsOwnBucket: an address that spent its pairing attempts can
// still open the login page and sign in; the two never shared a limiter.
func TestLoginHasItsOwnBucket(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	c := from("127.0.0.1")
	for i := range 12 {
		send(t, c, "POST", srv.URL+"/api/v1/pair", nil, map[string]string{"code": fmt.Sprintf("8765432%d", i%10)})
	}
	if st, code := send(t, c, "GET", srv.URL+"/login", nil, nil); st != 200 {
		t.Fatalf("login page after pairing guesses: HTTP %d %s", st, code)
	}
}
