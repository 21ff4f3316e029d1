package browsertest_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"huiwu/server/internal/browsertest"
)

// TestPhotoY4M: a photo becomes one 640×480 I420 frame that Chromium's
// fake camera accepts (the header it needs), fitted and centred on grey,
// in colour.
func TestPhotoY4M(t *testing.T) {
	// A red photo twice as tall as wide: fitted to 240×480 in the middle.
	red := image.NewRGBA(image.Rect(0, 0, 100, 200))
	for i := range red.Pix {
		if i%4 == 0 || i%4 == 3 {
			red.Pix[i] = 255
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, red, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "red.jpg")
	if err := os.WriteFile(photo, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	clip, err := os.ReadFile(browsertest.PhotoY4M(t, photo))
	if err != nil {
		t.Fatal(err)
	}
	header := "YUV4MPEG2 W640 H480 F5:1 Ip A1:1 C420jpeg\nFRAME\n"
	if !bytes.HasPrefix(clip, []byte(header)) || len(clip) != len(header)+640*480*3/2 {
		t.Fatalf("clip of %d bytes starting %q, want the header and one 640×480 I420 frame", len(clip), clip[:min(len(clip), 60)])
	}
	frame := clip[len(header):]
	y, u, v := frame[:640*480], frame[640*480:640*480*5/4], frame[640*480*5/4:]
	wantY, wantU, wantV := color.RGBToYCbCr(255, 0, 0)
	near := func(got, want byte) bool { return int(got)-int(want) <= 6 && int(want)-int(got) <= 6 }
	if c := 240*640 + 320; !near(y[c], wantY) || !near(u[120*320+160], wantU) || !near(v[120*320+160], wantV) {
		t.Errorf("the middle is Y %d U %d V %d, want red (%d %d %d)", y[c], u[120*320+160], v[120*320+160], wantY, wantU, wantV)
	}
	if c := 240*640 + 100; y[c] != 128 || u[120*320+50] != 128 || v[120*320+50] != 128 {
		t.Errorf("beside the photo Y %d U %d V %d, want grey (128 128 128)", y[c], u[120*320+50], v[120*320+50])
	}
	if _, err := os.Stat(browsertest.FacePhoto("astronaut.jpg")); err != nil {
		t.Errorf("FacePhoto: %v", err)
	}
}
