package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// webcamJPEG is a w×h JPEG as a desk's canvas might send one, with an EXIF
// segment naming a camera and a comment holding a place, both of which
// the stored photo must not keep.
func webcamJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	seg := func(marker byte, payload string) []byte {
		n := len(payload) + 2
		return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
	}
	// An Exif APP1 (big-endian TIFF, one IFD entry: Make = "WEBCAMX")
	// and a COM segment, after SOI.
	tiff := "MM\x00\x2a\x00\x00\x00\x08" + "\x00\x01" + "\x01\x0f\x00\x02\x00\x00\x00\x08\x00\x00\x00\x1a" + "\x00\x00\x00\x00" + "WEBCAMX\x00"
	out := append([]byte{0xFF, 0xD8}, seg(0xE1, "Exif\x00\x00"+tiff)...)
	out = append(out, seg(0xFE, "GPS 39.9042N 116.4074E")...)
	return append(out, b.Bytes()[2:]...)
}

// putPhoto sends body as the desk's webcam photo of attendee id.
func putPhoto(t testing.TB, url, token string, id int64, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/attendees/%d/photo", url, id), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestPhotoDeskCapture: the desk's webcam picture (landscape, with EXIF
// and a comment) is stored cropped to 3:4, as a new JPEG without either,
// with source 'desk', audited with the person; the answer says its size
// and photo_at, the time a face reference must be computed against.
func TestPhotoDeskCapture(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, _, _ := photoFirstPerson(t, srv)
	shot := webcamJPEG(t, 1280, 720)
	if !bytes.Contains(shot, []byte("WEBCAMX")) || !bytes.Contains(shot, []byte("116.4074E")) {
		t.Fatal("the test picture lacks its EXIF and comment")
	}
	st, body := putPhoto(t, srv.URL, testkit.AdminToken, id, "image/jpeg", shot)
	var got struct {
		Width, Height int
		PhotoAt       string `json:"photo_at"`
	}
	if err := json.Unmarshal(body, &got); st != 200 || err != nil {
		t.Fatalf("PUT photo: HTTP %d %s", st, body)
	}
	if got.Width != 540 || got.Height != 720 {
		t.Errorf("stored %d×%d, want 540×720 (3:4, not enlarged)", got.Width, got.Height)
	}
	if _, err := time.Parse(time.RFC3339Nano, got.PhotoAt); err != nil {
		t.Errorf("photo_at %q: %v", got.PhotoAt, err)
	}

	st, _, jpg := testkit.PhotoGet(t, srv, "GET", fmt.Sprintf("/attendees/%d/photo.jpg", id), testkit.AdminToken)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(jpg))
	if st != 200 || err != nil || format != "jpeg" || cfg.Width*4 != cfg.Height*3 {
		t.Fatalf("read back: HTTP %d %s %d×%d %v", st, format, cfg.Width, cfg.Height, err)
	}
	for _, leak := range []string{"Exif", "WEBCAMX", "116.4074E"} {
		if bytes.Contains(jpg, []byte(leak)) {
			t.Errorf("the stored photo keeps %q", leak)
		}
	}
	var source, at string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT source, at FROM attendee_photos WHERE attendee_id = ?`, id).Scan(&source, &at); err != nil || source != "desk" {
		t.Errorf("stored source %q (%v), want desk", source, err)
	}
	if at != got.PhotoAt {
		t.Errorf("photo_at %q, stored at %q", got.PhotoAt, at)
	}
	var audited int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = 'photo.desk' AND subject = ?`, fmt.Sprint(id)).Scan(&audited)
	if audited != 1 {
		t.Errorf("%d photo.desk audit rows, want 1", audited)
	}

	// Taken again: replaced, a later photo_at.
	st, body = putPhoto(t, srv.URL, testkit.AdminToken, id, "image/jpeg", webcamJPEG(t, 640, 480))
	var again struct {
		PhotoAt string `json:"photo_at"`
	}
	if json.Unmarshal(body, &again); st != 200 || again.PhotoAt <= got.PhotoAt {
		t.Errorf("retake: HTTP %d %s (first at %s)", st, body, got.PhotoAt)
	}
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 1 {
		t.Errorf("%d photos stored, want 1", n)
	}
}

// TestPhotoDeskCaptureRefusals: what is no JPEG or PNG, a body of another
// type, a person who does not exist, and a body over the limit are each
// refused with their code, and nothing is stored.
func TestPhotoDeskCaptureRefusals(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	id, _, _ := photoFirstPerson(t, srv)
	code := func(b []byte) string {
		var e struct{ Error struct{ Code string } }
		json.Unmarshal(b, &e)
		return e.Error.Code
	}
	cases := []struct {
		name, ctype string
		id          int64
		body        []byte
		status      int
		code        string
	}{
		{"text as a JPEG", "image/jpeg", id, []byte("not a photo at all"), 422, "not_photo"},
		{"empty", "image/jpeg", id, nil, 422, "not_photo"},
		{"a thumbnail", "image/jpeg", id, webcamJPEG(t, 40, 30), 422, "photo_too_small"},
		{"JSON", "application/json", id, []byte(`{"photo":"…"}`), 415, "photo_content_type"},
		{"no such person", "image/jpeg", 999999, webcamJPEG(t, 320, 240), 404, "not_found"},
		{"over 8 MB", "image/jpeg", id, append(webcamJPEG(t, 320, 240), make([]byte, 8<<20)...), 413, "too_large"},
	}
	for _, c := range cases {
		st, body := putPhoto(t, srv.URL, testkit.AdminToken, c.id, c.ctype, c.body)
		if st != c.status || code(body) != c.code {
			t.Errorf("%s: HTTP %d %s, want %d %s", c.name, st, body, c.status, c.code)
		}
	}
	if n, _ := srv.App.DB.PhotoCount(context.Background()); n != 0 {
		t.Errorf("%d photos stored", n)
	}
}
