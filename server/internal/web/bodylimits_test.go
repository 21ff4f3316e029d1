package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// heldBack is a request whose body the client holds back: it sends the
// headers and the first piece of the body, then waits for the answer. A
// server that refuses before reading answers at once; one that buffers the
// body first waits for the rest, which never comes. (fasthttp reads the
// first 8 KB of a body with its headers before any handler runs, so the
// first piece is at least that.)
type heldBack struct {
	method, path string
	token        string
	declared     int    // Content-Length; 0 with chunked
	chunked      bool   // Transfer-Encoding: chunked, one chunk sent
	contentType  string // default application/json
	first        int    // bytes of body sent before waiting
}

// answerOf sends r to the server at base and answers the status it got
// while the body was still held back.
func answerOf(t *testing.T, base string, r heldBack) (int, error) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ct := r.contentType
	if ct == "" {
		ct = "application/json"
	}
	var head strings.Builder
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", r.method, r.path, u.Host, ct)
	if r.token != "" {
		fmt.Fprintf(&head, "Authorization: Bearer %s\r\n", r.token)
	}
	body := bytes.Repeat([]byte(" "), r.first)
	if strings.HasPrefix(ct, "multipart/form-data") {
		prefix := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n"
		copy(body, prefix)
	}
	if r.chunked {
		fmt.Fprintf(&head, "Transfer-Encoding: chunked\r\n\r\n%x\r\n", len(body))
	} else {
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", r.declared)
	}
	if _, err := io.WriteString(conn, head.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body); err != nil {
		return 0, err
	}
	// The rest of the body never comes. Ten seconds is far longer than a
	// refusal takes, and far shorter than the server's read timeout.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// kioskToken pairs a kiosk at the hall's east door through the API and
// answers its device token.
func kioskToken(t *testing.T, srv *testkit.Server) string {
	t.Helper()
	_, code := testkit.NewKiosk(t, srv, "门1", "hall-east")
	var p struct{ Token string }
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": code}, &p); st != 200 || p.Token == "" {
		t.Fatalf("pair: HTTP %d", st)
	}
	return p.Token
}

