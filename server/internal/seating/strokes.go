package seating

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"huiwu/data"
)

// strokeTable is the generated kTotalStrokes table (see gen/), loaded on
// first use.
type strokeTable struct {
	ranges []strokeRange
}

type strokeRange struct {
	first rune
	n     []byte
}

var (
	strokesOnce sync.Once
	strokes     *strokeTable
)

func table() *strokeTable {
	strokesOnce.Do(func() {
		b, err := data.Strokes.ReadFile("strokes/kTotalStrokes.bin")
		if err == nil {
			strokes, err = parseStrokes(b)
		}
		if err != nil {
			// The file is embedded at build time: a broken one is a build
			// defect, not a runtime condition.
			panic(fmt.Sprintf("seating: stroke table: %v", err))
		}
	})
	return strokes
}

func parseStrokes(b []byte) (*strokeTable, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("truncated")
	}
	n := binary.BigEndian.Uint32(b)
	b = b[4:]
	t := &strokeTable{}
	for range n {
		if len(b) < 8 {
			return nil, fmt.Errorf("truncated range header")
		}
		first, size := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
		b = b[8:]
		if uint32(len(b)) < size {
			return nil, fmt.Errorf("truncated range at U+%04X", first)
		}
		t.ranges = append(t.ranges, strokeRange{first: rune(first), n: b[:size]})
		b = b[size:]
	}
	return t, nil
}

// Strokes is the total stroke count of a Han character (mainland-China
// count from Unihan kTotalStrokes), or 0 when it is not a Han character the
// table knows.
func Strokes(r rune) int {
	for _, rg := range table().ranges {
		if r >= rg.first && int(r-rg.first) < len(rg.n) {
			return int(rg.n[r-rg.first])
		}
	}
	return 0
}

// CompareStrokes orders two names the way a 姓氏笔画 list does: by the
// stroke count of the first character, then — for characters of equal count
// — keeping each character together (code point stands in for the first-
// stroke order 横竖撇点折 that Unihan does not carry), then by the next
// characters. Separators such as the middle dot are ignored; names with no
// Han character come after all others, in letter order.
func CompareStrokes(a, b string) int { return compareKeys(strokeKey(a), strokeKey(b), a, b) }

// compareKeys is CompareStrokes on keys already built for names a and b.
func compareKeys(ka, kb []strokeChar, a, b string) int {
	if (len(ka) == 0) != (len(kb) == 0) {
		if len(ka) == 0 {
			return 1
		}
		return -1
	}
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if c := cmp.Or(cmp.Compare(ka[i].strokes, kb[i].strokes), cmp.Compare(ka[i].r, kb[i].r)); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(len(ka), len(kb)), strings.Compare(strings.ToLower(a), strings.ToLower(b)))
}

type strokeChar struct {
	strokes int
	r       rune
}

// strokeKey lists the Han characters of a name with their counts; an unknown
// Han character counts as heavier than any known one so that it sorts after
// them rather than first.
func strokeKey(name string) []strokeChar {
	var k []strokeChar
	for _, r := range name {
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		n := Strokes(r)
		if n == 0 {
			n = 255
		}
		k = append(k, strokeChar{n, r})
	}
	return k
}
