package eventdef_test

import (
	"slices"
	"strings"
	"testing"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

// TestBadgeLayout: an event prints on cr80 unless it names another of the
// embedded layouts; an unknown one is refused at event.badge_layout with
// the layouts there are, in both languages; a change is said in words.
func TestBadgeLayout(t *testing.T) {
	d := example.Small(now)
	eventdef.Normalize(&d)
	if d.Event.BadgeLayout != eventdef.DefaultBadgeLayout || eventdef.DefaultBadgeLayout != "cr80" {
		t.Fatalf("default layout %q", d.Event.BadgeLayout)
	}
	if all := eventdef.BadgeLayouts(); !slices.Contains(all, "cr80") || !slices.Contains(all, "a6-photo") ||
		slices.ContainsFunc(all, func(s string) bool { return strings.Contains(s, "/") }) {
		t.Fatalf("layouts %v: want the sizes, without the categories' overrides", all)
	}

	bad := example.Small(now)
	bad.Event.BadgeLayout = "a5-photo"
	errs := eventdef.Validate(bad)
	if len(errs) != 1 || errs[0].Path != "event.badge_layout" || errs[0].Code != eventdef.CodeBadValue ||
		!strings.Contains(errs[0].Message.Zh, "证件版式") || !strings.Contains(errs[0].Message.Zh, "a5-photo") ||
		!strings.Contains(errs[0].Message.En, "a6-photo") || !strings.Contains(errs[0].Message.En, "badge layout") {
		t.Fatalf("an unknown layout: %v", errs)
	}
	// A category's override is not a size of its own.
	bad.Event.BadgeLayout = "cr80/staff"
	if errs := eventdef.Validate(bad); len(errs) != 1 || errs[0].Path != "event.badge_layout" {
		t.Fatalf("an override as a layout: %v", errs)
	}
	// Whatever is sent, the answer stays short.
	bad.Event.BadgeLayout = strings.Repeat("证", 5000)
	if errs := eventdef.Validate(bad); len(errs) != 1 || len(errs[0].Message.Zh) > 1000 || len(errs[0].Message.En) > 1000 {
		t.Fatalf("a long layout: %d errors, %d bytes", len(errs), len(errs[0].Message.Zh))
	}

	photo := example.Small(now)
	photo.Event.BadgeLayout = "a6-photo"
	if errs := eventdef.Validate(photo); len(errs) > 0 {
		t.Fatal(errs)
	}
	eventdef.Normalize(&photo)
	r := eventdef.Diff(d, photo)
	if len(r.Changes) != 1 || r.Changes[0].Part != eventdef.PartEvent {
		t.Fatalf("changes %+v", r.Changes)
	}
	if w := r.Changes[0].Words; !strings.Contains(w.Zh, "证件版式 cr80 → a6-photo") || !strings.Contains(w.En, "badge layout cr80 → a6-photo") {
		t.Errorf("in words: %+v", w)
	}
}

// FuzzBadgeLayout: any layout name is either one of the layouts or
// refused at its path with a short answer; never a panic.
func FuzzBadgeLayout(f *testing.F) {
	for _, s := range []string{"", "cr80", "a6-photo", "cr80/staff", "A6", "证", "\x00", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, layout string) {
		d := example.Small(now)
		d.Event.BadgeLayout = layout
		errs := eventdef.Validate(d)
		known := layout == "" || slices.Contains(eventdef.BadgeLayouts(), layout)
		if known != (len(errs) == 0) {
			t.Fatalf("%q: %v", layout, errs)
		}
		for _, e := range errs {
			if e.Path != "event.badge_layout" || len(e.Message.Zh) > 1000 || len(e.Message.En) > 1000 {
				t.Fatalf("%q: %v", layout, e)
			}
		}
	})
}
