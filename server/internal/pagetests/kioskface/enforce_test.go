package kioskface_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestKioskFaceEnforcedWithoutCamera: at a door that enforces 刷脸, a kiosk
// that cannot look (its camera refused, a USB scanner typing badges) lets
// nobody with a reference through unchecked: it answers 本机暂不能刷脸核验
// and sends no scan, so the person goes to the staff. A person with no
// reference (no consent) is let in as ever.
func TestKioskFaceEnforcedWithoutCamera(t *testing.T) {
	srv := testkit.Serve(t)
	people := testkit.Seated(t, srv, 2)
	checked, unchecked := people[0][0].(int64), people[1][0].(int64)

	// The checked person's photo, consent and a reference (any 1,024 bytes:
	// this kiosk never compares it).
	ps, err := srv.App.DB.PhotoPeople(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	for _, p := range ps {
		if p.ID == checked {
			b, err := os.ReadFile(browsertest.FacePhoto("astronaut.jpg"))
			if err != nil {
				t.Fatal(err)
			}
			w, _ := zw.Create(p.Key + ".jpg")
			w.Write(b)
		}
	}
	zw.Close()
	var rep testkit.PhotoReport
	if st := testkit.PostPhotos(t, srv, testkit.AdminToken, "", zipped.Bytes(), &rep); st != 200 || rep.Stored != 1 {
		t.Fatalf("photo import: HTTP %d %+v", st, rep)
	}
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/consent", checked), testkit.AdminToken, map[string]bool{"face": true}, nil); st != 200 {
		t.Fatalf("consent: HTTP %d", st)
	}
	var pending struct {
		Items []struct {
			PhotoAt string `json:"photo_at"`
		} `json:"items"`
	}
	if st := srv.Call("GET", "/faces/pending?model=human-3.3.6/faceres", testkit.AdminToken, nil, &pending); st != 200 || len(pending.Items) != 1 {
		t.Fatalf("pending: HTTP %d %+v", st, pending)
	}
	ref := make([]byte, 1024)
	for i := range ref {
		ref[i] = byte(i % 7)
	}
	body := map[string]string{"model": "human-3.3.6/faceres", "ref": base64.StdEncoding.EncodeToString(ref), "photo_at": pending.Items[0].PhotoAt}
	if st := srv.Call("PUT", fmt.Sprintf("/attendees/%d/face", checked), testkit.AdminToken, body, nil); st != 204 {
		t.Fatalf("reference: HTTP %d", st)
	}
	var def map[string]any
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 {
		t.Fatalf("definition: HTTP %d", st)
	}
	for _, c := range def["checkpoints"].([]any) {
		if cp := c.(map[string]any); cp["id"] == "hall-east" {
			cp["face"] = "enforce"
		}
	}
	if st := srv.Call("PUT", "/event", testkit.AdminToken, def, nil); st != 200 {
		t.Fatalf("PUT /event: HTTP %d", st)
	}

	// Badges are issued before the kiosk syncs: its cache holds issued badges only.
	tokens := map[int64]string{checked: testkit.CredentialOf(t, srv, checked), unchecked: testkit.CredentialOf(t, srv, unchecked)}
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	_, code := testkit.NewKiosk(t, srv, "东门扫码枪", "hall-east")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())
	browsertest.Poll[bool](t, ctx, `!document.getElementById('cam-error').hidden`, 10*time.Second)
	// The sealed references come with the kiosk's offline cache.
	browsertest.Poll[bool](t, ctx, `!!document.body.dataset.cacheExpires`, 20*time.Second)

	typeBadge := func(id int64) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(tokens[id]+"\r")); err != nil {
			t.Fatal(err)
		}
	}
	typeBadge(checked)
	if r := browsertest.NthResult(t, ctx, 1, browsertest.ShotDir(t, "kiosk"), "face-unavailable.png"); r.Status != "refused" || r.Code != "face_unavailable" {
		t.Fatalf("a person with a reference at an enforcing door, no camera: %+v, want refused face_unavailable", r)
	}
	msg := browsertest.Poll[string](t, ctx, `document.getElementById('result').innerText`, time.Second)
	if !bytes.Contains([]byte(msg), []byte("请找工作人员")) {
		t.Fatalf("the refusal does not send the person to the staff: %q", msg)
	}
	typeBadge(unchecked)
	if r := browsertest.NthResult(t, ctx, 2, "", ""); r.Status != "ok" || r.Attendee != unchecked {
		t.Fatalf("a person without a reference: %+v, want ok", r)
	}
	var n int
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM scans WHERE attendee_id = ?`, checked).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d scans of the unchecked person stored (%v), want none", n, err)
	}
}
