package web_test

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huiwu/badge/render/pdftest"
	"huiwu/kiosk/scanner"
	"huiwu/server/internal/testkit"
)

// printGet fetches a path (under the server root) with the admin token.
func printGet(t *testing.T, s *testkit.Server, path string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func pdfText(t *testing.T, pdf []byte) string { return pdftest.Text(t, pdf) }

// printee is an attendee as the list answers: whom a badge is printed for.
type printee struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Delegation string `json:"delegation"`
}

func findPrintee(t *testing.T, s *testkit.Server, name string) printee {
	t.Helper()
	var list []printee
	s.Call("GET", "/attendees?q="+url.QueryEscape(name), testkit.AdminToken, nil, &list)
	for _, p := range list {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no attendee %q in the demo", name)
	return printee{}
}

// TestPrinting runs the printing endpoints against one demo server (a
// server per test would triple the run time under -race).
func TestPrinting(t *testing.T) {
	t.Parallel()
	s := testkit.Serve(t)
	t.Run("badge", func(t *testing.T) { badgeEndpoints(t, s) })
	t.Run("batch-slips-signin", func(t *testing.T) { batchSlipsSignIn(t, s) })
	t.Run("fonts", func(t *testing.T) { fontCheckAndWebFont(t, s) })
	t.Run("missing-glyph", func(t *testing.T) { missingGlyph(t, s) })
}

// missingGlyph gives a press attendee a character no font has: the single
// badge and the batch containing it are refused with the character named,
// and nothing is logged as printed.
func missingGlyph(t *testing.T, s *testkit.Server) {
	p := findPrintee(t, s, "赵淼")
	if _, err := s.App.DB.ForTest().W.Exec(`UPDATE attendees SET name = ? WHERE id = ?`, "赵\U00013000淼", p.ID); err != nil {
		t.Fatal(err)
	}
	code, _, body := printGet(t, s, fmt.Sprintf("/api/v1/attendees/%d/badge.pdf", p.ID))
	if code != 422 || !bytes.Contains(body, []byte(`"missing_glyphs"`)) || !bytes.Contains(body, []byte("U+13000")) {
		t.Errorf("badge: HTTP %d %s", code, body)
	}
	code, _, body = printGet(t, s, "/api/v1/badges.pdf?category=press")
	if code != 422 || !bytes.Contains(body, []byte(fmt.Sprintf(`"attendee_id":%d`, p.ID))) {
		t.Errorf("batch: HTTP %d %s", code, body)
	}
	var prints []any
	s.Call("GET", fmt.Sprintf("/attendees/%d/prints", p.ID), testkit.AdminToken, nil, &prints)
	if len(prints) != 0 {
		t.Errorf("refused prints were logged: %v", prints)
	}
}

func badgeEndpoints(t *testing.T, s *testkit.Server) {
	for _, name := range []string{"刘䶮", "𠮷田健一", "王喆", "张堃", "阿卜杜拉·买买提", "Anna Müller"} {
		p := findPrintee(t, s, name)
		code, h, pdf := printGet(t, s, fmt.Sprintf("/api/v1/attendees/%d/badge.pdf?session=opening", p.ID))
		if code != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: HTTP %d %s", name, code, pdf)
		}
		if text := pdfText(t, pdf); !strings.Contains(text, name) {
			t.Errorf("badge PDF text lacks %q:\n%s", name, text)
		}
	}

	// The preview's QR is the attendee's live credential.
	p := findPrintee(t, s, "𠮷田健一")
	var cred struct {
		Token  string `json:"token"`
		Serial int64  `json:"serial"`
	}
	s.Call("GET", fmt.Sprintf("/attendees/%d/credential", p.ID), testkit.AdminToken, nil, &cred)
	code, _, img := printGet(t, s, fmt.Sprintf("/api/v1/attendees/%d/badge.png?size=a6", p.ID))
	if code != 200 {
		t.Fatalf("badge.png: HTTP %d %s", code, img)
	}
	if dir := os.Getenv("HUIWU_SHOTS"); dir != "" {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "server-badge-a6.png"), img, 0o644)
	}
	decoded, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := scanner.Decode(decoded); err != nil || got != cred.Token {
		t.Errorf("PNG QR decodes to %q, %v; want the credential %q", got, err, cred.Token)
	}

	// Every print is logged with who and which serial.
	var prints []struct {
		Serial int64  `json:"serial"`
		Actor  string `json:"actor"`
		Kind   string `json:"kind"`
	}
	s.Call("GET", fmt.Sprintf("/attendees/%d/prints", p.ID), testkit.AdminToken, nil, &prints)
	if len(prints) != 1 || prints[0].Serial != cred.Serial || prints[0].Actor == "" || prints[0].Kind != "badge" {
		t.Errorf("print log %+v, want one badge print of serial %d (the preview is not a print)", prints, cred.Serial)
	}

	if code, _, body := printGet(t, s, "/api/v1/attendees/1/badge.pdf?size=nope"); code != 400 || !bytes.Contains(body, []byte("bad_size")) {
		t.Errorf("unknown size: HTTP %d %s", code, body)
	}
}

