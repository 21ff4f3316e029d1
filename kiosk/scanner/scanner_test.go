package scanner

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"math/rand/v2"
	"strings"
	"testing"

	"huiwu/badge/credential"
)

// A real token, so the test covers what badges actually carry.
func testToken(tb testing.TB) (string, *credential.Keyring) {
	tb.Helper()
	signer, err := credential.GenerateKey(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := signer.Sign(credential.Claims{Event: "demo-20261126", Attendee: 1042, Serial: 7})
	if err != nil {
		tb.Fatal(err)
	}
	ring, err := credential.NewKeyring(signer.Public())
	if err != nil {
		tb.Fatal(err)
	}
	return tok, ring
}

var texts = map[string]string{
	"alphanumeric": "HELLO HUIWU 2026",
	"chinese":      "参会人员：张三，第一会议室 5排12座",
	"rare names":   "䶮 堃 喆 阿依古丽·买买提",
	"url":          "https://example.com/checkin?event=demo&id=1042",
	"long":         strings.Repeat("会务签到 Huiwu check-in; ", 12),
}

func TestDecodeTexts(t *testing.T) {
	tok, _ := testToken(t)
	cases := map[string]string{"token": tok}
	for k, v := range texts {
		cases[k] = v
	}
	for name, text := range cases {
		for _, px := range []int{2, 3, 6} {
			got, err := Decode(qrImage(t, text, px))
			if err != nil || got != text {
				t.Errorf("%s at %d px/module: Decode = %q, %v", name, px, got, err)
			}
		}
	}
}

// TestTokenEndToEnd: sign, print, photograph (JPEG), decode, verify: the
// path a badge takes from the desk to the door.
func TestTokenEndToEnd(t *testing.T) {
	tok, ring := testToken(t)
	data := encodeJPEG(t, cameraFrame(t, tok), 80)
	text, err := DecodeBytes(data, 1<<20, 1<<20)
	if err != nil {
		t.Fatalf("DecodeBytes: %v", err)
	}
	c, _, err := ring.Verify(text)
	if err != nil || c.Attendee != 1042 || c.Serial != 7 {
		t.Fatalf("Verify(decoded) = %+v, %v", c, err)
	}
}

func TestDecodeInverted(t *testing.T) {
	tok, _ := testToken(t)
	for _, text := range []string{tok, texts["chinese"]} {
		img := invert(qrImage(t, text, 4))
		if got, err := Decode(img); err != nil || got != text {
			t.Errorf("inverted %q: Decode = %q, %v", text, got, err)
		}
	}
}

// TestDecodeLowContrast: a faded badge or a dimmed phone, 30 grey levels
// between ink and paper. The hybrid binarizer sees no edges there; this is
// what the global histogram fallback is for.
func TestDecodeLowContrast(t *testing.T) {
	tok, _ := testToken(t)
	code := qrImage(t, tok, 4)
	for _, dark := range []bool{true, false} {
		img := image.NewGray(code.Bounds())
		for i, v := range code.Pix {
			img.Pix[i] = 130
			if (v != 0) == dark {
				img.Pix[i] = 100
			}
		}
		if got, err := Decode(img); err != nil || got != tok {
			t.Errorf("dark-on-light %v: Decode = %q, %v", dark, got, err)
		}
	}
}

// TestDecodeUnevenModules: modules of 2–3 pixels of uneven width, as a
// camera's scaling leaves them.
func TestDecodeUnevenModules(t *testing.T) {
	tok, _ := testToken(t)
	modules := 45 + 8 // version 7 plus quiet zone
	for _, size := range []int{modules * 2, modules*2 + modules/2, modules*3 - 7} {
		if got, err := Decode(qrImageSize(t, tok, size)); err != nil || got != tok {
			t.Errorf("%d px for %d modules: Decode = %q, %v", size, modules, got, err)
		}
	}
}

func TestDecodeCameraFrame(t *testing.T) {
	tok, _ := testToken(t)
	frame := cameraFrame(t, tok)
	if got, err := Decode(frame); err != nil || got != tok {
		t.Fatalf("Decode(frame) = %q, %v", got, err)
	}
	// A crop keeps the frame's coordinates (Min ≠ 0): the code must still
	// be found where it is.
	crop := frame.SubImage(image.Rect(150, 40, 500, 400))
	if got, err := Decode(crop); err != nil || got != tok {
		t.Fatalf("Decode(crop) = %q, %v", got, err)
	}
}

// TestDecodeImageTypes: every luminance path reads the same code, including
// a transparent background that must count as white.
func TestDecodeImageTypes(t *testing.T) {
	text := texts["chinese"]
	src := qrImage(t, text, 3)
	transparent := convert(src, image.NewNRGBA)
	for i := 0; i < len(transparent.Pix); i += 4 {
		if transparent.Pix[i] == 255 { // white module → transparent black,
			copy(transparent.Pix[i:i+4], []byte{0, 0, 0, 0}) // as PNG tools write it
		}
	}
	cmyk := convert(src, image.NewCMYK) // no fast path: the general one
	for name, img := range map[string]image.Image{
		"paletted":         src,
		"gray":             convert(src, image.NewGray),
		"rgba":             convert(src, image.NewRGBA),
		"nrgba":            convert(src, image.NewNRGBA),
		"transparent":      transparent,
		"transparent rgba": convert(transparent, image.NewRGBA),
		"rgba64":           convert(src, image.NewRGBA64),
		"cmyk":             cmyk,
	} {
		if got, err := Decode(img); err != nil || got != text {
			t.Errorf("%s: Decode = %q, %v", name, got, err)
		}
	}
}

func TestDecodeNoCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	noise := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
	}
	stripes := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range stripes.Pix {
		if (i%200)/7%2 == 0 {
			stripes.Pix[i] = 255
		}
	}
	white := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	tok, _ := testToken(t)
	half := qrImage(t, tok, 4)
	half = half.SubImage(image.Rect(0, 0, half.Bounds().Dx()/2, half.Bounds().Dy())).(*image.Paletted)
	for name, img := range map[string]image.Image{
		"white":     white,
		"black":     image.NewGray(image.Rect(0, 0, 100, 100)),
		"noise":     noise,
		"stripes":   stripes,
		"1x1":       image.NewRGBA(image.Rect(0, 0, 1, 1)),
		"empty":     image.NewRGBA(image.Rect(0, 0, 0, 0)),
		"half code": half,
		"frame":     cameraFrame(t, tok).SubImage(image.Rect(0, 0, 180, 480)),
	} {
		if got, err := Decode(img); !errors.Is(err, ErrNoCode) {
			t.Errorf("%s: Decode = %q, %v; want ErrNoCode", name, got, err)
		}
	}
}

