package store

import (
	"strings"
	"testing"

	"github.com/mozillazg/go-pinyin"
)

// libraryKeys is searchKeys for a name with Han characters as it was before
// readings were remembered: the library over the whole name.
func libraryKeys(name string) (full, initials string) {
	var f, in strings.Builder
	for _, p := range pinyin.Pinyin(name, readingArgs()) {
		if len(p) == 0 || p[0] == "" {
			continue
		}
		f.WriteString(p[0])
		in.WriteRune([]rune(p[0])[0])
	}
	return f.String(), in.String()
}

// TestRememberedReadingsMatchTheLibrary reads every character of the CJK
// blocks twice (the second time from memory) inside a name, and names with
// letters, digits, the middle dot and Unihan-only characters, and compares
// the keys with the library's reading of the whole name.
func TestRememberedReadingsMatchTheLibrary(t *testing.T) {
	names := []string{"张伟", "阿卜杜拉·买买提", "𠮷田健一", "王A组", "李2号", "欧阳娜娜", "𪚥", "Zhang 伟", "赵钱孙李周吴郑王"}
	for _, block := range [][2]rune{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0x20000, 0x2A6DF}} {
		for r := block[0]; r <= block[1]; r += 7 { // every seventh: the race build is slow
			names = append(names, "张"+string(r)+"·")
		}
	}
	for pass := range 2 {
		for _, name := range names {
			f, in := searchKeys(name)
			wf, win := libraryKeys(name)
			if f != wf || in != win {
				t.Fatalf("pass %d, %q: keys %q %q, the library's %q %q", pass, name, f, in, wf, win)
			}
		}
	}
}

// BenchmarkSearchKeys times the keys of a three-character name once its
// characters have been read before (every open and import after the first
// names), against the library reading the whole name each time.
func BenchmarkSearchKeys(b *testing.B) {
	for _, c := range []struct {
		name string
		keys func(string) (string, string)
	}{{"remembered", searchKeys}, {"library", libraryKeys}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.keys("欧阳娜")
			}
		})
	}
}
