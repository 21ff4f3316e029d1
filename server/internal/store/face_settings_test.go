package store_test

import (
	"context"
	"testing"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

// TestFaceSettingsStored: the event's face verification and each
// checkpoint's photo check and face mode are stored, read back in the
// definition and the catalog, and putting them back changes nothing.
func TestFaceSettingsStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	d := example.Small(defNow)
	d.Event.FaceVerification = true
	d.Checkpoints[0].PhotoCheck = true
	d.Checkpoints[0].Face = eventdef.FaceEnforce
	d.Checkpoints[1].Face = eventdef.FaceAdvise
	apply(t, db, d, eventdef.All(), false)

	got, err := db.Definition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Event.FaceVerification || !got.Checkpoints[0].PhotoCheck || got.Checkpoints[0].Face != eventdef.FaceEnforce ||
		got.Checkpoints[1].PhotoCheck || got.Checkpoints[1].Face != eventdef.FaceAdvise || got.Checkpoints[2].Face != eventdef.FaceOff {
		t.Fatalf("read back: event %v, checkpoints %+v", got.Event.FaceVerification, got.Checkpoints)
	}
	if rep := apply(t, db, got, eventdef.All(), false); !rep.Unchanged {
		t.Errorf("put back changed: %+v", rep.Changes)
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cp := cat.Checkpoints[d.Checkpoints[0].ID]
	if !cat.Event.FaceVerification || !cp.PhotoCheck || cp.Face != eventdef.FaceEnforce {
		t.Errorf("catalog: event %v, checkpoint %+v", cat.Event.FaceVerification, cp)
	}

	d.Event.FaceVerification = false
	d.Checkpoints[0].Face, d.Checkpoints[1].Face = eventdef.FaceOff, eventdef.FaceOff
	apply(t, db, d, eventdef.All(), false)
	if got, _ := db.Definition(ctx); got.Event.FaceVerification || got.Checkpoints[0].Face != eventdef.FaceOff || !got.Checkpoints[0].PhotoCheck {
		t.Errorf("turned off: %v %+v", got.Event.FaceVerification, got.Checkpoints[0])
	}
}
