package desk_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// The desk's webcam, consent and 忘带证件 (issue 15.1, 15.5, 15.6) with
// Chromium's fake camera showing the test faces of
// server/internal/browsertest/testdata/faces.

// cropPart is part r of img.
func cropPart(img image.Image, r image.Rectangle) image.Image {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Rect, img, r.Min, draw.Src)
	return out
}

// sitting is the astronaut as she would sit before the desk's webcam: head
// and shoulders filling the 3:4 guide (her face about half its width, a
// little above the middle).
func sitting(t *testing.T) image.Image {
	return browsertest.Fit(cropPart(browsertest.DecodeFace(t, "astronaut.jpg"), image.Rect(110, 20, 345, 333)), 640, 480)
}

// twoPeople is two people side by side inside the guide.
func twoPeople(t *testing.T) image.Image {
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(frame, frame.Rect, image.NewUniform(color.RGBA{200, 200, 200, 255}), image.Point{}, draw.Src)
	left := browsertest.Fit(cropPart(browsertest.DecodeFace(t, "astronaut.jpg"), image.Rect(110, 20, 345, 333)), 160, 213)
	right := browsertest.Fit(browsertest.DecodeFace(t, "faceapi-sample3.jpg"), 160, 213)
	draw.Draw(frame, image.Rect(160, 130, 320, 343), left, image.Point{}, draw.Src)
	draw.Draw(frame, image.Rect(322, 130, 482, 343), right, image.Point{}, draw.Src)
	return frame
}

// nobody is a scene without a face: the cameraman's tripod and sky.
func nobody(t *testing.T) image.Image {
	return browsertest.Fit(cropPart(browsertest.DecodeFace(t, "cameraman.jpg"), image.Rect(300, 0, 512, 400)), 640, 480)
}

// farAway is the astronaut's whole photo: her face under half the guide's
// width, too far from the camera for a 证件照.
func farAway(t *testing.T) image.Image {
	return browsertest.Fit(browsertest.DecodeFace(t, "astronaut.jpg"), 640, 480)
}

// dimRoom is the astronaut sitting in a dim room.
func dimRoom(t *testing.T) image.Image {
	img := sitting(t).(*image.RGBA)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] /= 5
		}
	}
	return img
}

// deskWithCamera starts a server and a browser whose camera shows frame,
// signed in as admin on the desk page.
func deskWithCamera(t *testing.T, srv *testkit.Server, frame image.Image) context.Context {
	t.Helper()
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900), browsertest.FakeCamera(browsertest.FramesY4M(t, frame)))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspSeen = []; document.addEventListener('securitypolicyviolation', (e) => window.cspSeen.push(e.violatedDirective + ' ' + e.blockedURI));`}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.cspSeen || []`)); err == nil && len(v) > 0 {
			t.Errorf("CSP violations on the desk page: %v", v)
		}
	})
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/desk")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById('event-name').textContent !== '' && document.querySelectorAll('#results li').length > 0`)
	return ctx
}

