package photos

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// halves is a w×h picture, red on its left half and blue on its right
// (or top and bottom when topBottom).
func halves(w, h int, topBottom bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			first := x < w/2
			if topBottom {
				first = y < h/2
			}
			c := color.RGBA{0, 0, 255, 255}
			if first {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gpsMark is text the test's EXIF carries, to look for in the output.
const gpsMark = "HUIWU-GPS-39.9042N-116.4074E"

// withExif puts an APP1 Exif segment right after a JPEG's SOI: IFD0 with
// the orientation, a camera make, and a GPS directory (latitude ref N and
// gpsMark as a GPS processing method), as a phone writes them.
func withExif(jpg []byte, orientation uint16) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	binary.Write(&t, le, uint32(8))
	// IFD0 at 8: three entries.
	make := "HuiwuPhone\x00"
	ifd0 := 8
	ifd0Len := 2 + 3*12 + 4
	makeOff := ifd0 + ifd0Len
	gpsOff := makeOff + len(make)
	binary.Write(&t, le, uint16(3))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, le, tag)
		binary.Write(&t, le, typ)
		binary.Write(&t, le, count)
		binary.Write(&t, le, value)
	}
	entry(0x010F, 2, uint32(len(make)), uint32(makeOff)) // Make
	entry(0x0112, 3, 1, uint32(orientation))             // Orientation
	entry(0x8825, 4, 1, uint32(gpsOff))                  // GPS IFD
	binary.Write(&t, le, uint32(0))
	t.WriteString(make)
	// GPS IFD: latitude ref, and a processing method holding the mark.
	markOff := gpsOff + 2 + 2*12 + 4
	binary.Write(&t, le, uint16(2))
	entry(0x0001, 2, 2, uint32('N'))
	entry(0x001B, 7, uint32(len(gpsMark)), uint32(markOff))
	binary.Write(&t, le, uint32(0))
	t.WriteString(gpsMark)

	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

// hasAPP1 reports whether a JPEG has an APP1 (Exif or XMP) segment
// before its image data.
func hasAPP1(jpg []byte) bool {
	for i := 2; i+4 <= len(jpg) && jpg[i] == 0xFF; {
		m := jpg[i+1]
		if m == 0xE1 {
			return true
		}
		if m == 0xDA {
			return false
		}
		i += 2 + int(binary.BigEndian.Uint16(jpg[i+2:]))
	}
	return false
}

func colourAt(t *testing.T, jpg []byte, x, y int) (r, g, b uint32) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ = img.At(x, y).RGBA()
	return r >> 8, g >> 8, b >> 8
}

// TestExifStripped: a phone's JPEG with EXIF (camera, GPS) is stored with
// no APP1 segment and none of its bytes, turned upright as its
// orientation said.
func TestExifStripped(t *testing.T) {
	// Stored sideways (the camera held upright): red on the left.
	in := withExif(encodeJPEG(t, halves(1600, 1200, false)), 6)
	if !hasAPP1(in) || orientation(in) != 6 || !bytes.Contains(in, []byte(gpsMark)) {
		t.Fatal("the test's input has no EXIF")
	}
	p, err := Normalize(in)
	if err != nil {
		t.Fatal(err)
	}
	if hasAPP1(p.JPEG) {
		t.Error("the stored photo keeps an APP1 segment")
	}
	for _, s := range []string{"Exif", gpsMark, "HuiwuPhone"} {
		if bytes.Contains(p.JPEG, []byte(s)) {
			t.Errorf("the stored photo contains %q", s)
		}
	}
	if p.Width != 600 || p.Height != 800 {
		t.Errorf("stored %d×%d, want 600×800 (upright)", p.Width, p.Height)
	}
	// Turned right: what was on the left is now on top.
	if r, _, b := colourAt(t, p.JPEG, 300, 100); r < 200 || b > 60 {
		t.Errorf("top is rgb(%d,_,%d), want red: not turned upright", r, b)
	}
	if r, _, b := colourAt(t, p.JPEG, 300, 700); b < 200 || r > 60 {
		t.Errorf("bottom is rgb(%d,_,%d), want blue", r, b)
	}
}

// TestResize: every photo comes out 3:4, at most 600×800, never enlarged;
// PNGs too (transparent parts on white).
func TestResize(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		w, h int
	}{
		{"3:4 large", encodeJPEG(t, halves(1200, 1600, true)), 600, 800},
		{"landscape 4:3", encodeJPEG(t, halves(1600, 1200, true)), 600, 800}, // a 12 MP photo takes seconds under -race, and shows no more
		{"tall", encodeJPEG(t, halves(900, 2000, true)), 600, 800},
		{"small 证件照", encodeJPEG(t, halves(330, 440, true)), 330, 440},
		{"small, too wide", encodePNG(t, halves(450, 500, true)), 375, 500},
		{"transparent PNG", encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 300, 400))), 300, 400},
	} {
		p, err := Normalize(c.data)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(p.JPEG))
		if err != nil || format != "jpeg" || cfg.Width != c.w || cfg.Height != c.h || p.Width != c.w || p.Height != c.h {
			t.Errorf("%s: stored %s %d×%d (says %d×%d), want jpeg %d×%d", c.name, format, cfg.Width, cfg.Height, p.Width, p.Height, c.w, c.h)
		}
		if c.name == "transparent PNG" {
			if r, g, b := colourAt(t, p.JPEG, 150, 200); r < 240 || g < 240 || b < 240 {
				t.Errorf("transparent became rgb(%d,%d,%d), want white", r, g, b)
			}
		}
	}
}

// pngHeader is a PNG signature and an IHDR declaring w×h, with no image
// data: a decompression bomb's header.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	binary.Write(&b, binary.BigEndian, uint32(13))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// TestRefusedImages: what cannot be a photo is refused with its code,
// the pixel budget read from the header before anything is decoded.
func TestRefusedImages(t *testing.T) {
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	big := make([]byte, MaxFileBytes+1)
	copy(big, encodeJPEG(t, halves(100, 100, true)))
	for _, c := range []struct {
		name string
		data []byte
		code string
	}{
		{"60000×60000 header", pngHeader(60000, 60000), "photo_too_many_pixels"},
		{"header only", pngHeader(600, 800), "photo_unreadable"},
		{"text", []byte("张伟的照片"), "not_photo"},
		{"GIF", gif, "not_photo"},
		{"over the file size", big, "photo_too_large"},
		{"thumbnail", encodeJPEG(t, halves(40, 50, true)), "photo_too_small"},
		{"truncated JPEG", encodeJPEG(t, halves(600, 800, true))[:2000], "photo_unreadable"},
	} {
		_, err := Normalize(c.data)
		p, ok := err.(*Problem)
		if !ok || p.Code != c.code || p.Zh == "" || p.En == "" {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}
