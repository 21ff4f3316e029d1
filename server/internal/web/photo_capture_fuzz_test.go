package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// FuzzPhotoPut sends arbitrary bodies and content types to the desk's
// PUT …/photo: every answer is a stored photo (3:4, within 600×800, a
// JPEG without EXIF) or a refusal with a code, never a server error.
// Images declaring more than a megapixel are left to the photos package's
// own fuzz test, which lowers the pixel budget for them.
func FuzzPhotoPut(f *testing.F) {
	srv := testkit.Serve(f)
	people, err := srv.App.DB.PhotoPeople(context.Background())
	if err != nil || len(people) == 0 {
		f.Fatal(err)
	}
	id := people[0].ID
	f.Add("image/jpeg", webcamJPEG(f, 320, 240))
	f.Add("image/png", []byte("\x89PNG\r\n\x1a\n"))
	f.Add("image/jpeg; charset=x", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Add("text/plain", []byte("hello"))
	client := &http.Client{Timeout: 30 * time.Second}
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		if len(body) > 256<<10 {
			t.Skip()
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err == nil && int64(cfg.Width)*int64(cfg.Height) > 1<<20 {
			t.Skip()
		}
		req, err := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/attendees/%d/photo", srv.URL, id), bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
		req.Header.Set("Content-Type", ctype)
		resp, err := client.Do(req)
		if err != nil {
			t.Skip() // a content type net/http will not send
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200:
			var got struct{ Width, Height int }
			if err := json.Unmarshal(b, &got); err != nil || got.Width > 600 || got.Height > 800 || got.Width < 1 {
				t.Fatalf("stored %s", b)
			}
			if d := got.Width*4 - got.Height*3; d > 4 || d < -4 {
				t.Fatalf("stored %d×%d, not 3:4", got.Width, got.Height)
			}
			if jpg := getPhoto(t, client, srv.URL, id); bytes.Contains(jpg, []byte("Exif")) || !bytes.HasPrefix(jpg, []byte{0xFF, 0xD8}) {
				t.Fatal("the stored photo is no JPEG or keeps EXIF")
			}
		case 400, 413, 415, 422:
			var e struct{ Error struct{ Code string } }
			if json.Unmarshal(b, &e) != nil || e.Error.Code == "" {
				t.Fatalf("HTTP %d without a code: %s", resp.StatusCode, b)
			}
		default:
			t.Fatalf("HTTP %d %s", resp.StatusCode, b)
		}
	})
}

func getPhoto(t *testing.T, client *http.Client, url string, id int64) []byte {
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/attendees/%d/photo.jpg", url, id), nil)
	req.Header.Set("Authorization", "Bearer "+testkit.AdminToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}
