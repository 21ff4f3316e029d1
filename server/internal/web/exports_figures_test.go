package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/testkit"
	"huiwu/server/internal/xlsxout"
	"huiwu/server/internal/xlsxout/xlsxcheck"
)

// chairView is what GET /sessions/{id}/chair answers, the chair's page.
type chairView struct {
	Counts struct {
		Expected      int    `json:"expected"`
		Present       int    `json:"present"`
		Left          int    `json:"left"`
		OnLeave       int    `json:"on_leave"`
		NotYet        int    `json:"not_yet"`
		Absent        int    `json:"absent"`
		AbsentCounted bool   `json:"absent_counted"`
		Statement     string `json:"statement"`
		Basis         struct {
			Zh    string `json:"zh"`
			Short string `json:"short"`
		} `json:"basis"`
		All struct {
			Expected int `json:"expected"`
		} `json:"all"`
	} `json:"counts"`
	Absentees []struct {
		Name string `json:"name"`
	} `json:"absentees"`
}

func chair(t *testing.T, srv *testkit.Server, session string) chairView {
	t.Helper()
	var v chairView
	if st := srv.Call("GET", "/sessions/"+session+"/chair", testkit.AdminToken, nil, &v); st != 200 {
		t.Fatalf("GET /sessions/%s/chair: HTTP %d", session, st)
	}
	return v
}

func download(t *testing.T, srv *testkit.Server, path string) []byte {
	t.Helper()
	resp, body := get(t, srv.URL+"/api/v1"+path, "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: HTTP %d %s", path, resp.StatusCode, body)
	}
	return body
}

// TestSigninExportSaysWhatTheChairSays: during the demo's opening the
// 签到表's 应到, 实到, 请假 and 缺席 are numbers, equal to the chair's page
// (the same computation, over the same categories), and the sheet says
// whom they count and repeats the chair's sentence. The demo's list holds
// people who do not count (列席, staff), so a sheet that counted its rows
// would say more than the chair.
func TestSigninExportSaysWhatTheChairSays(t *testing.T) {
	t.Parallel()
	srv := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	v := chair(t, srv, "opening")
	f := xlsxcheck.Open(t, download(t, srv, "/exports/sessions/opening/signin.xlsx"))
	if v.Counts.All.Expected == v.Counts.Expected {
		t.Fatalf("the demo's opening counts every category (%d): the test cannot tell the figures apart", v.Counts.Expected)
	}
	const sheet = "签到表"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	labels := -1
	for i, r := range rows {
		if slices.Contains(r, "应到") && slices.Contains(r, "实到") {
			labels = i
			break
		}
	}
	if labels < 0 || labels+1 >= len(rows) {
		t.Fatalf("no row of figures under 应到, 实到…; the sheet ends %q", rows[len(rows)-3:])
	}
	rest, restName := v.Counts.NotYet, "未到"
	if v.Counts.AbsentCounted {
		rest, restName = v.Counts.Absent, "缺席"
	}
	want := map[string]int{"应到": v.Counts.Expected, "实到": v.Counts.Present, "离场": v.Counts.Left,
		"请假": v.Counts.OnLeave, restName: rest}
	for c, label := range rows[labels] {
		n, ok := want[label]
		if !ok {
			continue
		}
		delete(want, label)
		at, _ := excelize.CoordinatesToCellName(c+1, labels+2)
		got, err := strconv.Atoi(xlsxcheck.Raw(f, sheet, at))
		if kind := xlsxcheck.Kind(t, f, sheet, at); err != nil || kind != "number" || got != n {
			t.Errorf("%s (%s) is %q (%s), the chair's page says %d", label, at, xlsxcheck.Raw(f, sheet, at), kind, n)
		}
		if format := xlsxcheck.Format(f, sheet, at); format != xlsxout.FormatCount {
			t.Errorf("%s (%s) has format %q, want %q", label, at, format, xlsxout.FormatCount)
		}
	}
	if len(want) > 0 {
		t.Errorf("the figures lack %v (labels %q)", want, rows[labels])
	}
	text := ""
	for _, r := range rows[labels:] {
		text += strings.Join(r, " ") + "\n"
	}
	for _, s := range []string{v.Counts.Basis.Zh, v.Counts.Statement, "应到＝", "实到＝", "请假＝"} {
		if !strings.Contains(text, s) {
			t.Errorf("the sheet's foot does not say %q:\n%s", s, text)
		}
	}
}

