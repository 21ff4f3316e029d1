package workbook

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"huiwu/server/internal/eventdef"
)

// cell is one cell to parse, with what an error about it needs.
type cell struct {
	sheet  string
	line   int
	col    int    // file column, 0-based; -1 when the sheet lacks the column
	header string // the header as written, or the column's name
	en     string // the column's English name
	raw    string
}

func (t *table) cell(r record, col int) cell {
	c := t.spec.cols[col]
	out := cell{sheet: t.name, line: r.line, col: t.idx[col], header: c.name, en: c.en}
	if i := t.idx[col]; i >= 0 {
		if i < len(t.heads) && t.heads[i] != "" {
			out.header = t.heads[i]
		}
		if i < len(r.cells) {
			out.raw = r.cells[i]
		}
	}
	return out
}

func (rd *reader) fail(c cell, code, zh, en string) {
	e := Error{Sheet: c.sheet, Row: c.line, Header: c.header, Code: code, Zh: zh, En: en}
	if c.col >= 0 {
		e.Column = letter(c.col)
	}
	rd.errs.add(e)
}

// text is a cell's trimmed text; an over-long cell is an error.
func (rd *reader) text(c cell) string {
	s := clean(c.raw)
	if utf8.RuneCountInString(s) > maxCellRunes {
		rd.fail(c, CodeCellTooLong, fmt.Sprintf("“%s”超过 %d 字", c.header, maxCellRunes),
			fmt.Sprintf("%s is longer than %d characters", c.en, maxCellRunes))
		return ""
	}
	return s
}

// code is a code or number-like text: full-width letters and digits
// folded to ASCII (Ａ０１ is A01).
func (rd *reader) code(c cell) string { return foldWidth(rd.text(c)) }

// list is a list cell's items; codes folds them as code does.
func (rd *reader) list(c cell, codes bool) []string {
	s := rd.text(c)
	if codes {
		s = foldWidth(s)
	}
	return splitList(s)
}

func (rd *reader) integer(c cell) int {
	s := rd.text(c)
	if s == "" {
		return 0
	}
	n, ok := parseInt(s)
	if !ok {
		rd.fail(c, CodeBadNumber, fmt.Sprintf("“%s”应为整数，而不是“%s”", c.header, s), fmt.Sprintf("%s must be a whole number, not %q", c.en, s))
	}
	return n
}

func (rd *reader) float(c cell) float64 {
	s := rd.text(c)
	if s == "" {
		return 0
	}
	f, ok := parseNumber(s)
	if !ok {
		rd.fail(c, CodeBadNumber, fmt.Sprintf("“%s”应为数字，而不是“%s”", c.header, s), fmt.Sprintf("%s must be a number, not %q", c.en, s))
	}
	return f
}

// integers reads a list of whole numbers (主席台 15、17).
func (rd *reader) integers(c cell) []int {
	var out []int
	for _, item := range rd.list(c, true) {
		n, ok := parseInt(item)
		if !ok {
			rd.fail(c, CodeBadNumber, fmt.Sprintf("“%s”应为用“、”分隔的整数，“%s”不是整数", c.header, item),
				fmt.Sprintf("%s must be whole numbers separated by 、; %q is not one", c.en, item))
			return nil
		}
		out = append(out, n)
	}
	return out
}

func (rd *reader) choice(c cell, cs choices) string {
	s := rd.text(c)
	if s == "" {
		return ""
	}
	code, ok := cs.parse(s)
	if !ok {
		words := strings.Join(cs.list(), "、")
		codes := make([]string, len(cs))
		for i, ch := range cs {
			codes[i] = ch.words[0] + " " + ch.code
		}
		rd.fail(c, CodeUnknownValue, fmt.Sprintf("“%s”不能是“%s”，应为 %s 之一", c.header, s, words),
			fmt.Sprintf("%s cannot be %q; use one of %s", c.en, s, strings.Join(codes, ", ")))
	}
	return code
}

func (rd *reader) boolean(c cell, cs choices) bool { return rd.choice(c, cs) == "true" }

// date reads 2026-03-05 (or 2026/3/5, 2026年3月5日, an Excel date) as
// YYYY-MM-DD.
func (rd *reader) date(c cell) string {
	s := rd.text(c)
	if s == "" {
		return ""
	}
	w, ok := parseWall(s, rd.date1904)
	if ok && w.hasDate && w.h == 0 && w.mi == 0 && w.s == 0 {
		if _, valid := w.in(time.UTC); valid {
			return w.date()
		}
	}
	rd.fail(c, CodeBadDate, fmt.Sprintf("“%s”应为日期，如 2026-03-05，而不是“%s”", c.header, s),
		fmt.Sprintf("%s must be a date such as 2026-03-05, not %q", c.en, s))
	return ""
}

// badDay stands for a date cell that is given but wrong.
const badDay = "\x00"

// time reads 2026-03-05 09:00 in the event's timezone, an RFC 3339 time or
// an Excel date, as RFC 3339 in the event's timezone. day, when given,
// completes a bare 09:00.
func (rd *reader) time(c cell, day string) string {
	s := rd.text(c)
	if s == "" {
		return ""
	}
	if t, err := eventdef.ParseTime(foldWidth(s)); err == nil {
		if rd.loc == nil {
			return s
		}
		return eventdef.FormatTime(t, rd.loc)
	}
	w, ok := parseWall(s, rd.date1904)
	if ok && !w.hasDate && day == badDay {
		return "" // the date cell is reported; one error is enough
	}
	if ok && !w.hasDate && day != "" {
		if d, dok := parseWall(day, false); dok {
			w.y, w.mo, w.d, w.hasDate = d.y, d.mo, d.d, true
		}
	}
	loc := rd.loc
	if loc == nil {
		loc = time.UTC // only to check the wall time; no zone is given
	}
	if ok && w.hasDate {
		if t, valid := w.in(loc); valid {
			if rd.loc == nil {
				// Without a timezone (时区 is reported) the time stays as
				// written, and Validate says that it lacks an offset.
				return w.String()
			}
			return eventdef.FormatTime(t, rd.loc)
		}
	}
	example := "2026-03-05 09:00"
	if day != "" {
		example += " 或 09:00"
	}
	exampleEn := strings.Replace(example, "或", "or", 1)
	rd.fail(c, CodeBadTime, fmt.Sprintf("“%s”应为时间，如 %s，而不是“%s”", c.header, example, s),
		fmt.Sprintf("%s must be a time such as %s, not %q", c.en, exampleEn, s))
	return ""
}