func TestDecodeBytesFormats(t *testing.T) {
	text := texts["rare names"]
	img := qrImage(t, text, 4)
	for name, data := range map[string][]byte{
		"png":  encodePNG(t, img),
		"jpeg": encodeJPEG(t, img, 75),
		"gif":  encodeGIF(t, img),
	} {
		if got, err := DecodeBytes(data, 1<<20, 1<<20); err != nil || got != text {
			t.Errorf("%s: DecodeBytes = %q, %v", name, got, err)
		}
	}
	pngData := encodePNG(t, img)
	for name, data := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("HW1:ABCDEF"),
		"bmp":       append([]byte("BM"), make([]byte, 60)...),
		"truncated": pngData[:len(pngData)/2],
		"zero size": pngHeader(0, 10),
	} {
		if got, err := DecodeBytes(data, 1<<20, 1<<20); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: DecodeBytes = %q, %v; want ErrFormat", name, got, err)
		}
	}
	blank := encodePNG(t, image.NewGray(image.Rect(0, 0, 50, 50)))
	if _, err := DecodeBytes(blank, 1<<20, 1<<20); !errors.Is(err, ErrNoCode) {
		t.Errorf("blank PNG: %v, want ErrNoCode", err)
	}
}

// pngHeader is a PNG signature and IHDR declaring w×h and nothing more:
// enough for DecodeConfig, and a bomb for anyone who decodes before checking.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

func TestDecodeBytesLimits(t *testing.T) {
	img := qrImage(t, texts["url"], 8)
	data := encodePNG(t, img)
	px := img.Bounds().Dx() * img.Bounds().Dy()
	tests := []struct {
		name                string
		data                []byte
		maxBytes, maxPixels int
		want                error
	}{
		{"at both limits", data, len(data), px, nil},
		{"one byte over", data, len(data) - 1, px, ErrTooLarge},
		{"one pixel over", data, len(data), px - 1, ErrTooLarge},
		{"declared 100000x100000", pngHeader(100000, 100000), 1 << 20, 1 << 24, ErrTooLarge},
		{"default pixel limit", pngHeader(5000, 5000), 1 << 20, 0, ErrTooLarge},
		{"default byte limit", make([]byte, DefaultMaxBytes+1), 0, 1 << 20, ErrTooLarge},
		{"a terapixel", pngHeader(1<<20, 1<<20), 1 << 20, 1 << 24, ErrTooLarge},
	}
	for _, tt := range tests {
		got, err := DecodeBytes(tt.data, tt.maxBytes, tt.maxPixels)
		if tt.want == nil {
			if err != nil || got != texts["url"] {
				t.Errorf("%s: DecodeBytes = %q, %v", tt.name, got, err)
			}
		} else if !errors.Is(err, tt.want) {
			t.Errorf("%s: DecodeBytes = %q, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

func BenchmarkDecodeFrame(b *testing.B) {
	tok, _ := testToken(b)
	frame := cameraFrame(b, tok)
	for b.Loop() {
		if _, err := Decode(frame); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeFrameNoCode is the kiosk's common case: a frame with nobody
// in front of it, which pays for every fallback pass.
func BenchmarkDecodeFrameNoCode(b *testing.B) {
	tok, _ := testToken(b)
	frame := cameraFrame(b, tok).SubImage(image.Rect(0, 0, 180, 480))
	empty := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			empty.Set(x, y, frame.At(x%180, y))
		}
	}
	for b.Loop() {
		if _, err := Decode(empty); !errors.Is(err, ErrNoCode) {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeBytesJPEG(b *testing.B) {
	tok, _ := testToken(b)
	data := encodeJPEG(b, cameraFrame(b, tok), 80)
	for b.Loop() {
		if _, err := DecodeBytes(data, 1<<20, 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}
