package summary_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/checkin"
	. "huiwu/server/internal/summary"
	"huiwu/server/internal/testkit"
)

var demoNow = time.Date(2026, 3, 5, 7, 50, 0, 0, time.UTC)

// expectedAt returns the first n people expected at session without a
// leave, in list order.
func expectedAt(t testing.TB, env *testkit.Env, session string, n int) []int64 {
	t.Helper()
	rows, err := env.DB.ForTest().R.Query(`SELECT sa.attendee_id FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		WHERE sa.session_id = ? AND a.status = 'active' AND NOT EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = sa.session_id
		AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL) ORDER BY a.rank, a.id LIMIT ?`, session, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// scan makes one scan and answers its status.
func scan(t testing.TB, env *testkit.Env, req checkin.Request) string {
	t.Helper()
	if req.ScanID == "" {
		req.ScanID = fmt.Sprintf("s%d", time.Now().UnixNano())
	}
	if req.Actor == "" {
		req.Actor = "desk"
	}
	res, err := env.Engine.Scan(context.Background(), req)
	if err != nil {
		t.Fatalf("scan %+v: %v", req, err)
	}
	return string(res.Status)
}

// TestLoadDemo reads the demo after a morning of scans and reads the PDF
// back: the chair's sentence of the opening meeting as the chair's
// computation words it, the meals as served, the refused scans by kind.
func TestLoadDemo(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	ids := expectedAt(t, env, "opening", 80)
	// Seventy people come in over three quarters of an hour.
	for i, id := range ids[:70] {
		env.SetNow(demoNow.Add(time.Duration(i*i) * time.Second / 2))
		if got := scan(t, env, checkin.Request{AttendeeID: id, Checkpoint: "hall-east", ScanID: fmt.Sprint("in", i)}); got != "ok" {
			t.Fatalf("opening scan: %s", got)
		}
	}
	// Meals: each of the first six scans twice at the first dining hall.
	for i, id := range ids[:6] {
		tok := env.Token(t, id)
		scan(t, env, checkin.Request{Token: tok, Checkpoint: "dining1", ScanID: fmt.Sprint("m1-", i)})
		scan(t, env, checkin.Request{Token: tok, Checkpoint: "dining1", ScanID: fmt.Sprint("m2-", i)})
	}
	// A lost badge replaced, then the old one tried at the door.
	old := env.Token(t, ids[76])
	if _, err := env.Creds.Reissue(ctx, ids[76], "遗失补办", "desk"); err != nil {
		t.Fatal(err)
	}
	if got := scan(t, env, checkin.Request{Token: old, Checkpoint: "hall-east", ScanID: "old"}); got != "revoked" {
		t.Fatalf("old badge: %s", got)
	}
	scan(t, env, checkin.Request{Token: "not-a-badge", Checkpoint: "hall-east", ScanID: "junk"})

	r, err := Load(ctx, env.DB, env.Catalog, env.Now(), "测试员")
	if err != nil {
		t.Fatal(err)
	}
	chair, err := attendance.OfAt(ctx, env.DB, env.Catalog, "opening", env.Now())
	if err != nil {
		t.Fatal(err)
	}
	tally, err := env.DB.ScanTally(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tally["revoked"] != 1 || tally["invalid"] != 1 {
		t.Fatalf("tally %v: want one revoked and one invalid scan", tally)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	imgs := pages(t, buf.Bytes(), 60, "summary-demo")
	if n := inked(imgs[2], blue); n < 200 {
		t.Errorf("the arrival curves page has %d pixels of the curve's colour: no curve drawn", n)
	}
	flat := strings.Join(strings.Fields(text), "")
	has := func(want string) {
		t.Helper()
		if !strings.Contains(flat, strings.Join(strings.Fields(want), "")) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	for _, h := range []string{"一、出席情况", "二、到场曲线", "三、用餐情况", "四、资料发放", "五、涉密文件清退", "六、后勤保障", "七、值班记录", "八、异常情况"} {
		has(h)
	}
	has(chair.Statement)
	has(chair.Basis.Zh)
	served := 0
	for _, m := range r.Meals {
		if m.Served > 0 {
			has(fmt.Sprintf("已用餐 %d / 应用餐 %d", m.Served, m.Entitled))
			served += m.Served
		}
	}
	if served == 0 {
		t.Error("no meal served in the report")
	}
	for status, en := range map[string]string{"meal_used": "meal used", "not_entitled": "not entitled",
		"outside_window": "outside window", "revoked": "revoked badge", "invalid": "invalid", "cancelled": "cancelled"} {
		has(fmt.Sprintf("%d 次 %s", tally[status], en))
	}
	has("作废证件 1 张")
	has("遗失补办 1 张")
	if t.Failed() {
		t.Log(text)
	}
}

// TestRevocations counts revoked badges by reason.
func TestRevocations(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	ids := expectedAt(t, env, "opening", 3)
	for _, id := range ids {
		env.Token(t, id) // issued, then replaced
		if _, err := env.Creds.Reissue(ctx, id, "", "desk"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.Creds.Reissue(ctx, ids[0], "遗失补办", "desk"); err != nil {
		t.Fatal(err)
	}
	rv, err := env.DB.Revocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Badges["reissued"] != 3 || rv.Badges["遗失补办"] != 1 {
		t.Errorf("badges %v: want 3 reissued, 1 遗失补办", rv.Badges)
	}
	n, err := env.DB.StrandedCount(ctx)
	if err != nil || n != 0 {
		t.Errorf("stranded %d %v on the demo", n, err)
	}
}
