package readiness_test

import (
	"context"
	"math"
	"testing"

	"huiwu/server/internal/faces"
	"huiwu/server/internal/readiness"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// unitRef is a valid reference (all components equal).
func unitRef() []byte {
	v := make([]byte, faces.RefLen)
	for i := range v {
		v[i] = byte(int8(math.Round(127 / math.Sqrt(faces.RefLen))))
	}
	return v
}

// TestFaceRefsCheck (issue 15.6): with face verification on, everyone
// who consented has a reference; a person with a photo and none yet, or
// without a photo to compute it from, is named.
func TestFaceRefsCheck(t *testing.T) {
	ctx := context.Background()
	nth := func(t *testing.T, env *testkit.Env, i int) store.PhotoPerson {
		ps, err := env.DB.PhotoPeople(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ps[i]
	}
	refFor := func(t *testing.T, env *testkit.Env, id int64) {
		p, err := env.DB.Photo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.DB.PutFaceRef(ctx, id, faces.Model, unitRef(), p.At, "test"); err != nil {
			t.Fatal(err)
		}
	}
	photo := func(t *testing.T, env *testkit.Env, id int64) {
		if err := env.DB.PutPhotos(ctx, []store.PhotoPut{{Attendee: id, JPEG: []byte{0xff, 0xd8, 0xff, 0xd9}, Width: 60, Height: 80}}, "test", ""); err != nil {
			t.Fatal(err)
		}
	}
	consenting := func(t *testing.T, env *testkit.Env, i int) int64 {
		p := nth(t, env, i)
		if _, err := env.DB.SetFaceConsent(ctx, p.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	prepare := func(t *testing.T, env *testkit.Env) {
		env.Catalog.Event.FaceVerification = true
		id := consenting(t, env, 0)
		photo(t, env, id)
		refFor(t, env, id)
	}
	breakFix{check: "face_refs", name: "/pending", prepare: prepare,
		breaks: func(t *testing.T, env *testkit.Env) string {
			id := consenting(t, env, 1)
			photo(t, env, id)
			return one(t, env, `SELECT ?`, id)
		},
		fix: func(t *testing.T, env *testkit.Env) { refFor(t, env, nth(t, env, 1).ID) },
	}.run(t)
	breakFix{check: "face_refs", name: "/no photo", prepare: prepare,
		breaks: func(t *testing.T, env *testkit.Env) string {
			return one(t, env, `SELECT ?`, consenting(t, env, 2))
		},
		fix: func(t *testing.T, env *testkit.Env) {
			id := nth(t, env, 2).ID
			photo(t, env, id)
			refFor(t, env, id)
		},
	}.run(t)

	// Off for the event: nothing to check, whatever is pending.
	env := testkit.New(t, demoNow)
	env.Catalog.Event.FaceVerification = false
	photo(t, env, consenting(t, env, 0))
	if c := run(t, env, readiness.Options{Only: []string{"face_refs"}})["face_refs"]; c.Status != readiness.Pass || c.Checked != 0 {
		t.Errorf("face verification off: %s, %d checked", c.Status, c.Checked)
	}
}