// TestAbsenteesOfTheSessionOn: without ?session=, absentees.xlsx covers
// the session on now and says so; its rows are numbered 1…n, they are the
// chair's 缺席名单, and a totals row counts them. Before any session
// starts it lists who has not come yet to the next one, not nothing.
func TestAbsenteesOfTheSessionOn(t *testing.T) {
	t.Parallel()
	during := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	v := chair(t, during, "opening")
	names := absentees(t, download(t, during, "/exports/absentees.xlsx"), "开幕大会", "正在进行")
	want := make([]string, len(v.Absentees))
	for i, a := range v.Absentees {
		want[i] = a.Name
	}
	if !slices.Equal(names, want) || len(want) == 0 {
		t.Errorf("absentees listed %d %q…, the chair's page has %d %q…", len(names), head(names), len(want), head(want))
	}

	before := testkit.ServeAt(t, time.Now().Add(2*time.Hour))
	v = chair(t, before, "opening")
	if v.Counts.AbsentCounted || v.Counts.NotYet == 0 {
		t.Fatalf("two hours before the demo's time the opening has begun: %+v", v.Counts)
	}
	if names := absentees(t, download(t, before, "/exports/absentees.xlsx"), "开幕大会", "尚未开始"); len(names) != v.Counts.NotYet {
		t.Errorf("before the start %d listed, %d not yet come", len(names), v.Counts.NotYet)
	}
}

// absentees reads an absentee list: its title and the line under it name
// the session and why it was chosen, its rows are numbered 1…n as numbers,
// and its 合计 row counts them. It returns the names.
func absentees(t *testing.T, data []byte, session, why string) []string {
	t.Helper()
	f, heads := xlsxcheck.Printed(t, data)
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 4 {
		t.Fatalf("absentee list: %q %v", rows, err)
	}
	if top := rows[0][0] + " " + rows[1][0]; !strings.Contains(top, session) || !strings.Contains(top, why) {
		t.Errorf("the list's title %q does not say it covers %s (%s)", top, session, why)
	}
	var names []string
	for i := heads[sheet]; i < len(rows); i++ {
		r := rows[i]
		if len(r) > 0 && r[0] == "合计" {
			at, _ := excelize.CoordinatesToCellName(2, i+1)
			if r[1] != strconv.Itoa(len(names)) || xlsxcheck.Kind(t, f, sheet, at) != "number" {
				t.Errorf("合计 %q for %d listed", r, len(names))
			}
			return names
		}
		at, _ := excelize.CoordinatesToCellName(1, i+1)
		if r[0] != strconv.Itoa(len(names)+1) || xlsxcheck.Kind(t, f, sheet, at) != "number" {
			t.Fatalf("row %d: 序号 %q (%s), want %d", i+1, r[0], xlsxcheck.Kind(t, f, sheet, at), len(names)+1)
		}
		names = append(names, r[1])
	}
	t.Errorf("the absentee list has no 合计 row")
	return names
}

func head(s []string) []string { return s[:min(len(s), 3)] }

// TestEveryServerXLSXPrints downloads the workbooks the server makes for
// the desk, the hotel and the transport desk — the exports, the archive's
// workbooks, the 会议筹备表, the 住宿登记表 and 清退客房, the 接送站
// sheets — and reads each back as a printer would (xlsxcheck.Printed).
func TestEveryServerXLSXPrints(t *testing.T) {
	t.Parallel() // CPU-bound: overlaps the kiosk tests' waiting
	srv := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	var hotels struct{ Today string }
	srv.Call("GET", "/hotel/hotels", testkit.AdminToken, nil, &hotels)
	paths := []string{"/exports/sessions/opening/signin.xlsx", "/exports/meals.xlsx", "/exports/rooms.xlsx",
		"/exports/absentees.xlsx", "/exports/absentees.xlsx?session=closing", "/event/workbook.xlsx", "/event/template.xlsx",
		"/event/example.xlsx", "/hotel/register.xlsx?hotel=hotel&night=" + hotels.Today, "/hotel/clearance.xlsx?hotel=hotel",
		"/materials/counts.xlsx", "/documents/report.xlsx", "/duty/log.xlsx"}
	var unit int64
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT min(id) FROM units`).Scan(&unit); err == nil && unit > 0 {
		paths = append(paths, "/notices/units/"+strconv.FormatInt(unit, 10)+"/form.xlsx")
	}
	for _, q := range []struct{ table, path string }{{"stations", "/transport/stations/%d/sheet.xlsx"}, {"vehicles", "/transport/vehicles/%d/sheet.xlsx"}} {
		var id int64
		if err := srv.App.DB.ForTest().R.QueryRow(`SELECT min(id) FROM ` + q.table).Scan(&id); err == nil && id > 0 {
			paths = append(paths, strings.Replace(q.path, "%d", strconv.FormatInt(id, 10), 1))
		}
	}
	files := map[string][]byte{}
	for _, p := range paths {
		files[p] = download(t, srv, p)
	}
	for name, data := range unzipped(t, download(t, srv, "/exports/archive.zip")) {
		if strings.HasSuffix(name, ".xlsx") {
			files["archive.zip/"+name] = data
		}
	}
	for name, data := range files {
		t.Run(strings.TrimPrefix(name, "/"), func(t *testing.T) {
			if !strings.HasPrefix(name, "/event/") {
				xlsxcheck.Printed(t, data)
				return
			}
			f := xlsxcheck.Open(t, data)
			for _, sheet := range f.GetSheetList()[1:] { // after the 填写说明, which has no header row
				xlsxcheck.Sheet(t, f, sheet)
			}
		})
	}
}

func unzipped(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	return out
}
