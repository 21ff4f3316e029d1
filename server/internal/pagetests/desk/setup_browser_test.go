package desk_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// setVal sets an input or select the way a person does — its value, then
// the input and change events the page listens to.
func setVal(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q)`, sel))
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q;
		el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); return el.value })()`, sel, value)
	if got := evalJS[string](t, ctx, js); got != value {
		t.Fatalf("%s took %q, want %q", sel, got, value)
	}
}

// click clicks the element sel finds (querySelector), once it is there,
// from inside the page (browsertest.Click).
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	browsertest.Click(t, ctx, sel)
}

// waitAsync polls an asynchronous JavaScript condition (a promise) every
// 100 ms until it holds, 10 s at most.
func waitAsync(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(async () => { try { return !!(await (`+cond+`)) || null } catch { return null } })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

func pageText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q)?.innerText || ''`, sel))
}

// local is a moment as a datetime-local value on Beijing's clocks.
func local(tm time.Time) string {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return tm.In(loc).Format("2006-01-02T15:04")
}

// fetchFile downloads an API file (a workbook) as the desk would, into dir.
func fetchFile(t *testing.T, srv *testkit.Server, path, dir, name string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSetupWizardWorkbook takes the other road on an empty server: the
// blank 会议筹备表 is refused with its errors by sheet, row and column; a
// filled one is checked, its report read, and the meeting created.
func TestSetupWizardWorkbook(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	dir := t.TempDir()
	blank := fetchFile(t, srv, "/event/template.xlsx", dir, "blank.xlsx")
	filled := fetchFile(t, srv, "/event/example.xlsx", dir, "filled.xlsx")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900))
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk"))
	waitJS(t, ctx, `document.getElementById('wiz-workbook-file')`)

	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#wiz-workbook-file"), []string{blank}))
	click(t, ctx, "#wiz-workbook-check")
	waitJS(t, ctx, `document.querySelector('#wiz-workbook-report .setup-errors')`)
	if s := pageText(t, ctx, "#wiz-workbook-report"); !strings.Contains(s, "会议信息 第 2 行 B 列") || !strings.Contains(s, "未做任何修改") {
		t.Errorf("the blank template's errors: %s", s)
	}
	shot(t, ctx, "wizard-workbook-errors.png")

	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#wiz-workbook-file"), []string{filled}))
	click(t, ctx, "#wiz-workbook-check")
	waitJS(t, ctx, `document.getElementById('wiz-workbook-confirm')`)
	if s := pageText(t, ctx, "#wiz-workbook-report"); !strings.Contains(s, "检查通过") || !strings.Contains(s, "场次 2") {
		t.Errorf("the filled workbook's report: %s", s)
	}
	if code := srv.Call("GET", "/event", testkit.AdminToken, nil, nil); code != 404 {
		t.Fatalf("checking the workbook stored it: GET /event %d", code)
	}
	shot(t, ctx, "wizard-workbook-report.png")
	click(t, ctx, "#wiz-workbook-confirm")
	waitJS(t, ctx, `document.getElementById('wiz-done')`)
	var ev struct{ ID string }
	if code := srv.Call("GET", "/event", testkit.AdminToken, nil, &ev); code != 200 || ev.ID == "" {
		t.Errorf("after the workbook: GET /event %d %+v", code, ev)
	}
}

// TestSetupWizardOnEmptyServer sets a meeting up from nothing through the
// desk's pages — hall (its seat grid drawn as the rows are typed), room,
// canteen, hotel, two sessions, a meal, three checkpoints — reads the dry
// run and creates it; then imports a list, prints a badge, pairs a kiosk
// at the hall's door and scans the badge there.
func TestSetupWizardOnEmptyServer(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900))
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk"))
	waitJS(t, ctx, `document.querySelector('#wiz-panel[data-step="event"] [data-path="event.name"]')`)
	if evalJS[bool](t, ctx, `!document.getElementById('tabs').hidden`) {
		t.Error("the desk's tabs show on a server without a meeting")
	}
	next := func(step string) {
		t.Helper()
		click(t, ctx, "#wiz-next")
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#wiz-panel[data-step=%q]')`, step))
	}

	// Straight to the check: what is missing is listed, and leads to its field.
	click(t, ctx, "#wiz-pill-review a")
	waitJS(t, ctx, `document.getElementById('wiz-invalid')`)
	if s := pageText(t, ctx, "#wiz-panel"); !strings.Contains(s, "会议 · 名称（name）") {
		t.Errorf("the check of an empty set-up: %s", s)
	}
	shot(t, ctx, "wizard-0-invalid.png")
	click(t, ctx, ".setup-errors a")
	waitJS(t, ctx, `document.querySelector('#wiz-panel[data-step="event"] [data-path="event.name"][aria-invalid="true"]') && document.querySelector('#wiz-pill-event.has-errors')`)

	// 1. The meeting.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`[data-path="event.name"]`), "市工商业联合会第三次会员代表大会"))
	setVal(t, ctx, `[data-path="event.name_en"]`, "City Federation Congress")
	setVal(t, ctx, `[data-path="event.id"]`, "gsl-2026")
	if tz := evalJS[string](t, ctx, `document.querySelector('[data-path="event.timezone"]').value`); tz != "Asia/Shanghai" {
		t.Errorf("default timezone %q", tz)
	}
	shot(t, ctx, "wizard-1-meeting.png")

	// 2. Categories: the usual five are there already.
	next("categories")
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#wiz-panel table.cats tbody tr').length`); n != 5 {
		t.Errorf("%d categories prefilled, want 代表/列席/嘉宾/工作人员/记者", n)
	}
	shot(t, ctx, "wizard-2-categories.png")

	// 3. Venues: a hall drawn live, a room, a canteen with tables, a hotel with rooms.
	next("venues")
	click(t, ctx, `.add-venue[data-kind="hall"]`)
	setVal(t, ctx, `[data-path="venues[0].name"]`, "大礼堂")
	setVal(t, ctx, `[data-path="venues[0].presidium"]`, "5")
	setVal(t, ctx, `[data-path="venues[0].sections[0].rows"]`, "3")
	setVal(t, ctx, `[data-path="venues[0].sections[0].seats"]`, "10")
	setVal(t, ctx, `[data-path="venues[0].sections[0].door"]`, "东门")
	waitJS(t, ctx, `document.querySelector('.hall-grid .grid-count[data-floor="30"][data-presidium="5"]')`)
	if n := evalJS[int](t, ctx, `document.querySelectorAll('.hall-grid svg rect.seat.floor').length`); n != 30 {
		t.Errorf("the grid draws %d floor seats, want 3 × 10", n)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('.hall-grid svg rect.seat.presidium').length`); n != 5 {
		t.Errorf("the grid draws %d presidium seats, want 5", n)
	}
	evalJS[bool](t, ctx, `(document.querySelector('.hall-grid').scrollIntoView({block: 'center'}), true)`)
	shot(t, ctx, "wizard-3-hall.png")
	click(t, ctx, `.add-venue[data-kind="room"]`)
	setVal(t, ctx, `[data-path="venues[1].name"]`, "第一会议室")
	click(t, ctx, `.add-venue[data-kind="dining"]`)
	setVal(t, ctx, `[data-path="venues[2].name"]`, "职工餐厅")
	setVal(t, ctx, `.gen-tables`, "3")
	setVal(t, ctx, `.gen-seats`, "10")
	click(t, ctx, `.make-tables`)
	waitJS(t, ctx, `document.querySelectorAll('[data-path^="venues[2].tables["][data-path$="].seats"]').length === 3`)
	click(t, ctx, `.add-venue[data-kind="hotel"]`)
	setVal(t, ctx, `[data-path="venues[3].name"]`, "会议宾馆")
	setVal(t, ctx, `.gen-from`, "3")
	setVal(t, ctx, `.gen-to`, "5")
	setVal(t, ctx, `.gen-per`, "4")
	click(t, ctx, `.make-rooms`)
	waitJS(t, ctx, `document.querySelectorAll('[data-path^="venues[3].rooms["][data-path$="].number"]').length === 12`)
	shot(t, ctx, "wizard-3-venues.png")

	// 4. Sessions: the plenary's doors opened a quarter of an hour ago.
	next("sessions")
	now := time.Now()
	click(t, ctx, ".add-session")
	setVal(t, ctx, `[data-path="sessions[0].name"]`, "开幕大会")
	setVal(t, ctx, `[data-path="sessions[0].venue"]`, "hall1")
	setVal(t, ctx, `[data-path="sessions[0].opens_at"]`, local(now.Add(-15*time.Minute)))
	setVal(t, ctx, `[data-path="sessions[0].starts_at"]`, local(now.Add(time.Hour)))
	setVal(t, ctx, `[data-path="sessions[0].ends_at"]`, local(now.Add(3*time.Hour)))
	setVal(t, ctx, `[data-path="sessions[0].closes_at"]`, local(now.Add(3*time.Hour+30*time.Minute)))
	click(t, ctx, ".add-session")
	setVal(t, ctx, `[data-path="sessions[1].name"]`, "分组讨论")
	setVal(t, ctx, `[data-path="sessions[1].kind"]`, "group")
	setVal(t, ctx, `[data-path="sessions[1].venue"]`, "room1")
	setVal(t, ctx, `[data-path="sessions[1].opens_at"]`, local(now.Add(5*time.Hour)))
	setVal(t, ctx, `[data-path="sessions[1].starts_at"]`, local(now.Add(5*time.Hour+30*time.Minute)))
	setVal(t, ctx, `[data-path="sessions[1].ends_at"]`, local(now.Add(7*time.Hour)))
	setVal(t, ctx, `[data-path="sessions[1].closes_at"]`, local(now.Add(7*time.Hour+30*time.Minute)))
	shot(t, ctx, "wizard-4-sessions.png")

	// 5. A meal in the canteen.
	next("meals")
	click(t, ctx, ".add-meal")
	setVal(t, ctx, `[data-path="meals[0].name"]`, "午餐")
	setVal(t, ctx, `[data-path="meals[0].opens_at"]`, local(now.Add(-time.Hour)))
	setVal(t, ctx, `[data-path="meals[0].closes_at"]`, local(now.Add(2*time.Hour)))
	if v := evalJS[string](t, ctx, `document.querySelector('[data-path="meals[0].halls[0].venue"]').value`); v != "dining1" {
		t.Errorf("the meal's first hall is %q, want the canteen", v)
	}
	shot(t, ctx, "wizard-5-meals.png")

	// 6. Checkpoints: the suggestions, less the hall's west door and the room's.
	next("checkpoints")
	click(t, ctx, ".suggest-checkpoints")
	for _, id := range []string{"hall1-door2", "room1-door"} {
		evalJS[bool](t, ctx, fmt.Sprintf(`(() => { const i = [...document.querySelectorAll('[data-path^="checkpoints["][data-path$="].id"]')].find(i => i.value === %q);
			i.closest('fieldset').querySelector('button.remove').click(); return true })()`, id))
	}
	if got := evalJS[string](t, ctx, `[...document.querySelectorAll('[data-path^="checkpoints["][data-path$="].id"]')].map(i => i.value).join(' ')`); got != "hall1-door1 dining1 hotel1-desk" {
		t.Errorf("checkpoints %q", got)
	}
	shot(t, ctx, "wizard-6-checkpoints.png")

	// 7. The dry run in words, then create.
	next("review")
	waitJS(t, ctx, `document.getElementById('wiz-create')`)
	rep := evalJS[string](t, ctx, `document.getElementById('wiz-panel').textContent`)
	for _, want := range []string{"新建", "场地 4", "场次 2", "餐次 1", "签到点 3", "新增场次“开幕大会”", "台下 30 座", "30 座", "12 间"} {
		if !strings.Contains(rep, want) {
			t.Errorf("the dry-run report lacks %q:\n%s", want, pageText(t, ctx, "#wiz-panel"))
		}
	}
	if code := srv.Call("GET", "/event", testkit.AdminToken, nil, nil); code != 404 {
		t.Fatalf("the dry run stored the meeting: GET /event %d", code)
	}
	shot(t, ctx, "wizard-7-review.png")
	click(t, ctx, "#wiz-create")
	waitJS(t, ctx, `document.getElementById('wiz-done')`)
	shot(t, ctx, "wizard-8-done.png")
	var ev struct{ ID, Name string }
	if code := srv.Call("GET", "/event", testkit.AdminToken, nil, &ev); code != 200 || ev.ID != "gsl-2026" || ev.Name != "市工商业联合会第三次会员代表大会" {
		t.Fatalf("GET /event after create: %d %+v", code, ev)
	}

	// Import a small list with the desk's import wizard.
	click(t, ctx, "#wiz-to-import")
	waitJS(t, ctx, `!document.getElementById('view-import').hidden && !document.getElementById('tabs').hidden`)
	list := filepath.Join(t.TempDir(), "名单.csv")
	if err := os.WriteFile(list, []byte("姓名,单位,类别,手机\n张三丰,某局,代表,13800138000\n李四,某厅,列席,13900139000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{list}))
	click(t, ctx, "#import-check")
	click(t, ctx, "#import-confirm")
	waitJS(t, ctx, `document.getElementById('import-done')`)

	// Open the person, print the badge.
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#search"))
	waitJS(t, ctx, `document.getElementById('event-name').textContent !== ''`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "张三丰"))
	waitJS(t, ctx, `document.querySelectorAll('#results li').length === 1`)
	id := evalJS[string](t, ctx, `document.querySelector('#results li').dataset.id`)
	click(t, ctx, "#results li")
	waitJS(t, ctx, `document.getElementById('card-name')?.textContent === '张三丰' && document.querySelector('tr[data-session="s1"] .counts .n')`)
	click(t, ctx, "#btn-print")
	waitAsync(t, ctx, `fetch('/api/v1/attendees/`+id+`/prints').then(r => r.json()).then(l => l.length > 0)`)
	shot(t, ctx, "wizard-9-card.png")

	// Pair a kiosk at the hall's east door from the Devices view; the kiosk types the code.
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#devices"))
	waitJS(t, ctx, `document.querySelector('#dev-create-form select[name="checkpoint"] option[value="hall1-door1"]')`)
	click(t, ctx, ".dev-old summary")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#dev-create-form input[name="name"]`), "东门1号"))
	setVal(t, ctx, `#dev-create-form select[name="kind"]`, "kiosk")
	setVal(t, ctx, `#dev-create-form select[name="checkpoint"]`, "hall1-door1")
	click(t, ctx, "#dev-create")
	waitJS(t, ctx, `document.getElementById('dev-created-code')`)
	code := strings.ReplaceAll(pageText(t, ctx, "#dev-created-code"), " ", "")
	var paired struct{ Token string }
	if st := srv.Call("POST", "/pair", "", map[string]string{"code": code}, &paired); st != 200 || paired.Token == "" {
		t.Fatalf("pair with code %q: %d", code, st)
	}
	var cred struct{ Token string }
	srv.Call("GET", "/attendees/"+id+"/credential", testkit.AdminToken, nil, &cred)
	var res struct {
		Status  string
		Message struct{ Zh string }
	}
	srv.Call("POST", "/checkins", paired.Token, map[string]string{"token": cred.Token, "checkpoint": "hall1-door1", "scan_id": "wizard-1"}, &res)
	if res.Status != "ok" {
		t.Errorf("the badge at the hall's door: %q %s", res.Status, res.Message.Zh)
	}
}