func batchSlipsSignIn(t *testing.T, s *testkit.Server) {
	var staff []struct {
		ID       int64  `json:"id"`
		Category string `json:"category"`
	}
	s.Call("GET", "/attendees?limit=2000", testkit.AdminToken, nil, &staff)
	n := 0
	for _, a := range staff {
		if a.Category == "staff" {
			n++
		}
	}
	code, h, pdf := printGet(t, s, "/api/v1/badges.pdf?category=staff&not_printed=1&layout=cr80")
	if code != 200 || h.Get("X-Badge-Count") != fmt.Sprint(n) {
		t.Fatalf("batch: HTTP %d, %s badges, want %d: %.200s", code, h.Get("X-Badge-Count"), n, pdf)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "李犇") {
		t.Errorf("staff batch lacks 李犇")
	}
	// Printed now: the same not-yet-printed batch is empty.
	if code, _, body := printGet(t, s, "/api/v1/badges.pdf?category=staff&not_printed=1"); code != 404 {
		t.Errorf("second not_printed batch: HTTP %d %.200s", code, body)
	}
	// A lost badge reissued is unprinted again, and only it.
	lb := findPrintee(t, s, "李犇")
	s.Call("POST", fmt.Sprintf("/attendees/%d/credential", lb.ID), testkit.AdminToken, map[string]string{"reason": "遗失"}, nil)
	code, h, pdf = printGet(t, s, "/api/v1/badges.pdf?category=staff&not_printed=1")
	if code != 200 || h.Get("X-Badge-Count") != "1" {
		t.Errorf("after a reissue: HTTP %d, %s badges, want 1", code, h.Get("X-Badge-Count"))
	}

	p := findPrintee(t, s, "阿卜杜拉·买买提")
	code, _, pdf = printGet(t, s, fmt.Sprintf("/api/v1/attendees/%d/slips.pdf", p.ID))
	if code != 200 {
		t.Fatalf("slips: HTTP %d %s", code, pdf)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "阿卜杜拉·买买提") || !strings.Contains(text, "清真") || !strings.Contains(text, "桌号") {
		t.Errorf("slips text:\n%s", text)
	}

	code, _, pdf = printGet(t, s, "/api/v1/sessions/opening/signin.pdf")
	if code != 200 {
		t.Fatalf("signin: HTTP %d %s", code, pdf)
	}
	var att struct {
		Expected int `json:"expected"`
		All      struct {
			Expected int `json:"expected"`
		} `json:"all"`
	}
	s.Call("GET", "/sessions/opening/attendance", testkit.AdminToken, nil, &att)
	text := pdfText(t, pdf)
	// 应到 is the chair's (the categories that count); the list is longer.
	for _, w := range []string{"签到表", "序号", "代表团", "签名", "刘䶮", "王喆", "阿卜杜拉·买买提",
		fmt.Sprintf("应到 %d 人", att.Expected), fmt.Sprintf("名单共 %d 人", att.All.Expected)} {
		if !strings.Contains(text, w) {
			t.Errorf("签到表 lacks %q", w)
		}
	}
	// Each row carries the person's delegation beside the name.
	if p.Delegation == "" {
		t.Fatalf("%s has no delegation in the demo", p.Name)
	}
	words := pdftest.Words(t, pdf)
	rowOf := func(w pdftest.Word) [2]float64 { return [2]float64{float64(w.Page), (w.YMin + w.YMax) / 2} }
	same := false
	for _, n := range pdftest.Find(words, p.Name) {
		for _, d := range pdftest.Find(words, p.Delegation) {
			if a, b := rowOf(n), rowOf(d); a[0] == b[0] && math.Abs(a[1]-b[1]) < 2 && d.XMin > n.XMax {
				same = true
			}
		}
	}
	if !same {
		t.Errorf("签到表: no %q beside %s", p.Delegation, p.Name)
	}
}

func fontCheckAndWebFont(t *testing.T, s *testkit.Server) {
	var out struct {
		OK      bool `json:"ok"`
		Missing []struct {
			Char      string `json:"char"`
			Codepoint string `json:"codepoint"`
		} `json:"missing"`
	}
	s.Call("GET", "/fonts/check?name="+url.QueryEscape("𠮷田\U00013000"), testkit.AdminToken, nil, &out)
	if out.OK || len(out.Missing) != 1 || out.Missing[0].Codepoint != "U+13000" {
		t.Errorf("check = %+v, want U+13000 missing and 𠮷 found", out)
	}
	s.Call("GET", "/fonts/check?name="+url.QueryEscape("刘䶮"), testkit.AdminToken, nil, &out)
	if !out.OK {
		t.Errorf("刘䶮 reported missing: %+v", out)
	}
	resp, err := http.Get(s.URL + "/static-fonts/NotoSansSC-Regular.ttf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(b) < 1<<20 || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("web font: HTTP %d, %d bytes, Cache-Control %q", resp.StatusCode, len(b), resp.Header.Get("Cache-Control"))
	}
}
