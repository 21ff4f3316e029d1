package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

type defErr struct {
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
	Errors []eventdef.Error `json:"errors"`
}

// TestOwnMeetingFromAnEmptyServer is the README's "Run your own meeting"
// with curl: an empty data directory has no event; a definition is checked
// with a dry run, then put; a list is imported; a badge scans; the
// definition read back and put again changes nothing; a change reaches the
// live event topic; removing what has scans is refused.
func TestOwnMeetingFromAnEmptyServer(t *testing.T) {
	s := startServerWith(t, t.TempDir(), false)
	var e defErr
	if code := s.call("GET", "/event", adminToken, nil, &e); code != 404 || e.Error.Code != "no_event" {
		t.Fatalf("GET /event on an empty server: %d %+v", code, e)
	}
	var list []any
	if code := s.call("GET", "/sessions", adminToken, nil, &list); code != 200 || len(list) != 0 {
		t.Fatalf("sessions on an empty server: %d %v", code, list)
	}
	def := example.Small(time.Now())
	var rep eventdef.Report
	if code := s.call("PUT", "/event?dry_run=1", adminToken, def, &rep); code != 200 || rep.Created["sessions"] != 2 {
		t.Fatalf("dry run: %d %+v", code, rep)
	}
	if code := s.call("GET", "/event", adminToken, nil, nil); code != 404 {
		t.Fatalf("a dry run created the event: %d", code)
	}
	bad := example.Small(time.Now())
	bad.Sessions[1].Venue = "room9"
	bad.Sessions[0].OpensAt = "2026-12-01 08:00"
	if code := s.call("PUT", "/event", adminToken, bad, &e); code != 422 || len(e.Errors) != 2 ||
		e.Errors[0].Path != "sessions[0].opens_at" || e.Errors[0].Code != "time_no_offset" || e.Errors[1].Path != "sessions[1].venue" {
		t.Fatalf("bad definition: %d %+v", code, e)
	}
	if code := s.call("PUT", "/event", adminToken, def, &rep); code != 200 || rep.Unchanged {
		t.Fatalf("PUT: %d %+v", code, rep)
	}
	var stored json.RawMessage
	if code := s.call("GET", "/event/definition", adminToken, nil, &stored); code != 200 {
		t.Fatalf("definition: %d", code)
	}
	if code := s.call("PUT", "/event", adminToken, stored, &rep); code != 200 || !rep.Unchanged {
		t.Fatalf("PUT of GET: %d %+v", code, rep)
	}

	// A list, a badge, a scan.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "名单.csv")
	fw.Write([]byte("姓名,单位,类别\n张三,某局,代表\n李四,某厅,列席\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/api/v1/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if code := s.do(req, nil); code != 200 {
		t.Fatalf("import: %d", code)
	}
	var cred struct{ Token string }
	s.call("GET", "/attendees/1/credential", adminToken, nil, &cred)
	if r := s.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"own-1"}`, cred.Token)); r.Status != "ok" {
		t.Fatalf("first scan at the new meeting: %+v", r)
	}
	var counts struct{ Expected, Present int }
	if s.call("GET", "/sessions/plenary/attendance", adminToken, nil, &counts); counts.Expected != 1 || counts.Present != 1 {
		t.Errorf("plenary counts %+v: the deputy is 应到 and 实到 (列席 do not count)", counts)
	}

	// The live event topic follows a change.
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(s.base, "http", "ws", 1)+"/ws?topics=event&token="+adminToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	type msg struct {
		Type string `json:"type"`
		Data struct {
			Version  int64 `json:"version"`
			HasEvent bool  `json:"has_event"`
		} `json:"data"`
	}
	var m msg
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := ws.ReadJSON(&m); err != nil || m.Type != "snapshot" || !m.Data.HasEvent {
		t.Fatalf("event snapshot %+v %v", m, err)
	}
	first := m.Data.Version
	starts, _ := time.Parse(time.RFC3339, def.Sessions[0].StartsAt)
	def.Sessions[0].StartsAt = starts.Add(30 * time.Minute).Format(time.RFC3339)
	if code := s.call("PUT", "/event", adminToken, map[string]any{"sessions": def.Sessions}, &rep); code != 200 || rep.Updated["sessions"] != 1 {
		t.Fatalf("move the plenary: %d %+v", code, rep)
	}
	ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	if err := ws.ReadJSON(&m); err != nil || m.Type != "delta" || m.Data.Version != first+1 {
		t.Fatalf("event delta within 2 s: %+v %v", m, err)
	}
	var sessions []struct {
		ID       string    `json:"id"`
		StartsAt time.Time `json:"starts_at"`
	}
	s.call("GET", "/sessions", adminToken, nil, &sessions)
	if !sessions[0].StartsAt.Equal(starts.Add(30 * time.Minute)) {
		t.Errorf("the plenary starts at %v", sessions[0].StartsAt)
	}

	// The plenary has a scan: it cannot go.
	if code := s.call("PUT", "/event", adminToken, map[string]any{"sessions": def.Sessions[1:]}, &e); code != 409 || e.Error.Code != "in_use" {
		t.Fatalf("removing a session with scans: %d %+v", code, e)
	}
	var changes []struct {
		Actor   string            `json:"actor"`
		Changes []eventdef.Change `json:"changes"`
	}
	if s.call("GET", "/event/changes", adminToken, nil, &changes); len(changes) != 2 || changes[0].Changes[0].Code != "plenary" {
		t.Errorf("change log %+v", changes)
	}

	// A per-person exception adds the observer to the group discussion's
	// 应到 and lists on the attendee's exceptions.
	var exc []map[string]any
	if code := s.call("PUT", "/attendees/2/exceptions", adminToken, map[string]string{"kind": "session", "ref": "group", "mode": "include", "reason": "特邀"}, &exc); code != 200 || len(exc) != 1 {
		t.Fatalf("exception: %d %v", code, exc)
	}
	if code := s.call("PUT", "/attendees/2/exceptions", adminToken, map[string]string{"kind": "meal", "ref": "lunch", "mode": "hall", "venue": "hall"}, &e); code != 422 || e.Error.Code != "bad_exception" {
		t.Errorf("a meal in the auditorium: %d %+v", code, e)
	}
	if code := s.call("DELETE", "/attendees/2/exceptions/session/group", adminToken, nil, nil); code != 204 {
		t.Errorf("clear exception: %d", code)
	}
}

// upload posts a file as multipart field "file" and decodes the answer.
func (s *server) upload(path, name string, data []byte, out any) int {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/api/v1"+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return s.do(req, out)
}

func (s *server) download(path string) []byte {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.base+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		s.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, buf.Bytes())
	}
	return buf.Bytes()
}

// TestSetupWorkbookOverHTTP: the example workbook sets up an empty server
// (dry run first); the workbook exported from it imports back unchanged; a
// broken cell is named by sheet, row and column, and a definition error by
// the cell its path came from.
func TestSetupWorkbookOverHTTP(t *testing.T) {
	s := startServerWith(t, t.TempDir(), false)
	example := s.download("/event/example.xlsx")
	var rep eventdef.Report
	if code := s.upload("/event/workbook?dry_run=1", "筹备表.xlsx", example, &rep); code != 200 || rep.Created["sessions"] == 0 {
		t.Fatalf("dry run of the example: %d %+v", code, rep)
	}
	if code := s.call("GET", "/event", adminToken, nil, nil); code != 404 {
		t.Fatalf("a dry run created the event: %d", code)
	}
	if code := s.upload("/event/workbook", "筹备表.xlsx", example, &rep); code != 200 || rep.Unchanged {
		t.Fatalf("example: %d %+v", code, rep)
	}
	exported := s.download("/event/workbook.xlsx")
	if code := s.upload("/event/workbook", "筹备表.xlsx", exported, &rep); code != 200 || !rep.Unchanged {
		t.Fatalf("export → import: %d %+v", code, rep.Changes)
	}
	var def eventdef.Definition
	s.call("GET", "/event/definition", adminToken, nil, &def)
	f, err := excelize.OpenReader(bytes.NewReader(exported))
	if err != nil {
		t.Fatal(err)
	}
	// 日程 row 2 is the first session: point it at a venue that does not
	// exist, and write a time that is not one into row 3.
	cols, _ := f.GetRows("日程")
	venueCol, opensCol := -1, -1
	for i, h := range cols[0] {
		switch h {
		case "场地":
			venueCol = i
		case "开门":
			opensCol = i
		}
	}
	if venueCol < 0 || opensCol < 0 || len(cols) < 3 {
		t.Fatalf("日程 header %v", cols[0])
	}
	cell := func(col, row int) string { n, _ := excelize.CoordinatesToCellName(col+1, row); return n }
	f.SetCellValue("日程", cell(venueCol, 2), "nowhere")
	var broken bytes.Buffer
	f.Write(&broken)
	var e struct {
		Errors []struct {
			Path, Sheet, Column, Code string
			Row                       int
		} `json:"errors"`
	}
	if code := s.upload("/event/workbook?dry_run=1", "筹备表.xlsx", broken.Bytes(), &e); code != 422 || len(e.Errors) != 1 ||
		e.Errors[0].Sheet != "日程" || e.Errors[0].Row != 2 || e.Errors[0].Path != "sessions[0].venue" || e.Errors[0].Code != "unknown_venue" {
		t.Fatalf("unknown venue in the workbook: %d %+v", code, e)
	}
	f.SetCellValue("日程", cell(venueCol, 2), def.Sessions[0].Venue)
	f.SetCellValue("日程", cell(opensCol, 3), "下午两点")
	broken.Reset()
	f.Write(&broken)
	if code := s.upload("/event/workbook?dry_run=1", "筹备表.xlsx", broken.Bytes(), &e); code != 422 || len(e.Errors) != 1 ||
		e.Errors[0].Sheet != "日程" || e.Errors[0].Row != 3 || e.Errors[0].Column != cell(opensCol, 3)[:1] {
		t.Fatalf("a time in words: %d %+v", code, e)
	}
}
