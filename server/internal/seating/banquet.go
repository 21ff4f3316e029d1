package seating

import (
	"cmp"
	"math"
	"slices"
)

// Table is a banquet table on the floor plan. X grows to the right as seen
// from the room looking at the main table (主桌), Y grows away from it.
type Table struct {
	Number int
	X, Y   float64
}

// TableOrder returns table numbers in 桌次 order: the main table first, then
// by distance from it (nearer is higher); at equal distance the honour side
// of the main table's host — who faces the room, so his right is the room's
// left — and then the table nearer the front.
func TableOrder(tables []Table, main int, honour Honour) []int {
	var m Table
	for _, t := range tables {
		if t.Number == main {
			m = t
		}
	}
	ts := slices.Clone(tables)
	slices.SortFunc(ts, func(a, b Table) int {
		if (a.Number == main) != (b.Number == main) {
			if a.Number == main {
				return -1
			}
			return 1
		}
		da, db := math.Hypot(a.X-m.X, a.Y-m.Y), math.Hypot(b.X-m.X, b.Y-m.Y)
		if c := cmp.Compare(round(da), round(db)); c != 0 {
			return c
		}
		// The host's right is the room's left (smaller X) under 以右为尊,
		// banquet custom; his left (larger X) under 以左为尊.
		side := cmp.Compare(round(a.X), round(b.X))
		if honour == HonourLeft {
			side = -side
		}
		return cmp.Or(side, cmp.Compare(round(a.Y), round(b.Y)), cmp.Compare(a.Number, b.Number))
	})
	out := make([]int, len(ts))
	for i, t := range ts {
		out[i] = t.Number
	}
	return out
}

// TableSeats returns 席次 at a round table of n places: element i is the
// place (0-based, the host's place 0, then clockwise seen from above) of the
// (i+1)-th ranked person. The host (主人) faces the door at place 0; the
// guest of honour (主宾) sits on the host's right, the second guest on his
// left, and so on alternating outward; 以左为尊 mirrors. Seen from above,
// the host's right hand is the place before his, n-1.
func TableSeats(n int, honour Honour) []int {
	if n <= 0 {
		return nil
	}
	out := []int{0}
	right, left := n-1, 1
	toRight := honour != HonourLeft
	for len(out) < n {
		if toRight {
			out = append(out, right)
			right--
		} else {
			out = append(out, left)
			left++
		}
		toRight = !toRight
	}
	return out
}