// openCardOf finds attendee id by name and opens the card.
func openCardOf(t *testing.T, ctx context.Context, id int64, name string) {
	t.Helper()
	do(t, ctx, chromedp.SendKeys("#q", name))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]') !== null`, id))
	browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q && document.getElementById('btn-photo')`, name))
}

// takePicture, with the webcam dialog open, waits for the face engine and
// the live check, takes the picture and answers the verdict on it ("ok",
// or the problems' codes).
func takePicture(t *testing.T, ctx context.Context) string {
	t.Helper()
	waitJS(t, ctx, `document.getElementById('capture')?.open`)
	waitLong(t, ctx, `document.getElementById('cap-engine').textContent.includes('就绪') && !document.getElementById('cap-take').disabled && document.querySelector('#cap-checks li')`)
	do(t, ctx, chromedp.Click("#cap-take"))
	waitLong(t, ctx, `document.getElementById('capture').dataset.verdict`)
	return evalJS[string](t, ctx, `document.getElementById('capture').dataset.verdict`)
}

// TestDeskWebcamPhoto: on a person's card, 拍照 opens the webcam with its
// guide; with one face centred the live check says ready; the picture
// taken is checked again, kept, and stored 3:4 without EXIF, source
// 'desk'; the card then shows it.
func TestDeskWebcamPhoto(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := deskWithCamera(t, srv, sitting(t))
	id, name := someone(t, srv)
	openCardOf(t, ctx, id, name)
	if s := evalJS[string](t, ctx, `document.getElementById('card-consent-who').textContent`); !strings.Contains(s, "未询问") {
		t.Errorf("consent before anyone asked: %q", s)
	}

	do(t, ctx, chromedp.Click("#btn-photo"))
	waitJS(t, ctx, `document.getElementById('capture')?.open`)
	waitLong(t, ctx, `document.querySelector('#cap-checks li.ok')`)
	if g := evalJS[string](t, ctx, `document.getElementById('cap-guide').className`); !strings.Contains(g, "ok") {
		t.Errorf("the guide with one face in it: %q", g)
	}
	shot(t, ctx, "webcam-live.png")
	if v := takePicture(t, ctx); v != "ok" {
		t.Fatalf("the picture of one centred face: %q, want ok", v)
	}
	shot(t, ctx, "webcam-taken.png")
	if w, h := evalJS[int](t, ctx, `document.getElementById('cap-still').width`), evalJS[int](t, ctx, `document.getElementById('cap-still').height`); w*4 != h*3 {
		t.Errorf("the picture taken is %d×%d, not 3:4", w, h)
	}
	do(t, ctx, chromedp.Click("#cap-use"))
	waitJS(t, ctx, `!document.getElementById('capture').open`)
	waitJS(t, ctx, `document.querySelector('#card-photo img')?.naturalWidth > 0 && document.getElementById('btn-photo').textContent.includes('重新拍照')`)
	if evalJS[bool](t, ctx, `document.getElementById('cap-video').srcObject !== null`) {
		t.Error("the camera is still on after the dialog closed")
	}

	var source string
	var jpg []byte
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT source, jpeg FROM attendee_photos WHERE attendee_id = ?`, id).Scan(&source, &jpg); err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg))
	if err != nil || cfg.Width*4 != cfg.Height*3 || cfg.Width < 300 {
		t.Errorf("stored %d×%d (%v), want 3:4", cfg.Width, cfg.Height, err)
	}
	if source != "desk" || bytes.Contains(jpg, []byte("Exif")) {
		t.Errorf("stored from %q, EXIF %v", source, bytes.Contains(jpg, []byte("Exif")))
	}
	shot(t, ctx, "webcam-card.png")

	// Retaken: the card shows the new photo, not the one the page had.
	fetched := fmt.Sprintf(`performance.getEntriesByType('resource').filter((e) => e.name.startsWith(%q)).length`,
		fmt.Sprintf(`%s/api/v1/attendees/%d/photo.jpg`, srv.URL, id))
	before := evalJS[int](t, ctx, fetched)
	do(t, ctx, chromedp.Click("#btn-photo"))
	if v := takePicture(t, ctx); v != "ok" {
		t.Fatalf("the second picture: %q", v)
	}
	do(t, ctx, chromedp.Click("#cap-use"))
	waitJS(t, ctx, `!document.getElementById('capture').open`)
	waitJS(t, ctx, fmt.Sprintf(`%s > %d && document.querySelector('#card-photo img')?.complete`, fetched, before))

	// Consent: the checkbox records it with who and when.
	do(t, ctx, chromedp.Click("#card-consent"))
	waitJS(t, ctx, `document.getElementById('card-consent-who').textContent.includes('同意 ·')`)
	var consent int
	var actor string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT consent, actor FROM face_consents WHERE attendee_id = ?`, id).Scan(&consent, &actor); err != nil || consent != 1 || actor == "" {
		t.Errorf("consent stored %d by %q: %v", consent, actor, err)
	}
	do(t, ctx, chromedp.Click("#card-consent"))
	waitJS(t, ctx, `document.getElementById('card-consent-who').textContent.includes('不同意')`)
	srv.App.DB.ForTest().R.QueryRow(`SELECT consent FROM face_consents WHERE attendee_id = ?`, id).Scan(&consent)
	if consent != 0 {
		t.Errorf("withdrawn consent stored as %d", consent)
	}
	shot(t, ctx, "consent.png")

	// Deleted on the person's request: two clicks, the photo goes, the
	// recorded answer stays.
	do(t, ctx, chromedp.Click("#btn-biometrics"))
	waitJS(t, ctx, `document.getElementById('btn-biometrics').textContent.includes('确认删除')`)
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 1 {
		t.Fatalf("one click deleted: %d photos", n)
	}
	do(t, ctx, chromedp.Click("#btn-biometrics"))
	waitJS(t, ctx, `document.querySelector('#card-photo .none') && !document.getElementById('btn-biometrics') && document.getElementById('btn-photo').textContent.startsWith('拍照')`)
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
		t.Errorf("%d photos after the deletion", n)
	}
	var answers int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM face_consents WHERE attendee_id = ?`, id).Scan(&answers)
	if answers != 1 {
		t.Errorf("the recorded answer: %d rows, want 1 (kept)", answers)
	}
}

