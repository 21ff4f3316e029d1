package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// isInvisible reports characters that carry nothing a person typed on
// purpose: control characters (but tab and newline), zero-width characters
// that ride along with text pasted from web pages, and the BOM.
func isInvisible(r rune) bool {
	switch r {
	case '\t', '\n':
		return false
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return unicode.IsControl(r) && r != '\r'
}

// isBlankRune is a space of any width, including U+00A0 and U+3000.
func isBlankRune(r rune) bool { return unicode.IsSpace(r) || isInvisible(r) }

// isBlank reports a cell with nothing in it but blanks.
func isBlank(s string) bool {
	for _, r := range s {
		if !isBlankRune(r) {
			return false
		}
	}
	return true
}

// plainASCII reports a string that clean would return unchanged.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return len(s) == 0 || (s[0] != ' ' && s[len(s)-1] != ' ')
}

// clean trims blanks, drops invisible characters and turns CRLF, CR and
// odd spaces into "\n" and " ". Newlines stay: multi-line fields want them.
func clean(s string) string {
	if plainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == utf8.RuneError && isBadByte(s, i):
			// A lone invalid byte cannot be shown; drop it.
		case isInvisible(r):
		case r != '\n' && unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimFunc(b.String(), isBlankRune)
}

func isBadByte(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

// oneLine cleans a single-line field: every run of blanks, newlines
// included, becomes one space.
func oneLine(s string) string {
	s = clean(s)
	if !strings.ContainsAny(s, " \n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// folded cleans a code-like field (phone, ID, rank, room, key): full-width
// digits, letters and spaces become half-width, and Excel's two ways of
// forcing text — a leading apostrophe and ="0123" — are undone.
func folded(s string) string {
	s = clean(s)
	if !plainASCII(s) {
		s = strings.TrimFunc(width.Fold.String(s), isBlankRune)
	}
	if len(s) > 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.TrimSpace(s[2 : len(s)-1])
	}
	if strings.HasPrefix(s, "'") {
		s = strings.TrimSpace(s[1:])
	}
	return s
}

// compact removes every blank: "138 0013 8000" → "13800138000".
func compact(s string) string {
	if !strings.ContainsAny(s, " \t\n") {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// middleDots are the characters that stand in for U+00B7 in minority and
// foreign names typed on different keyboards and fonts.
var middleDots = map[rune]bool{
	'\u0387': true, // Greek ano teleia
	'\u1427': true, // Canadian syllabics final middle dot
	'\u16eb': true, // runic single punctuation
	'\u2022': true, // bullet
	'\u2024': true, // one dot leader
	'\u2027': true, // hyphenation point
	'\u2219': true, // bullet operator
	'\u22c5': true, // dot operator
	'\u2e31': true, // word separator middle dot
	'\u30fb': true, // katakana middle dot (and ･ U+FF65 after folding)
	'\ua78f': true, // Latin letter sinological dot
	'\uff65': true, // halfwidth katakana middle dot
}

// normName cleans a person's name. Chinese names lose every space — 张　三
// is padded to line up with three-character names, not spelt with a space —
// and Latin names keep single spaces. Dot look-alikes become U+00B7, and so
// does a full stop between Chinese characters (阿依古丽.买买提).
func normName(s string) string {
	s = clean(s)
	if plainASCII(s) && !strings.Contains(s, "  ") {
		return s
	}
	s = width.Fold.String(s)
	han := false
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = true
			break
		}
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		switch {
		case middleDots[r]:
			r = '·'
		case han && (r == '.' || r == '。') && i > 0 && i+1 < len(rs) && hanNear(rs, i):
			r = '·'
		}
		if han && isBlankRune(r) {
			continue
		}
		out = append(out, r)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// hanNear reports a Chinese character on both sides of rs[i], blanks skipped.
func hanNear(rs []rune, i int) bool {
	left, right := false, false
	for j := i - 1; j >= 0; j-- {
		if !isBlankRune(rs[j]) {
			left = unicode.Is(unicode.Han, rs[j])
			break
		}
	}
	for j := i + 1; j < len(rs); j++ {
		if !isBlankRune(rs[j]) {
			right = unicode.Is(unicode.Han, rs[j])
			break
		}
	}
	return left && right
}

// foldKey is the form in which headers and category words are compared:
// half-width, lower-case, without blanks, underscores, hyphens, asterisks
// (必填 marks), colons or any bracketed remark such as （必填） or (18位).
func foldKey(s string) string {
	s = strings.ToLower(width.Fold.String(clean(s)))
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔', '<', '《':
			depth++
			continue
		case ')', ']', '】', '〕', '>', '》':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 || isBlankRune(r) || strings.ContainsRune("_-*:.·/、", r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// columnLetter turns a 0-based column index into Excel's letters: 0 → A,
// 26 → AA.
func columnLetter(i int) string {
	var buf [8]byte
	n := len(buf)
	for i++; i > 0 && n > 0; i = (i - 1) / 26 {
		n--
		buf[n] = byte('A' + (i-1)%26)
	}
	return string(buf[n:])
}
