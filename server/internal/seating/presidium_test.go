package seating

import (
	"fmt"
	"slices"
	"testing"

	"huiwu/server/internal/domain"
)

// The worked examples of DESIGN.md: ranks as the audience reads the row
// left to right, and their mirrors for 以右为尊.
func TestPresidiumOrderWorkedExamples(t *testing.T) {
	tests := []struct {
		n      int
		rule   PresidiumRule
		honour Honour
		want   []int
	}{
		{1, RuleOdd, HonourLeft, []int{1}},
		{3, RuleOdd, HonourLeft, []int{3, 1, 2}},
		{5, RuleOdd, HonourLeft, []int{5, 3, 1, 2, 4}},
		{5, RuleOdd, HonourRight, []int{4, 2, 1, 3, 5}},
		{7, RuleOdd, HonourLeft, []int{7, 5, 3, 1, 2, 4, 6}},
		{6, RuleEvenA, HonourLeft, []int{5, 3, 1, 2, 4, 6}},
		{6, RuleEvenA, HonourRight, []int{6, 4, 2, 1, 3, 5}},
		{6, RuleEvenB, HonourLeft, []int{6, 4, 2, 1, 3, 5}},
		{6, RuleEvenB, HonourRight, []int{5, 3, 1, 2, 4, 6}},
		{2, RuleEvenA, HonourLeft, []int{1, 2}},
		{2, RuleEvenB, HonourLeft, []int{2, 1}},
		{4, RuleEvenA, HonourLeft, []int{3, 1, 2, 4}},
		{4, RuleEvenB, HonourLeft, []int{4, 2, 1, 3}},
		// An even row under the "odd" rule follows variant A.
		{6, RuleOdd, HonourLeft, []int{5, 3, 1, 2, 4, 6}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%s-%s", tt.n, tt.rule, tt.honour), func(t *testing.T) {
			got := AudienceView(PresidiumOrder(tt.n, tt.rule, tt.honour))
			if !slices.Equal(got, tt.want) {
				t.Errorf("audience view %v, want %v", got, tt.want)
			}
		})
	}
}

// In 以左为尊 rank 2 sits on rank 1's left hand, which the audience sees on
// its right; a mirrored chart would swap them.
func TestPresidiumRank2OnLeadersLeft(t *testing.T) {
	for _, n := range []int{3, 5, 9, 15} {
		o := PresidiumOrder(n, RuleOdd, HonourLeft)
		if o[1] != o[0]+1 || o[2] != o[0]-1 {
			t.Errorf("n=%d: rank 1 at %d, 2 at %d, 3 at %d", n, o[0], o[1], o[2])
		}
	}
}

func hallRow(row, n int, y float64) []Seat {
	var out []Seat
	for i := range n {
		out = append(out, Seat{ID: int64(row*100 + i + 1), Seat: domain.Seat{Label: fmt.Sprintf("P-%d-%02d", row, i+1), Section: "presidium",
			Row: row, Number: i + 1, Kind: domain.SeatPresidium, X: float64(i), Y: y}})
	}
	return out
}

// Several rows: the first row fills centre-out, then the next; a part-full
// row is centred with rank 1 on the centre seat.
func TestArrangePresidiumRows(t *testing.T) {
	seats := append(hallRow(1, 5, 0), hallRow(2, 7, -1)...)
	var people []Person
	var ids []int64
	for r := 1; r <= 8; r++ {
		people = append(people, Person{ID: int64(1000 + r), Name: fmt.Sprint("r", r), Rank: r, Category: "deputy"})
		ids = append(ids, int64(1000+r))
	}
	rules := DefaultRules()
	rules.PresidiumIDs = ids
	res := Arrange(Input{Seats: seats, People: people, Rules: rules})
	row := func(r, n int) []int {
		out := make([]int, n)
		for pid, sid := range res.Seats {
			if int(sid/100) == r {
				out[sid%100-1] = int(pid - 1000)
			}
		}
		return out
	}
	if got, want := row(1, 5), []int{5, 3, 1, 2, 4}; !slices.Equal(got, want) {
		t.Errorf("row 1 %v, want %v", got, want)
	}
	// Ranks 6, 7, 8 in a row of 7: odd rule, centred: 0 0 8 6 7 0 0.
	if got, want := row(2, 7), []int{0, 0, 8, 6, 7, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("row 2 %v, want %v", got, want)
	}
	if !res.Report.OK {
		t.Errorf("report not OK: %+v", res.Report)
	}
}

// Six leaders in a row of seven seats under variant A: rank 1 takes the
// row's centre seat and 2 the seat on his left.
func TestArrangePresidiumEvenInOddRow(t *testing.T) {
	seats := hallRow(1, 7, 0)
	var people []Person
	var ids []int64
	for r := 1; r <= 6; r++ {
		people = append(people, Person{ID: int64(r), Rank: r, Category: "deputy"})
		ids = append(ids, int64(r))
	}
	rules := DefaultRules()
	rules.PresidiumIDs, rules.Presidium = ids, RuleEvenA
	res := Arrange(Input{Seats: seats, People: people, Rules: rules})
	got := make([]int, 7)
	for pid, sid := range res.Seats {
		got[sid%100-1] = int(pid)
	}
	if want := []int{0, 5, 3, 1, 2, 4, 6}; !slices.Equal(got, want) {
		t.Errorf("row %v, want %v", got, want)
	}
}
