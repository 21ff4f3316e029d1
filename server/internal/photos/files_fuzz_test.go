package photos

import (
	"bytes"
	"errors"
	"mime/multipart"
	"path"
	"strings"
	"testing"
)

// FuzzUpload feeds arbitrary bodies to ReadUpload as a form with a known
// boundary: no panic; a refusal is ErrNoUpload, the caller's tooLarge or
// a *Problem with its code; what is read keeps the budgets, and every
// file's name is a clean relative path.
func FuzzUpload(f *testing.F) {
	form := func(parts ...[3]string) []byte {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.SetBoundary("B0UNDARY")
		for _, p := range parts {
			pw, _ := w.CreateFormFile(p[0], p[1])
			pw.Write([]byte(p[2]))
		}
		w.Close()
		return b.Bytes()
	}
	photo := encodeJPEG(f, halves(120, 160, true))
	f.Add(form([3]string{"files", "照片/一组/D0001.jpg", string(photo)}, [3]string{"files", "../../etc/x.png", "\x89PNG"},
		[3]string{"files", ".DS_Store", "x"}, [3]string{"note", "", "y"}))
	f.Add(form([3]string{"file", "a.zip", string(makeZip(f, zipFile{name: "D0001.jpg", data: photo}))}))
	f.Add(form([3]string{"file", "a.zip", "PK"}, [3]string{"files", "b.jpg", "c"}))
	f.Add([]byte("--B0UNDARY\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\\\\b\\\\c.jpg\"\r\n\r\nxx\r\n--B0UNDARY--\r\n"))
	tooLarge := errors.New("too large")
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > maxFuzzInput {
			t.Skip()
		}
		up, err := ReadUpload(multipart.NewReader(bytes.NewReader(body), "B0UNDARY"), 4<<10, tooLarge)
		if err != nil {
			var p *Problem
			if !errors.Is(err, ErrNoUpload) && !errors.Is(err, tooLarge) && (!errors.As(err, &p) || p.Code == "") {
				t.Fatalf("refused without a code: %v", err)
			}
			return
		}
		if up.Zip != nil && (up.sent || len(up.Zip) > 4<<10) {
			t.Fatalf("a ZIP of %d bytes beside files %v", len(up.Zip), up.sent)
		}
		if len(up.files) > MaxEntries {
			t.Fatalf("%d files", len(up.files))
		}
		for _, e := range up.files {
			if len(e.data) > MaxFileBytes || e.bad != nil && e.data != nil {
				t.Fatalf("%s: %d bytes, bad %v", e.name, len(e.data), e.bad)
			}
			if e.name == "" || strings.HasPrefix(e.name, "/") || strings.Contains(e.name, "\\") || path.Clean(e.name) != e.name ||
				e.name == ".." || strings.HasPrefix(e.name, "../") || systemFile(e.name) {
				t.Fatalf("file name %q", e.name)
			}
		}
	})
}