// TestSetupEditShowsDryRun moves the opening by half an hour in the
// 会议设置 tab: the dry run says so in words, the desk confirms, and the
// sessions follow. A bad value is marked under its field; removing a
// session that has a scan is refused, and the page says why.
func TestSetupEditShowsDryRun(t *testing.T) {
	srv, ctx := openDesk(t)
	// Each page reads the stored set-up and writes it back unchanged.
	for _, part := range []string{"event", "categories", "venues", "meals", "checkpoints", "sessions"} {
		do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/"+part))
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#setup-page[data-sub=%q] .part') && document.getElementById('setup-check')`, part))
		click(t, ctx, "#setup-check")
		waitJS(t, ctx, `document.getElementById('setup-report-body') || document.getElementById('setup-invalid')`)
		if s := pageText(t, ctx, "#setup-result"); !strings.Contains(s, "没有修改") {
			t.Errorf("checking the %s page without an edit: %s", part, s)
		}
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/sessions"))
	waitJS(t, ctx, `document.querySelector('[data-path="sessions[0].starts_at"]')`)
	if id := evalJS[string](t, ctx, `document.querySelector('[data-path="sessions[0].id"]').value`); id != "opening" {
		t.Fatalf("first session %q", id)
	}
	var before []struct {
		ID       string    `json:"id"`
		StartsAt time.Time `json:"starts_at"`
	}
	srv.Call("GET", "/sessions", testkit.AdminToken, nil, &before)
	old := before[0].StartsAt
	setVal(t, ctx, `[data-path="sessions[0].starts_at"]`, local(old.Add(30*time.Minute)))
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.getElementById('setup-confirm')`)
	words := pageText(t, ctx, "#setup-dry")
	want := fmt.Sprintf("场次“开幕大会”：开始 %s → %s", old.Format("01-02 15:04"), old.Add(30*time.Minute).Format("01-02 15:04"))
	if !strings.Contains(words, want) {
		t.Errorf("the dry run does not say %q:\n%s", want, words)
	}
	shot(t, ctx, "setup-dry-run.png")
	var still []struct {
		StartsAt time.Time `json:"starts_at"`
	}
	if srv.Call("GET", "/sessions", testkit.AdminToken, nil, &still); !still[0].StartsAt.Equal(old) {
		t.Fatalf("the dry run moved the session to %v", still[0].StartsAt)
	}
	click(t, ctx, "#setup-confirm")
	waitJS(t, ctx, `document.getElementById('setup-saved')`)
	var after []struct {
		ID       string    `json:"id"`
		StartsAt time.Time `json:"starts_at"`
	}
	if srv.Call("GET", "/sessions", testkit.AdminToken, nil, &after); after[0].ID != "opening" || !after[0].StartsAt.Equal(old.Add(30*time.Minute)) {
		t.Errorf("after saving, the opening starts at %v, want %v", after[0].StartsAt, old.Add(30*time.Minute))
	}
	shot(t, ctx, "setup-saved.png")

	// 缺席 only from the close (issue 11.13): one select, said in words,
	// stored.
	if v := evalJS[string](t, ctx, `document.querySelector('[data-path="sessions[0].absent_from"]').value`); v != "start" {
		t.Errorf("the opening's 缺席 rule shows %q, want start", v)
	}
	setVal(t, ctx, `[data-path="sessions[0].absent_from"]`, "close")
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.getElementById('setup-confirm')`)
	if words := pageText(t, ctx, "#setup-dry"); !strings.Contains(words, "缺席起算 开始 → 关门") {
		t.Errorf("the dry run does not say the rule changes:\n%s", words)
	}
	click(t, ctx, "#setup-confirm")
	waitJS(t, ctx, `document.getElementById('setup-saved')`)
	var stored struct {
		Sessions []struct {
			ID         string `json:"id"`
			AbsentFrom string `json:"absent_from"`
		} `json:"sessions"`
	}
	if srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &stored); stored.Sessions[0].AbsentFrom != "close" || stored.Sessions[1].AbsentFrom != "start" {
		t.Errorf("stored rules %+v", stored.Sessions)
	}
	evalJS[bool](t, ctx, `(document.querySelector('[data-path="sessions[0].absent_from"]').scrollIntoView({block: 'center'}), true)`)
	shot(t, ctx, "setup-absent-from.png")

	// A 422 lands under the field its path names.
	setVal(t, ctx, `[data-path="sessions[1].name"]`, "")
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.querySelector('[data-path="sessions[1].name"][aria-invalid="true"]')`)
	if s := evalJS[string](t, ctx, `document.querySelector('[data-path="sessions[1].name"]').closest('.fld').querySelector('.field-error').textContent`); !strings.Contains(s, "场次名称") {
		t.Errorf("error under the name: %q", s)
	}
	shot(t, ctx, "setup-422.png")
	click(t, ctx, "#setup-discard")
	waitJS(t, ctx, `document.querySelector('[data-path="sessions[1].name"]').value !== '' && !document.querySelector('#setup-result').hasChildNodes()`)

	// A scan at the opening; then it cannot be removed.
	who, _ := someone(t, srv)
	var cred struct{ Token string }
	srv.Call("GET", fmt.Sprintf("/attendees/%d/credential", who), testkit.AdminToken, nil, &cred)
	var res struct{ Status string }
	srv.Call("POST", "/checkins", testkit.AdminToken, map[string]string{"token": cred.Token, "checkpoint": "hall-east", "scan_id": "setup-1"}, &res)
	if res.Status != "ok" {
		t.Fatalf("scan at the opening: %q", res.Status)
	}
	click(t, ctx, `[data-remove="sessions[0]"]`)
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.getElementById('setup-conflict')`)
	if s := pageText(t, ctx, "#setup-conflict"); !strings.Contains(s, "开幕大会") || !strings.Contains(s, "不能删除") {
		t.Errorf("the 409 on the page: %q", s)
	}
	shot(t, ctx, "setup-409.png")
	var kept []struct{ ID string }
	if srv.Call("GET", "/sessions", testkit.AdminToken, nil, &kept); len(kept) != len(before) {
		t.Errorf("sessions after the refusal: %d, want %d", len(kept), len(before))
	}

	// The other pages of the tab.
	click(t, ctx, "#setup-discard")
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/venues"))
	waitJS(t, ctx, `document.querySelector('.hall-grid .grid-count')`)
	evalJS[bool](t, ctx, `(document.querySelector('.hall-grid').scrollIntoView({block: 'center'}), true)`)
	shot(t, ctx, "setup-venues.png")
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/log"))
	waitJS(t, ctx, `document.querySelector('#setup-log li')`)
	if s := pageText(t, ctx, "#setup-log"); !strings.Contains(s, "开幕大会") {
		t.Errorf("change log %q", s)
	}
	shot(t, ctx, "setup-log.png")
	// The workbook of the set-up as it stands, uploaded back: checked, unchanged.
	book := fetchFile(t, srv, "/event/workbook.xlsx", t.TempDir(), "setup.xlsx")
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/export"))
	waitJS(t, ctx, `document.getElementById('setup-export-json') && document.getElementById('setup-workbook-file')`)
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#setup-workbook-file"), []string{book}))
	click(t, ctx, "#setup-workbook-check")
	waitJS(t, ctx, `document.querySelector('#setup-workbook-report .setup-report, #setup-workbook-report .summary.bad')`)
	if s := pageText(t, ctx, "#setup-workbook-report"); !strings.Contains(s, "没有修改") {
		t.Errorf("the set-up's own workbook uploaded back: %s", s)
	}
	shot(t, ctx, "setup-export.png")
}