// TestBodyRefusedBeforeItIsRead (issue 10.6): a large body from a caller
// without a valid token, a body larger than its route takes, or an upload
// from a role that may not upload, is refused from its headers: the answer
// comes while the client still holds back most of the body, so the server
// never holds it in memory.
func TestBodyRefusedBeforeItIsRead(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	kiosk := kioskToken(t, srv)
	const mb = 1 << 20
	multi := "multipart/form-data; boundary=b"
	for _, c := range []struct {
		name string
		req  heldBack
		want []int
	}{
		{"no token, 11 MB scan", heldBack{method: "POST", path: "/api/v1/checkins", declared: 11 * mb, first: 16 << 10}, []int{401}},
		{"unknown token, 11 MB import", heldBack{method: "POST", path: "/api/v1/import", token: "no-such-token", declared: 11 * mb, contentType: multi, first: 16 << 10}, []int{401}},
		{"no token, 5 MB import", heldBack{method: "POST", path: "/api/v1/import", declared: 5 * mb, contentType: multi, first: 16 << 10}, []int{401}},
		{"no token, chunked scan", heldBack{method: "POST", path: "/api/v1/checkins", chunked: true, first: 64 << 10}, []int{401}},
		{"no token, 1 MB pairing request", heldBack{method: "POST", path: "/kiosk/pair/request", declared: mb, first: 16 << 10}, []int{401, 413}},
		{"kiosk, 5 MB import", heldBack{method: "POST", path: "/api/v1/import", token: kiosk, declared: 5 * mb, contentType: multi, first: 16 << 10}, []int{403, 413}},
		{"kiosk, 5 MB set-up workbook", heldBack{method: "POST", path: "/api/v1/event/workbook", token: kiosk, declared: 5 * mb, contentType: multi, first: 16 << 10}, []int{403, 413}},
		{"admin, 100 KB scan", heldBack{method: "POST", path: "/api/v1/checkins", token: testkit.AdminToken, declared: 100 << 10, first: 16 << 10}, []int{413}},
		{"admin, 2 MB batch", heldBack{method: "POST", path: "/api/v1/checkins/batch", token: testkit.AdminToken, declared: 2 * mb, first: 16 << 10}, []int{413}},
		{"admin, chunked 2 MB batch", heldBack{method: "POST", path: "/api/v1/checkins/batch", token: testkit.AdminToken, chunked: true, first: mb + 4096}, []int{413}},
		{"admin, 11 MB import", heldBack{method: "POST", path: "/api/v1/import", token: testkit.AdminToken, declared: 11 * mb, contentType: multi, first: 16 << 10}, []int{413}},
		{"admin, 300 KB attendee edit", heldBack{method: "PATCH", path: "/api/v1/attendees/1", token: testkit.AdminToken, declared: 300 << 10, first: 16 << 10}, []int{413}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			status, err := answerOf(t, srv.URL, c.req)
			if errors.Is(err, io.EOF) || err != nil && strings.Contains(err.Error(), "timeout") {
				t.Fatalf("no answer while the body was held back (%v): the server waits to read it all", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			ok := false
			for _, w := range c.want {
				ok = ok || status == w
			}
			if !ok {
				t.Errorf("HTTP %d, want one of %v", status, c.want)
			}
		})
	}
}

// TestCompressedBodiesRefused: a request body in Content-Encoding gzip
// would be unpacked in memory without a limit (8 KB becomes 8 MB), so it is
// refused; no page or kiosk sends one.
func TestCompressedBodiesRefused(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bytes.Repeat([]byte(" "), 8<<20))
	zw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/checkins", bytes.NewReader(buf.Bytes()))
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("%d-byte gzip body unpacking to 8 MB: HTTP %d, want 415", buf.Len(), resp.StatusCode)
	}
}

// TestBodiesWithinLimitsStillWork: what the pages and kiosks send goes
// through: a scan, a scan sent chunked, a full batch, an import, a set-up
// dry run, a pairing request.
func TestBodiesWithinLimitsStillWork(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	kiosk := kioskToken(t, srv)
	tok := testkit.CredentialOf(t, srv, 1)
	post := func(path, token, ctype string, body io.Reader, length int64) int {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, body)
		req.ContentLength = length // -1: sent chunked
		req.Header.Set("Content-Type", ctype)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Logf("%s: %s", path, b)
		}
		return resp.StatusCode
	}
	scan := fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"lim-1"}`, tok)
	if st := post("/api/v1/checkins", kiosk, "application/json", strings.NewReader(scan), int64(len(scan))); st != 200 {
		t.Errorf("scan: HTTP %d", st)
	}
	chunked := fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"lim-2"}`, tok)
	if st := post("/api/v1/checkins", kiosk, "application/json", io.MultiReader(strings.NewReader(chunked)), -1); st != 200 {
		t.Errorf("chunked scan: HTTP %d", st)
	}
	// A full batch: 500 scans with badge-length tokens, as an offline kiosk
	// uploads its queue.
	var batch strings.Builder
	batch.WriteString(`{"scans":[`)
	for i := range 500 {
		if i > 0 {
			batch.WriteString(",")
		}
		fmt.Fprintf(&batch, `{"token":%q,"checkpoint":"hall-east","scan_id":"lim-b%03d","scanned_at":%q,"offline":true}`,
			tok, i, time.Now().UTC().Format(time.RFC3339Nano))
	}
	batch.WriteString("]}")
	if st := post("/api/v1/checkins/batch", kiosk, "application/json", strings.NewReader(batch.String()), int64(batch.Len())); st != 200 {
		t.Errorf("batch of 500 (%d bytes): HTTP %d", batch.Len(), st)
	}
	// An import over 1 MB (a long organisation name on each of 4,000
	// rows), dry run: the body passes whatever the importer then says.
	var csv bytes.Buffer
	csv.WriteString("姓名,单位,类别,代表团\n")
	unit := strings.Repeat("某", 100)
	for i := range 4000 {
		fmt.Fprintf(&csv, "测试%05d,%s,代表,东区\n", i, unit)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "list.csv")
	fw.Write(csv.Bytes())
	mw.Close()
	if form.Len() < 1<<20 {
		t.Fatalf("the import is only %d bytes", form.Len())
	}
	if st := post("/api/v1/import?dry_run=1", testkit.AdminToken, mw.FormDataContentType(), bytes.NewReader(form.Bytes()), int64(form.Len())); st != 200 && st != 422 {
		t.Errorf("import of %d bytes: HTTP %d", form.Len(), st)
	}
	// The meeting's whole definition put back (about 100 KB): unchanged.
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/event/definition", nil)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	req, _ = http.NewRequest("PUT", srv.URL+"/api/v1/event?dry_run=1", bytes.NewReader(def))
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("definition of %d bytes: HTTP %d", len(def), resp.StatusCode)
	}
	if st := post("/kiosk/pair/request", "", "application/json", strings.NewReader(`{}`), 2); st != 201 {
		t.Errorf("pairing request: HTTP %d", st)
	}
}

