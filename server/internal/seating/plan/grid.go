package plan

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// A seat block as a CSV grid, the way a venue's drawing office sends it: the
// header is "排" and the column positions 1…n left to right as the audience
// sees them; each line is a row number and, per position, the seat number
// with a letter for a special seat (R reserved, B blocked, W wheelchair, P
// presidium), or nothing for an aisle or a gap.
var kindLetters = map[domain.SeatKind]string{domain.SeatReserved: "R", domain.SeatBlocked: "B", domain.SeatWheelchair: "W", domain.SeatPresidium: "P"}

// GridCSV writes one section of the venue as a grid.
func GridCSV(v Venue, section string, w io.Writer) error {
	var seats []domain.Seat
	xs := map[int64]bool{}
	for _, s := range v.Seats {
		if s.Section == section {
			seats = append(seats, s)
			xs[cm(s.X)] = true
		}
	}
	if len(seats) == 0 {
		return store.ErrNotFound
	}
	cols := slices.Sorted(keys(xs))
	col := map[int64]int{}
	for i, x := range cols {
		col[x] = i
	}
	rows := map[int][]string{}
	for _, s := range seats {
		if rows[s.Row] == nil {
			rows[s.Row] = make([]string, len(cols))
		}
		rows[s.Row][col[cm(s.X)]] = strconv.Itoa(s.Number) + kindLetters[s.Kind]
	}
	cw := csv.NewWriter(w)
	head := []string{"排"}
	for i := range cols {
		head = append(head, strconv.Itoa(i+1))
	}
	_ = cw.Write(head)
	for _, r := range slices.Sorted(keys(rows)) {
		_ = cw.Write(append([]string{strconv.Itoa(r)}, rows[r]...))
	}
	cw.Flush()
	return cw.Error()
}

// GridLayout places a grid's seats in the hall: the left edge of position 1
// at X0, row 1 at Y0, Pitch and RowPitch apart (metres). Cells written "*"
// (or "*R" and so on) are seats the grid leaves unnumbered; Numbering
// numbers them row by row: "ltr" 1, 2, 3 … left to right, or "centre" the
// Chinese way, from the centre out, odd numbers to the audience's right
// and even to the left (… 6 4 2 1 3 5 …).
type GridLayout struct {
	X0, Y0, Pitch, RowPitch float64
	Numbering               string
}

// number gives the unnumbered seats of one row (in left-to-right order)
// their numbers under the scheme.
func number(row []*domain.Seat, scheme string) {
	n := len(row)
	for i, s := range row {
		switch {
		case scheme != "centre":
			s.Number = i + 1
		case i >= n/2: // the centre seat (odd n) and everything right of it
			s.Number = 2*(i-n/2) + 1
		default:
			s.Number = 2 * (n/2 - i)
		}
	}
}

// ParseGrid reads a grid into the section's seats, labelled
// SECTION-ROW-NUMBER. Errors name the line and column.
func ParseGrid(section string, r io.Reader, l GridLayout) ([]domain.Seat, error) {
	if l.Pitch <= 0 {
		l.Pitch = 0.56
	}
	if l.RowPitch <= 0 {
		l.RowPitch = 0.95
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, gridError(0, 0, "CSV 无法读取", "unreadable CSV: "+err.Error())
	}
	if len(recs) < 2 {
		return nil, gridError(1, 0, "没有座位行", "no seat rows")
	}
	letters := map[string]domain.SeatKind{}
	for k, v := range kindLetters {
		letters[v] = k
	}
	var out []domain.Seat
	seen := map[string]int{}
	for i, rec := range recs[1:] {
		line := i + 2
		row, err := strconv.Atoi(strings.TrimSpace(rec[0]))
		if err != nil || row <= 0 {
			return nil, gridError(line, 1, "排号应为正整数", "the row must be a positive number")
		}
		var seats []domain.Seat
		var cols []int
		var unnumbered []*domain.Seat
		for j, cell := range rec[1:] {
			cell = strings.ToUpper(strings.TrimSpace(cell))
			if cell == "" {
				continue
			}
			kind := domain.SeatNormal
			if k, ok := letters[cell[len(cell)-1:]]; ok {
				kind, cell = k, cell[:len(cell)-1]
			}
			n := 0
			if cell != "*" {
				if n, err = strconv.Atoi(cell); err != nil || n <= 0 {
					return nil, gridError(line, j+2, "座号应为正整数或 *，可加 R/B/W/P", "seat number must be a positive number or *, optionally with R, B, W or P")
				}
			}
			seats = append(seats, domain.Seat{Section: section, Row: row, Number: n, Kind: kind,
				X: round2(l.X0 + (float64(j)+0.5)*l.Pitch), Y: round2(l.Y0 + float64(row-1)*l.RowPitch)})
			cols = append(cols, j+2)
		}
		for i := range seats {
			if seats[i].Number == 0 {
				unnumbered = append(unnumbered, &seats[i])
			}
		}
		number(unnumbered, l.Numbering)
		for i, s := range seats {
			s.Label = fmt.Sprintf("%s-%d-%d", section, row, s.Number)
			if prev, ok := seen[s.Label]; ok {
				return nil, gridError(line, cols[i], fmt.Sprintf("座位 %s 与第%d行重复", s.Label, prev), fmt.Sprintf("seat %s repeats line %d", s.Label, prev))
			}
			seen[s.Label] = line
			out = append(out, s)
		}
	}
	return out, nil
}

// ImportGrid replaces one section of an existing venue with a grid's seats,
// under ImportVenue's rule for seats in use.
func ImportGrid(ctx context.Context, db *store.DB, venue, section string, seats []domain.Seat, actor string) (ImportResult, error) {
	m, err := db.ImportSection(ctx, venue, section, seats, actor)
	return ImportResult(m), venueRefusal(err)
}

func gridError(line, col int, zh, en string) error {
	where, whereEn := "", ""
	if line > 0 {
		where, whereEn = fmt.Sprintf("第%d行", line), fmt.Sprintf("line %d", line)
		if col > 0 {
			where += fmt.Sprintf("第%d列", col)
			whereEn += fmt.Sprintf(", column %d", col)
		}
		where += "："
		whereEn += ": "
	}
	return &Error{"bad_grid", where + zh, whereEn + en}
}

func cm(v float64) int64       { return int64(math.Round(v * 100)) }
func round2(v float64) float64 { return math.Round(v*100) / 100 }
func keys[K cmp.Ordered, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
