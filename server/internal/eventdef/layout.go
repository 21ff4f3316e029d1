package eventdef

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"huiwu/server/internal/domain"
)

// Hall geometry for generated seats, in centimetres (kept integral so the
// coordinates are the same on every architecture): the stage is at the top,
// X grows to the audience's right and Y away from the stage.
const (
	seatWidthCM  = 56
	rowPitchCM   = 95
	aisleCM      = 150 // between sections and along the walls
	floorFrontCM = 600 // from the back of the stage to row 1
	stagePitchCM = 100 // between presidium seats
	stageRowCM   = 120 // between presidium rows
)

// PresidiumSection is the section name of presidium seats.
const PresidiumSection = "presidium"

// Layout returns the seats of a hall: those its Presidium rows and Sections
// make, then Seats, which override a generated seat of the same label or add
// one. The order is presidium first, then the floor row by row left to
// right, then added seats in the order given.
func Layout(v Venue) []Seat {
	gen := generate(v)
	if len(v.Seats) == 0 {
		return gen
	}
	at := make(map[string]int, len(gen))
	for i, s := range gen {
		at[s.Label] = i
	}
	for _, s := range v.Seats {
		if i, ok := at[s.Label]; ok {
			gen[i] = s
			continue
		}
		at[s.Label] = len(gen)
		gen = append(gen, s)
	}
	return gen
}

// Overrides is the inverse of Layout: the seats of all that are not exactly
// what Presidium and Sections generate, so that a stored hall reads back in
// the shape it was given.
func Overrides(v Venue, all []Seat) []Seat {
	gen := map[string]Seat{}
	for _, s := range generate(v) {
		gen[s.Label] = s
	}
	var out []Seat
	for _, s := range all {
		if g, ok := gen[s.Label]; ok && g == normalSeat(s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// normalSeat fills the defaults a stored seat always has.
func normalSeat(s Seat) Seat {
	if s.Kind == "" {
		s.Kind = domain.SeatNormal
	}
	return s
}

func generate(v Venue) []Seat {
	if len(v.Presidium) == 0 && len(v.Sections) == 0 {
		return nil
	}
	width := aisleCM
	for _, sec := range v.Sections {
		width += max(sec.Seats, 0)*seatWidthCM + aisleCM
	}
	var out []Seat
	for r, n := range v.Presidium {
		for i := range max(n, 0) {
			x := width/2 + (2*i-(n-1))*stagePitchCM/2
			out = append(out, Seat{
				Label: fmt.Sprintf("P-%d-%02d", r+1, i+1), Section: PresidiumSection, Row: r + 1, Number: i + 1,
				Kind: domain.SeatPresidium, X: metres(x), Y: metres(300 - stageRowCM*r),
			})
		}
	}
	// Section left edges.
	left := make([]int, len(v.Sections))
	x0 := aisleCM
	for i, sec := range v.Sections {
		left[i] = x0
		x0 += max(sec.Seats, 0)*seatWidthCM + aisleCM
	}
	firstRow, lastRow := math.MaxInt, 0
	for _, sec := range v.Sections {
		if sec.Rows <= 0 || sec.Seats <= 0 {
			continue
		}
		firstRow = min(firstRow, sec.first())
		lastRow = max(lastRow, sec.first()+sec.Rows-1)
	}
	for row := firstRow; row <= lastRow; row++ {
		numbers := rowNumbers(v.Sections, row)
		y := floorFrontCM + (row-1)*rowPitchCM
		for i, sec := range v.Sections {
			for j, n := range numbers[i] {
				out = append(out, Seat{
					Label: fmt.Sprintf("%s-%d-%d", sec.Code, row, n), Section: sec.Code, Row: row, Number: n,
					Kind: domain.SeatNormal, Door: sec.Door, X: metres(left[i] + j*seatWidthCM + seatWidthCM/2), Y: metres(y),
				})
			}
		}
	}
	return out
}

func (s Section) first() int { return cmp.Or(s.FirstRow, 1) }

func (s Section) hasRow(row int) bool {
	return s.Rows > 0 && s.Seats > 0 && row >= s.first() && row < s.first()+s.Rows
}

// rowNumbers numbers one row: per section, the seat numbers left to right.
// Centre-numbered sections of the row share one series from the row's
// centre, odd to the audience's right and even to the left; the others
// count 1… left to right.
func rowNumbers(sections []Section, row int) [][]int {
	out := make([][]int, len(sections))
	centre := 0
	for _, sec := range sections {
		if sec.hasRow(row) && sec.Numbering == NumberCentre {
			centre += sec.Seats
		}
	}
	pos := 0 // position among the centre-numbered seats of the row
	for i, sec := range sections {
		if !sec.hasRow(row) {
			continue
		}
		out[i] = make([]int, sec.Seats)
		for j := range sec.Seats {
			if sec.Numbering != NumberCentre {
				out[i][j] = j + 1
				continue
			}
			out[i][j] = centreNumber(pos, centre)
			pos++
		}
	}
	return out
}

// centreNumber is the number of position p (0 at the audience's left) in a
// line of n seats numbered from the centre: 1 is the seat just right of the
// centre (the centre seat itself when n is odd), odd numbers go right and
// even numbers go left.
func centreNumber(p, n int) int {
	right := n / 2 // first position right of the centre line (the middle seat when n is odd)
	if p >= right {
		return 2*(p-right) + 1
	}
	return 2 * (right - p)
}

func metres(cm int) float64 { return float64(cm) / 100 }

// SortSeats orders seats the way Layout does for generated ones: presidium
// first, then by row, then left to right.
func SortSeats(seats []Seat) {
	slices.SortStableFunc(seats, func(a, b Seat) int {
		pa, pb := a.Section == PresidiumSection, b.Section == PresidiumSection
		if pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(a.X, b.X), cmp.Compare(a.Label, b.Label))
	})
}
