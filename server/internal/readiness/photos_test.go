package readiness_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/readiness"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestBadgePhotosCheck: when the meeting's badge layout prints a photo,
// everyone without one is named; with every photo stored the line passes
// again. On a plain layout, a badge printed on a photo layout for one
// person (the desk's one-off choice) names that person alone while they
// have no photo.
func TestBadgePhotosCheck(t *testing.T) {
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 60, 80)), nil); err != nil {
		t.Fatal(err)
	}
	first := func(t *testing.T, env *testkit.Env) string {
		return one(t, env, `SELECT id FROM attendees WHERE status = 'active' ORDER BY rank, id LIMIT 1`)
	}
	putPhotos := func(t *testing.T, env *testkit.Env, ids ...int64) {
		var put []store.PhotoPut
		for _, id := range ids {
			put = append(put, store.PhotoPut{Attendee: id, JPEG: jpg.Bytes(), Width: 60, Height: 80})
		}
		if err := env.DB.PutPhotos(context.Background(), put, "test", ""); err != nil {
			t.Fatal(err)
		}
	}
	putAll := func(t *testing.T, env *testkit.Env) {
		people, err := env.DB.PhotoPeople(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range people {
			if !p.HasPhoto {
				ids = append(ids, p.ID)
			}
		}
		putPhotos(t, env, ids...)
	}
	deletePhoto := func(t *testing.T, env *testkit.Env, id string) string {
		if err := env.DB.DeletePhoto(context.Background(), mustInt(id), "test"); err != nil {
			t.Fatal(err)
		}
		return id
	}
	breakFix{check: "badge_photos", name: "/the meeting's layout",
		prepare: func(t *testing.T, env *testkit.Env) {
			eventLayout(t, env, "a6-photo")
			putAll(t, env)
		},
		breaks: func(t *testing.T, env *testkit.Env) string { return deletePhoto(t, env, first(t, env)) },
		fix:    putAll,
	}.run(t)

	// The demo has no photos and prints on cr80: only the one printed on
	// a photo layout counts.
	breakFix{check: "badge_photos", name: "/printed on a photo layout",
		prepare: func(t *testing.T, env *testkit.Env) {
			id := printed(t, env, "cr80-photo")
			putPhotos(t, env, id)
			if c := run(t, env, readiness.Options{Only: []string{"badge_photos"}})["badge_photos"]; c.Checked != 1 {
				t.Fatalf("%d checked, want the one printed on a photo layout", c.Checked)
			}
		},
		breaks: func(t *testing.T, env *testkit.Env) string {
			return deletePhoto(t, env, one(t, env, `SELECT attendee_id FROM badge_prints WHERE actor = 'test'`))
		},
		// A reprint on the meeting's plain layout: the badge in hand has
		// no photo frame any more.
		fix: func(t *testing.T, env *testkit.Env) {
			printedFor(t, env, mustInt(one(t, env, `SELECT attendee_id FROM badge_prints WHERE actor = 'test'`)), "cr80")
		},
	}.run(t)
}

// TestBadgePhotosFollowTheEvent: on the demo's cr80 nothing is checked,
// badges printed on it or not; once the meeting's layout is a photo
// layout, everyone without a photo is named.
func TestBadgePhotosFollowTheEvent(t *testing.T) {
	env := testkit.New(t, demoNow)
	printed(t, env, "cr80")
	if c := run(t, env, readiness.Options{Only: []string{"badge_photos"}})["badge_photos"]; c.Status != readiness.Pass || c.Checked != 0 {
		t.Fatalf("plain layout: %s, %d checked", c.Status, c.Checked)
	}
	eventLayout(t, env, "lanyard-photo")
	active := mustInt(one(t, env, `SELECT count(*) FROM attendees WHERE status = 'active'`))
	c := run(t, env, readiness.Options{Only: []string{"badge_photos"}})["badge_photos"]
	if c.Status != readiness.Fail || c.Failed != c.Checked || int64(c.Checked) != active || len(c.Items) != min(c.Failed, readiness.MaxItems) {
		t.Fatalf("a photo layout, no photos: %s, %d of %d failed (%d active)", c.Status, c.Failed, c.Checked, active)
	}
}

// eventLayout puts the meeting on layout through its definition, as the
// desk's set-up does, and reloads the catalog the checks read.
func eventLayout(t *testing.T, env *testkit.Env, layout string) {
	t.Helper()
	ctx := context.Background()
	def, err := env.DB.Definition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	def.Event.BadgeLayout = layout
	if _, err := env.DB.ApplyDefinition(ctx, def, eventdef.Given{eventdef.PartEvent: true}, store.ApplyOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if env.Catalog, err = env.DB.Catalog(ctx); err != nil {
		t.Fatal(err)
	}
}

// printed logs one badge printed on layout, as the badge routes do, for
// the last attendee of the list, and answers who.
func printed(t *testing.T, env *testkit.Env, layout string) int64 {
	t.Helper()
	id := mustInt(one(t, env, `SELECT id FROM attendees WHERE status = 'active' ORDER BY id DESC LIMIT 1`))
	printedFor(t, env, id, layout)
	return id
}

func printedFor(t *testing.T, env *testkit.Env, id int64, layout string) {
	t.Helper()
	cred, err := env.Creds.Current(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, env, `INSERT INTO badge_prints (attendee_id, serial, kind, layout, batch, actor, reason, printed_at)
		VALUES (?, ?, 'badge', ?, '', 'test', '', ?)`, id, cred.Serial, layout, store.FormatTime(demoNow))
}
