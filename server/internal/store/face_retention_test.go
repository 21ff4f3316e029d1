package store_test

import (
	"context"
	"testing"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestFaceRetentionStored: the event's face_retention_days is stored, read
// back in the definition and the catalog (30 when the definition leaves
// it out), and putting it back changes nothing.
func TestFaceRetentionStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	d := example.Small(defNow)
	apply(t, db, d, eventdef.All(), false)
	if cat, err := db.Catalog(ctx); err != nil || cat.Event.FaceRetentionDays != 30 {
		t.Fatalf("left out: %v %v", cat, err)
	}
	d.Event.FaceRetentionDays = 7
	apply(t, db, d, eventdef.All(), false)
	got, err := db.Definition(ctx)
	if err != nil || got.Event.FaceRetentionDays != 7 {
		t.Fatalf("read back: %d %v", got.Event.FaceRetentionDays, err)
	}
	if rep := apply(t, db, got, eventdef.All(), false); !rep.Unchanged {
		t.Errorf("put back changed: %+v", rep.Changes)
	}
	if cat, err := db.Catalog(ctx); err != nil || cat.Event.FaceRetentionDays != 7 {
		t.Fatalf("catalog: %v", err)
	}
}

// TestFacesDeletedAt: face data goes at 00:00, in the event's zone, on
// the meeting's last day plus the days the event keeps it; a last window
// closing at midnight belongs to the day before; no event, no date.
func TestFacesDeletedAt(t *testing.T) {
	t.Parallel()
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip(err)
	}
	cat := func(days int, closes time.Time) *store.Catalog {
		c := store.EmptyCatalog()
		c.Location = sh
		c.Event = domain.Event{ID: "e", StartsOn: "2026-03-05", Timezone: "Asia/Shanghai", FaceRetentionDays: days}
		if !closes.IsZero() {
			c.SessionList = []*store.Session{{Session: domain.Session{ID: "s", ClosesAt: closes}}}
		}
		return c
	}
	evening := time.Date(2026, 3, 7, 18, 0, 0, 0, sh)
	for _, tc := range []struct {
		name string
		c    *store.Catalog
		want time.Time
	}{
		{"30 days", cat(30, evening), time.Date(2026, 4, 6, 0, 0, 0, 0, sh)},
		{"the day after", cat(1, evening), time.Date(2026, 3, 8, 0, 0, 0, 0, sh)},
		{"left out", cat(0, evening), time.Date(2026, 4, 6, 0, 0, 0, 0, sh)},
		{"closing at midnight", cat(1, time.Date(2026, 3, 8, 0, 0, 0, 0, sh)), time.Date(2026, 3, 8, 0, 0, 0, 0, sh)},
		{"no sessions: the first day", cat(2, time.Time{}), time.Date(2026, 3, 7, 0, 0, 0, 0, sh)},
	} {
		if got := tc.c.FacesDeletedAt(); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := store.EmptyCatalog().FacesDeletedAt(); !got.IsZero() {
		t.Errorf("no event: %v", got)
	}
}

// TestFacePurgeKeepsCounts: a purge says what it deleted and leaves that
// in numbers, which FaceCounts gives afterwards (for the archive); once
// nothing is stored FaceDataStored says so, and a purge of nothing adds
// nothing to the numbers.
func TestFacePurgeKeepsCounts(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, importNow)
	ctx := context.Background()
	db := env.DB
	a, b := env.AttendeeID(t, env.Event.Attendees[0].Key), env.AttendeeID(t, env.Event.Attendees[1].Key)
	at := withPhoto(t, db, a, "a")
	withPhoto(t, db, b, "b")
	db.SetFaceConsent(ctx, a, true, "desk")
	db.SetFaceConsent(ctx, b, false, "desk")
	if err := db.PutFaceRef(ctx, a, faces.Model, faceRef(3), at, "desk"); err != nil {
		t.Fatal(err)
	}
	if left, err := db.FaceDataStored(ctx); err != nil || !left {
		t.Fatalf("before: stored %v %v", left, err)
	}
	p, err := db.PurgeFaces(ctx, "system")
	if err != nil {
		t.Fatal(err)
	}
	if p.Photos != 2 || p.Refs != 1 || p.Consents != 2 || p.Actor != "system" || p.At.IsZero() {
		t.Fatalf("purged %+v", p)
	}
	if left, err := db.FaceDataStored(ctx); err != nil || left {
		t.Fatalf("after: stored %v %v", left, err)
	}
	if _, err := db.PurgeFaces(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	c, err := db.FaceCounts(ctx, faces.Model)
	if err != nil {
		t.Fatal(err)
	}
	if c.Purged == nil || c.Purged.Photos != 2 || c.Purged.Refs != 1 || c.Purged.Consents != 2 || c.Photos+c.Consented+c.Refused != 0 {
		t.Fatalf("counts after the purges %+v, purged %+v", c, c.Purged)
	}
}