// offCentre is the astronaut sitting to one side of the guide: her face
// about a fifth of the guide's width left of its middle.
func offCentre(t *testing.T) image.Image {
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(frame, frame.Rect, image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	draw.Draw(frame, frame.Rect, sitting(t), image.Pt(70, 0), draw.Src)
	return frame
}

// brightRoom is the astronaut under a glaring light: every pixel four
// fifths of the way to white.
func brightRoom(t *testing.T) image.Image {
	img := sitting(t).(*image.RGBA)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = 255 - (255-img.Pix[i])/5
		}
	}
	return img
}

// TestDeskWebcamRefusesBadPictures: with nobody before the camera, or two
// people, the desk is told (未检测到人脸, 多张人脸) and the picture cannot
// be kept; in a dim room it is told 光线太暗, under glare 光线太亮, too far
// away 请靠近一些, off to one side 请移到框的中间 (and may keep those: the
// desk sees what the check cannot). Nothing is stored.
func TestDeskWebcamRefusesBadPictures(t *testing.T) {
	for _, c := range []struct {
		name  string
		frame func(*testing.T) image.Image
		code  string
		words string
		hard  bool // the picture cannot be kept
	}{
		{"nobody", nobody, "no_face", "未检测到人脸", true},
		{"two", twoPeople, "several_faces", "多张人脸", true},
		{"dark", dimRoom, "too_dark", "光线太暗", false},
		{"far", farAway, "too_small", "请靠近一些", false},
		{"offcentre", offCentre, "off_centre", "请移到框的中间", false},
		{"bright", brightRoom, "too_bright", "光线太亮", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := testkit.Serve(t)
			ctx := deskWithCamera(t, srv, c.frame(t))
			id, name := someone(t, srv)
			openCardOf(t, ctx, id, name)
			do(t, ctx, chromedp.Click("#btn-photo"))
			v := takePicture(t, ctx)
			shot(t, ctx, "webcam-"+c.name+".png")
			if !strings.Contains(v, c.code) {
				t.Errorf("verdict %q, want %s", v, c.code)
			}
			if s := evalJS[string](t, ctx, `document.getElementById('cap-checks').textContent`); !strings.Contains(s, c.words) {
				t.Errorf("the desk is told %q, want %q", s, c.words)
			}
			if kept := !evalJS[bool](t, ctx, `document.getElementById('cap-use').disabled`); kept == c.hard {
				t.Errorf("the picture can be kept: %v", kept)
			}
			do(t, ctx, chromedp.Click("#cap-cancel"))
			waitJS(t, ctx, `!document.getElementById('capture').open`)
			if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
				t.Errorf("%d photos stored", n)
			}
		})
	}
}

