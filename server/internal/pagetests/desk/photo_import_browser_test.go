package desk_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/mask"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// portrait is a 300×400 JPEG, a different colour for each seed.
func portrait(t *testing.T, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 400))
	for y := range 400 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(x + seed*40), uint8(y), uint8(seed * 60), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// photoSet is the files of the test's batch: one person by 编号 (in a
// subfolder), one by ID number, one by name, a name no one has, two files
// for one person, a text file, a name two people share when the demo has
// one, and a file macOS leaves behind.
func photoSet(t *testing.T, ps []store.PhotoPerson, shared string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{
		"一组/" + ps[0].Key + ".jpg":   portrait(t, 0),
		ps[1].IDNumber + ".jpg":      portrait(t, 1),
		ps[2].Name + ".jpg":          portrait(t, 2),
		"查无此人.jpg":                   portrait(t, 3),
		ps[3].Key + ".jpg":           portrait(t, 4),
		"备份/" + ps[3].Name + ".jpeg": portrait(t, 5),
		"名单.txt":                     []byte("编号,姓名\n"),
		".DS_Store":                  {0, 0, 0, 1},
	}
	if shared != "" {
		files[shared+".jpg"] = portrait(t, 6)
	}
	return files
}

// hasPhoto asks the API whether the person has a photo.
func hasPhoto(t *testing.T, srv *testkit.Server, id int64) bool {
	t.Helper()
	st, _, _ := testkit.PhotoGet(t, srv, "GET", fmt.Sprintf("/attendees/%d/photo.jpg", id), testkit.AdminToken)
	if st != 200 && st != 404 {
		t.Fatalf("photo of %d: HTTP %d", id, st)
	}
	return st == 200
}

// openPhotoImport starts a server and a 1440×900 browser signed in as
// admin on the desk's 照片导入 view.
func openPhotoImport(t *testing.T) (*testkit.Server, context.Context) {
	t.Helper()
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1440, 900))
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/desk#import/photos"))
	browsertest.Poll[bool](t, ctx, `!document.getElementById('view-import').hidden && document.getElementById('import-list').hidden &&
		!document.getElementById('import-photos').hidden && !!document.getElementById('photo-zip')`, 0)
	return srv, ctx
}

// checkReport checks the dry run's report on screen against the batch.
func checkReport(t *testing.T, ctx context.Context, ps []store.PhotoPerson, shared, prefix string) {
	t.Helper()
	browsertest.Poll[bool](t, ctx, `!!document.getElementById('photo-summary')`, 0)
	got := func(js string) string { t.Helper(); return evalJS[string](t, ctx, js) }
	text := got(`document.getElementById('photo-report').innerText`)
	if c := got(`document.getElementById('photo-confirm')?.innerText.split('\n')[0] || ''`); c != "导入 3 张照片" {
		t.Errorf("the import button says %q, want 导入 3 张照片\n%s", c, text)
	}
	matched := got(`[...document.querySelectorAll('#photo-matched tbody tr')].map(tr => tr.dataset.id + ' ' + tr.innerText.replace(/\s+/g, ' ')).join('\n')`)
	for i, want := range []string{prefix + "一组/" + ps[0].Key + ".jpg", prefix + mask.IDNumber(ps[1].IDNumber) + ".jpg", prefix + ps[2].Name + ".jpg"} {
		row := fmt.Sprintf("%d %s %s %s", ps[i].ID, want, ps[i].Name, ps[i].Key)
		if !strings.Contains(matched, row) {
			t.Errorf("matched list lacks %q:\n%s", row, matched)
		}
	}
	if strings.Contains(text, ps[1].IDNumber) {
		t.Errorf("the report shows the ID number %s in full", ps[1].IDNumber)
	}
	if s := got(`document.getElementById('photo-unmatched')?.innerText || ''`); !strings.Contains(s, prefix+"查无此人.jpg") {
		t.Errorf("unmatched: %q", s)
	}
	if s := got(`document.getElementById('photo-duplicates')?.innerText || ''`); !strings.Contains(s, ps[3].Name) ||
		!strings.Contains(s, prefix+ps[3].Key+".jpg") || !strings.Contains(s, prefix+"备份/"+ps[3].Name+".jpeg") {
		t.Errorf("duplicates: %q", s)
	}
	if s := got(`document.querySelector('#photo-bad tr[data-code="not_photo"]')?.innerText || ''`); !strings.Contains(s, "名单.txt") ||
		!strings.Contains(s, "不是 JPEG 或 PNG 照片") || !strings.Contains(s, "not a JPEG or PNG photo") {
		t.Errorf("bad: %q", s)
	}
	if shared != "" {
		if s := got(`document.getElementById('photo-ambiguous')?.innerText || ''`); !strings.Contains(s, shared+".jpg") ||
			strings.Count(s, shared) < 3 {
			t.Errorf("ambiguous %s: %q", shared, s)
		}
	}
}

