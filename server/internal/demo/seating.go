package demo

import (
	"fmt"
	"slices"

	"huiwu/server/internal/domain"
)

// This is a small, self-contained arrangement so that the demo has seats
// from the first start; the seating engine replaces it.

// presidiumOrder returns where each rank sits in a presidium row of n seats:
// element i is the seat index (0-based, left to right as the audience sees
// them) of the (i+1)-th ranked person.
//
// With honour "left" (以左为尊, Chinese government practice) the leaders'
// own left is the audience's right. Odd n: rank 1 in the centre, 2 on 1's
// left, 3 on 1's right, alternating outward — audience view 5 3 1 2 4.
// Even n depends on the rule: "even-a" puts 1 and 2 either side of the
// centre line, 2 on 1's left (5 3 1 2 4 6); "even-b" puts 1 on the centre
// seat to the leaders' left and 2 on 1's right (6 4 2 1 3 5). Any other rule
// with even n is taken as even-a. Honour "right" (以右为尊) mirrors.
func presidiumOrder(n int, rule, honour string) []int {
	if n <= 0 {
		return nil
	}
	start, right := n/2-1, true // even-a
	switch {
	case n%2 == 1:
		start = n / 2
	case rule == "even-b":
		start, right = n/2, false
	}
	pos := []int{start}
	l, r := start-1, start+1
	for len(pos) < n {
		if (right && r < n) || l < 0 {
			pos = append(pos, r)
			r++
		} else {
			pos = append(pos, l)
			l--
		}
		right = !right
	}
	if honour == "right" {
		for i := range pos {
			pos[i] = n - 1 - pos[i]
		}
	}
	return pos
}

// assignSeats gives every person expected at a plenary the same seat at all
// of them: the presidium by rank under each session's rule, wheelchair users
// on the wheelchair seats (pinned), deputies by delegation in list order from
// the front, observers behind them, then guests; staff fill from the back.
func assignSeats(ps []*person, hall domain.Venue, sessions []domain.Session) (map[*person][]domain.SessionSeat, error) {
	type seatOf = map[*person]string
	var plenaries []domain.Session
	for _, s := range sessions {
		if s.Kind == domain.SessionPlenary {
			plenaries = append(plenaries, s)
		}
	}
	var presidium, wheel, front, back []*person
	for _, p := range ps {
		switch {
		case p.cat == domain.CategoryPress:
		case p.presidium:
			presidium = append(presidium, p)
		case p.access == "轮椅":
			wheel = append(wheel, p)
		case p.cat == domain.CategoryStaff:
			back = append(back, p)
		default:
			front = append(front, p)
		}
	}
	// ps is in list order, deputies grouped by delegation; keep categories in
	// the order deputies, observers, guests.
	order := map[string]int{domain.CategoryDeputy: 0, domain.CategoryObserver: 1, domain.CategoryGuest: 2}
	slices.SortStableFunc(front, func(a, b *person) int { return order[a.cat] - order[b.cat] })

	var normal, wheelSeats []string
	rows := map[int][]string{}
	for _, s := range hall.Seats {
		switch s.Kind {
		case domain.SeatNormal:
			normal = append(normal, s.Label)
		case domain.SeatWheelchair:
			wheelSeats = append(wheelSeats, s.Label)
		case domain.SeatPresidium:
			rows[s.Row] = append(rows[s.Row], s.Label)
		}
	}
	if len(front)+len(back) > len(normal) || len(wheel) > len(wheelSeats) {
		return nil, fmt.Errorf("demo: hall too small: %d+%d people for %d seats, %d wheelchairs for %d",
			len(front), len(back), len(normal), len(wheel), len(wheelSeats))
	}

	floor := seatOf{}
	for i, p := range front {
		floor[p] = normal[i]
	}
	for i, p := range back {
		floor[p] = normal[len(normal)-1-i]
	}
	for i, p := range wheel {
		floor[p] = wheelSeats[i]
	}

	out := map[*person][]domain.SessionSeat{}
	for _, s := range plenaries {
		stage := seatOf{}
		rest := presidium
		for row := 1; len(rest) > 0; row++ {
			labels := rows[row]
			if len(labels) == 0 {
				return nil, fmt.Errorf("demo: %d presidium members have no seat", len(rest))
			}
			n := min(len(labels), len(rest))
			// Centre the people in the row when it is not full; the centre
			// moves by half a seat when n and the row differ in parity.
			offset := (len(labels) - n) / 2
			for rank, seat := range presidiumOrder(n, s.PresidiumRule, s.Honour) {
				stage[rest[rank]] = labels[offset+seat]
			}
			rest = rest[n:]
		}
		for _, p := range ps {
			label, pinned := stage[p], false
			if label == "" {
				label, pinned = floor[p], p.access == "轮椅"
			}
			if label != "" {
				out[p] = append(out[p], domain.SessionSeat{Session: s.ID, Seat: label, Pinned: pinned})
			}
		}
	}
	return out, nil
}