// TestCardExceptions adds a person to a session they are not expected at
// and sends them to the other dining hall for every meal; the card marks
// both as 例外, and clearing them lets the rules apply again.
func TestCardExceptions(t *testing.T) {
	srv, ctx := openDesk(t)
	var id int64
	var name, session, hall, hallName, otherName string
	err := srv.App.DB.ForTest().R.QueryRow(`SELECT a.id, a.name, s.id, v.code, v.name FROM attendees a
		JOIN sessions s ON NOT EXISTS (SELECT 1 FROM session_attendees sa WHERE sa.session_id = s.id AND sa.attendee_id = a.id)
		JOIN meal_tickets t ON t.attendee_id = a.id JOIN venues v ON v.id = t.venue_id
		WHERE a.category = 'deputy' AND a.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM entitlement_exceptions x WHERE x.attendee_id = a.id)
		ORDER BY a.id, s.starts_at LIMIT 1`).Scan(&id, &name, &session, &hall, &hallName)
	if err != nil {
		t.Fatal(err)
	}
	other := map[string]string{"dining1": "dining2", "dining2": "dining1"}[hall]
	srv.App.DB.ForTest().R.QueryRow(`SELECT name FROM venues WHERE code = ?`, other).Scan(&otherName)

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), name))
	click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	row := fmt.Sprintf(`tr[data-session=%q]`, session)
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q && document.querySelector('%s button.exc-include')`, name, row))

	click(t, ctx, row+" button.exc-include")
	answer(t, ctx, "特邀参加")
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('%s .exc') && !document.querySelector('%s').classList.contains('not-expected')`, row, row))

	click(t, ctx, `tr[data-meal="*"] button.meal-move`)
	waitJS(t, ctx, `document.getElementById('ask').open && !document.getElementById('ask-choice-label').hidden`)
	setVal(t, ctx, "#ask-choice", other)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#ask-reason"), "清真餐"), chromedp.Click(chromedp.CSS("#ask-ok")))
	waitJS(t, ctx, `document.querySelector('tr[data-meal="*"] .exc')`)

	marks := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#card .exc')].map(e => e.innerText)`)
	if len(marks) != 2 {
		t.Fatalf("exceptions on the card: %q", marks)
	}
	for _, m := range marks {
		if !strings.Contains(m, "例外") || !strings.Contains(m, "清除例外") {
			t.Errorf("exception mark %q", m)
		}
	}
	if !strings.Contains(marks[0], "加入应到") || !strings.Contains(marks[0], "特邀参加") || !strings.Contains(marks[1], "改到"+otherName) {
		t.Errorf("exception marks %q", marks)
	}
	venues := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#card td.meal-venue')].map(e => e.textContent)`)
	for _, v := range venues {
		if v != otherName {
			t.Errorf("meal venues after the exception %q, want all %s", venues, otherName)
			break
		}
	}
	var list []map[string]any
	if srv.Call("GET", fmt.Sprintf("/attendees/%d/exceptions", id), testkit.AdminToken, nil, &list); len(list) != 2 {
		t.Errorf("exceptions stored: %v", list)
	}
	evalJS[bool](t, ctx, `(document.querySelector('#card .exc').scrollIntoView({block: 'center'}), true)`)
	shot(t, ctx, "card-exceptions.png")

	click(t, ctx, `tr[data-meal="*"] .exc-clear`)
	waitJS(t, ctx, `!document.querySelector('tr[data-meal="*"] .exc')`)
	click(t, ctx, row+" .exc-clear")
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector('%s .exc') && document.querySelector('%s').classList.contains('not-expected')`, row, row))
	venues = evalJS[[]string](t, ctx, `[...document.querySelectorAll('#card td.meal-venue')].map(e => e.textContent)`)
	for _, v := range venues {
		if v != hallName {
			t.Errorf("meal venues after clearing %q, want all %s", venues, hallName)
			break
		}
	}
	if srv.Call("GET", fmt.Sprintf("/attendees/%d/exceptions", id), testkit.AdminToken, nil, &list); len(list) != 0 {
		t.Errorf("exceptions left: %v", list)
	}
}
