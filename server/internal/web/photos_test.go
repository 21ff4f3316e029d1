package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"strings"
	"testing"

	"huiwu/server/internal/testkit"
)

// photoZip is a ZIP of one 900×1200 JPEG named name, noisy enough to be
// larger than an ordinary request body (64 KB).
func photoZip(t *testing.T, name string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 900, 1200))
	for y := range 1200 {
		for x := range 900 {
			img.Set(x, y, color.RGBA{uint8(x / 4), uint8(y / 5), uint8((x*7919 ^ y*104729) * 31), 255})
		}
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, nil); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(name)
	w.Write(pic.Bytes())
	zw.Close()
	return b.Bytes()
}

// photoFirstPerson is the demo's first attendee in list order.
func photoFirstPerson(t *testing.T, srv *testkit.Server) (id int64, key, name string) {
	t.Helper()
	ps, err := srv.App.DB.PhotoPeople(context.Background())
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	return ps[0].ID, ps[0].Key, ps[0].Name
}

// TestPhotoImportHTTP: the desk's dry run answers the report and stores
// nothing; the import stores the photo, which reads back as a 600×800
// JPEG, not cached; deleting it is audited and answered 404 after.
func TestPhotoImportHTTP(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, key, name := photoFirstPerson(t, srv)
	data := photoZip(t, "代表照片/"+key+".jpg")
	photo := fmt.Sprintf("/attendees/%d/photo.jpg", id)
	if len(data) <= 64<<10 {
		t.Fatalf("the test's ZIP is %d bytes, no larger than an ordinary body", len(data))
	}

	var rep testkit.PhotoReport
	if st := testkit.PostPhotos(t, srv, testkit.AdminToken, "?dry_run=1", data, &rep); st != 200 {
		t.Fatalf("dry run: HTTP %d", st)
	}
	if !rep.DryRun || rep.Stored != 0 || len(rep.Matched) != 1 || rep.Matched[0].AttendeeID != id || rep.Matched[0].Name != name || rep.Matched[0].By != "key" {
		t.Fatalf("dry run report %+v", rep)
	}
	if st, _, _ := testkit.PhotoGet(t, srv, "GET", photo, testkit.AdminToken); st != 404 {
		t.Fatalf("after the dry run the photo answers HTTP %d, want 404", st)
	}

	rep = testkit.PhotoReport{}
	if st := testkit.PostPhotos(t, srv, testkit.AdminToken, "", data, &rep); st != 200 || rep.Stored != 1 || rep.DryRun {
		t.Fatalf("import: HTTP %d %+v", st, rep)
	}
	st, h, body := testkit.PhotoGet(t, srv, "GET", photo, testkit.AdminToken)
	if st != 200 || h.Get("Content-Type") != "image/jpeg" || !strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Fatalf("photo: HTTP %d %v", st, h)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || format != "jpeg" || cfg.Width != 600 || cfg.Height != 800 {
		t.Fatalf("photo is %s %d×%d (%v), want a 600×800 JPEG", format, cfg.Width, cfg.Height, err)
	}

	if st, _, _ := testkit.PhotoGet(t, srv, "DELETE", fmt.Sprintf("/attendees/%d/photo", id), testkit.AdminToken); st != 204 {
		t.Fatalf("delete: HTTP %d", st)
	}
	var e struct{ Error struct{ Code string } }
	if st := srv.Call("GET", photo, testkit.AdminToken, nil, &e); st != 404 || e.Error.Code != "no_photo" {
		t.Fatalf("after delete: HTTP %d %s", st, e.Error.Code)
	}
	if st := srv.Call("DELETE", fmt.Sprintf("/attendees/%d/photo", id), testkit.AdminToken, nil, &e); st != 404 || e.Error.Code != "no_photo" {
		t.Fatalf("second delete: HTTP %d %s", st, e.Error.Code)
	}
	var actions []string
	rows, err := srv.App.DB.ForTest().R.Query(`SELECT action || ' ' || subject FROM audit WHERE action LIKE 'photo.%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, strings.TrimSpace(a))
	}
	rows.Close()
	if want := []string{"photo.import", fmt.Sprintf("photo.delete %d", id)}; strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audited %v, want %v", actions, want)
	}
}

// TestPhotoImportRefusals: an upload that is no ZIP, or no upload, is
// refused with a code and nothing stored.
func TestPhotoImportRefusals(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var e struct {
		Error struct {
			Code    string
			Message struct{ Zh, En string }
			Details struct{ File string }
		}
	}
	if st := testkit.PostPhotos(t, srv, testkit.AdminToken, "", []byte("编号,姓名\nD0001,张伟\n"), &e); st != 422 || e.Error.Code != "not_zip" ||
		e.Error.Message.Zh == "" || e.Error.Details.File != "照片.zip" {
		t.Errorf("a CSV: HTTP %d %+v", st, e.Error)
	}
	if st := srv.Call("POST", "/photos/import", testkit.AdminToken, map[string]any{}, &e); st != 400 || e.Error.Code != "no_file" {
		t.Errorf("no file: HTTP %d %s", st, e.Error.Code)
	}
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
		t.Errorf("%d photos stored", n)
	}
}

// TestPhotoRoutesDeskOnly walks every photo route: each refuses an
// usher, a screen, the chair, logistics staff and a kiosk. Photos are
// personal data no one but the desk reads, except the glance check's
// routes (glancePhotoRoutes, faces_glance_test.go: TestGlanceRoutesRoles).
func TestPhotoRoutesDeskOnly(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	refused := map[string]string{"usher": userTokenFor(t, srv, "usher"), "screen": userTokenFor(t, srv, "screen"),
		"chair": userTokenFor(t, srv, "chair"), "logistics": userTokenFor(t, srv, "logistics"), "kiosk": kiosk}
	id, _, _ := photoFirstPerson(t, srv)
	n := 0
	seen := map[string]bool{}
	for _, r := range srv.App.HTTP.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1") || !strings.Contains(r.Path, "photo") || r.Method == "HEAD" || seen[r.Method+r.Path] ||
			glancePhotoRoutes[r.Method+" "+r.Path] {
			continue
		}
		seen[r.Method+r.Path] = true
		n++
		path := strings.Replace(strings.TrimPrefix(r.Path, "/api/v1"), ":id", fmt.Sprint(id), 1)
		for role, tok := range refused {
			if st := srv.Call(r.Method, path, tok, map[string]any{}, nil); st != 403 {
				t.Errorf("%s %s as %s: HTTP %d, want 403", r.Method, path, role, st)
			}
		}
	}
	if n < 3 {
		t.Fatalf("found %d photo routes, want 3", n)
	}
}

// TestPhotoInNoOtherAnswer: once a person has a photo, the desk's other
// answers about them (the card, the list, the search) carry none of it,
// raw or base64.
func TestPhotoInNoOtherAnswer(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, key, name := photoFirstPerson(t, srv)
	if st := testkit.PostPhotos(t, srv, testkit.AdminToken, "", photoZip(t, key+".jpg"), nil); st != 200 {
		t.Fatalf("import: HTTP %d", st)
	}
	_, _, jpg := testkit.PhotoGet(t, srv, "GET", fmt.Sprintf("/attendees/%d/photo.jpg", id), testkit.AdminToken)
	if len(jpg) < 1000 {
		t.Fatalf("photo of %d bytes", len(jpg))
	}
	// A stretch from the middle of the image data, as it is and in base64.
	mid := jpg[len(jpg)/2 : len(jpg)/2+48]
	b64 := base64.StdEncoding.EncodeToString(jpg[len(jpg)/2-len(jpg)/2%3:])[:40]
	for _, path := range []string{fmt.Sprintf("/attendees/%d", id), fmt.Sprintf("/attendees/%d?edit=1", id),
		"/attendees?limit=1000", "/attendees?q=" + url.QueryEscape(name), "/event/definition"} {
		st, _, body := testkit.PhotoGet(t, srv, "GET", path, testkit.AdminToken)
		if st != 200 {
			t.Errorf("%s: HTTP %d", path, st)
		}
		if bytes.Contains(body, mid) || bytes.Contains(body, []byte(b64)) {
			t.Errorf("%s carries the photo", path)
		}
	}
}
