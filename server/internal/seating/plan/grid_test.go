package plan

import (
	"slices"
	"strings"
	"testing"
)

func TestParseGridNumbering(t *testing.T) {
	grid := "排,1,2,3,4,5,6\n1,*,*,*,*,*,*\n2,*,*,,*W,*,*\n3,7,9R,,,*B,\n"
	tests := []struct {
		scheme string
		want   []string // labels left to right, row by row
	}{
		{"centre", []string{"X-1-6", "X-1-4", "X-1-2", "X-1-1", "X-1-3", "X-1-5", "X-2-4", "X-2-2", "X-2-1", "X-2-3", "X-2-5", "X-3-7", "X-3-9", "X-3-1"}},
		{"ltr", []string{"X-1-1", "X-1-2", "X-1-3", "X-1-4", "X-1-5", "X-1-6", "X-2-1", "X-2-2", "X-2-3", "X-2-4", "X-2-5", "X-3-7", "X-3-9", "X-3-1"}},
	}
	for _, tt := range tests {
		seats, err := ParseGrid("X", strings.NewReader(grid), GridLayout{Numbering: tt.scheme})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range seats {
			got = append(got, s.Label)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v\nwant %v", tt.scheme, got, tt.want)
		}
		if seats[8].Kind != "wheelchair" || seats[12].Kind != "reserved" || seats[13].Kind != "blocked" || seats[3].X <= seats[2].X {
			t.Errorf("%s: kinds or positions wrong: %+v", tt.scheme, seats)
		}
	}
	if _, err := ParseGrid("X", strings.NewReader("排,1\n1,5\n1,5\n"), GridLayout{}); err == nil || !strings.Contains(err.Error(), "repeats line 2") {
		t.Errorf("a repeated seat: %v", err)
	}
}
