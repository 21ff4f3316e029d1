package seating

import (
	"cmp"
	"slices"
)

// PresidiumOrder returns where each rank sits in a row of n seats: element i
// is the seat index (0-based, left to right as the audience sees them) of
// the (i+1)-th ranked person.
//
// With 以左为尊 the leaders' left is the audience's right. Odd n: rank 1 in
// the centre, 2 on 1's left, 3 on 1's right, alternating outward — audience
// view 5 3 1 2 4. Even n, variant A: 1 and 2 either side of the centre line,
// 2 on 1's left (5 3 1 2 4 6); variant B: 1 on the centre seat to the
// leaders' left, 2 on 1's right (6 4 2 1 3 5). 以右为尊 mirrors each.
func PresidiumOrder(n int, rule PresidiumRule, honour Honour) []int {
	if n <= 0 {
		return nil
	}
	// toward says whether the next seat goes to the leaders' left (the
	// audience's right, higher index).
	start, toward := n/2-1, true // variant A
	switch {
	case n%2 == 1:
		start = n / 2
	case rule == RuleEvenB:
		start, toward = n/2, false
	}
	pos := make([]int, 0, n)
	pos = append(pos, start)
	l, r := start-1, start+1
	for len(pos) < n {
		if (toward && r < n) || l < 0 {
			pos = append(pos, r)
			r++
		} else {
			pos = append(pos, l)
			l--
		}
		toward = !toward
	}
	if honour == HonourRight {
		for i := range pos {
			pos[i] = n - 1 - pos[i]
		}
	}
	return pos
}

// AudienceView turns an order from PresidiumOrder into the ranks as the
// audience reads them left to right: 5 3 1 2 4 for five under 以左为尊.
func AudienceView(order []int) []int {
	out := make([]int, len(order))
	for rank, seat := range order {
		out[seat] = rank + 1
	}
	return out
}

// arrangePresidium seats people (already in rank order) on the free
// presidium seats: the first row centre-out, then the next. Within a row
// that is not full the people are centred. It returns the seats given and
// the people left over.
func arrangePresidium(seats []Seat, people []Person, rule PresidiumRule, honour Honour) (map[int64]int64, []Person) {
	rows := map[int][]Seat{}
	var rowNums []int
	for _, s := range seats {
		if _, ok := rows[s.Row]; !ok {
			rowNums = append(rowNums, s.Row)
		}
		rows[s.Row] = append(rows[s.Row], s)
	}
	slices.Sort(rowNums)
	out := map[int64]int64{}
	rest := people
	for _, r := range rowNums {
		if len(rest) == 0 {
			break
		}
		row := rows[r]
		slices.SortFunc(row, func(a, b Seat) int { return cmp.Or(cmp.Compare(a.X, b.X), cmp.Compare(a.Number, b.Number)) })
		n := min(len(row), len(rest))
		order := PresidiumOrder(n, rule, honour)
		// Centre the group in the row; when the spare seats do not split
		// evenly, shift it so that rank 1 is nearer the row's centre.
		offset := (len(row) - n) / 2
		if (len(row)-n)%2 == 1 && abs2(offset+1+order[0], len(row)) < abs2(offset+order[0], len(row)) {
			offset++
		}
		for rank, idx := range order {
			out[rest[rank].ID] = row[offset+idx].ID
		}
		rest = rest[n:]
	}
	return out, rest
}

// abs2 is twice the distance of seat i from the centre of a row of n.
func abs2(i, n int) int {
	d := 2*i - (n - 1)
	if d < 0 {
		return -d
	}
	return d
}
