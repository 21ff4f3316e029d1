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

// TestArchiveFaceCountsAfterPurge (issue 15.6): an archive made after
// the photos and face data were deleted (by hand or by the retention
// rule) still says how many there were and when they went, and what the
// kiosks' checks found; it holds no photo.
func TestArchiveFaceCountsAfterPurge(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	ps, err := env.DB.PhotoPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jpg := []byte("\xff\xd8 a photo, deleted before the archive \xff\xd9")
	for _, p := range ps[:3] {
		if err := env.DB.PutPhotos(ctx, []store.PhotoPut{{Attendee: p.ID, JPEG: jpg, Width: 600, Height: 800}}, "desk", "test"); err != nil {
			t.Fatal(err)
		}
	}
	env.DB.SetFaceConsent(ctx, ps[0].ID, true, "desk")
	env.DB.SetFaceConsent(ctx, ps[1].ID, false, "desk")
	if _, err := env.DB.ForTest().W.Exec(`INSERT INTO face_checks (scan_id, attendee_id, checkpoint_id, result, distance, at)
		VALUES ('s1', ?, 'door', 'pass', 0.2, ?)`, ps[0].ID, store.FormatTime(demoNow)); err != nil {
		t.Fatal(err)
	}
	p, err := env.DB.PurgeFaces(ctx, "system")
	if err != nil {
		t.Fatal(err)
	}
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
	day := p.At.In(env.Catalog.Location).Format("2006-01-02")
	for _, want := range []string{"已于 " + day, "删除照片 3 张、人脸特征 0 个、同意记录 2 条", "通过 1 次",
		"deleted on " + day + ": 3 photos, 0 face references, 2 consent records", "pass 1"} {
		if !strings.Contains(note, want) {
			t.Errorf("说明.txt does not say %q:\n%s", want, note)
		}
	}
}
