package store_test

import (
	"context"
	"testing"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

// TestBadgeLayoutStored: the event's badge layout is stored, read back in
// the definition and the catalog, putting it back changes nothing, and a
// definition that names none is on cr80 again.
func TestBadgeLayoutStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t, t.TempDir())
	d := example.Small(defNow)
	apply(t, db, d, eventdef.All(), false)
	if got, _ := db.Definition(ctx); got.Event.BadgeLayout != "cr80" {
		t.Fatalf("the default read back as %q", got.Event.BadgeLayout)
	}

	d.Event.BadgeLayout = "a6-photo"
	apply(t, db, d, eventdef.All(), false)
	got, err := db.Definition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Event.BadgeLayout != "a6-photo" {
		t.Fatalf("read back %q", got.Event.BadgeLayout)
	}
	if rep := apply(t, db, got, eventdef.All(), false); !rep.Unchanged {
		t.Errorf("put back changed: %+v", rep.Changes)
	}
	cat, err := db.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Event.BadgeLayout != "a6-photo" {
		t.Errorf("catalog %q", cat.Event.BadgeLayout)
	}

	d.Event.BadgeLayout = ""
	apply(t, db, d, eventdef.All(), false)
	if got, _ := db.Definition(ctx); got.Event.BadgeLayout != "cr80" {
		t.Errorf("none named: %q", got.Event.BadgeLayout)
	}
}
