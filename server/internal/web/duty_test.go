package web_test

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestDutyWriterIsTheAccount: an entry's writer is the signed-in account,
// whatever the body says; a body naming a writer is refused and stores
// nothing. Only the desk reads and writes the log: logistics, ushers and
// kiosks are refused.
func TestDutyWriterIsTheAccount(t *testing.T) {
	t.Parallel()
	d := testkit.NewDutyDesk(t)
	var e store.DutyEntry
	body := map[string]any{"kind": "call", "from_name": "陈主任", "from_unit": "省政府办公厅", "from_phone": "0871-63600001",
		"content": "询问开幕式时间", "to_whom": "秘书组", "open": true}
	if st := d.Server.Call("POST", "/duty/entries", d.One, body, &e); st != 201 {
		t.Fatalf("add: HTTP %d", st)
	}
	if e.CreatedBy != d.NameOne || e.WrittenBy != d.NameOne || e.State != "open" || e.Place != "会务组值班室" {
		t.Fatalf("written by %q/%q (want %q), %s at %s", e.CreatedBy, e.WrittenBy, d.NameOne, e.State, e.Place)
	}
	var before []store.DutyEntry
	d.Server.Call("GET", "/duty/entries", d.One, nil, &before)
	for _, field := range []string{"created_by", "written_by"} {
		forged := map[string]any{"kind": "call", "content": "冒名", field: "别人"}
		var out struct{ Error struct{ Code string } }
		if st := d.Server.Call("POST", "/duty/entries", d.Two, forged, &out); st != 400 || out.Error.Code != "unknown_field" {
			t.Errorf("a body naming %s: HTTP %d %s", field, st, out.Error.Code)
		}
	}
	var after []store.DutyEntry
	d.Server.Call("GET", "/duty/entries", d.One, nil, &after)
	if len(after) != len(before) {
		t.Errorf("a refused entry was stored: %d → %d", len(before), len(after))
	}
	for role, want := range map[string]int{"logistics": 403, "usher": 403, "chair": 403, "screen": 403} {
		var u struct{ Token string }
		if st := d.Server.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": role + "测试", "role": role}, &u); st != 201 {
			t.Fatalf("create %s: HTTP %d", role, st)
		}
		if st := d.Server.Call("GET", "/duty/entries", u.Token, nil, nil); st != want {
			t.Errorf("%s reads the log: HTTP %d", role, st)
		}
		if st := d.Server.Call("POST", "/duty/entries", u.Token, body, nil); st != want {
			t.Errorf("%s writes the log: HTTP %d", role, st)
		}
	}
}

// TestDutyCorrectAndClose: a correction over HTTP keeps the old version
// beside the new, each with its writer; closing records who and when;
// closing twice is refused.
func TestDutyCorrectAndClose(t *testing.T) {
	t.Parallel()
	d := testkit.NewDutyDesk(t)
	var e store.DutyEntry
	body := map[string]any{"kind": "visit", "from_name": "马红梅", "from_unit": "红河州代表团", "from_phone": "13800000301",
		"content": "来取文件袋 12 份", "open": true}
	if st := d.Server.Call("POST", "/duty/entries", d.One, body, &e); st != 201 {
		t.Fatalf("add: HTTP %d", st)
	}
	body["content"], body["reason"] = "来取文件袋 13 份", "份数记错"
	var fixed store.DutyEntry
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/entries/%d/correct", e.ID), d.Two, body, &fixed); st != 200 {
		t.Fatalf("correct: HTTP %d", st)
	}
	var got store.DutyEntry
	if st := d.Server.Call("GET", fmt.Sprintf("/duty/entries/%d", e.ID), d.One, nil, &got); st != 200 || len(got.Versions) != 2 {
		t.Fatalf("read back: HTTP %d %+v", st, got)
	}
	if v := got.Versions[0]; v.Content != "来取文件袋 12 份" || v.WrittenBy != d.NameOne {
		t.Errorf("the first version: %+v", v)
	}
	if v := got.Versions[1]; v.Content != "来取文件袋 13 份" || v.WrittenBy != d.NameTwo || v.Reason != "份数记错" {
		t.Errorf("the correction: %+v", v)
	}
	if got.Content != "来取文件袋 13 份" || got.CreatedBy != d.NameOne {
		t.Errorf("the entry reads %q, written by %q", got.Content, got.CreatedBy)
	}
	var out struct{ Error struct{ Code string } }
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/entries/%d/close", e.ID), d.Two, map[string]string{"outcome": ""}, &out); st != 422 || out.Error.Code != "outcome_required" {
		t.Errorf("closed without an outcome: HTTP %d %s", st, out.Error.Code)
	}
	start := time.Now().Add(-time.Second)
	var closed store.DutyEntry
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/entries/%d/close", e.ID), d.Two, map[string]string{"outcome": "已发放，联络员签收"}, &closed); st != 200 {
		t.Fatalf("close: HTTP %d", st)
	}
	if closed.State != "done" || closed.ClosedBy != d.NameTwo || closed.ClosedAt.Before(start) || closed.Outcome != "已发放，联络员签收" {
		t.Errorf("closed: %+v", closed)
	}
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/entries/%d/close", e.ID), d.One, map[string]string{"outcome": "again"}, &out); st != 409 || out.Error.Code != "already_done" {
		t.Errorf("closed twice: HTTP %d %s", st, out.Error.Code)
	}
}

