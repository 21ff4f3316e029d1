package desk_test

import (
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huiwu/kiosk"
	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// faceHarness drives kiosk/web/common/face.js from a page, as the desk and
// the kiosk will: it keeps the engine and answers plain JSON (references
// as their base64 wire format).
const faceHarness = `
window.faceTest = (() => {
  let f, engine;
  const sum = (r) => ({ ms: r.ms, width: r.width, height: r.height,
    faces: r.faces.map((x) => ({ box: x.box, score: x.score, real: x.real, live: x.live, ref: x.embedding ? f.toBase64(x.embedding) : '' })) });
  return {
    async open(opts) {
      f = await import('/static/common/face.js');
      try {
        engine = await f.openFace(opts);
      } catch (e) {
        return { error: e.name, code: e.code || '', zh: e.zh || '', en: e.en || '' };
      }
      return { model: f.MODEL, threshold: f.THRESHOLD, ...engine.info };
    },
    async photo(b64) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      return sum(await engine.analyse(new Blob([bytes], { type: 'image/jpeg' })));
    },
    async blank() {
      const c = document.createElement('canvas');
      c.width = 640; c.height = 480;
      const g = c.getContext('2d');
      g.fillStyle = '#777'; g.fillRect(0, 0, 640, 480);
      return sum(await engine.analyse(c));
    },
    async camera(n) {
      const s = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      const v = document.createElement('video');
      v.muted = true; v.srcObject = s;
      await v.play();
      const out = [];
      for (let i = 0; i < n; i++) out.push(sum(await engine.analyse(v)));
      s.getTracks().forEach((t) => t.stop());
      return out;
    },
    wire(ref) {
      let short = 'accepted';
      try { f.fromBase64('AAAA'); } catch (e) { short = e.name; }
      return { same: f.toBase64(f.fromBase64(ref)) === ref, self: f.distance(f.fromBase64(ref), f.fromBase64(ref)), short };
    },
    async warmAndClose(b64) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: 'image/jpeg' });
      const e2 = await f.openFace({ warm: blob, live: false });
      const r = await e2.analyse(blob);
      e2.close();
      let closed = 'analysed after close';
      try { await e2.analyse(blob); } catch (e) { closed = e.code; }
      return { warmMs: e2.info.warmMs, faces: r.faces.length, real: r.faces[0] ? r.faces[0].real : 'no face', ms: r.ms, closed };
    },
    judge(probe, ref) {
      const r = { faces: probe ? [{ embedding: f.fromBase64(probe) }] : [] };
      return f.judge(r, ref);
    },
  };
})();`

type faceInfo struct {
	Model     string  `json:"model"`
	Threshold float64 `json:"threshold"`
	Backend   string  `json:"backend"`
	LoadMs    int     `json:"loadMs"`
	WarmMs    int     `json:"warmMs"`
	Error     string  `json:"error"`
	Code      string  `json:"code"`
	Zh        string  `json:"zh"`
	En        string  `json:"en"`
}

type faceResult struct {
	Ms     int `json:"ms"`
	Width  int `json:"width"`
	Height int `json:"height"`
	Faces  []struct {
		Box struct {
			X, Y, W, H int
		} `json:"box"`
		Score float64  `json:"score"`
		Real  *float64 `json:"real"`
		Live  *float64 `json:"live"`
		Ref   string   `json:"ref"`
	} `json:"faces"`
}

type faceJudgement struct {
	Result   string   `json:"result"`
	Distance *float64 `json:"distance"`
}

func photoB64(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(browsertest.FacePhoto(name))
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// TestFaceEngineAtTheDesk (issue 15, the face engine): the desk page,
// under its own CSP (without 'wasm-unsafe-eval'), opens common/face.js,
// whose worker runs Human on WebAssembly under the worker's own policy; a photo
// gives one face and a reference; the camera showing the same photo gives
// a reference within THRESHOLD of it (same person); other people's
// photos are beyond THRESHOLD; a face turned aside and a blank frame give
// no face. The fixtures: server/internal/browsertest/testdata/faces.
func TestFaceEngineAtTheDesk(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	ctx := browsertest.New(t, browsertest.FakeCamera(browsertest.PhotoY4M(t, browsertest.FacePhoto("astronaut.jpg"))))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browsertest.CSPWatch}); err != nil {
		t.Fatal(err)
	}
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/desk"))
	if err != nil {
		t.Fatal(err)
	}
	csp := fmt.Sprint(resp.Headers["Content-Security-Policy"])
	if !strings.Contains(csp, "style-src-attr") {
		t.Fatalf("/desk answered CSP %q, not the desk's", csp)
	}
	if strings.Contains(csp, "wasm-unsafe-eval") {
		t.Log("the desk's own policy allows WebAssembly now; the worker's policy is no longer tested alone here")
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](faceHarness)); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	info := browsertest.FaceCall[faceInfo](t, ctx, `faceTest.open({ maxFaces: 3 })`)
	if info.Error != "" || info.Backend != "wasm" {
		t.Fatalf("openFace at the desk: %+v; CSP violations %v", info, browsertest.CSPViolations(t, ctx))
	}
	if info.Model != "human-3.3.6/faceres" {
		t.Errorf("MODEL %q", info.Model)
	}
	t.Logf("open: load %d ms, warm-up %d ms, %s in all", info.LoadMs, info.WarmMs, time.Since(start).Round(time.Millisecond))

	photo := browsertest.FaceCall[faceResult](t, ctx, `faceTest.photo('`+photoB64(t, "astronaut.jpg")+`')`)
	if len(photo.Faces) != 1 || len(photo.Faces[0].Ref) == 0 || photo.Width != 512 {
		t.Fatalf("astronaut.jpg: %+v, want one face with a reference in a 512-px photo", photo)
	}
	if b, _ := base64.StdEncoding.DecodeString(photo.Faces[0].Ref); len(b) != 1024 {
		t.Fatalf("a reference of %d bytes, want 1024", len(b))
	}
	if f := photo.Faces[0]; f.Box.W < 100 || f.Box.X < 100 || f.Box.X > 300 || f.Real == nil || f.Live == nil {
		t.Errorf("astronaut.jpg: face %+v, want a box around her face (x≈170, w≈150 px) and real/live scores", f)
	}
	ref := photo.Faces[0].Ref
	if w := browsertest.FaceCall[struct {
		Same  bool    `json:"same"`
		Self  float64 `json:"self"`
		Short string  `json:"short"`
	}](t, ctx, fmt.Sprintf(`faceTest.wire(%q)`, ref)); !w.Same || w.Self > 1e-9 || w.Short != "TypeError" {
		t.Errorf("the wire format: %+v, want a round trip, distance 0 to itself, a TypeError for 3 bytes", w)
	}

	frames := browsertest.FaceCall[[]faceResult](t, ctx, `faceTest.camera(4)`)
	var ms []int
	var dists []float64
	for i, fr := range frames {
		if len(fr.Faces) != 1 || fr.Width != 640 || fr.Height != 480 {
			t.Fatalf("camera frame %d: %+v, want one face in 640×480", i, fr)
		}
		j := browsertest.FaceCall[faceJudgement](t, ctx, fmt.Sprintf(`faceTest.judge(%q, %q)`, fr.Faces[0].Ref, ref))
		if j.Result != "pass" || j.Distance == nil || *j.Distance > info.Threshold {
			t.Errorf("camera frame %d against the photo: %+v, want pass ≤ %.2f", i, j, info.Threshold)
		}
		ms = append(ms, fr.Ms)
		if j.Distance != nil {
			dists = append(dists, *j.Distance)
		}
	}
	t.Logf("camera frames (640×480, one face, embed): %v ms in the worker; distances to the photo %v", ms, dists)

	for _, name := range []string{"faceapi-sample3.jpg", "faceapi-sample6.jpg"} {
		other := browsertest.FaceCall[faceResult](t, ctx, `faceTest.photo('`+photoB64(t, name)+`')`)
		if len(other.Faces) != 1 || other.Faces[0].Ref == "" {
			t.Fatalf("%s: %+v, want one face", name, other)
		}
		j := browsertest.FaceCall[faceJudgement](t, ctx, fmt.Sprintf(`faceTest.judge(%q, %q)`, other.Faces[0].Ref, ref))
		if j.Result != "fail" || j.Distance == nil || *j.Distance <= info.Threshold {
			t.Errorf("%s against the astronaut: %+v, want fail > %.2f", name, j, info.Threshold)
		}
		t.Logf("%s against the astronaut: %+v (%d ms)", name, *j.Distance, other.Ms)
	}
	if turned := browsertest.FaceCall[faceResult](t, ctx, `faceTest.photo('`+photoB64(t, "cameraman.jpg")+`')`); len(turned.Faces) != 0 {
		t.Errorf("cameraman.jpg (face turned aside, behind a camera): %+v, want no face", turned)
	}

	blank := browsertest.FaceCall[faceResult](t, ctx, `faceTest.blank()`)
	if len(blank.Faces) != 0 {
		t.Errorf("a blank frame: %+v, want no face", blank)
	}
	if j := browsertest.FaceCall[faceJudgement](t, ctx, fmt.Sprintf(`faceTest.judge('', %q)`, ref)); j.Result != "noface" || j.Distance != nil {
		t.Errorf("no face: %+v, want noface without a distance", j)
	}
	t.Logf("blank frame: %d ms", blank.Ms)
	// A second engine, warmed up on a face, without the advisory scores;
	// closed, it refuses more work.
	w := browsertest.FaceCall[struct {
		WarmMs int    `json:"warmMs"`
		Faces  int    `json:"faces"`
		Real   any    `json:"real"`
		Ms     int    `json:"ms"`
		Closed string `json:"closed"`
	}](t, ctx, `faceTest.warmAndClose('`+photoB64(t, "faceapi-sample6.jpg")+`')`)
	if w.Faces != 1 || w.Real != nil || w.Closed != "face_closed" {
		t.Errorf("an engine warmed on a face, live off, then closed: %+v, want one face, real null, face_closed", w)
	}
	t.Logf("warmed on a face: warm-up %d ms, then a frame in %d ms", w.WarmMs, w.Ms)
	if v := browsertest.CSPViolations(t, ctx); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
}

