package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/photos"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// badgePhoto is a stored photo as the desk's import leaves it: one
// colour, normalised by the photos package.
func badgePhoto(t *testing.T, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 450, 600))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	p, err := photos.Normalize(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return p.JPEG
}

// TestBadgePhotoRoutes: on a photo layout the badge, its preview and a
// batch carry each person's stored photo (a frame for who has none, and
// the print still goes out); the plain layouts carry none; the print log
// names the layout.
func TestBadgePhotoRoutes(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	ctx := context.Background()
	var ids []int64
	rows, err := srv.App.DB.ForTest().R.Query(`SELECT id FROM attendees WHERE category = 'observer' AND status = 'active' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < 3 {
		t.Fatalf("%d observers in the demo", len(ids))
	}
	// Everyone but the first has a photo.
	teal := color.RGBA{20, 160, 150, 255}
	photo := badgePhoto(t, teal)
	var put []store.PhotoPut
	for _, id := range ids[1:] {
		put = append(put, store.PhotoPut{Attendee: id, JPEG: photo, Width: 600, Height: 800})
	}
	if err := srv.App.DB.PutPhotos(ctx, put, "test", "badge photos"); err != nil {
		t.Fatal(err)
	}
	without, with := ids[0], ids[1]

	badge := func(id int64, query string) []byte {
		t.Helper()
		resp, pdf := get(t, fmt.Sprintf("%s/api/v1/attendees/%d/badge.pdf%s", srv.URL, id, query), "Authorization", admin)
		if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("badge.pdf%s of %d: HTTP %d %.200s", query, id, resp.StatusCode, pdf)
		}
		return pdf
	}
	if pdf := badge(with, "?size=cr80-photo"); !bytes.Contains(pdf, photo) {
		t.Error("the photo badge does not carry the stored photo")
	}
	if pdf := badge(without, "?layout=a6-photo"); bytes.Contains(pdf, []byte("/DCTDecode")) || !strings.Contains(pdftotext(t, pdf), "照片") {
		t.Error("a person without a photo: want the frame saying 照片 and no image")
	}
	if pdf := badge(with, ""); bytes.Contains(pdf, []byte("/DCTDecode")) {
		t.Error("the plain CR80 badge carries a photo")
	}
	var layout string
	srv.App.DB.ForTest().R.QueryRow(`SELECT layout FROM badge_prints WHERE attendee_id = ? AND kind = 'badge' ORDER BY id LIMIT 1`, with).Scan(&layout)
	if layout != "cr80-photo" {
		t.Errorf("print log layout %q, want cr80-photo", layout)
	}

	// The preview: the box is the photo's colour.
	resp, body := get(t, fmt.Sprintf("%s/api/v1/attendees/%d/badge.png?size=cr80-photo&dpi=300", srv.URL, with), "Authorization", admin)
	if resp.StatusCode != 200 {
		t.Fatalf("badge.png: HTTP %d", resp.StatusCode)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := render.Default()
	l, _ := r.Templates().Layout("cr80-photo", "observer")
	px := func(mm float64) int { return int(math.Round(mm / 25.4 * 300)) }
	cr, cg, cb, _ := img.At(px(l.Photo.X+l.Photo.W/2), px(l.Photo.Y+l.Photo.H/2)).RGBA()
	if math.Abs(float64(cr>>8)-float64(teal.R)) > 20 || math.Abs(float64(cg>>8)-float64(teal.G)) > 20 || math.Abs(float64(cb>>8)-float64(teal.B)) > 20 {
		t.Errorf("preview's photo box is %d,%d,%d, want the photo's %v", cr>>8, cg>>8, cb>>8, teal)
	}

	// A batch: one image per person with a photo, a frame for the one without.
	var j struct {
		ID, State string
		Badges    int
	}
	if st := srv.Call("POST", "/badges/batches", testkit.AdminToken, map[string]any{"category": "observer", "size": "lanyard-photo"}, &j); st != 202 {
		t.Fatalf("batch: HTTP %d", st)
	}
	for deadline := time.Now().Add(60 * time.Second); j.State != "done"; time.Sleep(50 * time.Millisecond) {
		if j.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("batch %+v", j)
		}
		srv.Call("GET", "/badges/batches/"+j.ID, testkit.AdminToken, nil, &j)
	}
	_, pdf := get(t, srv.URL+"/api/v1/badges/batches/"+j.ID+"/pdf", "Authorization", admin)
	if n := bytes.Count(pdf, []byte("/DCTDecode")); n != len(ids)-1 || j.Badges != len(ids) {
		t.Errorf("batch of %d badges with %d images, want %d and %d", j.Badges, n, len(ids), len(ids)-1)
	}
	if n := strings.Count(pdftotext(t, pdf), "照片"); n != 1 {
		t.Errorf("%d frames in the batch, want 1", n)
	}

	var e struct{ Error struct{ Code string } }
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/badge.png?size=cr80-foto", with), testkit.AdminToken, nil, &e); st != 400 || e.Error.Code != "bad_size" {
		t.Errorf("an unknown size: HTTP %d %q", st, e.Error.Code)
	}
	var sizes []struct {
		ID    string
		Photo bool
	}
	srv.Call("GET", "/badges/layouts", testkit.AdminToken, nil, &sizes)
	if fmt.Sprint(sizes) != "[{a6 false} {a6-photo true} {a7 false} {a7-photo true} {cr80 false} {cr80-photo true} {lanyard false} {lanyard-photo true}]" {
		t.Errorf("layouts %v", sizes)
	}
}

// TestPhotoBatchLimit: a batch on a photo layout is held to fewer badges
// than a plain one (each carries its photo, and the PDF is built in
// memory); a smaller one starts (TestBadgePhotoRoutes).
func TestPhotoBatchLimit(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	// The demo's 600, and as many again: more than a photo batch's 1,000.
	if _, err := srv.App.DB.ForTest().W.Exec(`INSERT INTO attendees (key, name, category, delegation_id, status, created_at, updated_at)
		SELECT key || '-2', name, category, delegation_id, status, created_at, updated_at FROM attendees`); err != nil {
		t.Fatal(err)
	}
	var n int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM attendees WHERE status = 'active'`).Scan(&n)
	if n <= 1000 {
		t.Fatalf("%d active attendees; the test wants more than a photo batch's 1,000", n)
	}
	var e struct{ Error struct{ Code string } }
	if st := srv.Call("POST", "/badges/batches", testkit.AdminToken, map[string]any{"size": "a7-photo"}, &e); st != 400 || e.Error.Code != "batch_too_large" {
		t.Errorf("%d photo badges in one batch: HTTP %d %q", n, st, e.Error.Code)
	}
	if resp, _ := get(t, srv.URL+"/api/v1/badges.pdf?size=cr80-photo", "Authorization", admin); resp.StatusCode != 400 {
		t.Errorf("badges.pdf of %d photo badges: HTTP %d", n, resp.StatusCode)
	}
}