// storePhoto stores a JPEG as attendee id's photo and records their
// consent, as the desk would.
func storePhoto(t *testing.T, srv *testkit.Server, id int64, b []byte) {
	t.Helper()
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/attendees/%d/photo", srv.URL, id), bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	req.Header.Set("Content-Type", "image/jpeg")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("PUT photo of %d: %v %v", id, resp.Status, err)
	}
	resp.Body.Close()
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/consent", id), testkit.AdminToken, map[string]bool{"face": true}, nil); st != 200 {
		t.Fatalf("consent of %d: HTTP %d", id, st)
	}
}

// faceVerificationOn turns the event's face verification on.
func faceVerificationOn(t *testing.T, srv *testkit.Server) {
	t.Helper()
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	ev := def["event"].(map[string]any)
	if ev["face_verification"] == true {
		return
	}
	ev["face_verification"] = true
	if st := srv.Call("PUT", "/event", testkit.AdminToken, def, nil); st != 200 {
		t.Fatalf("face verification on: HTTP %d", st)
	}
}

// TestDeskForgotBadge (忘带证件): four people consented and have photos;
// the desk's page makes their references in the background, showing its
// progress and the one photo without a usable face; the webcam picture of one of them finds that person first
// among the most similar, with photos; only the desk's click opens the
// card, for 补签 or a reprint.
func TestDeskForgotBadge(t *testing.T) {
	srv := testkit.Serve(t)
	faceVerificationOn(t, srv)
	var ids []int64
	rows, err := srv.App.DB.ForTest().R.Query(`SELECT id FROM attendees WHERE status = 'active' ORDER BY rank, id LIMIT 4`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for i, name := range []string{"faceapi-sample3.jpg", "astronaut.jpg", "faceapi-sample6.jpg"} {
		b, err := os.ReadFile(browsertest.FacePhoto(name))
		if err != nil {
			t.Fatal(err)
		}
		storePhoto(t, srv, ids[i], b)
	}
	// A photo without a face (a tripod and the sky): no reference.
	var empty bytes.Buffer
	if err := jpeg.Encode(&empty, nobody(t), nil); err != nil {
		t.Fatal(err)
	}
	storePhoto(t, srv, ids[3], empty.Bytes())
	astronaut := ids[1]
	var astronautName string
	srv.App.DB.ForTest().R.QueryRow(`SELECT name FROM attendees WHERE id = ?`, astronaut).Scan(&astronautName)

	ctx := deskWithCamera(t, srv, sitting(t))
	// The references, made by this page from the stored photos.
	waitLong(t, ctx, `document.getElementById('face-progress')?.dataset.done === '3' && document.getElementById('face-progress').dataset.noface === '1'`)
	if s := evalJS[string](t, ctx, `document.getElementById('face-progress').textContent`); !strings.Contains(s, "人脸特征 3 / 4") || !strings.Contains(s, "1 张照片未找到人脸") {
		t.Errorf("progress %q", s)
	}
	var refs int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM face_refs`).Scan(&refs)
	if refs != 3 {
		t.Fatalf("%d references stored, want 3", refs)
	}
	shot(t, ctx, "forgot-progress.png")

	waitJS(t, ctx, `!document.getElementById('btn-forgot').hidden`)
	do(t, ctx, chromedp.Click("#btn-forgot"))
	if v := takePicture(t, ctx); v != "ok" {
		t.Fatalf("the picture: %q", v)
	}
	do(t, ctx, chromedp.Click("#cap-use"))
	waitLong(t, ctx, `document.getElementById('forgot')?.open && document.querySelectorAll('#forgot-matches li').length === 3`)
	waitJS(t, ctx, `[...document.querySelectorAll('#forgot-matches img')].every((i) => i.complete && i.naturalWidth > 0)`)
	shot(t, ctx, "forgot-matches.png")
	if first := evalJS[string](t, ctx, `document.querySelector('#forgot-matches li').dataset.id`); first != fmt.Sprint(astronaut) {
		t.Errorf("first match %s, want %d (the person before the camera)", first, astronaut)
	}
	if evalJS[bool](t, ctx, `!!document.getElementById('card-name') && document.getElementById('card-name').textContent === `+fmt.Sprintf("%q", astronautName)) {
		t.Error("the card opened before anyone confirmed")
	}
	do(t, ctx, chromedp.Click(`#forgot-matches li:first-child button.confirm`))
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q`, astronautName))
	shot(t, ctx, "forgot-card.png")
	var searches int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'face.search'`).Scan(&searches)
	if searches != 1 {
		t.Errorf("%d face.search audit rows, want 1", searches)
	}
}

