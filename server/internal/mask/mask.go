// Package mask hides personal data before it leaves the server. Screens and
// ushers never receive unmasked ID numbers or phones; public screens get at
// most a masked name. Masking happens here, never in the browser.
package mask

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name masks a name for public display: 张三丰 → 张*丰, 张伟 → 张*,
// 阿卜杜拉·买买提 → 阿*·买*, Anna Müller → A*** M*****.
func Name(name string) string {
	if strings.ContainsRune(name, '·') {
		parts := strings.Split(name, "·")
		for i, p := range parts {
			parts[i] = keepFirst(p)
		}
		return strings.Join(parts, "·")
	}
	if strings.ContainsRune(name, ' ') {
		parts := strings.Fields(name)
		for i, p := range parts {
			parts[i] = keepFirst(p)
		}
		return strings.Join(parts, " ")
	}
	r := []rune(name)
	switch {
	case len(r) <= 1:
		return name
	case len(r) == 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// keepFirst keeps a word's first letter; a Chinese word shows one star, a
// Latin word one star per hidden letter.
func keepFirst(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	if size == 0 {
		return w
	}
	if unicode.Is(unicode.Han, r) {
		if utf8.RuneCountInString(w) == 1 {
			return w
		}
		return string(r) + "*"
	}
	return string(r) + strings.Repeat("*", utf8.RuneCountInString(w)-1)
}

// Phone keeps the first three and last four digits: 138****5678.
func Phone(p string) string {
	return keepEnds(p, 3, 4)
}

// IDNumber hides three fifths of an ID number or more, whatever its kind:
// a resident ID keeps its first three and last four characters
// (110***********001X), a passport or a Hong Kong permit keeps as small a
// share (H*****67), not all but one character.
func IDNumber(id string) string {
	n := utf8.RuneCountInString(id)
	keep := n * 2 / 5
	tail := (keep + 1) / 2
	return keepEnds(id, keep-tail, tail)
}

// AccessForUsher is what an usher learns of an accessibility need: that a
// seat needs a wheelchair space (轮椅), or that the person needs help
// (需协助) — never the condition itself, which is health data.
func AccessForUsher(access string) string {
	a := strings.ToLower(strings.TrimSpace(access))
	switch {
	case a == "":
		return ""
	case strings.Contains(a, "轮椅") || strings.Contains(a, "wheelchair"):
		return "轮椅"
	}
	return "需协助"
}

func keepEnds(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		if len(r) <= tail {
			return strings.Repeat("*", len(r))
		}
		return strings.Repeat("*", len(r)-tail) + string(r[len(r)-tail:])
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}
