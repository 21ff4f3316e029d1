package desk_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/testkit"
)

// The desk's face alerts (issue 15.4: "a mismatch calls the usher and is
// logged for the desk") and the purge after the meeting (issue 15.6).

// pairKiosk registers a kiosk called name at checkpoint and pairs it:
// its token.
func pairKiosk(t *testing.T, srv *testkit.Server, name, checkpoint string) string {
	t.Helper()
	var dev struct {
		Code string `json:"pairing_code"`
	}
	if st := srv.Call("POST", "/devices", testkit.AdminToken, map[string]string{"name": name, "kind": "kiosk", "checkpoint": checkpoint}, &dev); st != 201 {
		t.Fatalf("create device: HTTP %d", st)
	}
	var paired struct {
		Token string `json:"token"`
	}
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": dev.Code}, &paired); st != 200 || paired.Token == "" {
		t.Fatalf("pair: HTTP %d", st)
	}
	return paired.Token
}

// checkpointFace sets a checkpoint's face check (off, advise, enforce).
func checkpointFace(t *testing.T, srv *testkit.Server, checkpoint, mode string) {
	t.Helper()
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	found := false
	for _, c := range def["checkpoints"].([]any) {
		if cp := c.(map[string]any); cp["id"] == checkpoint {
			cp["face"] = mode
			found = true
		}
	}
	if !found {
		t.Fatalf("no checkpoint %s", checkpoint)
	}
	if st := srv.Call("PUT", "/event", testkit.AdminToken, def, nil); st != 200 {
		t.Fatalf("checkpoint %s face %s: HTTP %d", checkpoint, mode, st)
	}
}

// faceReady gives a person a reference to the photo they have, as the
// desk's page would have made it.
func faceReady(t *testing.T, srv *testkit.Server, id int64, seed byte) {
	t.Helper()
	ctx := context.Background()
	ph, err := srv.App.DB.Photo(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]byte, faces.RefLen)
	ref[int(seed)%len(ref)] = 127
	if err := srv.App.DB.PutFaceRef(ctx, id, faces.Model, ref, ph.At, "test"); err != nil {
		t.Fatal(err)
	}
}

// expected picks n deputies expected at the opening, as someone does.
func expected(t *testing.T, srv *testkit.Server, n int) (ids []int64, names []string) {
	t.Helper()
	rows, err := srv.App.DB.ForTest().R.Query(`SELECT a.id, a.name FROM attendees a JOIN session_attendees sa ON sa.attendee_id = a.id
		WHERE sa.session_id = 'opening' AND a.category = 'deputy' AND a.status = 'active' AND length(a.name) IN (2, 3)
		ORDER BY a.rank DESC LIMIT ?`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		rows.Scan(&id, &name)
		ids, names = append(ids, id), append(names, name)
	}
	if len(ids) != n {
		t.Fatalf("%d deputies, want %d", len(ids), n)
	}
	return ids, names
}

// faceScan is a kiosk's scan of attendee id's badge with a face check
// that did not match.
func faceScan(t *testing.T, srv *testkit.Server, kiosk string, id int64, scanID string) string {
	t.Helper()
	var c struct {
		Token string `json:"token"`
	}
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", id), testkit.AdminToken, nil, &c); st != 200 {
		t.Fatalf("credential: HTTP %d", st)
	}
	var res struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	if st := srv.Call("POST", "/checkins", kiosk, map[string]any{"token": c.Token, "scan_id": scanID,
		"face": map[string]any{"result": "fail", "distance": 0.61}}, &res); st != 200 {
		t.Fatalf("scan: HTTP %d", st)
	}
	return res.Code
}

