package exports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

var demoNow = time.Date(2026, 3, 5, 7, 50, 0, 0, time.UTC)

// expected returns the first n people expected at session, in list order.
func expected(t *testing.T, env *testkit.Env, session string, n int) []int64 {
	t.Helper()
	rows, err := env.DB.ForTest().R.Query(`SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = ? AND NOT EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = sa.session_id
		AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL) ORDER BY a.rank, a.id LIMIT ?`, session, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

func rowsOf(t *testing.T, data []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func findRow(rows [][]string, col int, value string) []string {
	for _, r := range rows {
		if len(r) > col && r[col] == value {
			return r
		}
	}
	return nil
}

func TestSigninSheet(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	ids := expected(t, env, "opening", 3)
	// ids[0] signs in at the desk (补签), ids[1] is excused, ids[2] stays away.
	res, err := env.Engine.Scan(ctx, checkin.Request{AttendeeID: ids[0], Checkpoint: "hall-east", ScanID: "t1",
		Actor: "desk", Reason: "忘带证件"})
	if err != nil || res.Status != "ok" {
		t.Fatalf("manual check-in: %+v %v", res, err)
	}
	if _, err := env.DB.ForTest().W.Exec(`INSERT INTO leaves (session_id, attendee_id, reason, created_at) VALUES ('opening', ?, '病假', ?)`,
		ids[1], store.FormatTime(demoNow)); err != nil {
		t.Fatal(err)
	}
	sheet, err := exports.LoadSigninAt(ctx, env.DB, env.Catalog, "opening", demoNow)
	if err != nil {
		t.Fatal(err)
	}
	want, err := attendance.OfAt(ctx, env.DB, env.Catalog, "opening", demoNow)
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Counts.Figures != want.Figures || sheet.Counts.All != want.All || sheet.Expected != want.All.Expected {
		t.Fatalf("sheet figures %+v (all %+v), attendance says %+v (all %+v)", sheet.Counts.Figures, sheet.Counts.All, want.Figures, want.All)
	}
	var buf bytes.Buffer
	if err := exports.WriteSigninXLSX(&buf, sheet); err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, buf.Bytes(), "签到表")
	if !strings.Contains(rows[0][0], "开幕大会") || !strings.Contains(rows[0][0], "签到表") {
		t.Errorf("title %q", rows[0][0])
	}
	if got := rows[2]; !slices.Equal(got, []string{"序号", "姓名", "代表团", "职务", "单位", "签名", "签到时间", "备注"}) {
		t.Errorf("header %q", got)
	}
	printedSignin(t, buf.Bytes(), 3+sheet.Expected+1)
	if len(rows) != 3+sheet.Expected+4+3 {
		t.Errorf("%d rows for %d expected", len(rows), sheet.Expected)
	}
	name := func(id int64) string {
		a, err := env.DB.Attendee(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Name
	}
	signed := findRow(rows, 1, name(ids[0]))
	if signed == nil || signed[6] == "" || !strings.Contains(signed[7], "补签") {
		t.Errorf("signed-in row %q: want a time and 补签", signed)
	}
	if excused := findRow(rows, 1, name(ids[1])); excused == nil || excused[6] != "" || excused[7] != "请假（病假）" {
		t.Errorf("excused row %q", excused)
	}
	wantAway := map[bool]string{true: "缺席", false: ""}[want.AbsentCounted]
	if away := findRow(rows, 1, name(ids[2])); away == nil || len(away) < 3 || (append(away, make([]string, 8)...))[7] != wantAway {
		t.Errorf("absent row %q, want 备注 %q", away, wantAway)
	}
	var delegation string
	env.DB.ForTest().R.QueryRow(`SELECT coalesce(d.name, '') FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE a.id = ?`, ids[0]).Scan(&delegation)
	if delegation == "" || signed == nil || signed[2] != delegation {
		t.Errorf("signed-in row %q: want the delegation %q", signed, delegation)
	}
	rest := want.NotYet
	if want.AbsentCounted {
		rest = want.Absent
	}
	foot := findRow(rows, 1, "本场次")
	wantFoot := []string{"", "本场次", fmt.Sprint(want.Expected), fmt.Sprint(want.Present), fmt.Sprint(want.Left),
		fmt.Sprint(want.OnLeave), fmt.Sprint(rest), want.Basis.Short}
	if !slices.Equal(foot, wantFoot) {
		t.Errorf("foot %q, want %q", foot, wantFoot)
	}
	if want.All.Present != 1 || want.All.OnLeave < 1 {
		t.Errorf("attendance after one check-in and one leave: %+v", want.All)
	}
}

// printedSignin checks the 签到表 as it comes off the printer: A4
// landscape at full size (its columns fit the printable width, so fitting
// to the page does not shrink them), the heading row repeated on every
// page, and every person's 签名 cell at least 40 × 10 mm. Column widths are
// converted as Excel does with its default font (Calibri 11, 7-pixel
// digits, 96 pixels an inch): the narrowest any spreadsheet prints them.
func printedSignin(t *testing.T, data []byte, nrows int) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "签到表"
	mm := func(col string) float64 {
		w, err := f.GetColWidth(sheet, col)
		if err != nil {
			t.Fatal(err)
		}
		return math.Trunc((256*w+math.Trunc(128.0/7))/256*7) * 25.4 / 96
	}
	total := 0.0
	for c := 'A'; c <= 'H'; c++ {
		total += mm(string(c))
	}
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.GetPageMargins(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("page size %v, orientation %v; want A4 (9) landscape", deref(pl.Size), deref(pl.Orientation))
	}
	if m.Left == nil || m.Right == nil {
		t.Fatalf("no page margins: %+v", m)
	}
	if printable := 297 - (*m.Left+*m.Right)*25.4; total > printable {
		t.Errorf("columns %.0f mm wide on %.0f mm of printable width: the printer would shrink them", total, printable)
	}
	if w := mm("F"); w < 40 {
		t.Errorf("签名 column %.1f mm wide, want at least 40", w)
	}
	for r := 4; r < nrows; r++ {
		if h, err := f.GetRowHeight(sheet, r); err != nil || h*25.4/72 < 10 {
			t.Fatalf("row %d is %.1f pt tall, want at least 10 mm to sign in (%v)", r, h, err)
		}
	}
	titles := f.GetDefinedName()
	found := false
	for _, d := range titles {
		if d.Name == "_xlnm.Print_Titles" && strings.Contains(d.RefersTo, "$3:$3") {
			found = true
		}
	}
	if !found {
		t.Errorf("the heading row is not repeated on each printed page: %+v", titles)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestMealsAndRooms(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	counts, err := exports.LoadMeals(ctx, env.DB, env.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exports.WriteMealsXLSX(&buf, counts); err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, buf.Bytes(), "用餐统计")
	// Every meal's 小计 lines add up to its tickets in the database.
	first := env.Catalog.MealList[0]
	var tickets int
	env.DB.ForTest().R.QueryRow(`SELECT count(*) FROM meal_tickets t JOIN attendees a ON a.id = t.attendee_id
		WHERE a.status = 'active' AND t.meal_id = ?`, first.ID).Scan(&tickets)
	sum := 0
	for _, r := range rows {
		if len(r) > 5 && r[2] == first.Name && r[4] == "小计" {
			var n int
			fmt.Sscan(r[5], &n)
			sum += n
		}
	}
	if sum != tickets || tickets == 0 {
		t.Errorf("%s: 小计 sum to %d, %d tickets", first.Name, sum, tickets)
	}

	lines, err := exports.LoadRooms(ctx, env.DB, env.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := exports.WriteRoomsXLSX(&buf, lines); err != nil {
		t.Fatal(err)
	}
	rows = rowsOf(t, buf.Bytes(), "住宿名单")
	var lodged int
	env.DB.ForTest().R.QueryRow(`SELECT count(*) FROM lodging`).Scan(&lodged)
	if len(rows) != 2+lodged+1 || rows[len(rows)-1][1] != fmt.Sprint(lodged) {
		t.Errorf("room list: %d rows for %d lodged; foot %q", len(rows), lodged, rows[len(rows)-1])
	}
}

func TestArchive(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	ids := expected(t, env, "opening", 2)
	for i, id := range ids {
		if _, err := env.Engine.Scan(ctx, checkin.Request{AttendeeID: id, Checkpoint: "hall-east",
			ScanID: fmt.Sprint("a", i), Actor: "desk"}); err != nil {
			t.Fatal(err)
		}
	}
	env.SetNow(demoNow.Add(2 * time.Hour))
	a, err := exports.LoadArchive(ctx, env.DB, env.Catalog, demoNow.Add(2*time.Hour), "测试")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.WriteZIP(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		r, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(r)
		files[f.Name] = b.Bytes()
	}
	for _, name := range []string{"汇总.xlsx", "用餐统计.xlsx", "住宿名单.xlsx", "缺席名单.xlsx", "说明.txt", "签到表/01-开幕大会.xlsx"} {
		if files[name] == nil {
			t.Errorf("archive lacks %s", name)
		}
	}
	if n := len(z.File); n != 5+len(env.Catalog.SessionList) {
		t.Errorf("%d files in the archive", n)
	}
	rate := findRow(rowsOf(t, files["汇总.xlsx"], "出席率"), 0, "开幕大会")
	att, _ := attendance.OfAt(ctx, env.DB, env.Catalog, "opening", demoNow.Add(2*time.Hour))
	wantRate := fmt.Sprintf("%.1f%%", 100*float64(att.Entered)/float64(att.Expected))
	if rate == nil || rate[2] != fmt.Sprint(att.Expected) || rate[3] != fmt.Sprint(att.Present) || rate[8] != wantRate ||
		att.Entered != 2 {
		t.Errorf("出席率 row %q, want 应到 %d, 实到 %d and %s (attendance %+v)", rate, att.Expected, att.Present, wantRate, att.Figures)
	}
	curve := rowsOf(t, files["汇总.xlsx"], "到场曲线")
	if r := findRow(curve, 0, "开幕大会"); r == nil || r[3] != "2" {
		t.Errorf("arrival curve row %q, want 2 cumulative", r)
	}
	// Only the opening had begun: the absentee list holds its absentees and no one else's.
	absent := rowsOf(t, files["缺席名单.xlsx"], "开幕大会")
	if total := findRow(absent, 0, "合计"); total == nil || total[1] != fmt.Sprint(att.Absent) || att.Absent == 0 {
		t.Errorf("absentees' total %q, attendance says %d", total, att.Absent)
	}
}

// BenchmarkSigninXLSX writes a 3,000-row 签到表.
func BenchmarkSigninXLSX(b *testing.B) {
	s := &exports.Signin{Event: "测试大会", Session: &store.Session{}, Venue: "大礼堂", Loc: time.UTC}
	s.Session.Name = "全体会议"
	for i := range 3000 {
		r := exports.SigninRow{No: i + 1, Name: "张伟" + fmt.Sprint(i), Title: "处长", Organization: "某某省某某市人民政府办公厅"}
		if i%3 == 0 {
			r.SignedAt = time.Date(2026, 3, 5, 8, i%60, 0, 0, time.UTC)
		}
		s.Rows = append(s.Rows, r)
	}
	s.Expected = 3000
	for b.Loop() {
		var buf bytes.Buffer
		if err := exports.WriteSigninXLSX(&buf, s); err != nil {
			b.Fatal(err)
		}
	}
}