// clientFrom is an HTTP client whose connections leave from the loopback
// address ip (any of 127.0.0.0/8 works on Linux).
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

// TestFailedTokenLookupsLimited: one address trying token after token is
// answered 429 once it has failed too often, before the store is asked; an
// unknown token tried again is answered from memory and does not count; a
// token that worked keeps working, and other addresses are not affected.
func TestFailedTokenLookupsLimited(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	get := func(c *http.Client, token string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/event", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	attacker, other := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
	desk := userTokenFor(t, srv, "desk")
	if st := get(attacker, desk); st != 200 {
		t.Fatalf("desk token: HTTP %d", st)
	}
	// The same unknown token again and again: 401 each time, no lock-out.
	for range 100 {
		if st := get(attacker, "the-same-wrong-token"); st != 401 {
			t.Fatalf("a repeated unknown token: HTTP %d, want 401", st)
		}
	}
	var statuses []int
	for i := range 100 {
		st := get(attacker, fmt.Sprintf("guess-%03d", i))
		statuses = append(statuses, st)
		if st == http.StatusTooManyRequests {
			break
		}
	}
	if last := statuses[len(statuses)-1]; last != http.StatusTooManyRequests {
		t.Fatalf("100 different unknown tokens from one address: last HTTP %d, want 429 at some point", last)
	}
	if len(statuses) < 20 {
		t.Errorf("limited after only %d guesses: a kiosk with a stale token must not lock its address out", len(statuses))
	}
	if st := get(attacker, desk); st != 200 {
		t.Errorf("the desk token that worked, from the same address: HTTP %d", st)
	}
	if st := get(other, "another-wrong-token"); st != 401 {
		t.Errorf("an unknown token from another address: HTTP %d, want 401", st)
	}
	if st := get(other, testkit.AdminToken); st != 200 {
		t.Errorf("admin token from another address: HTTP %d", st)
	}
}

// userTokenFor creates a user with role and answers the token.
func userTokenFor(t *testing.T, srv *testkit.Server, role string) string {
	t.Helper()
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "限流" + role, "role": role}, &u); st != 201 || u.Token == "" {
		t.Fatalf("create %s: HTTP %d", role, st)
	}
	return u.Token
}

// TestBurstOfTokenlessBodies: many large token-less posts at once are all
// refused early, each client sending only a sliver of its body.
func TestBurstOfTokenlessBodies(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := answerOf(t, srv.URL, heldBack{method: "POST", path: "/api/v1/checkins/batch", declared: 11 << 20, first: 32 << 10})
			if err != nil || st != 401 {
				errs <- fmt.Sprintf("post %d: HTTP %d %v", i, st, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
