package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestSearchKeysRareCharacters checks the readings of characters the pinyin
// library lacks: 𠮷 (U+20BB7, Extension B) has no reading of its own in
// Unihan and reads as its variant 吉.
func TestSearchKeysRareCharacters(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, full, initials string }{
		{"𠮷田健一", "jitianjianyi", "jtjy"},
		{"刘䶮", "liuyan", "ly"},
		{"张伟", "zhangwei", "zw"},
		{"Anna Müller", "annamüller", "am"},
	} {
		full, initials := store.SearchKeys(c.name)
		if full != c.full || initials != c.initials {
			t.Errorf("SearchKeys(%q) = %q, %q; want %q, %q", c.name, full, initials, c.full, c.initials)
		}
	}
}

// TestSearchFindsExtensionBName finds the demo's 𠮷田健一 by the pinyin a
// desk types.
func TestSearchFindsExtensionBName(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC))
	for _, q := range []string{"jtjy", "jitian", "JTJY", "𠮷田"} {
		got, err := env.DB.SearchAttendees(context.Background(), q, 30, true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(got, func(a store.Attendee) bool { return a.Name == "𠮷田健一" }) {
			t.Errorf("search %q (%d hits) misses 𠮷田健一", q, len(got))
		}
	}
}

// TestOpenRefreshesSearchKeys opens a database whose keys were written by
// an older build (𠮷 kept as it is): opening it brings them up to date.
func TestOpenRefreshesSearchKeys(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC))
	ctx := context.Background()
	if _, err := env.DB.ForTest().W.ExecContext(ctx, `UPDATE attendees SET pinyin = '𠮷tianjianyi', initials = '𠮷tjy' WHERE name = '𠮷田健一'`); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, testkit.StoreConfig(t, env.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.SearchAttendees(ctx, "jtjy", 30, true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(got, func(a store.Attendee) bool { return a.Name == "𠮷田健一" }) {
		t.Errorf("after reopening, search jtjy (%d hits) misses 𠮷田健一", len(got))
	}
}