// TestFaceEngineRefusesSlowBackends: where the worker may not compile
// WebAssembly (a policy without 'wasm-unsafe-eval'), Human would quietly
// fall back to WebGL or the CPU, seconds a frame; openFace refuses with
// FaceUnavailable face_backend, in Chinese and English.
func TestFaceEngineRefusesSlowBackends(t *testing.T) {
	const noWasm = "default-src 'none'; script-src 'self'; connect-src 'self'; worker-src 'self'"
	static := http.FileServerFS(kiosk.Web)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", noWasm)
		switch {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>face</title>`)
		case r.URL.Path == "/kiosk/face-worker.js":
			b, err := fs.ReadFile(kiosk.Web, "kiosk/face-worker.js")
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(b)
		case strings.HasPrefix(r.URL.Path, "/static/"):
			http.StripPrefix("/static", static).ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](faceHarness)); err != nil {
		t.Fatal(err)
	}
	info := browsertest.FaceCall[faceInfo](t, ctx, `faceTest.open()`)
	if info.Error != "FaceUnavailable" || info.Code != "face_backend" || info.Zh == "" || info.En == "" || info.Backend != "" {
		t.Fatalf("openFace without 'wasm-unsafe-eval': %+v, want FaceUnavailable face_backend with zh and en", info)
	}
}
