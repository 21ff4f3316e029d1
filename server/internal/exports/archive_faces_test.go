package exports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"huiwu/server/internal/exports"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestArchiveFaceCounts (issue 15.6): the archive keeps of photos and
// 刷脸 only counts — photos, consents, references, checks by result — and
// its 说明.txt says so; no photo is in it.
func TestArchiveFaceCounts(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	ps, err := env.DB.PhotoPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jpg := []byte("\xff\xd8 the photo of one person, not to be archived \xff\xd9")
	if err := env.DB.PutPhotos(ctx, []store.PhotoPut{{Attendee: ps[0].ID, JPEG: jpg, Width: 600, Height: 800},
		{Attendee: ps[1].ID, JPEG: jpg, Width: 600, Height: 800}}, "desk", "test"); err != nil {
		t.Fatal(err)
	}
	env.DB.SetFaceConsent(ctx, ps[0].ID, true, "desk")
	env.DB.SetFaceConsent(ctx, ps[2].ID, false, "desk")
	a, err := exports.LoadArchive(ctx, env.DB, env.Catalog, demoNow, "测试")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.WriteZIP(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var note string
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if bytes.Contains(b, jpg[2:30]) {
			t.Errorf("%s holds the photo", f.Name)
		}
		if f.Name == "说明.txt" {
			note = string(b)
		}
	}
	for _, want := range []string{"照片 2 人", "同意人脸核验 1 人", "不同意 1 人", "人脸特征 0 人", "通过 0 次",
		"不含照片、人脸特征和同意记录", "photos 2", "no photo, face reference or consent record"} {
		if !strings.Contains(note, want) {
			t.Errorf("说明.txt does not say %q:\n%s", want, note)
		}
	}
}
