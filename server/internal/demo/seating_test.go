package demo

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"huiwu/server/internal/domain"
)

// audienceView renders presidiumOrder as the ranks read left to right by
// the audience, the way DESIGN.md writes them.
func audienceView(n int, rule, honour string) string {
	seat := make([]string, n)
	for rank, i := range presidiumOrder(n, rule, honour) {
		seat[i] = fmt.Sprint(rank + 1)
	}
	return strings.Join(seat, " ")
}

func TestPresidiumOrder(t *testing.T) {
	for _, tc := range []struct {
		n            int
		rule, honour string
		want         string
	}{
		{1, "odd", "left", "1"},
		{5, "odd", "left", "5 3 1 2 4"},
		{5, "odd", "right", "4 2 1 3 5"},
		{6, "even-a", "left", "5 3 1 2 4 6"},
		{6, "even-b", "left", "6 4 2 1 3 5"},
		{6, "even-a", "right", "6 4 2 1 3 5"}, // mirrored A reads like B
		{2, "even-a", "left", "1 2"},
		{2, "even-b", "left", "2 1"},
		{15, "even-a", "left", "15 13 11 9 7 5 3 1 2 4 6 8 10 12 14"}, // odd n ignores the even rule
	} {
		if got := audienceView(tc.n, tc.rule, tc.honour); got != tc.want {
			t.Errorf("%d %s/%s: got %s, want %s", tc.n, tc.rule, tc.honour, got, tc.want)
		}
	}
}

func hallOf(ev domain.EventData) domain.Venue {
	for _, v := range ev.Venues {
		if v.Code == "hall" {
			return v
		}
	}
	panic("no hall")
}

func TestPresidiumSeatsFollowRank(t *testing.T) {
	ev := Generate(fixedNow)
	hall := hallOf(ev)
	seats := map[string]domain.Seat{}
	for _, s := range hall.Seats {
		seats[s.Label] = s
	}
	for _, s := range ev.Sessions {
		if s.Kind != domain.SessionPlenary {
			continue
		}
		// Rank (1 = first in the list) of whoever sits in each front-row seat.
		row := map[int]int{}
		n := 0
		for _, a := range ev.Attendees {
			for _, ss := range a.Seats {
				if ss.Session == s.ID && seats[ss.Seat].Kind == domain.SeatPresidium {
					n++
					if seats[ss.Seat].Row == 1 {
						row[seats[ss.Seat].Number] = a.Rank
					}
				}
			}
		}
		if n < 25 || n > 36 {
			t.Errorf("%s: %d on the presidium, want about 30", s.ID, n)
		}
		var ranks []string
		for i := 1; i <= len(row); i++ {
			ranks = append(ranks, fmt.Sprint(row[i]))
		}
		got := strings.Join(ranks, " ")
		if !strings.Contains(" "+got+" ", " 5 3 1 2 4 ") || !strings.HasSuffix(got, " 14") {
			t.Errorf("%s: front row reads %s, want …5 3 1 2 4… (以左为尊, audience view)", s.ID, got)
		}
	}
}

func TestHallNumbering(t *testing.T) {
	hall := hallOf(Generate(fixedNow))
	var row5 []string
	for _, s := range hall.Seats {
		if s.Row == 5 && s.Section != "presidium" {
			row5 = append(row5, fmt.Sprint(s.Number))
		}
		if want := fmt.Sprintf("%s-%d-%d", s.Section, s.Row, s.Number); s.Section != "presidium" && s.Label != want {
			t.Errorf("label %s, want %s", s.Label, want)
		}
	}
	want := "30 28 26 24 22 20 18 16 14 12 10 8 6 4 2 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29"
	if got := strings.Join(row5, " "); got != want {
		t.Errorf("row 5 left to right:\n got %s\nwant %s", got, want)
	}
	kinds := map[domain.SeatKind]int{}
	for _, s := range hall.Seats {
		kinds[s.Kind]++
		if !slices.Contains(hall.Doors, s.Door) {
			t.Errorf("seat %s: door %q is not one of the hall's", s.Label, s.Door)
		}
		if s.Kind == domain.SeatWheelchair && !(s.Number >= 13 && (s.Row == hallRows || s.Number >= 29)) {
			t.Errorf("wheelchair seat %s is not at a row end", s.Label)
		}
	}
	if kinds[domain.SeatWheelchair] < 3 || kinds[domain.SeatReserved] == 0 || kinds[domain.SeatBlocked] == 0 ||
		kinds[domain.SeatNormal] < 700 || kinds[domain.SeatPresidium] < 30 {
		t.Errorf("seat kinds %v", kinds)
	}
}

