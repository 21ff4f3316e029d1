package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// replyClient is a unit's browser: a cookie jar, and the server's own
// Origin on every request, as a page of the server sends it.
type replyClient struct {
	t    *testing.T
	srv  *testkit.Server
	http *http.Client
}

func newReplyClient(t *testing.T, srv *testkit.Server) *replyClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &replyClient{t: t, srv: srv, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// do sends a JSON request (path under /api/v1 unless it starts at the
// root with "/reply/") and answers the status and body.
func (c *replyClient) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	url := c.srv.URL + "/api/v1" + path
	if strings.HasPrefix(path, "/reply/") && !strings.HasPrefix(path, "/reply/open") && method == "PAGE" {
		url, method = c.srv.URL+path, "GET"
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.srv.URL)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// open opens a reply link's token, as the page does, and answers the
// status and the unit it is for.
func (c *replyClient) open(token string) (int, int64, string) {
	c.t.Helper()
	st, b := c.do("POST", "/reply/open", map[string]string{"token": token})
	var out struct {
		UnitID int64 `json:"unit_id"`
		Error  struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(b, &out)
	return st, out.UnitID, out.Error.Code
}

func errCode(b []byte) string {
	var out struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(b, &out)
	return out.Error.Code
}

// TestReplyLinkSeesOnlyItsUnit (issue 13.1): a unit's link shows its own
// people and nobody else, names with masked phones and no ID numbers; it
// cannot read or write another unit, even with its own token put in the
// other unit's cookie.
func TestReplyLinkSeesOnlyItsUnit(t *testing.T) {
	t.Parallel()
	d := testkit.NewNoticeDay(t)
	token := d.Issue(t, d.A.ID)
	c := newReplyClient(t, d.Server)
	st, unit, _ := c.open(token)
	if st != 200 || unit != d.A.ID {
		t.Fatalf("open: HTTP %d unit %d, want %d", st, unit, d.A.ID)
	}
	st, body := c.do("GET", fmt.Sprintf("/reply/%d", d.A.ID), nil)
	if st != 200 {
		t.Fatalf("view: HTTP %d %s", st, body)
	}
	var view struct {
		Unit   struct{ Name string } `json:"unit"`
		People []struct {
			ID    int64  `json:"id"`
			Name  string `json:"name"`
			Phone string `json:"phone"`
		} `json:"people"`
	}
	if err := json.Unmarshal(body, &view); err != nil {
		t.Fatal(err)
	}
	var want, got []int64
	for _, m := range d.A.Members {
		want = append(want, m.ID)
	}
	for _, p := range view.People {
		got = append(got, p.ID)
		if p.Phone != "" && !strings.Contains(p.Phone, "*") {
			t.Errorf("%s's phone is not masked: %q", p.Name, p.Phone)
		}
	}
	if view.Unit.Name != d.A.Name || !slices.Equal(got, want) {
		t.Fatalf("the link of %s shows %s with %v, want %v", d.A.Name, view.Unit.Name, got, want)
	}
	for _, m := range d.B.Members {
		if bytes.Contains(body, []byte(`"name":"`+m.Name+`"`)) {
			t.Errorf("the link of %s shows %s of %s", d.A.Name, m.Name, d.B.Name)
		}
	}
	if bytes.Contains(body, []byte("id_number")) {
		t.Errorf("the reply view carries ID numbers: %.300s", body)
	}
	// A substitute's phone and ID number, typed by the unit, come back
	// masked; sent back masked, they keep what was typed.
	sub := map[string]any{"status": "substitute", "substitute": map[string]string{"name": "钱代表", "phone": "13900001111", "id_number": "110101198001011234"}}
	path := fmt.Sprintf("/reply/%d/people/%d", d.A.ID, d.A.Members[0].ID)
	st, b := c.do("PUT", path, sub)
	var saved store.ReplyAnswer
	json.Unmarshal(b, &saved)
	if st != 200 || saved.Substitute == nil || saved.Substitute.Phone != "139****1111" || strings.Contains(string(b), "198001011234") {
		t.Fatalf("a substitute saved: HTTP %d %s", st, b)
	}
	if st, b := c.do("PUT", path, map[string]any{"status": "substitute", "substitute": saved.Substitute}); st != 200 {
		t.Fatalf("saved again: HTTP %d %s", st, b)
	}
	drafts, err := d.Server.App.DB.Drafts(t.Context(), d.A.ID)
	if p := drafts[d.A.Members[0].ID].Substitute; err != nil || p == nil || p.Phone != "13900001111" || p.IDNumber != "110101198001011234" {
		t.Errorf("the draft after a masked round trip: %+v %v", p, err)
	}
	// Another unit: no cookie for it, and A's token is refused as B's.
	if st, b := c.do("GET", fmt.Sprintf("/reply/%d", d.B.ID), nil); st != 401 {
		t.Errorf("B through A's link: HTTP %d %s", st, b)
	}
	u, _ := http.NewRequest("GET", d.Server.URL, nil)
	c.http.Jar.SetCookies(u.URL, []*http.Cookie{{Name: fmt.Sprintf("huiwu_reply_%d", d.B.ID), Value: token,
		Path: fmt.Sprintf("/api/v1/reply/%d", d.B.ID)}})
	if st, b := c.do("GET", fmt.Sprintf("/reply/%d", d.B.ID), nil); st != 401 || bytes.Contains(b, []byte(d.B.Members[0].Name)) {
		t.Errorf("A's token as B's cookie: HTTP %d %.200s", st, b)
	}
	// A's link cannot answer for one of B's people.
	if st, b := c.do("PUT", fmt.Sprintf("/reply/%d/people/%d", d.A.ID, d.B.Members[0].ID), map[string]any{"status": "decline", "reason": "x"}); st != 404 || errCode(b) != "not_member" {
		t.Errorf("A answering for B's person: HTTP %d %s", st, b)
	}
	// Unknown fields are refused, and so is a body larger than a caller
	// without a sign-in may send.
	if st, b := c.do("PUT", fmt.Sprintf("/reply/%d/people/%d", d.A.ID, d.A.Members[0].ID), map[string]any{"status": "confirm", "seat": "A-1"}); st != 400 || errCode(b) != "unknown_field" {
		t.Errorf("unknown field: HTTP %d %s", st, b)
	}
	if st, _ := c.do("PUT", fmt.Sprintf("/reply/%d/people/%d", d.A.ID, d.A.Members[0].ID), map[string]any{"status": "decline", "reason": strings.Repeat("长", 4000)}); st != 401 && st != 413 {
		t.Errorf("a 12 KB answer: HTTP %d", st)
	}
	c.http.CloseIdleConnections() // the server closes a connection whose body it refused
	// Without the server's Origin a write is refused (another site cannot
	// answer through the unit's browser).
	req, _ := http.NewRequest("POST", d.Server.URL+fmt.Sprintf("/api/v1/reply/%d/confirm-rest", d.A.ID), strings.NewReader("{}"))
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("a cross-site write: HTTP %d", resp.StatusCode)
	}
}

// TestReplyLinkExpiredOrRevoked: a revoked link and an expired one are
// refused, on the page and the API, each with its own words; a new link
// works where the old one stops; wrong tokens are throttled.
func TestReplyLinkExpiredOrRevoked(t *testing.T) {
	t.Parallel()
	d := testkit.NewNoticeDay(t)
	old := d.Issue(t, d.A.ID)
	c := newReplyClient(t, d.Server)
	if st, _, _ := c.open(old); st != 200 {
		t.Fatalf("open: HTTP %d", st)
	}
	fresh := d.Issue(t, d.A.ID) // reissued: the old link is revoked
	if st, b := c.do("GET", fmt.Sprintf("/reply/%d", d.A.ID), nil); st != 410 || errCode(b) != "link_revoked" {
		t.Errorf("the old link's cookie after a reissue: HTTP %d %s", st, b)
	}
	if st, b := c.do("PAGE", "/reply/"+old, nil); st != 410 || !bytes.Contains(b, []byte("reply.js")) {
		t.Errorf("the old link's page: HTTP %d", st)
	}
	if st, _, code := c.open(old); st != 410 || code != "link_revoked" {
		t.Errorf("opening the old link: HTTP %d %s", st, code)
	}
	if st, _, _ := c.open(fresh); st != 200 {
		t.Fatalf("opening the new link: HTTP %d", st)
	}
	if st, b := c.do("GET", fmt.Sprintf("/reply/%d", d.A.ID), nil); st != 200 {
		t.Errorf("the new link: HTTP %d %s", st, b)
	}
	if st := d.Server.Call("DELETE", fmt.Sprintf("/notices/units/%d/link", d.A.ID), testkit.AdminToken, nil, nil); st != 204 {
		t.Fatalf("revoke: HTTP %d", st)
	}
	if st, b := c.do("GET", fmt.Sprintf("/reply/%d", d.A.ID), nil); st != 410 || errCode(b) != "link_revoked" {
		t.Errorf("after revoking: HTTP %d %s", st, b)
	}
	// Expired: a link whose time is up.
	late := d.Issue(t, d.A.ID)
	if _, err := d.Server.App.DB.ForTest().W.Exec(`UPDATE reply_links SET expires_at = ? WHERE revoked_at IS NULL`, store.FormatTime(time.Now().Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	if st, _, code := c.open(late); st != 410 || code != "link_expired" {
		t.Errorf("an expired link: HTTP %d %s", st, code)
	}
	if st, _ := c.do("PAGE", "/reply/"+late, nil); st != 410 {
		t.Errorf("an expired link's page: HTTP %d", st)
	}
	// Wrong tokens: refused, then throttled.
	var codes []int
	for i := range 70 {
		st, _, _ := c.open(fmt.Sprintf("%032d", i))
		codes = append(codes, st)
	}
	if codes[0] != 404 || codes[len(codes)-1] != 429 {
		t.Errorf("wrong tokens answered %v, want 404 then 429", codes)
	}
}

// replyAs answers for the unit through its link: answers by attendee,
// then sends the reply. A first reply needs an answer for everyone (the
// rest are marked as coming); a later one sends the unit's other answers
// as they were.
func replyAs(t *testing.T, c *replyClient, unit int64, answers map[int64]map[string]any, first bool) {
	t.Helper()
	if st, _, _ := c.open(c.token(t, unit)); st != 200 {
		t.Fatalf("open: HTTP %d", st)
	}
	for id, a := range answers {
		if st, b := c.do("PUT", fmt.Sprintf("/reply/%d/people/%d", unit, id), a); st != 200 {
			t.Fatalf("answer for %d: HTTP %d %s", id, st, b)
		}
	}
	if first {
		if st, b := c.do("POST", fmt.Sprintf("/reply/%d/submit", unit), map[string]any{}); st != 422 || errCode(b) != "answers_missing" {
			t.Fatalf("submit with people unanswered: HTTP %d %s", st, b)
		}
		if st, b := c.do("POST", fmt.Sprintf("/reply/%d/confirm-rest", unit), map[string]any{}); st != 200 {
			t.Fatalf("confirm the rest: HTTP %d %s", st, b)
		}
	}
	if st, b := c.do("POST", fmt.Sprintf("/reply/%d/submit", unit), map[string]any{}); st != 201 {
		t.Fatalf("submit: HTTP %d %s", st, b)
	}
}

func (c *replyClient) token(t *testing.T, unit int64) string {
	var out struct{ Token string }
	if st := c.srv.Call("POST", fmt.Sprintf("/notices/units/%d/link", unit), testkit.AdminToken, nil, &out); st != 201 {
		t.Fatalf("issue: HTTP %d", st)
	}
	return out.Token
}

// TestApplyReplyItems (issue 13.1): a reply changes nothing by itself;
// the desk applies its items one by one, each audited; an item whose
// person changed since the reply is refused whole (nothing of it
// applied), and an item is applied once.
func TestApplyReplyItems(t *testing.T) {
	t.Parallel()
	d := testkit.NewNoticeDay(t)
	db := d.Server.App.DB
	m := d.A.Members
	decliner, replaced, traveller := m[0].ID, m[1].ID, m[2].ID
	date := d.Server.App.Engine.Catalog().Event.StartsOn
	c := newReplyClient(t, d.Server)
	submitted := audits(t, d.Server, "reply.submit")
	replyAs(t, c, d.A.ID, map[int64]map[string]any{
		decliner: {"status": "decline", "reason": "另有公务"},
		replaced: {"status": "substitute", "substitute": map[string]string{"name": "钱代表", "title": "副主任", "phone": "13900001111"},
			"arrival": map[string]any{"mode": "train", "number": "G101", "station": "江阳南站", "date": date, "time": "09:30"}},
		traveller: {"status": "confirm", "diet": "清真", "room": "单间",
			"arrival": map[string]any{"mode": "flight", "number": "CA1234", "station": "云州机场", "date": date, "time": "08:15"}},
	}, true)
	u := d.Unit(t, d.A.ID)
	if u.Status != "changes" {
		t.Fatalf("status after the reply: %s", u.Status)
	}
	item := func(attendee int64, kind string) int64 {
		for _, it := range u.Items {
			if it.AttendeeID == attendee && it.Kind == kind {
				return it.ID
			}
		}
		t.Fatalf("no %s item for %d in %+v", kind, attendee, u.Items)
		return 0
	}
	// Nothing changed yet.
	if a, _ := db.Attendee(t.Context(), traveller); a.Diet == "清真" {
		t.Fatal("the reply changed the diet by itself")
	}
	apply := func(id int64) (int, string) {
		var out struct {
			Error struct{ Code string } `json:"error"`
		}
		st := d.Server.Call("POST", fmt.Sprintf("/notices/items/%d/apply", id), testkit.AdminToken, map[string]any{}, &out)
		return st, out.Error.Code
	}
	// The desk changed the diet after the reply: the diet item is refused,
	// whole, and says why.
	if _, err := db.ForTest().W.Exec(`UPDATE attendees SET diet = '素食', updated_at = ? WHERE id = ?`, store.FormatTime(time.Now()), traveller); err != nil {
		t.Fatal(err)
	}
	before := audits(t, d.Server, "reply.apply")
	if st, code := apply(item(traveller, "diet")); st != 409 || code != "reply_conflict" {
		t.Errorf("a diet changed since: HTTP %d %s", st, code)
	}
	if a, _ := db.Attendee(t.Context(), traveller); a.Diet != "素食" || audits(t, d.Server, "reply.apply") != before {
		t.Errorf("a refused item changed something: diet %q", a.Diet)
	}
	// The arrival lands as a leg from the reply.
	if st, code := apply(item(traveller, "arrival")); st != 200 {
		t.Fatalf("arrival: HTTP %d %s", st, code)
	}
	legs, err := db.Legs(t.Context(), store.LegFilter{Attendee: traveller, Direction: store.Arrival})
	if err != nil || len(legs) != 1 || legs[0].Number != "CA1234" || legs[0].Source != "reply" {
		t.Errorf("arrival leg: %+v %v", legs, err)
	}
	if st, code := apply(item(traveller, "arrival")); st != 409 || code != "item_decided" {
		t.Errorf("applying twice: HTTP %d %s", st, code)
	}
	// The room need goes to the notes.
	if st, code := apply(item(traveller, "room")); st != 200 {
		t.Errorf("room: HTTP %d %s", st, code)
	}
	if a, _ := db.Attendee(t.Context(), traveller); store.RoomNeed(a.Notes) != "单间" {
		t.Errorf("room need in the notes: %q", a.Notes)
	}
	// The decline: 请假 at every session the person is expected at.
	var expected, leaves int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM session_attendees WHERE attendee_id = ?`, decliner).Scan(&expected)
	if st, code := apply(item(decliner, "decline")); st != 200 {
		t.Errorf("decline: HTTP %d %s", st, code)
	}
	db.ForTest().R.QueryRow(`SELECT count(*) FROM leaves WHERE attendee_id = ? AND revoked_at IS NULL AND reason LIKE '回执%另有公务%'`, decliner).Scan(&leaves)
	if expected == 0 || leaves != expected {
		t.Errorf("decline: %d leaves for %d sessions", leaves, expected)
	}
	// The substitute: the original changed after the reply, so it is
	// refused and no one is added; once the desk has looked, a new reply's
	// item applies, withdrawing the original and adding the substitute.
	var people int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM attendees`).Scan(&people)
	if _, err := db.ForTest().W.Exec(`UPDATE attendees SET title = title || '（兼）', updated_at = ? WHERE id = ?`, store.FormatTime(time.Now().Add(time.Second)), replaced); err != nil {
		t.Fatal(err)
	}
	if st, code := apply(item(replaced, "substitute")); st != 409 || code != "reply_conflict" {
		t.Errorf("a substitute for someone changed since: HTTP %d %s", st, code)
	}
	var after int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM attendees`).Scan(&after)
	if a, _ := db.Attendee(t.Context(), replaced); after != people || a.Status != "active" {
		t.Fatalf("a refused substitute changed the list: %d → %d people, original %s", people, after, a.Status)
	}
	replyAs(t, c, d.A.ID, map[int64]map[string]any{
		replaced: {"status": "substitute", "substitute": map[string]string{"name": "钱代表", "title": "副主任", "phone": "13900001111"},
			"arrival": map[string]any{"mode": "train", "number": "G101", "station": "江阳南站", "date": date, "time": "09:30"}},
	}, false)
	u = d.Unit(t, d.A.ID)
	subItem := int64(0)
	for _, it := range u.Items {
		if it.AttendeeID == replaced && it.Kind == "substitute" && it.State == "pending" {
			subItem = it.ID
		}
	}
	if st, code := apply(subItem); st != 200 {
		t.Fatalf("substitute: HTTP %d %s", st, code)
	}
	u = d.Unit(t, d.A.ID)
	var made int64
	for _, it := range u.Items {
		if it.ID == subItem {
			made = it.Made
		}
	}
	orig, _ := db.Attendee(t.Context(), replaced)
	sub, err := db.Attendee(t.Context(), made)
	if err != nil || orig.Status != "cancelled" || sub.Name != "钱代表" || sub.Delegation != orig.Delegation || sub.Status != "active" {
		t.Fatalf("substitute %+v (%v), original %s", sub, err, orig.Status)
	}
	if l, err := db.Legs(t.Context(), store.LegFilter{Attendee: made}); err != nil || len(l) != 1 || l[0].Source != "reply" || l[0].Number != "G101" {
		t.Errorf("the substitute's arrival: %+v %v", l, err)
	}
	if audits(t, d.Server, "attendee.substitute") != 1 || audits(t, d.Server, "reply.apply") != before+4 {
		t.Errorf("audit: %d substitutes, %d applied", audits(t, d.Server, "attendee.substitute"), audits(t, d.Server, "reply.apply"))
	}
	// The second reply answered the substitute anew, so the first reply's
	// substitute went (superseded); it sent the traveller's answer as it
	// was, so the first reply's diet still waits. Nothing else is asked
	// again.
	states := map[string]int{}
	for _, it := range u.Items {
		states[it.Kind+"/"+it.State]++
	}
	if states["substitute/superseded"] != 1 || states["substitute/applied"] != 1 || states["diet/pending"] != 1 ||
		states["arrival/applied"] != 1 || states["decline/applied"] != 1 || len(u.Items) != 6 {
		t.Errorf("items after the second reply: %v", states)
	}
	// The traveller's diet, answered anew, takes the place of the old
	// item; rejecting it is audited, with the desk's reason, and changes
	// nothing.
	replyAs(t, c, d.A.ID, map[int64]map[string]any{traveller: {"status": "confirm", "diet": "无麸质"}}, false)
	if st, b := c.do("POST", fmt.Sprintf("/reply/%d/submit", d.A.ID), map[string]any{}); st != 422 || errCode(b) != "nothing_to_send" {
		t.Errorf("sending again with nothing new: HTTP %d %s", st, b)
	}
	u = d.Unit(t, d.A.ID)
	var out struct {
		State  string `json:"state"`
		Reason string `json:"reason"`
	}
	if st := d.Server.Call("POST", fmt.Sprintf("/notices/items/%d/reject", u.Items[0].ID), testkit.AdminToken, map[string]string{"reason": "电话核实：仍为素食"}, &out); st != 200 || out.State != "rejected" {
		t.Errorf("reject: HTTP %d %+v", st, out)
	}
	if a, _ := db.Attendee(t.Context(), traveller); a.Diet != "素食" || audits(t, d.Server, "reply.reject") != 1 {
		t.Errorf("after a rejection: diet %q, %d audited", a.Diet, audits(t, d.Server, "reply.reject"))
	}
	if u = d.Unit(t, d.A.ID); u.Status != "replied" {
		t.Errorf("with nothing left to decide the unit is %s", u.Status)
	}
	if n := audits(t, d.Server, "reply.submit") - submitted; n != 3 {
		t.Errorf("three replies audited %d times", n)
	}
}

// TestReplyXLSXImport (issue 13.1): the unit's XLSX form, filled in,
// comes back as a reply with the same changes for the desk; bad cells are
// answered by row and column, and nothing is stored.
func TestReplyXLSXImport(t *testing.T) {
	t.Parallel()
	d := testkit.NewNoticeDay(t)
	srv := d.Server
	st, book, _ := srv.Get(t, fmt.Sprintf("/notices/units/%d/form.xlsx", d.A.ID), testkit.AdminToken)
	if st != 200 {
		t.Fatalf("form.xlsx: HTTP %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("回执")
	head := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "编号" {
			head = i
		}
	}
	if head < 0 || len(rows)-head-1 != len(d.A.Members) {
		t.Fatalf("the form has %d rows after its head at %d, want %d people", len(rows), head, len(d.A.Members))
	}
	col := func(name string) string {
		for i, h := range rows[head] {
			if h == name {
				c, _ := excelize.ColumnNumberToName(i + 1)
				return c
			}
		}
		t.Fatalf("no column %s in %v", name, rows[head])
		return ""
	}
	set := func(person int, column, v string) {
		f.SetCellStr("回执", fmt.Sprintf("%s%d", col(column), head+2+person), v)
	}
	set(0, "回执（参加/代会/不参加）", "不参加")
	set(0, "不参加原因", "出国访问")
	set(1, "回执（参加/代会/不参加）", "参加")
	set(1, "抵达日期", "明天上午")
	set(2, "回执（参加/代会/不参加）", "也许")
	set(3, "回执（参加/代会/不参加）", "代会")
	bad := save(t, f)
	var out struct {
		Error struct {
			Code    string `json:"code"`
			Details struct {
				Errors []struct {
					Row    int    `json:"row"`
					Column string `json:"column"`
					Header string `json:"header"`
				} `json:"errors"`
			} `json:"details"`
		} `json:"error"`
	}
	if st := uploadForm(t, srv, d.A.ID, bad, &out); st != 422 || out.Error.Code != "form_errors" {
		t.Fatalf("a bad form: HTTP %d %+v", st, out)
	}
	got := map[string]bool{}
	for _, e := range out.Error.Details.Errors {
		got[fmt.Sprintf("%d%s", e.Row, e.Column)] = true
	}
	for _, w := range []string{
		fmt.Sprintf("%d%s", head+3, col("抵达日期")),
		fmt.Sprintf("%d%s", head+4, col("回执（参加/代会/不参加）")),
		fmt.Sprintf("%d%s", head+5, col("代会人姓名")),
	} {
		if !got[w] {
			t.Errorf("no error at %s among %+v", w, out.Error.Details.Errors)
		}
	}
	if u := d.Unit(t, d.A.ID); u.Status != "none" {
		t.Errorf("a refused form stored a reply: %s", u.Status)
	}
	// Another unit's form is refused.
	if st := uploadForm(t, srv, d.B.ID, bad, &out); st != 422 || out.Error.Code != "other_unit" {
		t.Errorf("A's form as B's: HTTP %d %s", st, out.Error.Code)
	}
	set(1, "抵达日期", "2026/3/5")
	set(1, "抵达方式", "飞机")
	set(1, "抵达航班/车次", "mu5101")
	set(2, "回执（参加/代会/不参加）", "参加")
	set(2, "饮食要求", "素食")
	set(3, "代会人姓名", "孙代表")
	var ok struct {
		Answers int `json:"answers"`
		Changes int `json:"changes"`
	}
	if st := uploadForm(t, srv, d.A.ID, save(t, f), &ok); st != 201 || ok.Answers != 4 {
		t.Fatalf("the corrected form: HTTP %d %+v", st, ok)
	}
	u := d.Unit(t, d.A.ID)
	kinds := map[string]int64{}
	for _, it := range u.Items {
		kinds[it.Kind] = it.AttendeeID
	}
	if u.Status != "changes" || kinds["decline"] != d.A.Members[0].ID || kinds["arrival"] != d.A.Members[1].ID ||
		kinds["substitute"] != d.A.Members[3].ID {
		t.Errorf("items from the form: %s %+v", u.Status, u.Items)
	}
	if d.A.Members[2].Answer != nil {
		t.Fatal("setup: answered before")
	}
	if kinds["diet"] != d.A.Members[2].ID {
		t.Errorf("no diet item for the third person: %+v", u.Items)
	}
}

func save(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func uploadForm(t *testing.T, srv *testkit.Server, unit int64, data []byte, out any) int {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", "回执.xlsx")
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/notices/units/%d/import", srv.URL, unit), &body)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("HTTP %d %s", resp.StatusCode, b)
	}
	return resp.StatusCode
}

// TestReplyFormPDF: the printed 回执 names the meeting, the unit and each
// of its people, with the boxes to tick; read back with pdftotext.
func TestReplyFormPDF(t *testing.T) {
	t.Parallel()
	d := testkit.NewNoticeDay(t)
	st, pdf, _ := d.Server.Get(t, fmt.Sprintf("/notices/units/%d/form.pdf", d.A.ID), testkit.AdminToken)
	if st != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("form.pdf: HTTP %d", st)
	}
	dir := t.TempDir()
	if shots := os.Getenv("HUIWU_SHOTS"); shots != "" {
		dir = shots
	}
	path := filepath.Join(dir, "notices-form.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	event := d.Server.App.Engine.Catalog().Event.Name
	for _, want := range []string{event + " 回执", "单位：" + d.A.Name, "□参加 □代会 □不参加", "代会人", "不参加原因", d.A.Members[0].Name,
		d.A.Members[len(d.A.Members)-1].Name, fmt.Sprintf("共 %d 人", len(d.A.Members))} {
		if !strings.Contains(text, want) {
			t.Errorf("the form lacks %q:\n%.2000s", want, text)
		}
	}
	if strings.Contains(text, d.B.Members[0].Name+" ") {
		t.Errorf("the form of %s names %s of %s", d.A.Name, d.B.Members[0].Name, d.B.Name)
	}
}
