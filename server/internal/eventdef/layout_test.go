package eventdef_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/eventdef"
)

// The demo's great hall is numbered the usual Chinese way, across each row
// from the centre: its three sections given as rows × seats with centre
// numbering make exactly its seat labels, presidium included.
func TestCentreNumberingMatchesTheDemoHall(t *testing.T) {
	ev := demo.Generate(now)
	var want []string
	for _, s := range ev.Venues[0].Seats {
		want = append(want, s.Label)
	}
	hall := eventdef.Venue{Code: "hall", Kind: "hall", Presidium: []int{15, 17}, Sections: []eventdef.Section{
		{Code: "A", Rows: 25, Seats: 8, Numbering: "centre"}, {Code: "B", Rows: 25, Seats: 14, Numbering: "centre"},
		{Code: "C", Rows: 25, Seats: 8, Numbering: "centre"}}}
	var got []string
	for _, s := range eventdef.Layout(hall) {
		got = append(got, s.Label)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%d labels, want %d; first %v vs %v", len(got), len(want), got[:5], want[:5])
	}
}

func TestRowNumbering(t *testing.T) {
	row := func(v eventdef.Venue, r int) string {
		var out []int
		for _, s := range eventdef.Layout(v) {
			if s.Row == r && s.Section != eventdef.PresidiumSection {
				out = append(out, s.Number)
			}
		}
		return fmt.Sprint(out)
	}
	for _, tc := range []struct {
		name     string
		sections []eventdef.Section
		want     string
	}{
		{"odd count from the centre", []eventdef.Section{{Code: "A", Rows: 1, Seats: 5, Numbering: "centre"}}, "[4 2 1 3 5]"},
		{"even count from the centre", []eventdef.Section{{Code: "A", Rows: 1, Seats: 6, Numbering: "centre"}}, "[6 4 2 1 3 5]"},
		{"left to right", []eventdef.Section{{Code: "A", Rows: 1, Seats: 4, Numbering: "ltr"}}, "[1 2 3 4]"},
		{"mixed: sides left to right, centre from its centre", []eventdef.Section{
			{Code: "L", Rows: 1, Seats: 2, Numbering: "ltr"}, {Code: "M", Rows: 1, Seats: 4, Numbering: "centre"},
			{Code: "R", Rows: 1, Seats: 2, Numbering: "ltr"}}, "[1 2 4 2 1 3 1 2]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := row(eventdef.Venue{Sections: tc.sections}, 1); got != tc.want {
				t.Errorf("row reads %s, want %s", got, tc.want)
			}
		})
	}
	// A section starting further back joins the rows it has.
	v := eventdef.Venue{Sections: []eventdef.Section{{Code: "A", Rows: 2, Seats: 2, Numbering: "centre"}, {Code: "B", Rows: 1, Seats: 2, Numbering: "centre", FirstRow: 2}}}
	if got := row(v, 1); got != "[2 1]" {
		t.Errorf("row 1 %s", got)
	}
	if got := row(v, 2); got != "[4 2 1 3]" {
		t.Errorf("row 2 %s", got)
	}
}

// Overrides gives back exactly the seats that differ from what the
// sections make, so a stored hall reads back as it was given.
func TestOverridesInvertLayout(t *testing.T) {
	v := eventdef.Venue{Presidium: []int{3}, Sections: []eventdef.Section{{Code: "A", Rows: 2, Seats: 3, Numbering: "ltr", Door: "东门"}},
		Seats: []eventdef.Seat{
			{Label: "A-1-2", Section: "A", Row: 1, Number: 2, Kind: "wheelchair", Door: "东门", X: 2.62, Y: 6},
			{Label: "Z-1", Section: "Z", Row: 1, Number: 1, Kind: "reserved", X: 9, Y: 9},
		}}
	all := eventdef.Layout(v)
	if len(all) != 3+6+1 {
		t.Fatalf("%d seats", len(all))
	}
	if got := eventdef.Overrides(v, all); !reflect.DeepEqual(got, v.Seats) {
		t.Errorf("overrides %+v\nwant %+v", got, v.Seats)
	}
}
