package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestPhotoInBackup: a stored photo is in the database file, so a backup
// holds it and a server opened on the backup reads it back; deleting it
// deletes it.
func TestPhotoInBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, testkit.StoreConfig(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Dialect() != store.SQLite {
		t.Skip("SQLite only: Backup copies the database file")
	}
	if _, err := demo.Load(ctx, db, time.Now()); err != nil {
		t.Fatal(err)
	}
	ps, err := db.PhotoPeople(ctx)
	if err != nil || len(ps) < 2 {
		t.Fatalf("%d people: %v", len(ps), err)
	}
	jpg := []byte("\xff\xd8 a normalised photo \xff\xd9")
	if err := db.PutPhotos(ctx, []store.PhotoPut{{Attendee: ps[0].ID, JPEG: jpg, Width: 600, Height: 800}}, "desk", "test"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "backup")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, filepath.Join(dir, "huiwu.db")); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	p, err := restored.Photo(ctx, ps[0].ID)
	if err != nil || !bytes.Equal(p.JPEG, jpg) || p.Width != 600 {
		t.Fatalf("restored photo %q %v", p.JPEG, err)
	}
	if _, err := restored.Photo(ctx, ps[1].ID); err != store.ErrNotFound {
		t.Errorf("a person without a photo: %v", err)
	}
	if err := db.DeletePhoto(ctx, ps[0].ID, "desk"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Photo(ctx, ps[0].ID); err != store.ErrNotFound {
		t.Errorf("after delete: %v", err)
	}
	if err := db.DeletePhoto(ctx, ps[0].ID, "desk"); err != store.ErrNotFound {
		t.Errorf("second delete: %v", err)
	}
}

// TestPhotoTableReadOnlyHere: the photos' table is read and written only
// by photos.go (and made by schema_photos.go; schema_faces.go's triggers
// only watch it, to drop a face reference with its photo), so that no other answer,
// export or feed can carry a photo by a join someone adds later. faces.go,
// under the same guard (TestFaceTablesOnlyHere), joins it for whether a
// photo exists and deletes photos on request and in the purge.
func TestPhotoTableReadOnlyHere(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "photos.go" || f == "schema_photos.go" || f == "schema_faces.go" || f == "faces.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "attendee_photos") {
			t.Errorf("%s uses the photos' table", f)
		}
	}
}
