package kioskcache_test

import (
	"context"
	"testing"

	"huiwu/server/internal/kioskcache"
	"huiwu/server/internal/testkit"
)

// TestCacheCarriesTheEventEnd (issue 10.15): every checkpoint's cache
// expires when the event's last window closes, whatever the checkpoint.
func TestCacheCarriesTheEventEnd(t *testing.T) {
	env := testkit.New(t, start)
	cat := env.Catalog
	last := cat.SessionList[0].ClosesAt
	for _, s := range cat.SessionList {
		if s.ClosesAt.After(last) {
			last = s.ClosesAt
		}
	}
	for _, m := range cat.MealList {
		if m.ClosesAt.After(last) {
			last = m.ClosesAt
		}
	}
	for _, cp := range []string{"hall-east", "dining1", "hotel-desk"} {
		doc, err := kioskcache.Build(context.Background(), env.DB, cat, env.Creds, cp, start)
		if err != nil {
			t.Fatal(err)
		}
		if !doc.Expires.Equal(last) || doc.Expires.Location().String() != cat.Location.String() {
			t.Errorf("%s: expires_at %v, want %v in the event's zone", cp, doc.Expires, last)
		}
	}
}