// TestDeskFaceAlerts: the desk follows the kiosks' face alerts live: the
// tab counts the open ones from any view; the view shows each with the
// person's photo (or says there is none), the kiosk, door and time, and
// whether the door let them in; 已核实 closes one; the record lists the
// resolved ones, without photos, with who resolved each (here the desk,
// and an usher on a tablet) and when.
func TestDeskFaceAlerts(t *testing.T) {
	srv := testkit.Serve(t)
	faceVerificationOn(t, srv)
	checkpointFace(t, srv, "hall-west", "enforce")
	ids, names := expected(t, srv, 2)
	withPhoto, noPhoto := ids[0], ids[1]
	b, err := os.ReadFile(browsertest.FacePhoto("faceapi-sample3.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	storePhoto(t, srv, withPhoto, b)
	faceReady(t, srv, withPhoto, 1)
	// The other has a photo and a reference too (no face check without);
	// the photo goes after their alert, below.
	storePhoto(t, srv, noPhoto, b)
	faceReady(t, srv, noPhoto, 2)
	east := pairKiosk(t, srv, "东门刷脸机", "hall-east")
	west := pairKiosk(t, srv, "西门刷脸机", "hall-west")

	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	// The websocket and the alerts' photos within the desk's CSP.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspSeen = []; document.addEventListener('securitypolicyviolation', (e) => window.cspSeen.push(e.violatedDirective + ' ' + e.blockedURI));`}); err != nil {
		t.Fatal(err)
	}
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk"))
	waitJS(t, ctx, `document.querySelectorAll('#results li').length > 0 && window.deskAlerts && deskAlerts.loads > 0`)
	defer func() {
		if v := evalJS[[]string](t, ctx, `window.cspSeen || []`); len(v) > 0 {
			t.Errorf("CSP violations on the desk page: %v", v)
		}
	}()
	if !evalJS[bool](t, ctx, `!document.getElementById('tab-alerts').hidden && document.getElementById('alerts-n').hidden`) {
		t.Error("with face verification on and nothing open: the tab without a count")
	}

	// A face that does not match at the east door (advise): let in, and
	// the desk's tab counts it at once, on the search view.
	if code := faceScan(t, srv, east, withPhoto, "e-1"); code == "face_mismatch" {
		t.Fatalf("refused at an advise checkpoint")
	}
	waitJS(t, ctx, `document.getElementById('alerts-n').textContent === '1' && !document.getElementById('alerts-n').hidden`)
	if s := evalJS[string](t, ctx, `document.getElementById('toast').textContent`); !strings.Contains(s, names[0]) {
		t.Errorf("the desk is told %q, want the name %s", s, names[0])
	}
	shot(t, ctx, "alerts-tab-count.png")
	// One more tab: the bar still holds every tab's words on one line each
	// at 1280 px (with the result list's scroll bar).
	if hs := evalJS[[]float64](t, ctx, `[...document.querySelectorAll('#tabs a, #pages a')].map((a) => a.getBoundingClientRect().height)`); slices.Max(hs) > 58 {
		t.Errorf("the tabs wrap: heights %v", hs)
	}

	// Refused at the west door (enforce), the person's photo since deleted.
	if code := faceScan(t, srv, west, noPhoto, "w-1"); code != "face_mismatch" {
		t.Fatalf("the enforce checkpoint answered %q, want face_mismatch", code)
	}
	waitJS(t, ctx, `document.getElementById('alerts-n').textContent === '2'`)
	if _, err := srv.App.DB.ForTest().W.Exec(`DELETE FROM attendee_photos WHERE attendee_id = ?`, noPhoto); err != nil {
		t.Fatal(err)
	}

	do(t, ctx, chromedp.Click(`#tab-alerts`))
	waitJS(t, ctx, `document.querySelectorAll('#alerts-open li').length === 2`)
	card := func(id int64) string { return fmt.Sprintf(`#alerts-open li[data-attendee="%d"]`, id) }
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('%s img')?.naturalWidth > 0`, card(withPhoto)))
	east1 := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector('%s').innerText`, card(withPhoto)))
	for _, want := range []string{names[0], "人脸核验未通过", "已放行", "东门刷脸机", "东门"} {
		if !strings.Contains(east1, want) {
			t.Errorf("the east door's alert %q lacks %q", east1, want)
		}
	}
	west1 := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector('%s').innerText`, card(noPhoto)))
	for _, want := range []string{names[1], "未放行", "西门刷脸机"} {
		if !strings.Contains(west1, want) {
			t.Errorf("the west door's alert %q lacks %q", west1, want)
		}
	}
	// The photo of an alert whose person's photo is gone: not there.
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector('%s img') && /照片/.test(document.querySelector('%s figure').textContent)`, card(noPhoto), card(noPhoto)))
	if !evalJS[bool](t, ctx, fmt.Sprintf(`document.querySelector('%s').classList.contains('refused')`, card(noPhoto))) {
		t.Error("the refusal is not marked as one")
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#alerts-done tr').length`); n != 0 {
		t.Errorf("%d resolved before any is", n)
	}
	shot(t, ctx, "alerts-open.png")

	// 已核实 at the desk.
	do(t, ctx, chromedp.Click(card(withPhoto)+` .fa-done`))
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector('%s') && document.getElementById('alerts-n').textContent === '1'`, card(withPhoto)))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#alerts-done tr[data-attendee="%d"]')`, withPhoto))
	var by string
	srv.App.DB.ForTest().R.QueryRow(`SELECT coalesce(resolved_by, '') FROM face_checks WHERE attendee_id = ?`, withPhoto).Scan(&by)
	if by == "" {
		t.Fatal("resolved on the page, not on the server")
	}
	row := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector('#alerts-done tr[data-attendee="%d"]').innerText`, withPhoto))
	if !strings.Contains(row, names[0]) || !strings.Contains(row, by) || !strings.Contains(row, "东门刷脸机") {
		t.Errorf("the resolved row %q, want the name, the kiosk and %q", row, by)
	}

	// An usher's 已核实 on a tablet: the desk's lists follow, live.
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "引导员小王", "role": "usher"}, &u); st != 201 {
		t.Fatalf("usher: HTTP %d", st)
	}
	id := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector('%s').dataset.id`, card(noPhoto)))
	if st := srv.Call("POST", "/faces/alerts/"+id+"/resolve", u.Token, nil, nil); st != 200 {
		t.Fatalf("the usher's resolve: HTTP %d", st)
	}
	waitJS(t, ctx, `document.querySelectorAll('#alerts-open li').length === 0 && document.getElementById('alerts-n').hidden && !document.getElementById('alerts-none').hidden`)
	waitJS(t, ctx, `document.querySelectorAll('#alerts-done tr').length === 2`)
	first := evalJS[string](t, ctx, `document.querySelector('#alerts-done tr').innerText`)
	if !strings.Contains(first, "引导员小王") || !strings.Contains(first, names[1]) || !strings.Contains(first, "未放行") {
		t.Errorf("the latest resolved %q: want the usher, %s, 未放行", first, names[1])
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#view-alerts table img').length`); n != 0 {
		t.Errorf("%d photos in the record of resolved alerts", n)
	}
	shot(t, ctx, "alerts-resolved.png")
}

