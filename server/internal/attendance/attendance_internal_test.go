package attendance

import (
	"testing"

	"huiwu/server/internal/domain"
)

func TestRequired(t *testing.T) {
	t.Parallel()
	half := domain.Quorum{Num: 1, Den: 2, Strict: true}
	twoThirds := domain.Quorum{Num: 2, Den: 3}
	for _, tc := range []struct {
		base int
		rule domain.Quorum
		want int
	}{
		{120, half, 61}, // more than half of 120
		{121, half, 61}, // more than 60.5
		{1, half, 1},
		{0, half, 1},
		{120, twoThirds, 80}, // at least 2/3 of 120
		{121, twoThirds, 81}, // at least 80.67
		{3, twoThirds, 2},
		{2950, twoThirds, 1967},
	} {
		if got := Required(tc.base, tc.rule); got != tc.want {
			t.Errorf("Required(%d, %+v) = %d, want %d", tc.base, tc.rule, got, tc.want)
		}
	}
}

func TestStatement(t *testing.T) {
	t.Parallel()
	c := Counts{Figures: Figures{Expected: 120, OnLeave: 2, Present: 116}, Quorum: Quorum{Required: 61, Met: true}}
	zh, en := statement(c)
	if want := "本次会议应到120人，因事因病请假2人，实到116人，符合法定人数。"; zh != want {
		t.Errorf("statement %q, want %q", zh, want)
	}
	if en == "" {
		t.Error("no English statement")
	}
	c = Counts{Figures: Figures{Expected: 120, Present: 50}, Quorum: Quorum{Required: 61}}
	if zh, _ := statement(c); zh != "本次会议应到120人，实到50人，不足法定人数。" {
		t.Errorf("statement without leave: %q", zh)
	}
}
