package workbook

import (
	"bytes"
	"slices"
	"testing"

	"huiwu/server/internal/eventdef"
)

// TestBadgeLayoutCell: the event's badge layout has its row in 会议信息;
// it is written and read back, read whatever its case, and a layout the
// templates do not have is refused at that very cell.
func TestBadgeLayoutCell(t *testing.T) {
	def := richDefinition()
	def.Event.BadgeLayout = "a6-photo"
	var out bytes.Buffer
	if err := Write(def, &out); err != nil {
		t.Fatal(err)
	}
	got, l, errs := Read(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got.Event.BadgeLayout != "a6-photo" {
		t.Fatalf("read back %q", got.Event.BadgeLayout)
	}
	pos, ok := l.Position("event.badge_layout")
	if !ok || pos.Sheet != SheetEvent || pos.Column != "B" || pos.Header != "证件版式" {
		t.Fatalf("event.badge_layout at %+v (%v)", pos, ok)
	}
	cell := "B" + itoa(pos.Row)

	for value, want := range map[string]string{" CR80-Photo ": "cr80-photo", "": ""} {
		data := edit(t, out.Bytes(), set(SheetEvent, cell, value))
		got, _, errs := Read(bytes.NewReader(data), int64(len(data)))
		if len(errs) > 0 || got.Event.BadgeLayout != want {
			t.Errorf("%q read as %q (%v), want %q", value, got.Event.BadgeLayout, errs, want)
		}
	}

	data := edit(t, out.Bytes(), set(SheetEvent, cell, "A5"))
	got, l, errs = Read(bytes.NewReader(data), int64(len(data)))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// The rich definition breaks other rules too; the layout's error is
	// the one looked at.
	verr := eventdef.Validate(got)
	at := slices.IndexFunc(verr, func(e eventdef.Error) bool { return e.Path == "event.badge_layout" })
	if at < 0 || verr[at].Code != eventdef.CodeBadValue {
		t.Fatalf("an unknown layout: %v", verr)
	}
	if sheet, row, col, ok := l.Cell(verr[at].Path); !ok || sheet+"!"+col+itoa(row) != SheetEvent+"!"+cell {
		t.Errorf("located at %s!%s%d, want %s!%s", sheet, col, row, SheetEvent, cell)
	}
}
