package browsertest

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // photos for the fake camera
	_ "image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// Camera frames are what Chromium's fake camera plays: 640×480 I420.
const (
	frameW = 640
	frameH = 480
)

// FacePhoto answers the path of a face photo in testdata/faces (see its
// README for who, where from and under what licence), e.g.
// FacePhoto("astronaut.jpg").
func FacePhoto(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "faces", name)
}

// DecodeFace decodes one of the test faces (FacePhoto).
func DecodeFace(t testing.TB, name string) image.Image {
	t.Helper()
	f, err := os.Open(FacePhoto(name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// PhotoY4M writes a one-frame Y4M clip for FakeCamera showing the photo
// (a JPEG or PNG file) as large as fits the 640×480 frame, centred on
// grey, in colour. The clip loops, so the camera shows the photo for as
// long as the test runs. It answers the clip's path, in the test's
// temporary directory.
func PhotoY4M(t testing.TB, photo string) string {
	t.Helper()
	f, err := os.Open(photo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", photo, err)
	}
	return FramesY4M(t, Fit(img, frameW, frameH))
}

// Fit answers img scaled to fit a w×h frame, centred on grey (what a
// camera pointed at a photo on a plain wall would roughly see).
func Fit(img image.Image, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Rect, image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	b := img.Bounds()
	sw, sh := w, b.Dy()*w/b.Dx()
	if sh > h {
		sw, sh = b.Dx()*h/b.Dy(), h
	}
	at := image.Rect((w-sw)/2, (h-sh)/2, (w-sw)/2+sw, (h-sh)/2+sh)
	xdraw.CatmullRom.Scale(out, at, img, b, xdraw.Src, nil)
	return out
}

// FramesY4M writes frames (each 640×480) as a 5 fps I420 Y4M clip for
// FakeCamera, in colour (BT.601, chroma averaged over 2×2 pixels), and
// answers its path.
func FramesY4M(t testing.TB, frames ...image.Image) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "camera.y4m")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := bufio.NewWriter(f)
	fmt.Fprintf(out, "YUV4MPEG2 W%d H%d F5:1 Ip A1:1 C420jpeg\n", frameW, frameH)
	for _, img := range frames {
		if b := img.Bounds(); b.Dx() != frameW || b.Dy() != frameH {
			t.Fatalf("a camera frame is %dx%d, want %dx%d", b.Dx(), b.Dy(), frameW, frameH)
		}
		out.WriteString("FRAME\n")
		out.Write(i420(img))
	}
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	return p
}

// i420 answers the Y plane, then U and V at half resolution.
func i420(img image.Image) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	y := make([]byte, w*h)
	u := make([]byte, w*h/4)
	v := make([]byte, w*h/4)
	var cb, cr [4]int
	for j := 0; j < h; j += 2 {
		for i := 0; i < w; i += 2 {
			for k := range 4 {
				x, yy := i+k%2, j+k/2
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+yy).RGBA()
				Y, Cb, Cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
				y[yy*w+x] = Y
				cb[k], cr[k] = int(Cb), int(Cr)
			}
			u[(j/2)*(w/2)+i/2] = byte((cb[0] + cb[1] + cb[2] + cb[3] + 2) / 4)
			v[(j/2)*(w/2)+i/2] = byte((cr[0] + cr[1] + cr[2] + cr[3] + 2) / 4)
		}
	}
	return append(append(y, u...), v...)
}