// TestDeskWebcamWithoutFaceEngine: in a browser that cannot run the face
// engine (no Web Workers here), the webcam still takes the photo: the
// dialog says faces are not checked, the light is, and the photo is
// stored; 忘带证件 says it cannot search by face, without a picture.
func TestDeskWebcamWithoutFaceEngine(t *testing.T) {
	srv := testkit.Serve(t)
	faceVerificationOn(t, srv)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900), browsertest.FakeCamera(browsertest.FramesY4M(t, sitting(t))))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete window.Worker;`}); err != nil {
		t.Fatal(err)
	}
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk"))
	waitJS(t, ctx, `document.querySelectorAll('#results li').length > 0`)
	id, name := someone(t, srv)
	openCardOf(t, ctx, id, name)

	do(t, ctx, chromedp.Click("#btn-photo"))
	waitJS(t, ctx, `document.getElementById('cap-engine').textContent.includes('人脸检测不可用')`)
	waitJS(t, ctx, `!document.getElementById('cap-take').disabled`)
	do(t, ctx, chromedp.Click("#cap-take"))
	waitJS(t, ctx, `document.getElementById('capture').dataset.verdict`)
	if v := evalJS[string](t, ctx, `document.getElementById('capture').dataset.verdict`); v != "ok" {
		t.Errorf("verdict without the engine: %q, want ok (the light alone)", v)
	}
	shot(t, ctx, "webcam-no-engine.png")
	do(t, ctx, chromedp.Click("#cap-use"))
	waitJS(t, ctx, `document.querySelector('#card-photo img')?.naturalWidth > 0`)
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 1 {
		t.Errorf("%d photos stored, want 1", n)
	}

	waitJS(t, ctx, `!document.getElementById('btn-forgot').hidden`)
	do(t, ctx, chromedp.Click("#btn-forgot"))
	waitJS(t, ctx, `document.getElementById('toast').textContent.includes('无法刷脸查找')`)
	if evalJS[bool](t, ctx, `!!document.getElementById('capture')?.open`) {
		t.Error("the webcam opened for a search that cannot run")
	}
}

// TestDeskWebcamMissing: without a camera (here, none allowed) the dialog
// says so in both languages and nothing can be taken.
func TestDeskWebcamMissing(t *testing.T) {
	srv, ctx := openDesk(t)
	id, name := someone(t, srv)
	openCardOf(t, ctx, id, name)
	do(t, ctx, chromedp.Click("#btn-photo"))
	waitJS(t, ctx, `document.querySelector('#cap-checks li[data-code="camera"]')`)
	if s := evalJS[string](t, ctx, `document.querySelector('#cap-checks li[data-code="camera"]').textContent`); !strings.Contains(s, "摄像头") || !strings.Contains(s, "amera") {
		t.Errorf("the desk is told %q", s)
	}
	if !evalJS[bool](t, ctx, `document.getElementById('cap-take').disabled`) {
		t.Error("拍照 can be pressed without a camera")
	}
	shot(t, ctx, "webcam-missing.png")
}
