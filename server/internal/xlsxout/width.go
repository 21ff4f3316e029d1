package xlsxout

import (
	"math"
	"strings"

	"golang.org/x/text/width"
)

// Width is how many of Excel's character widths (the default font's
// digit) text takes on its longest line: a CJK or full-width character
// counts two, anything else one.
func Width(text string) float64 {
	longest, n := 0, 0
	for _, r := range text {
		switch {
		case r == '\n':
			longest, n = max(longest, n), 0
			continue
		case r < 0x1100: // Latin, Greek, Cyrillic and the like: narrow
			n++
			continue
		}
		n++
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n++
		}
	}
	return float64(max(longest, n))
}

// Lines is how many lines text takes when wrapped in a column of width
// characters (CJK text breaks anywhere; Latin text is counted the same).
func Lines(text string, colWidth float64) int {
	room := max(colWidth-1, 1)
	if w := Width(text); w <= room && !strings.Contains(text, "\n") {
		return 1
	}
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		n += max(int(math.Ceil(Width(line)/room)), 1)
	}
	return n
}

// Millimetres is a column width in characters as Excel prints it with its
// default font (Calibri 11: 7-pixel digits, 5 pixels of padding, 96
// pixels an inch): the narrowest any spreadsheet prints it.
func Millimetres(chars float64) float64 {
	return math.Trunc((256*chars+math.Trunc(128.0/7))/256*7) * 25.4 / 96
}
