package kioskface_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// faceLayoutJS measures the result screen with the door's checks on it:
// what browsertest.ResultLayoutJS measures, and the face check's line and
// the glance photo inside the viewport, the photo 3:4 and beside the name.
const faceLayoutJS = `(() => {
  const l = ` + browsertest.ResultLayoutJS + `;
  const vw = innerWidth, vh = innerHeight;
  const box = (sel) => { const el = document.querySelector(sel); return el && !el.hidden ? el.getBoundingClientRect() : null; };
  const out = (r) => r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5;
  const face = box('#r-face'), photo = box('#r-person .r-photo:not(.empty)'), name = box('.r-name');
  if (face && out(face)) l.bad.push('face line outside the viewport');
  if (photo) {
    if (out(photo)) l.bad.push('photo outside the viewport');
    if (Math.abs(photo.width / photo.height - 0.75) > 0.03) l.bad.push('photo not 3:4: ' + photo.width + 'x' + photo.height);
    if (name && (name.left < photo.right || name.top > photo.bottom)) l.bad.push('name not beside the photo');
    const img = document.querySelector('#r-person .r-photo img');
    if (img && !(img.complete && img.naturalWidth > 0)) l.bad.push('photo not drawn');
  }
  return { ...l, face: face ? document.querySelector('#r-face').dataset.result : '', photo: document.getElementById('result').dataset.photo };
})()`

// testPhotoURL is a data: URL of a 300×400 JPEG, standing in for a photo.
func testPhotoURL(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 400))
	for y := range 400 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(120 + x/5), uint8(90 + y/8), 140, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

// TestKioskFaceResultLayouts (issue 15.3–15.4): the result screen with a
// face check's outcome — 核验通过, 未通过 let in by a checkpoint that only
// advises (amber, not green), 未通过 refused by one that enforces (red),
// 未检测到人脸 — and the glance photo beside the name, or the words for
// no photo, fit a portrait floor-stand kiosk, a landscape screen and a
// tablet both ways, with the seat still on screen.
func TestKioskFaceResultLayouts(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	shots := browsertest.ShotDir(t, "kiosk")
	ctx := browsertest.New(t, browsertest.WindowSize(1080, 1920), browsertest.CameraDenied)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/kiosk")); err != nil {
		t.Fatal(err)
	}
	browsertest.Poll[bool](t, ctx, `document.body.dataset.screen === 'pair'`, 20*time.Second)
	// The scanner core is built on first use: a build still running when
	// the test ends would hold the server's shutdown.
	browsertest.Poll[bool](t, ctx, `!!document.body.dataset.core`, 3*time.Minute)
	photo := testPhotoURL(t)
	person := map[string]any{
		"attendee": map[string]any{"id": 7, "display_name": "欧阳明远", "category_name": "代表", "category_color": "#c8102e", "delegation": "云州代表团"},
		"guidance": map[string]any{"seat": "C-17-27", "section": "C", "row": 17, "number": 27, "venue": "大会堂", "venue_en": "Great Hall",
			"route": map[string]any{"zh": "请从本入口进入后右转，沿走廊到C区", "en": "Turn right inside this door and follow the aisle to Section C"}},
		"message": map[string]any{}, "scan_id": "s1",
	}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range person {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name  string
		res   map[string]any
		face  any
		photo any
		tone  string
		words []string
	}{
		{"pass", with(map[string]any{"status": "ok"}), map[string]any{"result": "pass", "distance": 0.12},
			map[string]any{"state": "shown", "url": photo}, "ok", []string{"签到成功", "人脸核验通过", "Face verified", "17排"}},
		{"fail-advise", with(map[string]any{"status": "ok"}), map[string]any{"result": "fail", "distance": 0.55},
			map[string]any{"state": "shown", "url": photo}, "warn", []string{"签到成功", "人脸核验未通过", "已通知工作人员"}},
		{"fail-enforce", with(map[string]any{"status": "not_entitled", "code": "face_mismatch",
			"message": map[string]any{"zh": "请到报到处核对身份", "en": "Please have your identity checked at the registration desk"}}),
			map[string]any{"result": "fail", "distance": 0.61}, map[string]any{"state": "shown", "url": photo}, "bad",
			[]string{"人脸核验未通过", "报到处"}},
		{"noface", with(map[string]any{"status": "ok"}), map[string]any{"result": "noface"},
			map[string]any{"state": "none"}, "warn", []string{"未检测到人脸", "无照片"}},
		{"glance-only", with(map[string]any{"status": "ok"}), nil,
			map[string]any{"state": "shown", "url": photo}, "ok", []string{"签到成功", "17排"}},
	}
	sizes := [][2]int64{{1080, 1920}, {1920, 1080}, {1280, 800}, {800, 1280}}
	for _, c := range cases {
		res, _ := json.Marshal(c.res)
		face, _ := json.Marshal(c.face)
		ph, _ := json.Marshal(c.photo)
		// The page's own modules draw it, as showResult does after a scan.
		js := fmt.Sprintf(`(async () => {
		  const m = await import('/static/kiosk/result.js');
		  const root = document.getElementById('result');
		  const res = %s; res.face_check = %s;
		  m.render(root, res, 'entrance');
		  m.renderCheck(root, %s, %s);
		  for (const id of ['boot', 'pair', 'scan', 'result', 'noevent']) document.getElementById(id).hidden = !(id === 'result' || id === 'scan');
		  await new Promise((r) => setTimeout(r, 100));
		  return true;
		})()`, res, face, face, ph)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		for _, sz := range sizes {
			if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride,
				emulation.SetDeviceMetricsOverrideParams{Width: sz[0], Height: sz[1], DeviceScaleFactor: 1}); err != nil {
				t.Fatal(err)
			}
			var l struct {
				browsertest.ResultLayout
				Face  string `json:"face"`
				Photo string `json:"photo"`
			}
			l2, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](faceLayoutJS))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(l2, &l); err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, ctx, shots, fmt.Sprintf("face-%s-%dx%d.png", c.name, sz[0], sz[1]))
			for _, b := range l.Bad {
				t.Errorf("%s at %d×%d: %s", c.name, sz[0], sz[1], b)
			}
			if !strings.Contains(l.Tone, c.tone) {
				t.Errorf("%s at %d×%d: tone %q, want %s", c.name, sz[0], sz[1], l.Tone, c.tone)
			}
			for _, w := range c.words {
				if !strings.Contains(l.Text, w) {
					t.Errorf("%s at %d×%d: does not say %s (%q)", c.name, sz[0], sz[1], w, l.Text)
				}
			}
		}
	}
}
