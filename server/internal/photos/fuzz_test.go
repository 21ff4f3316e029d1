package photos

import (
	"testing"
)

// maxFuzzInput caps the fuzzer's inputs: the limits under test are far
// larger, and what matters is that no input panics or runs away.
const maxFuzzInput = 256 << 10

// fuzzPixels is the pixel budget while fuzzing: a mutated header may
// declare 24 MP, which the instrumented decoder takes seconds over.
const fuzzPixels = 1 << 20

// FuzzZip feeds arbitrary bytes to the ZIP reader and every image it
// yields to Normalize: no panic, every refusal a *Problem with its code,
// and every photo that passes 3:4 within 600×800.
func FuzzZip(f *testing.F) {
	photo := encodeJPEG(f, halves(120, 160, true))
	f.Add(makeZip(f, zipFile{name: "D0001.jpg", data: photo}, zipFile{name: "张伟.png", data: encodePNG(f, halves(90, 120, false)), gbk: true}))
	f.Add(makeZip(f, zipFile{name: "a/b.jpg", data: withExif(photo, 6)}))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	pixelBudget = fuzzPixels
	f.Cleanup(func() { pixelBudget = MaxPixels })
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		files, _, err := readZip(data)
		if err != nil {
			if p, ok := err.(*Problem); !ok || p.Code == "" {
				t.Fatalf("zip refused without a code: %v", err)
			}
			return
		}
		for _, e := range files {
			if e.bad != nil {
				continue
			}
			checkNormalize(t, e.data)
		}
	})
}

// FuzzImage feeds arbitrary bytes to Normalize (and so to the EXIF
// orientation reader).
func FuzzImage(f *testing.F) {
	photo := encodeJPEG(f, halves(120, 160, true))
	f.Add(photo)
	f.Add(withExif(photo, 8))
	f.Add(encodePNG(f, halves(90, 120, false)))
	f.Add(pngHeader(60000, 60000))
	pixelBudget = fuzzPixels
	f.Cleanup(func() { pixelBudget = MaxPixels })
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		checkNormalize(t, data)
	})
}

func checkNormalize(t *testing.T, data []byte) {
	p, err := Normalize(data)
	if err != nil {
		if pr, ok := err.(*Problem); !ok || pr.Code == "" {
			t.Fatalf("image refused without a code: %v", err)
		}
		return
	}
	if p.Width > Width || p.Height > Height || p.Width < 1 || p.Height < 1 || len(p.JPEG) == 0 {
		t.Fatalf("stored %d×%d", p.Width, p.Height)
	}
	if d := p.Width*4 - p.Height*3; d > 4 || d < -4 {
		t.Fatalf("stored %d×%d, not 3:4", p.Width, p.Height)
	}
	if orientation(p.JPEG) != 1 || hasAPP1(p.JPEG) {
		t.Fatal("the stored photo keeps EXIF")
	}
}
