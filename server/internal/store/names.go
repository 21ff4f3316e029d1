package store

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// searchKeys derives the forms of a name used by attendee search: full
// pinyin without tones ("zhangwei") and initials ("zw"). A Latin name gives
// its lower-cased letters and the first letter of each word ("annamuller",
// "am"); characters the pinyin table lacks are kept as they are.
func searchKeys(name string) (full, initials string) {
	if !hasHan(name) {
		var f, in strings.Builder
		for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			f.WriteString(w)
			in.WriteRune([]rune(w)[0])
		}
		return f.String(), in.String()
	}
	args := pinyin.NewArgs()
	args.Fallback = func(r rune, _ pinyin.Args) []string {
		if unicode.IsLetter(r) {
			return []string{strings.ToLower(string(r))}
		}
		return nil
	}
	var f, in strings.Builder
	for _, p := range pinyin.Pinyin(name, args) {
		if len(p) == 0 || p[0] == "" {
			continue
		}
		f.WriteString(p[0])
		in.WriteRune([]rune(p[0])[0])
	}
	return f.String(), in.String()
}