// TestDutyHandoverHTTP: the handover lists exactly the main room's open
// items (not the hotel's, not those done), records the outgoing and the
// incoming accounts and the time; the outgoing account cannot take over
// its own handover.
func TestDutyHandoverHTTP(t *testing.T) {
	t.Parallel()
	d := testkit.NewDutyDesk(t)
	var board struct {
		Open    []store.DutyEntry
		Pending []store.DutyHandover
	}
	if st := d.Server.Call("GET", "/duty", d.One, nil, &board); st != 200 {
		t.Fatalf("board: HTTP %d", st)
	}
	want := map[int64]bool{}
	for _, e := range board.Open {
		if e.PlaceID == d.MainPlace {
			want[e.ID] = true
		}
	}
	var e store.DutyEntry
	if st := d.Server.Call("POST", "/duty/entries", d.One, map[string]any{"kind": "message", "content": "转告王处长回电", "open": true}, &e); st != 201 {
		t.Fatalf("add: HTTP %d", st)
	}
	want[e.ID] = true
	if len(want) < 3 {
		t.Fatalf("the demo has %d open items at the main room", len(want)-1)
	}
	var h store.DutyHandover
	if st := d.Server.Call("POST", "/duty/handovers", d.One, map[string]any{"note": "王处长的回电"}, &h); st != 200 || h.OfferedBy != d.NameOne {
		t.Fatalf("offer: HTTP %d %+v", st, h)
	}
	var out struct{ Error struct{ Code string } }
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/handovers/%d/accept", h.ID), d.One, map[string]any{}, &out); st != 409 || out.Error.Code != "same_person" {
		t.Fatalf("taken over by the outgoing account: HTTP %d %s", st, out.Error.Code)
	}
	var got store.DutyHandover
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/handovers/%d/accept", h.ID), d.Two, map[string]any{}, &got); st != 200 {
		t.Fatalf("accept: HTTP %d", st)
	}
	if got.OfferedBy != d.NameOne || got.AcceptedBy != d.NameTwo || got.AcceptedAt.IsZero() || got.Note != "王处长的回电" {
		t.Errorf("handover: %+v", got)
	}
	seen := map[int64]bool{}
	for _, it := range got.Items {
		seen[it.ID] = true
		if !want[it.ID] {
			t.Errorf("item %d (%s, %s at %s) was handed over", it.ID, it.Content, it.State, it.Place)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("open item %d was not handed over", id)
		}
	}
}