// TestPhotoImportPage: the desk chooses a ZIP of photos named by 编号,
// ID number and name (with an unknown name, a duplicate and a text file),
// sees the dry run's report — nothing stored — imports, and exactly the
// three matched people then have photos; 取消 starts over. Then a folder
// of the same photos: its text file stays on the computer and is listed
// as not a photo.
func TestPhotoImportPage(t *testing.T) {
	srv, ctx := openPhotoImport(t)
	ps, shared := testkit.PhotoNamed(t, srv, 4)
	files := photoSet(t, ps, shared)
	dir := t.TempDir()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for name, data := range files {
		w, err := zw.Create("照片/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	zipPath := filepath.Join(dir, "代表照片.zip")
	if err := os.WriteFile(zipPath, zb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// 取消 after a dry run: back to the start, nothing stored.
	browsertest.Do(t, ctx, chromedp.SetUploadFiles("#photo-zip", []string{zipPath}))
	browsertest.Poll[bool](t, ctx, `document.getElementById('photo-chosen').textContent.includes('代表照片.zip')`, 0)
	browsertest.Click(t, ctx, "#photo-check")
	checkReport(t, ctx, ps, shared, "照片/")
	browsertest.Click(t, ctx, "#photo-cancel")
	browsertest.Poll[bool](t, ctx, `document.getElementById('photo-report').children.length === 0 && document.getElementById('photo-zip').value === ''`, 0)
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
		t.Fatalf("a dry run and 取消 stored %d photos", n)
	}

	browsertest.Do(t, ctx, chromedp.SetUploadFiles("#photo-zip", []string{zipPath}))
	browsertest.Click(t, ctx, "#photo-check")
	checkReport(t, ctx, ps, shared, "照片/")
	evalJS[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
	p := browsertest.Screenshot(t, ctx, shots(t), "photo-import-report.png")
	t.Logf("screenshot %s", p)
	// The page holds its width at 1440: nothing scrolls sideways.
	if w := evalJS[float64](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("the page is %.0f px wider than the window", w)
	}
	evalJS[bool](t, ctx, `(window.scrollTo(0, document.body.scrollHeight), true)`)
	t.Logf("screenshot %s", browsertest.Screenshot(t, ctx, shots(t), "photo-import-lists.png"))
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
		t.Fatalf("the dry run stored %d photos", n)
	}

	browsertest.Click(t, ctx, "#photo-confirm")
	browsertest.Poll[bool](t, ctx, `document.getElementById('photo-done')?.textContent.includes('已保存 3 张照片')`, 0)
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#photo-matched tbody tr').length`); n != 3 {
		t.Errorf("the stored list shows %d people, want 3", n)
	}
	evalJS[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
	t.Logf("screenshot %s", browsertest.Screenshot(t, ctx, shots(t), "photo-import-done.png"))
	for i, p := range ps {
		if got, want := hasPhoto(t, srv, p.ID), i < 3; got != want {
			t.Errorf("%s (%s) has a photo: %v, want %v", p.Name, p.Key, got, want)
		}
	}
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 3 {
		t.Errorf("%d photos stored, want 3", n)
	}

	// The same photos as a folder: sent one by one, its text file not sent.
	folder := filepath.Join(dir, "照片")
	for name, data := range files {
		p := filepath.Join(folder, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	browsertest.Click(t, ctx, "#photo-cancel")
	browsertest.Do(t, ctx, chromedp.SetUploadFiles("#photo-folder", []string{folder}))
	browsertest.Poll[bool](t, ctx, `document.getElementById('photo-chosen').textContent.includes('另有 1 个非照片文件不上传')`, 0)
	browsertest.Click(t, ctx, "#photo-check")
	checkReport(t, ctx, ps, shared, "照片/")
	// Now each matched person's photo is replaced, and the report says so.
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('#photo-matched td.ph-note')].filter(td => td.textContent.startsWith('替换现有照片')).length`); n != 3 {
		t.Errorf("%d matched rows say they replace a photo, want 3", n)
	}
	t.Logf("screenshot %s", browsertest.Screenshot(t, ctx, shots(t), "photo-import-folder.png"))
	browsertest.Click(t, ctx, "#photo-confirm")
	browsertest.Poll[bool](t, ctx, `document.getElementById('photo-done')?.textContent.includes('已保存 3 张照片')`, 0)
	var imports int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'photo.import'`).Scan(&imports)
	if imports != 2 {
		t.Errorf("%d imports audited, want 2", imports)
	}
	if hasPhoto(t, srv, ps[3].ID) {
		t.Errorf("the person with two files got a photo")
	}

	// The import view's other panel, the attendee list, and back: the
	// photos' report is still there.
	browsertest.Click(t, ctx, `#import-tabs a[data-panel="list"]`)
	browsertest.Poll[bool](t, ctx, `!document.getElementById('import-list').hidden && document.getElementById('import-photos').hidden &&
		document.querySelector('#import-tabs a.on').dataset.panel === 'list'`, 0)
	browsertest.Click(t, ctx, `#import-tabs a[data-panel="photos"]`)
	browsertest.Poll[bool](t, ctx, `!document.getElementById('import-photos').hidden && !!document.getElementById('photo-done')`, 0)
}

// TestPhotoImportPageRefusal: a file that is no ZIP is refused by the
// server, and the page shows its code and its words in both languages;
// a folder over the batch's 10 MB is refused before it is sent.
func TestPhotoImportPageRefusal(t *testing.T) {
	_, ctx := openPhotoImport(t)
	dir := t.TempDir()
	fake := filepath.Join(dir, "照片.zip")
	os.WriteFile(fake, []byte("编号,姓名\nD0001,张伟\n"), 0o600)
	browsertest.Do(t, ctx, chromedp.SetUploadFiles("#photo-zip", []string{fake}))
	browsertest.Click(t, ctx, "#photo-check")
	s := browsertest.Poll[string](t, ctx, `document.querySelector('#photo-error[data-code="not_zip"]')?.parentElement.innerText`, 0)
	if !strings.Contains(s, "未导入任何照片：上传的文件不是有效的 ZIP 压缩包") || !strings.Contains(s, "not a readable ZIP") || !strings.Contains(s, "not_zip") {
		t.Errorf("the refusal reads %q", s)
	}
	t.Logf("screenshot %s", browsertest.Screenshot(t, ctx, shots(t), "photo-import-refused.png"))
	if evalJS[bool](t, ctx, `!document.getElementById('photo-progress').hidden`) {
		t.Error("the progress bar stays after the refusal")
	}

	big := filepath.Join(dir, "大")
	os.MkdirAll(big, 0o755)
	for i := range 3 {
		os.WriteFile(filepath.Join(big, fmt.Sprintf("D%04d.jpg", i)), bytes.Repeat([]byte{0xa5}, 4<<20), 0o600)
	}
	browsertest.Do(t, ctx, chromedp.SetUploadFiles("#photo-folder", []string{big}))
	s = browsertest.Poll[string](t, ctx, `document.querySelector('#photo-error[data-code="files_too_large"]')?.innerText`, 0)
	if !strings.Contains(s, "超过 10 MB") {
		t.Errorf("the too-large folder reads %q", s)
	}

	// The import tab's words, with every tab shown, hold on one line each
	// at the desk laptop's 1280 px too.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(1280, 800))
	evalJS[bool](t, ctx, `(document.getElementById('tab-alerts').hidden = false, true)`)
	if hs := evalJS[[]float64](t, ctx, `[...document.querySelectorAll('#tabs a, #pages a')].map((a) => a.getBoundingClientRect().height)`); slices.Max(hs) > 58 {
		t.Errorf("the tabs wrap at 1280 px: heights %v", hs)
	}
	t.Logf("screenshot %s", browsertest.Screenshot(t, ctx, shots(t), "photo-import-1280.png"))
}