// TestSeatsAreSound: every plenary seat exists, holds one person, suits
// them (presidium, wheelchair), and everybody expected has one.
func TestSeatsAreSound(t *testing.T) {
	ev := Generate(fixedNow)
	hall := hallOf(ev)
	seats := map[string]domain.Seat{}
	for _, s := range hall.Seats {
		seats[s.Label] = s
	}
	for _, s := range ev.Sessions {
		if s.Kind != domain.SessionPlenary {
			continue
		}
		taken := map[string]string{}
		expected := 0
		for _, a := range ev.Attendees {
			var mine []domain.SessionSeat
			for _, ss := range a.Seats {
				if ss.Session == s.ID {
					mine = append(mine, ss)
				}
			}
			isExpected := slices.Contains(a.Sessions, s.ID)
			if isExpected {
				expected++
			}
			if len(mine) != btoi(isExpected) {
				t.Errorf("%s: %s %s has %d seats, expected there: %v", s.ID, a.Key, a.Name, len(mine), isExpected)
				continue
			}
			for _, ss := range mine {
				seat, ok := seats[ss.Seat]
				switch {
				case !ok:
					t.Errorf("%s: %s sits in %s, which the hall does not have", s.ID, a.Key, ss.Seat)
				case taken[ss.Seat] != "":
					t.Errorf("%s: %s and %s both in %s", s.ID, taken[ss.Seat], a.Key, ss.Seat)
				case seat.Kind == domain.SeatBlocked || seat.Kind == domain.SeatReserved:
					t.Errorf("%s: %s given %s seat %s", s.ID, a.Key, seat.Kind, ss.Seat)
				case (a.Access == "轮椅") != (seat.Kind == domain.SeatWheelchair):
					t.Errorf("%s: %s (access %q) in %s seat %s", s.ID, a.Key, a.Access, seat.Kind, ss.Seat)
				case (a.Rank <= 32) != (seat.Kind == domain.SeatPresidium):
					t.Errorf("%s: rank %d in %s seat %s", s.ID, a.Rank, seat.Kind, ss.Seat)
				}
				taken[ss.Seat] = a.Key
			}
		}
		if expected < 550 || expected > len(hall.Seats) {
			t.Errorf("%s: %d expected for %d seats", s.ID, expected, len(hall.Seats))
		}
	}
}

func TestDeputiesSitBeforeObservers(t *testing.T) {
	ev := Generate(fixedNow)
	lastDeputyRow, firstObserverRow := 0, 1000
	for _, a := range ev.Attendees {
		for _, ss := range a.Seats {
			var sec string
			var row, num int
			if _, err := fmt.Sscanf(strings.ReplaceAll(ss.Seat, "-", " "), "%s %d %d", &sec, &row, &num); err != nil || sec == "P" || a.Access != "" {
				continue
			}
			switch a.Category {
			case domain.CategoryDeputy:
				lastDeputyRow = max(lastDeputyRow, row)
			case domain.CategoryObserver:
				firstObserverRow = min(firstObserverRow, row)
			}
		}
	}
	if lastDeputyRow > firstObserverRow {
		t.Errorf("deputies reach row %d, observers start at row %d", lastDeputyRow, firstObserverRow)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
