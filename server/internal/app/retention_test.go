package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"huiwu/server/internal/app"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// clock is a server's clock that the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var demoAt = time.Date(2026, 3, 5, 7, 50, 0, 0, time.UTC)

// withFaceData stores two photos, a consent each and a kiosk's face
// check at a door.
func withFaceData(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	ps, err := db.PhotoPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps[:2] {
		if err := db.PutPhotos(ctx, []store.PhotoPut{{Attendee: p.ID, JPEG: []byte{0xff, 0xd8, byte(i), 0xff, 0xd9}, Width: 60, Height: 80}}, "test", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetFaceConsent(ctx, p.ID, i == 0, "desk"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ForTest().W.Exec(`INSERT INTO face_checks (scan_id, attendee_id, checkpoint_id, result, distance, at)
		VALUES ('s-retention', ?, 'door', 'pass', 0.21, ?)`, ps[0].ID, store.FormatTime(demoAt)); err != nil {
		t.Fatal(err)
	}
}

func purges(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	rows, err := db.ForTest().R.Query(`SELECT actor || ': ' || detail FROM audit WHERE action = 'face.purge' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// TestFaceRetention (issue 15.6): the server deletes photos, references
// and consents by itself once the event's retention has run out, at
// start and while it runs, by the app's clock: not a minute before; at
// the moment through the same purge an admin makes, audited as the
// system's with what it deleted, the kiosks' checks left with their
// results; and not again once nothing is left.
func TestFaceRetention(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	testkit.CopyDemo(t, dir, demoAt)
	clk := &clock{t: demoAt}
	start := func() *app.App {
		t.Helper()
		a, err := app.Start(ctx, app.Config{DataDir: dir, AdminToken: testkit.AdminToken, Demo: true, DemoTime: demoAt, Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := start()
	withFaceData(t, a.DB)
	due := a.Engine.Catalog().FacesDeletedAt()
	if want := a.Engine.Catalog().Ends().AddDate(0, 0, 30); due.Before(want.AddDate(0, 0, -1)) || due.After(want) {
		t.Fatalf("deleted at %v, the meeting ends %v", due, a.Engine.Catalog().Ends())
	}

	clk.Set(due.Add(-time.Minute))
	if purged, err := a.PurgeDueFaces(ctx); err != nil || purged {
		t.Fatalf("a minute before: purged %v, %v", purged, err)
	}
	if stored, _ := a.DB.FaceDataStored(ctx); !stored || len(purges(t, a.DB)) != 0 {
		t.Fatalf("a minute before: stored %v, purges %v", stored, purges(t, a.DB))
	}

	clk.Set(due)
	if purged, err := a.PurgeDueFaces(ctx); err != nil || !purged {
		t.Fatalf("on the date: purged %v, %v", purged, err)
	}
	if got := purges(t, a.DB); len(got) != 1 || got[0] != "system: photos 2, references 0, consents 2" {
		t.Fatalf("audited %q", got)
	}
	n, err := a.DB.FaceCounts(ctx, faces.Model)
	if err != nil {
		t.Fatal(err)
	}
	if n.Photos+n.Consented+n.Refused+n.Refs != 0 || n.Checks["pass"] != 1 || n.Purged == nil || n.Purged.Photos != 2 {
		t.Fatalf("after: %+v purged %+v", n, n.Purged)
	}
	var distance float64
	if err := a.DB.ForTest().R.QueryRow(`SELECT distance FROM face_checks WHERE scan_id = 's-retention'`).Scan(&distance); err != nil || distance != 0.21 {
		t.Errorf("the check's result: %v %v", distance, err)
	}
	clk.Set(due.Add(48 * time.Hour))
	if purged, err := a.PurgeDueFaces(ctx); err != nil || purged {
		t.Fatalf("nothing left: purged %v, %v", purged, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	// Data stored after the date (a late import) goes when the server
	// starts: it checks at start before it answers anyone.
	db, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	withFaceData2(t, db)
	db.Close()
	a = start()
	defer a.Close()
	if stored, _ := a.DB.FaceDataStored(ctx); stored {
		t.Fatal("face data left after a start past the date")
	}
	if got := purges(t, a.DB); len(got) != 2 || !strings.HasPrefix(got[1], "system: photos 2") {
		t.Fatalf("audited %q", got)
	}
}

// withFaceData2 stores two photos again, without a check.
func withFaceData2(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	ps, err := db.PhotoPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps[2:4] {
		if err := db.PutPhotos(ctx, []store.PhotoPut{{Attendee: p.ID, JPEG: []byte{0xff, 0xd8, 0xff, 0xd9}, Width: 60, Height: 80}}, "test", ""); err != nil {
			t.Fatal(err)
		}
	}
}
