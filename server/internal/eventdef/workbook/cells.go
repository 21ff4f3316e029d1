package workbook

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"huiwu/server/internal/eventdef"
)

// Cell text: what every cell goes through before it is parsed.

// clean trims white space (full-width and no-break spaces included) and
// the invisible marks that pasting from the web leaves behind.
func clean(s string) string { return strings.TrimFunc(s, isSpace) }

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }

// foldWidth turns full-width digits, letters and punctuation into their
// ASCII forms (１２ → 12, ：→ :), leaving Chinese text alone.
func foldWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return width.Fold.String(s)
		}
	}
	return s
}

// listSeparators split the items of a list cell.
const listSeparators = "、,，;；\n"

// splitList splits a list cell into its trimmed, non-empty items, or nil.
func splitList(s string) []string {
	var out []string
	for item := range strings.FieldsFuncSeq(s, func(r rune) bool { return strings.ContainsRune(listSeparators, r) }) {
		if item = clean(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// joinList is the inverse of splitList.
func joinList(items []string) string { return strings.Join(items, "、") }

// units may follow a count in a cell: 300人, 12座, 20排.
const units = "人座排张桌间个位床号"

var thousands = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// parseNumber reads a number written the ways people write them: full
// width, with thousands separators, or with a unit after it.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimRightFunc(clean(foldWidth(s)), func(r rune) bool { return strings.ContainsRune(units, r) || isSpace(r) })
	if thousands.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// maxInt bounds integer cells: larger counts are mistakes, and bounding
// them keeps every later multiplication safe.
const maxInt = 1_000_000_000

func parseInt(s string) (int, bool) {
	f, ok := parseNumber(s)
	if !ok || f != math.Trunc(f) || math.Abs(f) > maxInt {
		return 0, false
	}
	return int(f), true
}

// Dates and times.

var (
	dateTimePattern = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:(?:\s+|T)(\d{1,2})[:时](\d{1,2})分?(?::(\d{1,2})(\.\d+)?)?)?$`)
	timePattern     = regexp.MustCompile(`^(\d{1,2})[:时](\d{1,2})分?(?::(\d{1,2}))?$`)
)

// wall is a date and clock time with no zone.
type wall struct {
	y, mo, d, h, mi, s int
	hasDate, hasTime   bool
}

func (w wall) in(loc *time.Location) (time.Time, bool) {
	t := time.Date(w.y, time.Month(w.mo), w.d, w.h, w.mi, w.s, 0, loc)
	// The years bound what a meeting may use, and keep a stray number
	// (2026 in a time cell, an Excel serial for 1905) from passing as a
	// date.
	ok := w.h < 24 && w.mi < 60 && w.s < 60 && t.Year() == w.y && int(t.Month()) == w.mo && t.Day() == w.d &&
		w.y >= 1970 && w.y <= 2200
	return t, ok
}

func (w wall) date() string { return fmt.Sprintf("%04d-%02d-%02d", w.y, w.mo, w.d) }

func (w wall) clock() string {
	if w.s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", w.h, w.mi, w.s)
	}
	return fmt.Sprintf("%02d:%02d", w.h, w.mi)
}

func (w wall) String() string { return w.date() + " " + w.clock() }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// parseWall reads 2026-03-05 09:00[:00], 2026/3/5 9:00, 2026年3月5日,
// 09:00, or an Excel serial date (date1904 says which epoch).
func parseWall(s string, date1904 bool) (wall, bool) {
	s = clean(foldWidth(s))
	if m := dateTimePattern.FindStringSubmatch(s); m != nil {
		w := wall{y: atoi(m[1]), mo: atoi(m[2]), d: atoi(m[3]), hasDate: true}
		if m[4] != "" {
			w.h, w.mi, w.s, w.hasTime = atoi(m[4]), atoi(m[5]), atoi(m[6]), true
		}
		return w, true
	}
	if m := timePattern.FindStringSubmatch(s); m != nil {
		return wall{h: atoi(m[1]), mi: atoi(m[2]), s: atoi(m[3]), hasTime: true}, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 200_000 || strings.ContainsAny(s, "eE") {
		return wall{}, false
	}
	// An Excel serial: whole days since the epoch, the fraction the time
	// of day. Round to the second: 09:05 is not exact in binary.
	days := math.Floor(f)
	secs := int(math.Round((f - days) * 86400))
	if secs == 86400 {
		days, secs = days+1, 0
	}
	w := wall{h: secs / 3600, mi: secs / 60 % 60, s: secs % 60, hasTime: secs != 0 || days == 0}
	if days > 0 {
		t, err := excelize.ExcelDateToTime(days, date1904)
		if err != nil {
			return wall{}, false
		}
		w.y, w.mo, w.d, w.hasDate = t.Year(), int(t.Month()), t.Day(), true
	}
	return w, true
}

// formatWall writes an RFC 3339 time as the sheet shows it: in loc,
// without seconds when they are zero. Text that is not a time, or a time
// without a zone to put it in, is written as it is.
func formatWall(s string, loc *time.Location) string {
	if loc == nil {
		return s
	}
	t, err := eventdef.ParseTime(s)
	if err != nil {
		return s
	}
	t = t.In(loc)
	return wallOf(t).String()
}

func wallOf(t time.Time) wall {
	return wall{y: t.Year(), mo: int(t.Month()), d: t.Day(), h: t.Hour(), mi: t.Minute(), s: t.Second(), hasDate: true, hasTime: true}
}

// Tables.

var tablePattern = regexp.MustCompile(`^(\d+)(?:[-–—~至到](\d+))?(号桌|号|桌)?(?:[×xX*✕✖](\d+)[座人位]?)?$`)

// parseTables reads a 餐桌 cell: 40×10 (the next 40 tables, 10 seats
// each), 51-60×8 (tables 51–60), 61号×12 (table 61), 12 (the next table,
// 12 seats), joined by list separators.
func parseTables(s string) ([]eventdef.Table, string, bool) {
	var out []eventdef.Table
	next := 1
	for _, item := range splitList(s) {
		m := tablePattern.FindStringSubmatch(strings.Join(strings.Fields(foldWidth(item)), ""))
		if m == nil {
			return nil, item, false
		}
		a, b, numbered, seats := atoi(m[1]), atoi(m[2]), m[3] != "", atoi(m[4])
		first, n := next, 0
		switch {
		case m[2] != "" && m[4] != "":
			first, n = a, b-a+1
		case numbered && m[4] != "":
			first, n = a, 1
		case m[4] != "":
			n = a
		case m[2] == "" && !numbered:
			n, seats = 1, a
		}
		if n <= 0 || len(out)+n > eventdef.MaxItems || first > maxInt || seats > maxInt {
			return nil, item, false
		}
		for i := range n {
			out = append(out, eventdef.Table{Number: first + i, Seats: seats})
		}
		next = first + n
	}
	return out, "", true
}

// formatTables is the inverse of parseTables: runs of consecutive tables
// with the same seats, as short as the numbers allow.
func formatTables(ts []eventdef.Table) string {
	var parts []string
	next := 1
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j].Number == ts[j-1].Number+1 && ts[j].Seats == ts[i].Seats {
			j++
		}
		switch {
		case ts[i].Number == next:
			parts = append(parts, fmt.Sprintf("%d×%d", j-i, ts[i].Seats))
		case j-i == 1:
			parts = append(parts, fmt.Sprintf("%d号×%d", ts[i].Number, ts[i].Seats))
		default:
			parts = append(parts, fmt.Sprintf("%d-%d×%d", ts[i].Number, ts[j-1].Number, ts[i].Seats))
		}
		next = ts[j-1].Number + 1
		i = j
	}
	return joinList(parts)
}

// Room runs.

var (
	roomRunPattern = regexp.MustCompile(`^(.+?)\s*[~～至到]\s*(.+)$`)
	digitsTail     = regexp.MustCompile(`^(.*?)(\d+)$`)
)

// maxRoomsPerRun bounds what one 801~820 cell may expand to.
const maxRoomsPerRun = eventdef.MaxItems * 4

// parseRoomRun expands 801~820 (or A0801~A0820) into its room numbers; a
// single number comes back alone. ok is false for a run that does not read.
func parseRoomRun(s string) ([]string, bool) {
	m := roomRunPattern.FindStringSubmatch(s)
	if m == nil {
		return []string{s}, true
	}
	from, to := digitsTail.FindStringSubmatch(clean(m[1])), digitsTail.FindStringSubmatch(clean(m[2]))
	if from == nil || to == nil || from[1] != to[1] || len(from[2]) > 9 || len(to[2]) > 9 {
		return nil, false
	}
	a, b := atoi(from[2]), atoi(to[2])
	if b < a || b-a >= maxRoomsPerRun {
		return nil, false
	}
	pad := 0
	if len(from[2]) == len(to[2]) {
		pad = len(from[2])
	}
	out := make([]string, 0, b-a+1)
	for n := a; n <= b; n++ {
		out = append(out, fmt.Sprintf("%s%0*d", from[1], pad, n))
	}
	return out, true
}