// TestDeskPurgeFaces: beside the archive ZIP an admin is offered the
// deletion of every photo and all face data; the dialog says what goes
// (with the counts) and what stays, offers the archive first, and deletes
// nothing until the phrase is typed; then shows the counts deleted and
// left. The face checks stay. A desk user without admin rights is not
// offered it.
func TestDeskPurgeFaces(t *testing.T) {
	srv, ctx := openDesk(t)
	ids, _ := expected(t, srv, 2)
	b, err := os.ReadFile(browsertest.FacePhoto("astronaut.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		storePhoto(t, srv, id, b)
	}
	faceReady(t, srv, ids[0], 3)
	if _, err := srv.App.DB.ForTest().W.Exec(`INSERT INTO face_checks (scan_id, attendee_id, checkpoint_id, result, distance, at) VALUES ('k/1', ?, 'hall-east', 'pass', 0.1, '2026-01-01T00:00:00.000000Z')`, ids[0]); err != nil {
		t.Fatal(err)
	}
	count := func(table string) int {
		var n int
		srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n)
		return n
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#exports"))
	waitJS(t, ctx, `document.querySelector('#export-archive')?.dataset.purge === 'offered' && document.getElementById('btn-purge')`)
	do(t, ctx, chromedp.Click("#btn-purge"))
	waitJS(t, ctx, `document.getElementById('purge')?.open && document.getElementById('purge-what')`)
	what := evalJS[string](t, ctx, `document.getElementById('purge').innerText`)
	for _, want := range []string{"照片 2 张", "人脸特征 1 条", "同意记录 2 条", "只有以上数量", "无法恢复", "先下载立卷归档 ZIP"} {
		if !strings.Contains(what, want) {
			t.Errorf("the dialog says %q, lacks %q", what, want)
		}
	}
	if href := evalJS[string](t, ctx, `document.getElementById('purge-archive').href`); !strings.HasSuffix(href, "/api/v1/exports/archive.zip") {
		t.Errorf("the archive offered first: %q", href)
	}
	if !evalJS[bool](t, ctx, `document.getElementById('purge-go').disabled`) {
		t.Error("删除 can be pressed before the phrase is typed")
	}
	do(t, ctx, chromedp.SendKeys("#purge-phrase", "删除照片"))
	if !evalJS[bool](t, ctx, `document.getElementById('purge-go').disabled`) {
		t.Error("删除 can be pressed with the wrong phrase")
	}
	shot(t, ctx, "purge-ask.png")
	if n := count("attendee_photos"); n != 2 {
		t.Fatalf("%d photos before the confirmation", n)
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('purge-phrase'); i.value = '删除全部照片'; i.dispatchEvent(new Event('input')); })()`))
	waitJS(t, ctx, `!document.getElementById('purge-go').disabled`)
	do(t, ctx, chromedp.Click("#purge-go"))
	waitJS(t, ctx, `document.getElementById('purge-done')`)
	done := evalJS[string](t, ctx, `document.getElementById('purge-done').innerText`)
	for _, want := range []string{"已删除：照片 2 张，人脸特征 1 条，同意记录 2 条", "现存：照片 0，人脸特征 0，同意记录 0", "刷脸核验记录 1 条保留"} {
		if !strings.Contains(done, want) {
			t.Errorf("the result %q lacks %q", done, want)
		}
	}
	shot(t, ctx, "purge-done.png")
	for table, want := range map[string]int{"attendee_photos": 0, "face_refs": 0, "face_consents": 0, "face_checks": 1} {
		if n := count(table); n != want {
			t.Errorf("%s: %d rows after the purge, want %d", table, n, want)
		}
	}
	var audits int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'face.purge'`).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d face.purge audit rows", audits)
	}
	do(t, ctx, chromedp.Click("#purge-close"))
	waitJS(t, ctx, `!document.getElementById('purge').open && !document.getElementById('purge-result').hidden`)

	// A desk user who is no admin: no such button.
	var u struct{ Token string }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "报到处小李", "role": "desk"}, &u); st != 201 {
		t.Fatalf("desk user: HTTP %d", st)
	}
	dctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, dctx, srv.URL, u.Token)
	do(t, dctx, chromedp.Navigate(srv.URL+"/desk#exports"))
	waitJS(t, dctx, `document.querySelector('#export-archive')?.dataset.purge`)
	if s := evalJS[string](t, dctx, `document.querySelector('#export-archive').dataset.purge`); s != "not-admin" {
		t.Errorf("a desk user's exports: %q", s)
	}
	if evalJS[bool](t, dctx, `!!document.getElementById('btn-purge')`) {
		t.Error("a desk user is offered the purge")
	}
}
