package badges

import (
	"testing"

	"huiwu/badge/render"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// TestPatternFollowsCategoryOrder: the event's first category prints its
// band plain, every other its own pattern, by the categories' order (not
// their codes).
func TestPatternFollowsCategoryOrder(t *testing.T) {
	cat := &store.Catalog{Categories: map[string]domain.Category{
		"press": {Code: "press", Sort: 5}, "deputy": {Code: "deputy", Sort: 1}, "observer": {Code: "observer", Sort: 2},
		"staff": {Code: "staff", Sort: 4}, "guest": {Code: "guest", Sort: 3},
	}}
	seen := map[render.Pattern]string{}
	for code, want := range map[string]render.Pattern{"deputy": render.Solid, "observer": render.PatternFor(1), "press": render.PatternFor(4)} {
		if got := patternOf(cat, code); got != want {
			t.Errorf("%s: pattern %q, want %q", code, got, want)
		}
	}
	for code := range cat.Categories {
		p := patternOf(cat, code)
		if other, ok := seen[p]; ok {
			t.Errorf("%s and %s share the pattern %q", code, other, p)
		}
		seen[p] = code
	}
}
