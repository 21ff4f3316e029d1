package readiness_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/readiness"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestFaceRetentionCheck (issue 15.6): while the meeting runs the check
// passes whatever is stored; once it has ended with photos or face data
// left it fails, saying how many photos and references remain and the
// date the server deletes them; after the purge it passes again.
func TestFaceRetentionCheck(t *testing.T) {
	ctx := context.Background()
	env := testkit.New(t, demoNow)
	env.Catalog.Event.FaceRetentionDays = 30
	ps, err := env.DB.PhotoPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps[:2] {
		if err := env.DB.PutPhotos(ctx, []store.PhotoPut{{Attendee: p.ID, JPEG: []byte{0xff, 0xd8, 0xff, 0xd9}, Width: 60, Height: 80}}, "test", ""); err != nil {
			t.Fatal(err)
		}
	}
	check := func() readiness.Check {
		t.Helper()
		return run(t, env, readiness.Options{Only: []string{"face_retention"}})["face_retention"]
	}
	if c := check(); c.Status != readiness.Pass {
		t.Fatalf("during the meeting: %s %v", c.Status, c.Items)
	}

	ends := env.Catalog.Ends()
	env.SetNow(ends.Add(time.Minute))
	due := env.Catalog.FacesDeletedAt().In(env.Catalog.Location).Format("2006-01-02")
	c := check()
	if c.Status != readiness.Fail || len(c.Items) != 1 {
		t.Fatalf("after the meeting: %s %v", c.Status, c.Items)
	}
	it := c.Items[0]
	for _, want := range []string{"照片 2 张", "人脸特征 0 个", due} {
		if !strings.Contains(it.Detail, want) {
			t.Errorf("detail %q lacks %q", it.Detail, want)
		}
	}
	for _, want := range []string{"2 photos", "0 face references", due} {
		if !strings.Contains(it.DetailEn, want) {
			t.Errorf("detail_en %q lacks %q", it.DetailEn, want)
		}
	}

	if _, err := env.DB.PurgeFaces(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	if c := check(); c.Status != readiness.Pass {
		t.Fatalf("after the purge: %s %v", c.Status, c.Items)
	}
}
