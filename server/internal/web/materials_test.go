package web_test

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// handoutAnswer is the part of a scan's answer these tests read.
type handoutAnswer struct {
	Status  string `json:"status"`
	Handout *struct {
		Give    []struct{ Code, Name string } `json:"give"`
		Already []struct {
			Code, Name, Place string
			At                *string `json:"at"`
		} `json:"already"`
	} `json:"handout"`
}

// pairedAt pairs a kiosk at checkpoint through the API and answers its
// device token.
func pairedAt(t *testing.T, srv *testkit.Server, name, checkpoint string) string {
	t.Helper()
	_, code := testkit.NewKiosk(t, srv, name, checkpoint)
	var p struct{ Token string }
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": code}, &p); st != 200 || p.Token == "" {
		t.Fatalf("pair: HTTP %d", st)
	}
	return p.Token
}

// TestMaterialsHandoutOnce: two kiosks, at the hall's east and west doors
// (both hand out the 文件袋 and the 会议手册), scan one badge at the same
// moment, five times each: one answer hands the two items over, every
// other answers 已领 with when and where, and two handouts are stored.
func TestMaterialsHandoutOnce(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, _ := testkit.EmptyHanded(t, srv, "deputy")
	tok := testkit.CredentialOf(t, srv, id)
	kiosks := map[string]string{"hall-east": pairedAt(t, srv, "东门1号", "hall-east"), "hall-west": pairedAt(t, srv, "西门1号", "hall-west")}

	var mu sync.Mutex
	var answers []handoutAnswer
	var wg sync.WaitGroup
	start := make(chan struct{})
	for cp, dev := range kiosks {
		for i := range 5 {
			wg.Go(func() {
				<-start
				var a handoutAnswer
				st := srv.Call("POST", "/checkins", dev, map[string]any{"token": tok, "checkpoint": cp, "scan_id": fmt.Sprintf("%s-%d", cp, i)}, &a)
				if st != 200 {
					t.Errorf("scan at %s: HTTP %d", cp, st)
				}
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()
	var gave, already int
	for _, a := range answers {
		if a.Handout == nil {
			t.Fatalf("a scan at a handout door answered no handout: %+v", a)
		}
		switch {
		case len(a.Handout.Give) == 2 && len(a.Handout.Already) == 0:
			gave++
		case len(a.Handout.Give) == 0 && len(a.Handout.Already) == 2:
			already++
			if a.Handout.Already[0].At == nil || !strings.HasPrefix(a.Handout.Already[0].Place, "大会堂") {
				t.Errorf("已领 without when and where: %+v", a.Handout.Already[0])
			}
		default:
			t.Errorf("split handout: %+v", a.Handout)
		}
	}
	if gave != 1 || already != 9 {
		t.Fatalf("%d scans handed the items over and %d answered 已领; want 1 and 9", gave, already)
	}
	var n int
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM material_handouts WHERE attendee_id = ?`, id).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d handouts stored (%v), want 2", n, err)
	}
}

// TestMaterialsDesk: the desk's counts agree with its not-collected list
// by delegation; a hand entry takes the person off the list and moves the
// counts by one, and a second answers 已领; an item the person is not due
// needs a reason; the usher may not see any of it.
func TestMaterialsDesk(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	admin := testkit.AdminToken
	var page struct {
		Counts      []store.ItemCount `json:"counts"`
		Delegations []string          `json:"delegations"`
	}
	if st := srv.Call("GET", "/materials", admin, nil, &page); st != 200 || len(page.Counts) != 5 || len(page.Delegations) == 0 {
		t.Fatalf("GET /materials: HTTP %d, %d items, %d delegations", st, len(page.Counts), len(page.Delegations))
	}
	left := map[string]int{}
	for _, c := range page.Counts {
		left[c.Code] = c.Left
	}
	sum := 0
	for _, d := range append(page.Delegations, "") {
		var list []store.Owed
		srv.Call("GET", "/materials/owed?item=folder&missing=1&limit=0&delegation="+url.QueryEscape(d), admin, nil, &list)
		if d == "" {
			if len(list) != left["folder"] {
				t.Fatalf("not-collected list of 文件袋: %d people, counts say %d", len(list), left["folder"])
			}
			continue
		}
		for _, o := range list {
			if o.Delegation != d {
				t.Fatalf("the list for %s has %s of %s", d, o.Name, o.Delegation)
			}
		}
		sum += len(list)
	}
	if sum > left["folder"] || sum == 0 {
		t.Fatalf("by delegation %d people lack the 文件袋, in all %d", sum, left["folder"])
	}

	id, _ := testkit.EmptyHanded(t, srv, "deputy")
	var res struct {
		Items []store.GiveResult `json:"items"`
	}
	if st := srv.Call("POST", "/materials/handouts", admin, map[string]any{"attendee_id": id, "items": []string{"folder"}}, &res); st != 200 ||
		len(res.Items) != 1 || !res.Items[0].Given {
		t.Fatalf("hand entry: HTTP %d %+v", st, res)
	}
	if st := srv.Call("POST", "/materials/handouts", admin, map[string]any{"attendee_id": id, "items": []string{"folder"}}, &res); st != 200 ||
		res.Items[0].Given || res.Items[0].At == nil {
		t.Fatalf("second hand entry: HTTP %d %+v, want 已领 with when", st, res)
	}
	var after struct {
		Counts []store.ItemCount `json:"counts"`
	}
	srv.Call("GET", "/materials", admin, nil, &after)
	for _, c := range after.Counts {
		if c.Code == "folder" && c.Left != left["folder"]-1 {
			t.Fatalf("文件袋 left to hand out %d, want %d", c.Left, left["folder"]-1)
		}
	}
	var mine []store.Owed
	srv.Call("GET", fmt.Sprintf("/materials/owed?item=folder&missing=1&limit=0&q=%s", url.QueryEscape(nameOf(t, srv, id))), admin, nil, &mine)
	for _, o := range mine {
		if o.AttendeeID == id {
			t.Fatalf("%d still on the 文件袋 list after collecting it", id)
		}
	}

	// A handout recorded in error is undone, with a reason, and audited.
	if st := srv.Call("POST", "/materials/handouts/undo", admin, map[string]any{"attendee_id": id, "item": "folder"}, nil); st != 422 {
		t.Fatalf("undo without a reason: HTTP %d, want 422", st)
	}
	if st := srv.Call("POST", "/materials/handouts/undo", admin, map[string]any{"attendee_id": id, "item": "folder", "reason": "勾错了人"}, nil); st != 204 {
		t.Fatalf("undo: HTTP %d, want 204", st)
	}
	if st := srv.Call("POST", "/materials/handouts/undo", admin, map[string]any{"attendee_id": id, "item": "folder", "reason": "再撤"}, nil); st != 409 {
		t.Fatalf("undo again: HTTP %d, want 409", st)
	}
	var undone int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'materials.undo' AND subject = ? AND detail LIKE '%勾错了人%'`, fmt.Sprint(id)).Scan(&undone)
	srv.Call("GET", fmt.Sprintf("/materials/owed?item=folder&missing=1&attendee=%d", id), admin, nil, &mine)
	if undone != 1 || len(mine) != 1 {
		t.Fatalf("after the undo: %d audit rows, on the 文件袋 list %d times; want 1 and 1", undone, len(mine))
	}

	staff, _ := testkit.EmptyHanded(t, srv, "staff")
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if st := srv.Call("POST", "/materials/handouts", admin, map[string]any{"attendee_id": staff, "items": []string{"souvenir"}}, &e); st != 422 || e.Error.Code != "not_due" {
		t.Fatalf("souvenir to staff without reason: HTTP %d %s, want 422 not_due", st, e.Error.Code)
	}
	if st := srv.Call("POST", "/materials/handouts", admin, map[string]any{"attendee_id": staff, "items": []string{"souvenir"}, "reason": "秘书长批准"}, nil); st != 200 {
		t.Fatalf("souvenir to staff with a reason: HTTP %d", st)
	}
	usher := userTokenFor(t, srv, "usher")
	for _, p := range []string{"/materials", "/materials/owed", "/materials/signsheet.pdf?item=folder"} {
		if st := srv.Call("GET", p, usher, nil, nil); st != 403 {
			t.Errorf("usher GET %s: HTTP %d, want 403", p, st)
		}
	}
}

func nameOf(t *testing.T, srv *testkit.Server, id int64) string {
	t.Helper()
	var name string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT name FROM attendees WHERE id = ?`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestMaterialsSignSheet: the 资料领取签收表 of the 文件袋 lists everyone
// due it with a signature column, those who collected it with when and
// where; by delegation, one column per item. The counts workbook has the
// figures as numbers.
func TestMaterialsSignSheet(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	admin := "Bearer " + testkit.AdminToken
	var given, open string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT
		(SELECT a.name FROM material_handouts h JOIN attendees a ON a.id = h.attendee_id JOIN material_items i ON i.id = h.item_id
			WHERE i.code = 'folder' AND h.place = '会议酒店前台' ORDER BY a.rank, a.id LIMIT 1),
		(SELECT a.name FROM material_due d JOIN attendees a ON a.id = d.attendee_id JOIN material_items i ON i.id = d.item_id
			WHERE i.code = 'folder' AND NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.attendee_id = a.id AND h.item_id = i.id)
			ORDER BY a.rank, a.id LIMIT 1)`).Scan(&given, &open); err != nil {
		t.Fatal(err)
	}
	resp, pdf := get(t, srv.URL+"/api/v1/materials/signsheet.pdf?item=folder", "Authorization", admin)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("signsheet.pdf: HTTP %d %.200s", resp.StatusCode, pdf)
	}
	pdftest.Shot(t, "materials/signsheet-folder.pdf", pdf)
	text := strings.Join(strings.Fields(pdftotext(t, pdf)), "")
	for _, want := range []string{"资料领取签收表·文件袋", "签名", "领取时间、地点", "应发", "已领", given, open, "会议酒店前台"} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("签收表 of the 文件袋 lacks %q", want)
		}
	}

	var page struct {
		Delegations []string `json:"delegations"`
	}
	srv.Call("GET", "/materials", testkit.AdminToken, nil, &page)
	dels := page.Delegations
	resp, pdf = get(t, srv.URL+"/api/v1/materials/signsheet.pdf?delegation="+url.QueryEscape(dels[0]), "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("signsheet.pdf by delegation: HTTP %d %.200s", resp.StatusCode, pdf)
	}
	pdftest.Shot(t, "materials/signsheet-delegation.pdf", pdf)
	text = strings.Join(strings.Fields(pdftotext(t, pdf)), "")
	for _, want := range []string{"资料领取签收表", dels[0], "代表证", "文件袋", "会议手册", "餐券", "纪念品", "签名", "已领"} {
		if !strings.Contains(text, want) {
			t.Errorf("签收表 of %s lacks %q", dels[0], want)
		}
	}

	resp, book := get(t, srv.URL+"/api/v1/materials/counts.xlsx", "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("counts.xlsx: HTTP %d", resp.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var counts struct {
		Counts []store.ItemCount `json:"counts"`
	}
	srv.Call("GET", "/materials", testkit.AdminToken, nil, &counts)
	for i, c := range counts.Counts {
		row := i + 5
		name, _ := f.GetCellValue("资料发放统计", fmt.Sprintf("A%d", row))
		due, _ := f.GetCellValue("资料发放统计", fmt.Sprintf("B%d", row))
		typ, _ := f.GetCellType("资料发放统计", fmt.Sprintf("B%d", row))
		if name != c.Name || due != fmt.Sprint(c.Due) || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("workbook row %d: %q %q (type %v), want %s %d as a number", row, name, due, typ, c.Name, c.Due)
		}
	}
}

// TestMaterialsRoutesDeskOnly walks the app's /materials routes: each
// refuses an usher, a screen, the chair, logistics staff and a kiosk (the
// lists name people and what they hold); a kiosk hands out only by scan.
func TestMaterialsRoutesDeskOnly(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	refused := map[string]string{"usher": userTokenFor(t, srv, "usher"), "screen": userTokenFor(t, srv, "screen"),
		"chair": userTokenFor(t, srv, "chair"), "logistics": userTokenFor(t, srv, "logistics"), "kiosk": kiosk}
	n := 0
	seen := map[string]bool{}
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/materials") || r.Method == "HEAD" || seen[r.Method+r.Path] {
			continue
		}
		seen[r.Method+r.Path] = true
		n++
		path := strings.Replace(strings.TrimPrefix(r.Path, "/api/v1"), ":code", "folder", 1)
		for role, tok := range refused {
			if st := srv.Call(r.Method, path, tok, map[string]any{}, nil); st != 403 {
				t.Errorf("%s %s as %s: HTTP %d, want 403", r.Method, path, role, st)
			}
		}
	}
	if n < 8 {
		t.Fatalf("found %d materials routes, want 8", n)
	}
}
