package store

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"huiwu/data"
)

// searchKeys derives the forms of a name used by attendee search: full
// pinyin without tones ("zhangwei") and initials ("zw"). A Latin name gives
// its lower-cased letters and the first letter of each word ("annamuller",
// "am"). A character the pinyin library lacks reads as Unihan says
// (rareReading: 𠮷 of 𠮷田健一 gives "ji"); one neither knows is kept as it is.
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
		if p := rareReading(r); p != "" {
			return []string{p}
		}
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

var (
	rareOnce sync.Once
	rare     map[rune]string
)

// rareReading is the toneless reading of r from the generated Unihan table
// (data/pinyin/unihan.txt, scripts/gen-pinyin), or "".
func rareReading(r rune) string {
	rareOnce.Do(func() {
		b, err := data.Pinyin.ReadFile("pinyin/unihan.txt")
		if err == nil {
			rare, err = parseReadings(b)
		}
		if err != nil {
			// The file is embedded at build time: a broken one is a
			// build defect, not a runtime condition.
			panic(fmt.Sprintf("store: pinyin table: %v", err))
		}
	})
	return rare[r]
}

// parseReadings reads lines "syllable<TAB>HEX HEX …" after # comments.
func parseReadings(b []byte) (map[rune]string, error) {
	out := map[rune]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		syllable, cps, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("bad line %q", line)
		}
		for _, h := range strings.Fields(cps) {
			n, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				return nil, fmt.Errorf("%s: bad code point %q", syllable, h)
			}
			out[rune(n)] = syllable
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty")
	}
	return out, sc.Err()
}
