package seating

import (
	"cmp"
	"math"
	"slices"
)

// FillOrder returns seats in the order people take them under fill. Rows
// are told apart by Y (then Row), columns by X (then Number), so halls with
// sections side by side fill across the aisles as one row, which is how a
// 横排 list reads on the printed chart.
func FillOrder(seats []Seat, fill Fill, honour Honour) []Seat {
	out := slices.Clone(seats)
	switch fill {
	case FillColumns:
		slices.SortFunc(out, func(a, b Seat) int {
			return cmp.Or(cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Number, b.Number))
		})
	case FillAlternate:
		centre := rowCentres(out)
		slices.SortFunc(out, func(a, b Seat) int {
			if c := compareRow(a, b); c != 0 {
				return c
			}
			m := centre[rowKey{a.Y, a.Row}]
			da, db := math.Abs(a.X-m), math.Abs(b.X-m)
			if c := cmp.Compare(round(da), round(db)); c != 0 {
				return c
			}
			// Equal distance: the honour side first. 以左为尊 is the
			// leaders' left, the audience's right (larger X).
			if honour == HonourRight {
				return cmp.Compare(a.X, b.X)
			}
			return cmp.Compare(b.X, a.X)
		})
	default:
		slices.SortFunc(out, func(a, b Seat) int {
			return cmp.Or(compareRow(a, b), cmp.Compare(a.X, b.X), cmp.Compare(a.Number, b.Number))
		})
	}
	return out
}

type rowKey struct {
	y   float64
	row int
}

func compareRow(a, b Seat) int { return cmp.Or(cmp.Compare(a.Y, b.Y), cmp.Compare(a.Row, b.Row)) }

// rowCentres is the middle of each row's extent, so that a row whose seats
// are not symmetric (an aisle off-centre) still fills from its middle.
func rowCentres(seats []Seat) map[rowKey]float64 {
	lo, hi := map[rowKey]float64{}, map[rowKey]float64{}
	for _, s := range seats {
		k := rowKey{s.Y, s.Row}
		if v, ok := lo[k]; !ok || s.X < v {
			lo[k] = s.X
		}
		if v, ok := hi[k]; !ok || s.X > v {
			hi[k] = s.X
		}
	}
	out := make(map[rowKey]float64, len(lo))
	for k := range lo {
		out[k] = (lo[k] + hi[k]) / 2
	}
	return out
}

// round compares distances to the millimetre so that float noise does not
// decide which side goes first.
func round(v float64) int64 { return int64(math.Round(v * 1000)) }
