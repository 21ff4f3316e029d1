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
	note := archiveNote(t, env, jpg[2:30])
	for _, want := range []string{"照片 2 人", "同意人脸核验 1 人", "不同意 1 人", "人脸特征 0 人", "通过 0 次",
		"不含照片、人脸特征和同意记录", "photos 2", "no photo, face reference or consent record"} {
		if !strings.Contains(note, want) {
			t.Errorf("说明.txt does not say %q:\n%s", want, note)
		}
	}
}

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
	note := archiveNote(t, env, jpg[2:30])
	day := p.At.In(env.Catalog.Location).Format("2006-01-02")
	for _, want := range []string{"已于 " + day, "删除照片 3 张、人脸特征 0 个、同意记录 2 条", "通过 1 次",
		"deleted on " + day + ": 3 photos, 0 face references, 2 consent records", "pass 1"} {
		if !strings.Contains(note, want) {
			t.Errorf("说明.txt does not say %q:\n%s", want, note)
		}
	}
}

// archiveNote makes the archive ZIP as it stands, fails the test for any
// file in it that holds photo (a photo's bytes, which must not be
// archived), and gives its 说明.txt.
func archiveNote(t *testing.T, env *testkit.Env, photo []byte) string {
	t.Helper()
	a, err := exports.LoadArchive(context.Background(), env.DB, env.Catalog, demoNow, "测试")
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
		if bytes.Contains(b, photo) {
			t.Errorf("%s holds the photo", f.Name)
		}
		if f.Name == "说明.txt" {
			note = string(b)
		}
	}
	return note
}
