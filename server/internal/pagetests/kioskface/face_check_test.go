package kioskface_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// faceRefsJS computes the references of photos (base64 JPEGs) with the
// page's own face engine, as the desk does for consenting people, and
// answers them in the wire format, with the engine's model.
const faceRefsJS = `(async (photos) => {
  const f = await import('/static/common/face.js');
  const engine = await f.openFace();
  const refs = [];
  try {
    for (const b64 of photos) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const r = await engine.analyse(new Blob([bytes], { type: 'image/jpeg' }));
      refs.push(r.faces[0] && r.faces[0].embedding ? f.toBase64(r.faces[0].embedding) : '');
    }
  } finally {
    engine.close();
  }
  return { model: f.MODEL, refs };
})`

// doorFrame is what a kiosk's camera sees of a person at the door: their
// face (a photo, or nobody) on the left and the badge's QR code held up on
// the right (none: token ""), on a grey wall.
func doorFrame(t *testing.T, face image.Image, token string) image.Image {
	t.Helper()
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(frame, frame.Rect, image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	if face != nil {
		fit := browsertest.Fit(face, 400, 400)
		draw.Draw(frame, image.Rect(0, 40, 400, 440), fit, image.Point{}, draw.Src)
	}
	if token == "" { // the badge lowered
		return frame
	}
	q, err := qrcode.New(token, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	badge := q.Image(236)
	at := image.Pt(402, (480-236)/2)
	draw.Draw(frame, badge.Bounds().Add(at), badge, image.Point{}, draw.Src)
	return frame
}

// faceResult is a result screen as window.huiwuKiosk.results keeps it,
// with the door's checks.
type kioskFaceResult struct {
	browsertest.KioskResult
	Face *struct {
		Result   string   `json:"result"`
		Distance *float64 `json:"distance"`
		Frames   int      `json:"frames"`
		Sent     int      `json:"sent"`
		FirstMs  int      `json:"firstMs"`
		Ms       int      `json:"ms"`
	} `json:"face"`
	Photo  string `json:"photo"`
	ReadMs int    `json:"readMs"`
	Scan   string `json:"scan"` // the scan id, as #result's data-scan while it is shown
}

// TestKioskFaceCheck (issue 15.3–15.4, "How it is checked"): a paired
// kiosk at a door that enforces 刷脸 and shows photos, the fake camera
// showing a person and their badge. The badge's holder's own photo → 核验通过
// and let in; another person's face over a consenting holder's badge →
// 未通过, refused (face_mismatch) and the usher's tablet alerted with the
// holder's photo; a badge with no face in the picture → 未检测到人脸,
// refused (face_not_seen); a holder who gave no consent → no face check,
// the glance photo only, let in. Each face decision is on screen within a
// second of the badge being read; the added time is logged.
func TestKioskFaceCheck(t *testing.T) {
	srv := testkit.Serve(t)
	people := testkit.Seated(t, srv, 4)
	same, other, noConsent, nobody := people[0][0].(int64), people[1][0].(int64), people[2][0].(int64), people[3][0].(int64)
	photoOf := map[int64]string{same: "astronaut.jpg", other: "cameraman.jpg", noConsent: "cameraman.jpg", nobody: "cameraman.jpg"}

	// The desk stores their photos (the ZIP import, by 编号) …
	keys := map[int64]string{}
	ps, err := srv.App.DB.PhotoPeople(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		keys[p.ID] = p.Key
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	for id, name := range photoOf {
		b, err := os.ReadFile(browsertest.FacePhoto(name))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(keys[id] + ".jpg")
		w.Write(b)
	}
	zw.Close()
	var rep testkit.PhotoReport
	if st := testkit.PostPhotos(t, srv, testkit.AdminToken, "", zipped.Bytes(), &rep); st != 200 || rep.Stored != 4 {
		t.Fatalf("photo import: HTTP %d %+v", st, rep)
	}
	// … and the consent of three of them.
	for _, id := range []int64{same, other, nobody} {
		if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/consent", id), testkit.AdminToken, map[string]bool{"face": true}, nil); st != 200 {
			t.Fatalf("consent of %d: HTTP %d", id, st)
		}
	}
	// The east door enforces the face check (the demo only advises there).
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	for _, c := range def["checkpoints"].([]any) {
		if cp := c.(map[string]any); cp["id"] == "hall-east" {
			if cp["photo_check"] != true {
				t.Fatalf("the demo's east door does not show photos: %v", cp)
			}
			cp["face"] = "enforce"
		}
	}
	if st := srv.Call("PUT", "/event", testkit.AdminToken, def, nil); st != 200 {
		t.Fatalf("PUT /event: HTTP %d", st)
	}

	tokens := map[int64]string{}
	for _, id := range []int64{same, other, noConsent, nobody} {
		tokens[id] = testkit.CredentialOf(t, srv, id)
	}
	astronaut := browsertest.DecodeFace(t, "astronaut.jpg")
	wall := image.NewRGBA(image.Rect(0, 0, 640, 480)) // nobody in front of the kiosk
	draw.Draw(wall, wall.Rect, image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	// Each person holds the badge up with their face in view for 1.2 s,
	// lowers the badge and looks on for 2.4 s more (so the face is there
	// for as long as the kiosk may look, however late in the first part the
	// badge was read, and the camera's frames reach the page late on a
	// loaded machine), then leaves: the wall for 0.6 s. The clip loops.
	var frames []image.Image
	for _, seg := range []struct {
		face image.Image
		who  int64
	}{{astronaut, same}, {astronaut, other}, {nil, nobody}, {astronaut, noConsent}} {
		withBadge, without := doorFrame(t, seg.face, tokens[seg.who]), image.Image(wall)
		if seg.face != nil {
			without = doorFrame(t, seg.face, "")
		}
		for range 6 {
			frames = append(frames, withBadge)
		}
		for range 12 {
			frames = append(frames, without)
		}
		for range 3 {
			frames = append(frames, wall)
		}
	}
	clip := browsertest.FramesY4M(t, frames...)

	shots := browsertest.ShotDir(t, "kiosk")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.FakeCamera(clip))

	// The desk's page computes the references from the stored photos, with
	// the same engine (here: the kiosk page's, before it is paired).
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/kiosk")); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, ctx, `document.body.dataset.screen === 'pair'`, 20*time.Second)
	var pending struct {
		Items []struct {
			ID      int64  `json:"id"`
			PhotoAt string `json:"photo_at"`
		} `json:"items"`
	}
	if st := srv.Call("GET", "/faces/pending?model=human-3.3.6/faceres", testkit.AdminToken, nil, &pending); st != 200 || len(pending.Items) != 3 {
		t.Fatalf("pending references: HTTP %d %+v, want the three who consented", st, pending)
	}
	var photos []string
	for _, p := range pending.Items {
		st, _, b := testkit.PhotoGet(t, srv, "GET", fmt.Sprintf("/attendees/%d/photo.jpg", p.ID), testkit.AdminToken)
		if st != 200 {
			t.Fatalf("photo of %d: HTTP %d", p.ID, st)
		}
		photos = append(photos, fmt.Sprintf("%q", base64.StdEncoding.EncodeToString(b)))
	}
	refs := browsertest.FaceCall[struct {
		Model string   `json:"model"`
		Refs  []string `json:"refs"`
	}](t, ctx, faceRefsJS+"(["+strings.Join(photos, ",")+"])")
	for i, p := range pending.Items {
		if refs.Refs[i] == "" {
			t.Fatalf("no face found in the photo of %d", p.ID)
		}
		body := map[string]string{"model": refs.Model, "ref": refs.Refs[i], "photo_at": p.PhotoAt}
		if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/face", p.ID), testkit.AdminToken, body, nil); st != 204 {
			t.Fatalf("reference of %d: HTTP %d", p.ID, st)
		}
	}

	// The usher's tablet at the hall, signed in, on a browser of its own.
	uctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	browsertest.SignIn(t, uctx, srv.URL, testkit.AdminToken)
	if err := chromedp.Do(uctx, chromedp.Navigate(srv.URL+"/usher?session=opening")); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, uctx, `window.usher && usher.faces && usher.faces.loads > 0`, 30*time.Second)

	_, code := testkit.NewKiosk(t, srv, "东门刷脸机", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())
	// Scans before the engine is ready (at most its first second or two)
	// are not what this test judges.
	browsertest.Poll[bool](t, ctx, `window.huiwuKiosk.face.state === 'ready' || window.huiwuKiosk.face.state === 'unavailable'`, 60*time.Second)
	if st := browsertest.Poll[map[string]any](t, ctx, `window.huiwuKiosk.face`, time.Second); st["state"] != "ready" {
		t.Fatalf("face engine at the kiosk: %v", st)
	}
	// 请看摄像头 while a face is checked.
	browsertest.Poll[bool](t, ctx, `document.body.dataset.facecheck === 'on' && !document.getElementById('face-prompt').hidden`, 20*time.Second)
	browsertest.Screenshot(t, ctx, shots, "face-prompt.png")
	from := browsertest.Poll[int](t, ctx, `window.huiwuKiosk.results.length + 1`, time.Second)

	seen := map[int64]kioskFaceResult{}
	var faceMs, readMs, plainMs []int
	unjudged, late := 0, 0
	for n := from; len(seen) < 4 || len(faceMs) < 6; n++ {
		if n > from+20 {
			// What the kiosk saw and decided, to tell a badge never read
			// from one read and then lost.
			seenBy := browsertest.Poll[any](t, ctx, `({ sightings: window.huiwuKiosk.sightings.slice(-40), checks: window.huiwuKiosk.face.checks.slice(-10),
				results: window.huiwuKiosk.results.slice(-12).map((r) => [Math.round(r.at), r.attendee, r.status, r.code, r.face && r.face.result]) })`, time.Second)
			t.Fatalf("after %d results, still missing some: %v\nthe kiosk: %v", n-from, seen, seenBy)
		}
		r := browsertest.Poll[kioskFaceResult](t, ctx, fmt.Sprintf(`window.huiwuKiosk.results[%d] || null`, n-1), 30*time.Second)
		if r.Face != nil {
			faceMs = append(faceMs, r.Face.Ms)
			readMs = append(readMs, r.ReadMs)
		} else {
			plainMs = append(plainMs, r.ReadMs)
		}
		if _, ok := seen[r.Attendee]; ok {
			continue
		}
		if r.Face != nil && r.Face.Frames == 0 {
			// No frame came back in time (a machine under load): this check
			// says nothing of the engine; the clip comes round again.
			unjudged++
			t.Logf("attendee %d: no frame judged: %s", r.Attendee, faceWords(r))
			continue
		}
		if r.Face != nil && r.Face.Result == "noface" && r.Attendee != nobody {
			// The person had left the picture by the time the kiosk looked:
			// on a loaded machine the camera's frames reach the page late,
			// so the badge is read after the clip has moved on to the wall.
			// At a real door the person is still there; the clip comes
			// round again.
			late++
			t.Logf("attendee %d: looked after they had gone: %s", r.Attendee, faceWords(r))
			continue
		}
		seen[r.Attendee] = r
		name := map[int64]string{same: "pass", other: "fail", nobody: "noface", noConsent: "glance"}[r.Attendee]
		if name == "" {
			t.Fatalf("a result for someone else: %+v", r)
		}
		// Hold the screen still for the screenshot and the checks.
		screen := browsertest.Poll[map[string]string](t, ctx, `(clearTimeout(window.huiwuKiosk.state.resultTimer), {
			scan: document.getElementById('result').dataset.scan,
			face: document.getElementById('result').dataset.face, tone: document.getElementById('result').className,
			photo: document.getElementById('result').dataset.photo,
			drawn: String(!!(document.querySelector('#r-person .r-photo img') || {}).naturalWidth),
			text: document.getElementById('result').innerText.replace(/\s+/g, ' ') })`, time.Second)
		if name == "glance" || name == "pass" {
			// The photo may come a moment after the result (on a loaded
			// machine CI found none yet beside a passed face).
			screen = browsertest.Poll[map[string]string](t, ctx, `(() => { const img = document.querySelector('#r-person .r-photo img');
				const scan = document.getElementById('result').dataset.scan;
				if (scan !== `+strconv.Quote(r.Scan)+`) return { scan };
				return img && img.naturalWidth > 0 && { scan,
				photo: document.getElementById('result').dataset.photo, drawn: 'true',
				face: document.getElementById('result').dataset.face, tone: document.getElementById('result').className,
				text: document.getElementById('result').innerText.replace(/\s+/g, ' ') }; })()`, 3*time.Second)
		}
		if screen["scan"] != r.Scan {
			// A loaded machine read the next badge of the clip before this
			// test looked: the screen shows a later result, not this one's.
			// The clip comes round again.
			late++
			delete(seen, r.Attendee)
			t.Logf("%s: the screen had moved on to scan %q before it was looked at (this one %q)", name, screen["scan"], r.Scan)
			continue
		}
		browsertest.Screenshot(t, ctx, shots, "face-"+name+".png")
		t.Logf("%s: %s %s, face %s, photo %s", name, r.Status, r.Code, faceWords(r), screen["photo"])
		want := func(ok bool, what string) {
			if !ok {
				t.Errorf("%s: %s; result %+v face %+v, screen %v", name, what, r.KioskResult, r.Face, screen)
			}
		}
		if r.Face != nil {
			// Within the second as a rule (the median, below); a first frame
			// later than that is waited for up to 2 s.
			want(r.Face.Ms <= 2100, fmt.Sprintf("face decided %d ms after the badge was read", r.Face.Ms))
		}
		switch name {
		case "pass":
			want(r.Face != nil && r.Face.Result == "pass", "face not verified")
			want(r.Status == "ok" || r.Status == "already", "not let in")
			want(strings.Contains(screen["text"], "人脸核验通过") && screen["face"] == "pass", "the screen does not say 核验通过")
			want(screen["drawn"] == "true", "no photo beside the name")
		case "fail":
			want(r.Face != nil && r.Face.Result == "fail", "another person's face not caught")
			want(r.Status == "not_entitled" && r.Code == "face_mismatch", "not refused as face_mismatch")
			want(strings.Contains(screen["text"], "未通过") && strings.Contains(screen["tone"], "bad"), "the screen does not say 未通过 in red")
		case "noface":
			want(r.Face != nil && r.Face.Result == "noface", "a face seen where there is none")
			want(r.Status == "not_entitled" && r.Code == "face_not_seen", "not refused as face_not_seen")
			want(strings.Contains(screen["text"], "未检测到人脸"), "the screen does not say 未检测到人脸")
		case "glance":
			want(r.Face == nil, "a face check of a person who gave no consent")
			want(r.Status == "ok" || r.Status == "already", "not let in")
			want(screen["photo"] == "shown" && screen["drawn"] == "true", "no glance photo")
			want(!strings.Contains(screen["text"], "人脸核验"), "the screen speaks of a face check")
		}
	}

	// What the server kept: one face check per checked scan, none of the
	// person without consent; the two refusals as open alerts.
	var checks []string
	rows, err := srv.App.DB.ForTest().R.Query(`SELECT attendee_id, result, refused FROM face_checks ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var res string
		var refused bool
		rows.Scan(&id, &res, &refused)
		checks = append(checks, fmt.Sprintf("%d:%s:%v", id, res, refused))
		if id == noConsent {
			t.Errorf("a face check stored for %d, who gave no consent", id)
		}
	}
	rows.Close()
	for _, w := range []string{fmt.Sprintf("%d:pass:false", same), fmt.Sprintf("%d:fail:true", other), fmt.Sprintf("%d:noface:true", nobody)} {
		if !slices.Contains(checks, w) {
			t.Errorf("face_checks %v lack %s", checks, w)
		}
	}

	// The usher's tablet: an alert for the badge another face held, with
	// the holder's photo, and one for no face; the door's last scans with
	// photos.
	// One card per alert: under load the kiosk can read the same badge
	// again after its holder left the picture, and that second try is an
	// alert of its own (no face); the card looked for is the mismatch's.
	alert := browsertest.Poll[map[string]any](t, uctx, fmt.Sprintf(`(() => {
		const card = [...document.querySelectorAll('#face-alerts li[data-attendee="%d"]')].find((c) => c.innerText.includes('人脸核验未通过'));
		const img = card && card.querySelector('img');
		return card && !document.getElementById('face-alerts').hidden && img && img.naturalWidth > 0 &&
		  { text: card.innerText.replace(/\s+/g, ' '), alerts: usher.faces.alerts.length };
	})()`, other), 10*time.Second)
	if !strings.Contains(alert["text"].(string), "人脸核验未通过") || !strings.Contains(alert["text"].(string), "东门刷脸机") {
		t.Errorf("usher's alert says %q", alert["text"])
	}
	browsertest.Poll[bool](t, uctx, fmt.Sprintf(`!!document.querySelector('#face-alerts li[data-attendee="%d"]')`, nobody), 5*time.Second)
	browsertest.Poll[bool](t, uctx, fmt.Sprintf(`(() => { const row = document.querySelector('#recent-box li[data-attendee="%d"] img');
		return !!row && row.naturalWidth > 0 && !document.getElementById('recent-box').hidden; })()`, noConsent), 15*time.Second)
	browsertest.Screenshot(t, uctx, shots, "usher-face-alert.png")

	// Checked: the alert goes, from this tablet and the server.
	id := browsertest.Poll[string](t, uctx, fmt.Sprintf(`document.querySelector('#face-alerts li[data-attendee="%d"]').dataset.id`, other), time.Second)
	if err := chromedp.Do(uctx, chromedp.Click(chromedp.CSS(`#face-alerts li[data-id="`+id+`"] .fa-done`))); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, uctx, `!document.querySelector('#face-alerts li[data-id="`+id+`"]')`, 5*time.Second)
	var resolved string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT coalesce(resolved_by, '') FROM face_checks WHERE id = ?`, id).Scan(&resolved); err != nil || resolved == "" {
		t.Errorf("alert %s not resolved on the server (%v)", id, err)
	}

	// Offline (the server's answers to scans do not come): the kiosk still
	// checks faces, against the references sealed in its cache, and its
	// core refuses the other face as the server would.
	browsertest.RefuseScans(t, ctx, 503, "unavailable", "服务器不可用", "server unavailable")
	offline := map[int64]kioskFaceResult{}
	for n := browsertest.Poll[int](t, ctx, `window.huiwuKiosk.results.length + 1`, time.Second); len(offline) < 2; n++ {
		if n > from+40 {
			t.Fatalf("offline: still missing results: %v", offline)
		}
		r := browsertest.Poll[kioskFaceResult](t, ctx, fmt.Sprintf(`window.huiwuKiosk.results[%d] || null`, n-1), 30*time.Second)
		if r.Offline && (r.Attendee == same || r.Attendee == other) && offline[r.Attendee].Attendee == 0 && r.Face != nil && r.Face.Frames > 0 &&
			r.Face.Result != "noface" { // looked after they had gone: see above
			offline[r.Attendee] = r
			t.Logf("offline %d: %s %s, face %s", r.Attendee, r.Status, r.Code, faceWords(r))
		}
	}
	if r := offline[same]; r.Face == nil || r.Face.Result != "pass" || r.Status != "already" {
		t.Errorf("offline, the holder's own face: %+v face %s, want already with a pass", r.KioskResult, faceWords(r))
	}
	if r := offline[other]; r.Face == nil || r.Face.Result != "fail" || r.Code != "face_mismatch" {
		t.Errorf("offline, another face: %+v face %s, want refused face_mismatch", r.KioskResult, faceWords(r))
	}
	browsertest.Screenshot(t, ctx, shots, "face-offline.png")

	slices.Sort(faceMs)
	slices.Sort(readMs)
	slices.Sort(plainMs)
	if med(faceMs) > 1000 {
		// A figure, not a failure: on a loaded machine a frame alone takes
		// most of a second in the worker (CI: p50 825 ms). The quiet
		// machine's figures are in docs/kiosk-faces.md.
		t.Logf("QR read → face decided: median %d ms over %v, over the second here (a loaded machine)", med(faceMs), faceMs)
	}
	if unjudged*2 > len(faceMs) {
		t.Errorf("%d of %d face checks judged no frame in time", unjudged, len(faceMs))
	}
	if late > 0 {
		t.Logf("%d of %d face checks looked after the person had left the clip", late, len(faceMs))
	}
	t.Logf("QR read → face decided: p50 %d ms, max %d ms over %d checks; QR read → result on screen: with the face check p50 %d ms, max %d ms; without (glance only) p50 %d ms over %d",
		faceMs[len(faceMs)/2], faceMs[len(faceMs)-1], len(faceMs), readMs[len(readMs)/2], readMs[len(readMs)-1],
		med(plainMs), len(plainMs))
	stats := browsertest.Poll[map[string]any](t, ctx, `(() => { const f = window.huiwuKiosk.face; const s = [...f.frameMs].sort((a, b) => a - b);
		return { loadMs: f.loadMs, frames: s.length, p50: s[s.length >> 1] || 0, max: s[s.length - 1] || 0 }; })()`, time.Second)
	t.Logf("face engine at the kiosk: loaded and warmed in %v ms; per frame in the worker p50 %v ms, max %v ms over %v frames",
		stats["loadMs"], stats["p50"], stats["max"], stats["frames"])
}

func med(v []int) int {
	if len(v) == 0 {
		return 0
	}
	return v[len(v)/2]
}

// faceWords is a face check for the log.
func faceWords(r kioskFaceResult) string {
	f := r.Face
	if f == nil {
		return "none"
	}
	d := "-"
	if f.Distance != nil {
		d = fmt.Sprintf("%.3f", *f.Distance)
	}
	return fmt.Sprintf("%s (distance %s, %d/%d frames, first after %d ms, decided after %d ms; on screen %d ms after the read)",
		f.Result, d, f.Frames, f.Sent, f.FirstMs, f.Ms, r.ReadMs)
}
