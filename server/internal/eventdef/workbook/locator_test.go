package workbook

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/eventdef"
)

func TestLocator(t *testing.T) {
	// The example, with the lunch served from a second row and its name
	// given only there.
	data := edit(t, exampleBytes(t), set(SheetMeals, "A3", "d1-lunch", SheetMeals, "G3", "canteen", SheetMeals, "H3", "staff"))
	_, l := readOK(t, data)
	tests := []struct {
		path   string
		sheet  string
		row    int
		column string
	}{
		{"sessions[1].venue", SheetSessions, 3, "E"},
		{"sessions[1]", SheetSessions, 3, ""},
		{"sessions[0].expected.categories[1]", SheetSessions, 2, "K"},
		{"sessions[0].expected", SheetSessions, 2, "K"},
		{"sessions[0].quorum", SheetSessions, 2, "N"},
		{"sessions[0].quorum.categories[0]", SheetSessions, 2, "Q"},
		{"sessions[0].presidium.honour", SheetSessions, 2, "S"},
		{"sessions[1].closes_at", SheetSessions, 3, "J"},
		{"sessions", SheetSessions, 1, ""},
		{"venues[0].sections[1].rows", SheetSections, 3, "C"},
		{"venues[0].sections[2]", SheetSections, 4, ""},
		{"venues[0].seats[1].x", SheetSeats, 3, "H"},
		{"venues[0].seats[0].seat", SheetSeats, 2, "B"},
		{"venues[0].presidium[0]", SheetVenues, 2, "G"},
		{"venues[0].doors[2]", SheetVenues, 2, "F"},
		{"venues[0].seats", SheetVenues, 2, ""},
		{"venues[2].tables[3].seats", SheetVenues, 4, "H"},
		{"venues[3].rooms[2].beds", SheetRooms, 4, "C"},
		{"venues[3].kind", SheetVenues, 5, "D"},
		{"meals[0].halls[0].venue", SheetMeals, 2, "G"},
		{"meals[0].halls[1].categories[0]", SheetMeals, 3, "H"},
		{"meals[0].halls[1]", SheetMeals, 3, ""},
		{"meals[0].halls", SheetMeals, 2, "G"},
		{"meals[0].opens_at", SheetMeals, 2, "E"},
		{"checkpoints[1].meal", SheetCheckpoints, 3, "H"},
		{"categories[0].color", SheetCategories, 2, "D"},
		{"event.timezone", SheetEvent, 5, "B"},
		{"event.starts_on", SheetEvent, 6, "B"},
		{"event", SheetEvent, 1, ""},
	}
	for _, tt := range tests {
		sheet, row, column, ok := l.Cell(tt.path)
		if !ok || sheet != tt.sheet || row != tt.row || column != tt.column {
			t.Errorf("%s at %s!%s%d (%v), want %s!%s%d", tt.path, sheet, column, row, ok, tt.sheet, tt.column, tt.row)
		}
	}
	for _, path := range []string{"", "nothing", "nothing[3].venue"} {
		if _, _, _, ok := l.Cell(path); ok {
			t.Errorf("%q located", path)
		}
	}
	var none *Locator
	if _, _, _, ok := none.Cell("sessions[0]"); ok {
		t.Error("a nil Locator located something")
	}
}

// The point of the Locator: eventdef's errors land on the cells to fix.
func TestLocatorPlacesValidationErrors(t *testing.T) {
	data := edit(t, exampleBytes(t), func(f *excelize.File) error {
		return set(SheetSessions, "E3", "nowhere", // sessions[1].venue
			SheetSections, "F2", "北门", // venues[0].sections[0].door: no such door
			SheetMeals, "G2", "hall", // meals[0].halls[0].venue: not a dining hall
			SheetCategories, "D3", "blue", // categories[1].color
			SheetEvent, "B2", "示例")(f) // event.id: not a code
	})
	def, l, errs := Read(bytes.NewReader(data), int64(len(data)))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string]string{
		"sessions[1].venue":          "日程!E3",
		"venues[0].sections[0].door": "座区!F2",
		"meals[0].halls[0].venue":    "用餐!G2",
		"categories[1].color":        "人员类别!D3",
		"event.id":                   "会议信息!B2",
		"checkpoints[1].meal":        "检查点!H3", // its meal is no longer served in the canteen
	}
	for _, e := range eventdef.Validate(def) {
		cell, ok := want[e.Path]
		if !ok {
			t.Errorf("unexpected validation error %v", e)
			continue
		}
		sheet, row, col, ok := l.Cell(e.Path)
		if got := sheet + "!" + col + itoa(row); !ok || got != cell {
			t.Errorf("%s located at %s, want %s", e.Path, got, cell)
		}
		delete(want, e.Path)
	}
	for path := range want {
		t.Errorf("no validation error for %s", path)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
