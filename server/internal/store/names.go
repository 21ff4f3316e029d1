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
	var f, in strings.Builder
	for _, r := range name {
		p := reading(r)
		if p == "" {
			continue
		}
		f.WriteString(p)
		in.WriteRune([]rune(p)[0])
	}
	return f.String(), in.String()
}

// readingArgs are the pinyin library's settings for searchKeys: toneless,
// the first reading, and for a character it lacks Unihan's reading or the
// letter lower-cased.
func readingArgs() pinyin.Args {
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
	return args
}

// readings remembers each character's reading: the pinyin library reads a
// name a character at a time, and its tone stripping (a regular expression
// per character) made the search keys most of the cost of opening a
// database (they are checked for every attendee at each open) and of an
// import. Only Han characters are kept: at most one entry for each of the
// hundred thousand, however many names go through.
var readings sync.Map // rune → string

// reading is the toneless pinyin of r as searchKeys uses it: the library's
// first reading, else Unihan's (rareReading), else a letter lower-cased;
// "" for anything else (punctuation, the middle dot of 阿卜杜拉·买买提).
func reading(r rune) string {
	if p, ok := readings.Load(r); ok {
		return p.(string)
	}
	p := ""
	if py := pinyin.SinglePinyin(r, readingArgs()); len(py) > 0 {
		p = py[0]
	}
	if unicode.Is(unicode.Han, r) {
		readings.Store(r, p)
	}
	return p
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