// TestDutyPrinted: the 值班表 names the people on duty with their phones
// and the hours nobody is at the main room; the 值班记录 of today has its
// entries with their writers and follow-ups and the demo's handover; the
// log's workbook opens. The PDFs are kept in $HUIWU_SHOTS/duty.
func TestDutyPrinted(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	d := testkit.NewDutyDesk(t)
	// A gap: the shift on now at the main room is cancelled.
	var board struct{ On []store.DutyShift }
	d.Server.Call("GET", "/duty", d.One, nil, &board)
	var on store.DutyShift
	for _, s := range board.On {
		if s.PlaceID == d.MainPlace {
			on = s
		}
	}
	if on.ID == 0 {
		t.Fatal("nobody is on at the main room in the demo")
	}
	today := time.Now().In(d.Loc).Format(time.DateOnly)
	text := func(path string) string {
		t.Helper()
		st, b, h := d.Raw(t, path, d.One)
		if st != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: HTTP %d %s %.200s", path, st, h.Get("Content-Type"), b)
		}
		dir := t.TempDir()
		if s := os.Getenv("HUIWU_SHOTS"); s != "" {
			dir = filepath.Join(s, "duty")
			os.MkdirAll(dir, 0o755)
		}
		f := filepath.Join(dir, strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(strings.TrimPrefix(path, "/duty/")))
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	roster := text("/duty/roster.pdf")
	for _, want := range []string{"值班表", "会务组值班室", "李娜（带班）", "13900000101", "酒店值班点", "周敏"} {
		if !strings.Contains(roster, want) {
			t.Errorf("the roster lacks %q:\n%s", want, roster)
		}
	}
	if strings.Contains(roster, "无人值班") {
		t.Errorf("the demo's roster has a gap:\n%s", roster)
	}
	if st := d.Server.Call("POST", fmt.Sprintf("/duty/shifts/%d/cancel", on.ID), d.One, map[string]string{"reason": "测试"}, nil); st != 204 {
		t.Fatalf("cancel: HTTP %d", st)
	}
	if roster := text("/duty/roster.pdf?day=" + today); !strings.Contains(roster, "无人值班") || !strings.Contains(roster, on.StartsAt.In(d.Loc).Format("15:04")) {
		t.Errorf("the roster does not show the gap from %s:\n%s", on.StartsAt.In(d.Loc).Format("15:04"), roster)
	}
	// The logs of yesterday and today: the demo's outgoing shift wrote its
	// entries and handed over in the hours before the shift on now began,
	// which in the small hours spans midnight (a day's log is its calendar
	// day). Each day's log counts that day's entries; between them they
	// hold everything the shift wrote.
	var logs, books strings.Builder
	for _, day := range []string{time.Now().In(d.Loc).AddDate(0, 0, -1).Format(time.DateOnly), today} {
		var entries []store.DutyEntry
		d.Server.Call("GET", "/duty/entries?day="+day, d.One, nil, &entries)
		log := text("/duty/log.pdf?day=" + day)
		if len(entries) > 0 && !strings.Contains(log, fmt.Sprintf("共 %d 条", len(entries))) {
			t.Errorf("the log of %s does not count %d entries:\n%s", day, len(entries), log)
		}
		logs.WriteString(log)
		st, b, h := d.Raw(t, "/duty/log.xlsx?day="+day, d.One)
		if st != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheet") {
			t.Fatalf("log.xlsx: HTTP %d %s", st, h.Get("Content-Type"))
		}
		books.WriteString(workbookText(t, b))
	}
	for _, want := range []string{"值班记录", "来电", "来访", "信息传递", "陈主任", "0871-63600011", "会务组 李娜", "已办", "待办", "交接班", "第 2 版", "更正", "回拨发现", "→ 办理：已按名单发放"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the logs lack %q:\n%s", want, logs.String())
		}
	}
	// One entry a row, its whole content in one cell, the phone as text.
	for _, want := range []string{"询问开幕会主席台名单是否已定，请会务组今天中午前回电确认。〔第 2 版", "|0871-63600011|", "已办（"} {
		if !strings.Contains(books.String(), want) {
			t.Errorf("the workbooks lack %q:\n%s", want, books.String())
		}
	}
	// The log of the shift on now (before it was cancelled above): its
	// people, and the handover that carried the morning's items to it.
	shiftLog := text(fmt.Sprintf("/duty/log.pdf?shift=%d", on.ID))
	for _, want := range []string{"班次：会务组值班室", on.People[0].Name, "交接班", "移交待办"} {
		if !strings.Contains(shiftLog, want) {
			t.Errorf("the shift's log lacks %q:\n%s", want, shiftLog)
		}
	}
}

// TestDutyRoutesDeskOnly: every /api/v1/duty route, found on the server's
// own routing table, refuses the usher, screen, chair, logistics and a
// kiosk; the duty log holds callers' phones.
func TestDutyRoutesDeskOnly(t *testing.T) {
	t.Parallel()
	d := testkit.NewDutyDesk(t)
	srv := d.Server
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	refused := map[string]string{"usher": testkit.UserToken(t, srv, "usher"), "screen": testkit.UserToken(t, srv, "screen"),
		"chair": testkit.UserToken(t, srv, "chair"), "logistics": testkit.UserToken(t, srv, "logistics"), "kiosk": kiosk}
	n := 0
	seen := map[string]bool{}
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/duty") || r.Method == "HEAD" || seen[r.Method+r.Path] {
			continue
		}
		seen[r.Method+r.Path] = true
		n++
		path := strings.Replace(strings.TrimPrefix(r.Path, "/api/v1"), ":id", "1", 1)
		for role, tok := range refused {
			if st := srv.Call(r.Method, path, tok, map[string]any{}, nil); st != 403 {
				t.Errorf("%s %s as %s: HTTP %d, want 403", r.Method, path, role, st)
			}
		}
		if st := srv.Call(r.Method, path, d.One, nil, nil); st == 403 || st == 401 {
			t.Errorf("%s %s as the desk: HTTP %d", r.Method, path, st)
		}
	}
	if n < 16 {
		t.Fatalf("found %d duty routes, want 16", n)
	}
	// The live topic too: the desk follows it, the others are refused.
	u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=duty"
	for role, tok := range refused {
		if c, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + tok}}); err == nil {
			c.Close()
			t.Errorf("%s follows the duty topic", role)
		} else if resp == nil || resp.StatusCode != 403 {
			t.Errorf("%s on the duty topic: %v %v", role, err, resp)
		}
	}
	c, _, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + d.One}})
	if err != nil {
		t.Fatalf("the desk on the duty topic: %v", err)
	}
	c.Close()
}
