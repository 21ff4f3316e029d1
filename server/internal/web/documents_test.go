package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render/pdftest"
	"huiwu/kiosk/scanner"
	"huiwu/server/internal/testkit"
)

type docAnswer struct {
	ID     int64 `json:"id"`
	Copies int   `json:"copies"`
	Issued int   `json:"issued"`
	Out    int   `json:"out"`
}

type docErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message map[string]string `json:"message"`
	} `json:"error"`
}

// docDesk is a server with a 机密 document of three copies for everyone,
// the copy codes read off its printed covers, and three people's badges.
type docDesk struct {
	srv    *testkit.Server
	doc    docAnswer
	codes  []string // codes[n-1] is copy n's, as its cover's QR reads
	people []int64
	badges []string
}

func newDocDesk(t *testing.T) *docDesk {
	t.Helper()
	d := &docDesk{srv: testkit.Serve(t)}
	if st := d.srv.Call("POST", "/documents", testkit.AdminToken, map[string]any{"title": "关于年度重点工作的意见（讨论稿）",
		"number": "会秘〔2026〕9号", "classification": "机密", "copies": 3}, &d.doc); st != 201 {
		t.Fatalf("create: HTTP %d", st)
	}
	st, pdf := d.get(t, fmt.Sprintf("/documents/%d/covers.pdf", d.doc.ID))
	if st != 200 {
		t.Fatalf("covers: HTTP %d", st)
	}
	pdftest.Shot(t, "documents/covers-http.pdf", pdf)
	for n := 1; n <= 3; n++ {
		code, err := scanner.Decode(pdftest.Raster(t, pdf, n, 100))
		if err != nil {
			t.Fatalf("cover %d: %v", n, err)
		}
		d.codes = append(d.codes, code)
	}
	rows, err := d.srv.App.DB.ForTest().R.Query(`SELECT id FROM attendees WHERE status = 'active' ORDER BY id DESC LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		d.people = append(d.people, id)
	}
	rows.Close()
	for _, id := range d.people {
		c, err := d.srv.App.Creds.Current(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		d.badges = append(d.badges, c.Token)
	}
	return d
}

func (d *docDesk) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", d.srv.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (d *docDesk) act(t *testing.T, path string, body map[string]any) (int, docErr) {
	t.Helper()
	var e docErr
	st := d.srv.Call("POST", path, testkit.AdminToken, body, &e)
	return st, e
}

// TestCopyIssuedOnce (issue 13, "How it is checked"): a copy scanned out to
// one person cannot be issued to another, nor twice by two desks at the
// same moment; the code printed on the cover is what the server takes,
// and a code typed without its check characters is refused.
func TestCopyIssuedOnce(t *testing.T) {
	t.Parallel()
	d := newDocDesk(t)
	if st, e := d.act(t, "/documents/issue", map[string]any{"token": d.badges[0], "code": d.codes[0], "place": "报到处"}); st != 200 {
		t.Fatalf("issue: HTTP %d %+v", st, e)
	}
	st, e := d.act(t, "/documents/issue", map[string]any{"token": d.badges[1], "code": d.codes[0]})
	chain, err := d.srv.App.DB.CopyChain(context.Background(), d.doc.ID, 1)
	if err != nil || len(chain) != 1 {
		t.Fatalf("chain: %v %v", chain, err)
	}
	since := chain[0].At.In(d.srv.App.Engine.Catalog().Location).Format("01-02 15:04") // on the event's clock
	if st != 409 || e.Error.Code != "copy_out" || !strings.Contains(e.Error.Message["zh"], "不能重复发放") ||
		!strings.Contains(e.Error.Message["zh"], since) || !strings.Contains(e.Error.Message["zh"], chain[0].Holder.Name) {
		t.Fatalf("second issue: HTTP %d %+v, want the holder and %s", st, e, since)
	}
	typed := d.codes[1][:strings.LastIndex(d.codes[1], "-")]
	if st, e := d.act(t, "/documents/issue", map[string]any{"token": d.badges[1], "code": typed}); st != 422 || e.Error.Code != "bad_copy_code" {
		t.Fatalf("a typed code without its check characters: HTTP %d %+v", st, e)
	}
	if st, e := d.act(t, "/documents/issue", map[string]any{"code": d.codes[1]}); st != 400 || e.Error.Code != "badge_first" {
		t.Fatalf("a copy without a badge: HTTP %d %+v", st, e)
	}
	// Two desks scan copy 2 out to two people at once: one wins.
	var wg sync.WaitGroup
	status := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status[i], _ = d.act(t, "/documents/issue", map[string]any{"token": d.badges[1+i], "code": d.codes[1]})
		}()
	}
	wg.Wait()
	if !(status[0] == 200 && status[1] == 409 || status[0] == 409 && status[1] == 200) {
		t.Fatalf("two issues at once: %v", status)
	}
	var got struct {
		Document docAnswer `json:"document"`
		Copies   []struct {
			Copy   int    `json:"copy"`
			State  string `json:"state"`
			Events int    `json:"events"`
		} `json:"copies"`
	}
	d.srv.Call("GET", fmt.Sprintf("/documents/%d", d.doc.ID), testkit.AdminToken, nil, &got)
	if got.Document.Out != 2 || got.Copies[1].Events != 1 || got.Copies[2].State != "in" {
		t.Fatalf("after: %+v", got)
	}
	// A revoked badge receives nothing.
	if _, err := d.srv.App.Creds.Reissue(context.Background(), d.people[2], "lost", "test"); err != nil {
		t.Fatal(err)
	}
	if st, e := d.act(t, "/documents/issue", map[string]any{"token": d.badges[2], "code": d.codes[2]}); st != 403 || e.Error.Code != "badge_revoked" {
		t.Fatalf("a revoked badge: HTTP %d %+v", st, e)
	}
}

// TestCopyReturnedUnderAnotherName: a copy brought back by someone who is
// not its holder is refused without a reason, naming the holder, and
// recorded with one; the 文件清退 report (PDF read back, and XLSX) shows
// each copy's whole chain and what is still out.
func TestCopyReturnedUnderAnotherName(t *testing.T) {
	t.Parallel()
	d := newDocDesk(t)
	for i := range 2 {
		if st, e := d.act(t, "/documents/issue", map[string]any{"token": d.badges[i], "code": d.codes[i], "place": "第一会议室"}); st != 200 {
			t.Fatalf("issue %d: HTTP %d %+v", i+1, st, e)
		}
	}
	var holder string
	d.srv.App.DB.ForTest().R.QueryRow(`SELECT name FROM attendees WHERE id = ?`, d.people[0]).Scan(&holder)
	st, e := d.act(t, "/documents/return", map[string]any{"token": d.badges[1], "code": d.codes[0]})
	if st != 409 || e.Error.Code != "returned_by_other" || !strings.Contains(e.Error.Message["zh"], holder) {
		t.Fatalf("return under another name without a reason: HTTP %d %+v", st, e)
	}
	reason := "领取人提前离会，委托同组代表交回"
	if st, e := d.act(t, "/documents/return", map[string]any{"token": d.badges[1], "code": d.codes[0], "reason": reason, "place": "报到处"}); st != 200 {
		t.Fatalf("with a reason: HTTP %d %+v", st, e)
	}
	// Copy 2 comes back from its holder, scanned alone.
	if st, e := d.act(t, "/documents/return", map[string]any{"code": d.codes[1]}); st != 200 {
		t.Fatalf("return by the holder: HTTP %d %+v", st, e)
	}
	if st, e := d.act(t, "/documents/issue", map[string]any{"token": d.badges[2], "code": d.codes[1]}); st != 200 {
		t.Fatalf("reissue: HTTP %d %+v", st, e)
	}
	st, pdf := d.get(t, fmt.Sprintf("/documents/report.pdf?document=%d", d.doc.ID))
	if st != 200 {
		t.Fatalf("report: HTTP %d", st)
	}
	pdftest.Shot(t, "documents/report-http.pdf", pdf)
	text := strings.ReplaceAll(pdftest.Text(t, pdf, "-layout"), " ", "")
	for _, want := range []string{"涉密文件清退登记表", "1份未清退", "代还", reason, "第一会议室", "发放", "交回", "会秘〔2026〕9号"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "发放"); n < 3 {
		t.Errorf("%d issues in the report, want 3", n)
	}
	st, x := d.get(t, fmt.Sprintf("/documents/report.xlsx?document=%d", d.doc.ID))
	if st != 200 {
		t.Fatalf("report.xlsx: HTTP %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	var all strings.Builder
	for _, r := range rows {
		all.WriteString(strings.Join(r, "|") + "\n")
	}
	if !strings.Contains(all.String(), reason) || strings.Count(all.String(), "发放") < 3 {
		t.Fatalf("xlsx:\n%s", all.String())
	}
}

// TestDocumentsDeskOnly: every /api/v1/documents route refuses the usher,
// screen, chair, logistics and kiosk roles (who holds which secret copy
// is for the desk), and the desk gets past the role check.
func TestDocumentsDeskOnly(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	refused := map[string]string{"usher": testkit.UserToken(t, srv, "usher"), "screen": testkit.UserToken(t, srv, "screen"),
		"chair": testkit.UserToken(t, srv, "chair"), "logistics": testkit.UserToken(t, srv, "logistics"), "kiosk": kiosk}
	desk := testkit.UserToken(t, srv, "desk")
	n := 0
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/documents") || r.Method == "HEAD" {
			continue
		}
		n++
		path := strings.NewReplacer(":id", "1", ":copy", "1").Replace(r.Path)
		call := func(token string) (int, string) {
			var body io.Reader
			if r.Method != "GET" {
				body = strings.NewReader("{}")
			}
			req, _ := http.NewRequest(r.Method, srv.URL+path, body)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e docErr
			json.NewDecoder(resp.Body).Decode(&e)
			return resp.StatusCode, e.Error.Code
		}
		for role, token := range refused {
			if st, code := call(token); st != 403 || code != "forbidden" {
				t.Errorf("%s %s as %s: HTTP %d %s, want 403 forbidden", r.Method, path, role, st, code)
			}
		}
		// The desk may be refused what it sent ({} is no badge), not the route.
		if st, code := call(desk); st == 401 || code == "forbidden" {
			t.Errorf("%s %s as desk: HTTP %d %s", r.Method, path, st, code)
		}
	}
	if n < 10 {
		t.Fatalf("%d documents routes found", n)
	}
}
