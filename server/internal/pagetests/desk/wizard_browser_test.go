package desk_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestImportWizard uploads a list with a bad phone on row 3, sees the error
// by row and column with nothing stored, then imports the corrected file.
func TestImportWizard(t *testing.T) {
	srv, ctx := openDesk(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	const head = "姓名,单位,职务,类别,手机\n测试甲,云江省统计局,科员,代表,13800138000\n"
	os.WriteFile(bad, []byte(head+"测试乙,云江省统计局,科员,代表,12345\n"), 0o600)
	os.WriteFile(good, []byte(head+"测试乙,云江省统计局,科员,代表,13900139000\n"), 0o600)

	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#import"))
	waitJS(t, ctx, `!document.getElementById('view-import').hidden`)
	do(t, ctx, chromedp.SetUploadFiles("#import-file", []string{bad}), chromedp.Click("#import-check"))
	waitJS(t, ctx, `document.querySelector('#import-summary.bad')`)
	if !evalJS[bool](t, ctx, `[...document.querySelectorAll('.issues tr.err')].some(tr =>
		tr.querySelector('.row').textContent === '第 3 行' && tr.querySelector('.col').textContent.startsWith('E 列'))`) {
		t.Errorf("no error on row 3, column E: %s", evalJS[string](t, ctx, `document.getElementById('import-report').innerText`))
	}
	if evalJS[bool](t, ctx, `document.getElementById('import-confirm') !== null`) {
		t.Error("a file with errors can be confirmed")
	}
	// The mapping shows column E as the phone.
	if m := evalJS[string](t, ctx, `(() => {
		const rows = document.querySelectorAll('.mapping tr');
		const i = [...rows[0].querySelectorAll('td')].map(td => td.textContent).indexOf('E');
		return i < 0 ? '' : rows[1].querySelectorAll('td')[i].textContent })()`); !strings.HasPrefix(m, "手机") {
		t.Errorf("column E maps to %q, want 手机", m)
	}
	shot(t, ctx, "import-errors.png")
	var found []struct{ Name string }
	srv.Call("GET", "/attendees?q=测试甲", testkit.AdminToken, nil, &found)
	if len(found) != 0 {
		t.Fatalf("the dry run stored %v", found)
	}

	do(t, ctx, chromedp.SetUploadFiles("#import-file", []string{good}), chromedp.Click("#import-check"))
	waitJS(t, ctx, `document.getElementById('import-confirm')`)
	if s := evalJS[string](t, ctx, `document.getElementById('import-summary').textContent`); !strings.Contains(s, "新增 2 人") {
		t.Errorf("summary %q", s)
	}
	do(t, ctx, chromedp.Click("#import-confirm"))
	waitJS(t, ctx, `document.getElementById('import-done')`)
	srv.Call("GET", "/attendees?q=测试乙", testkit.AdminToken, nil, &found)
	if len(found) != 1 {
		t.Errorf("after the import, search finds %v", found)
	}
}

// TestEditAndWalkIn edits a title (with an invalid phone refused first)
// and registers a walk-in, who is then expected at every plenary.
func TestEditAndWalkIn(t *testing.T) {
	srv, ctx := openDesk(t)
	id, name := someone(t, srv)
	do(t, ctx, chromedp.SendKeys("#q", name))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]')`, id))
	browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	waitJS(t, ctx, `document.getElementById('btn-edit')`)
	do(t, ctx, chromedp.Click("#btn-edit"))
	waitJS(t, ctx, `document.getElementById('edit').open && document.getElementById('edit-form-title').value !== ''`)
	if v := evalJS[string](t, ctx, `document.getElementById('edit-form-id_number').value`); strings.Contains(v, "*") {
		t.Errorf("the edit form has a masked ID number %q", v)
	}
	do(t, ctx, chromedp.SetValue("#edit-form-phone", "1234"), chromedp.Click("#edit-save"))
	waitJS(t, ctx, `document.querySelector('#edit-form .field-error[data-field="phone"]').textContent !== ''`)
	shot(t, ctx, "edit-error.png")
	do(t, ctx, chromedp.SetValue("#edit-form-phone", "13912345678"), chromedp.SetValue("#edit-form-title", "副主任"), chromedp.Click("#edit-save"))
	waitJS(t, ctx, `!document.getElementById('edit').open && document.querySelector('#card .line').textContent.includes('副主任')`)
	var detail string
	srv.App.DB.ForTest().R.QueryRow(`SELECT detail FROM audit WHERE action = 'attendee.edit' AND subject = ?`, fmt.Sprint(id)).Scan(&detail)
	if !strings.Contains(detail, "副主任") || !strings.Contains(detail, "phone changed") || strings.Contains(detail, "13912345678") {
		t.Errorf("audit detail %q", detail)
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#walkin"))
	waitJS(t, ctx, `document.getElementById('walkin-form-name')`)
	do(t, ctx, chromedp.SendKeys("#walkin-form-name", "欧阳䶮"), chromedp.SetValue("#walkin-form-category", "guest"),
		chromedp.SendKeys("#walkin-form-organization", "云江大学"), chromedp.SendKeys("#walkin-form-phone", "13700001111"))
	shot(t, ctx, "walkin.png")
	do(t, ctx, chromedp.Click("#walkin-save"))
	waitJS(t, ctx, `document.getElementById('card-name')?.textContent === '欧阳䶮'`)
	var plenaries int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM session_attendees sa JOIN attendees a ON a.id = sa.attendee_id
		JOIN sessions s ON s.id = sa.session_id WHERE a.name = '欧阳䶮' AND s.kind = 'plenary'`).Scan(&plenaries)
	if plenaries != 3 {
		t.Errorf("the walk-in is expected at %d plenaries, want 3", plenaries)
	}
}

// TestReadinessBoard shows the board with its failing checks named.
func TestReadinessBoard(t *testing.T) {
	srv, ctx := openDesk(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#ready"))
	waitJS(t, ctx, `document.getElementById('ready-summary')`)
	if d := evalJS[string](t, ctx, `getComputedStyle(document.getElementById('view-search')).display`); d != "none" {
		t.Errorf("the search view still shows beside the board (display %s)", d)
	}
	// The demo has no kiosks paired yet: that check fails and names a checkpoint.
	if s := evalJS[string](t, ctx, `document.getElementById('check-kiosks').innerText`); !strings.Contains(s, "未通过") || !strings.Contains(s, "大会堂东门") {
		t.Errorf("kiosk check %q", s)
	}
	if s := evalJS[string](t, ctx, `document.getElementById('check-capacity').className`); s != "check pass" {
		t.Errorf("capacity check %q", s)
	}
	shot(t, ctx, "readiness.png")
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#exports"))
	waitJS(t, ctx, `document.querySelectorAll('#export-list a').length > 5`)
	shot(t, ctx, "exports.png")
}
