// Command gen-pinyin writes data/pinyin/unihan.txt: toneless pinyin for
// the CJK characters that the pinyin library (github.com/mozillazg/go-pinyin)
// has no reading for, so that attendee search finds a name such as
// 𠮷田健一 (U+20BB7, Extension B) by "jtjy" or "jitian". It reads Unicode's
// Unihan database: Debian's unicode-data package
// (/usr/share/unicode/Unihan_*.txt.bz2) or a Unihan.zip from unicode.org.
// Its output is committed, so building and testing need no Unihan.
//
//	apt-get install unicode-data
//	go run ./scripts/gen-pinyin [-src /usr/share/unicode] [-o data/pinyin/unihan.txt]
//
// A character's reading is the first of, in order: kMandarin (its most
// customary reading), kHanyuPinyin, kXHC1983, kTGHZ2013; else the reading
// of a variant (kZVariant, kCompatibilityVariant, kSemanticVariant,
// kSimplifiedVariant, kTraditionalVariant, kSpoofingVariant), taken from
// the pinyin library or from those fields. 𠮷 has no reading field at all
// in Unihan 15.0; its spoofing variant is 吉 (jí), which is how the name is
// read.
//
// Format: comment lines starting with #, then one line per syllable: the
// toneless syllable (ü written v, as the library writes it), a tab, and the
// code points in hex separated by spaces, ascending.
package main

import (
	"archive/zip"
	"bufio"
	"compress/bzip2"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// readingFields are Unihan's reading fields, best first.
var readingFields = []string{"kMandarin", "kHanyuPinyin", "kXHC1983", "kTGHZ2013"}

// variantFields are the variant fields followed, in order, for a character
// without a reading of its own.
var variantFields = []string{"kZVariant", "kCompatibilityVariant", "kSemanticVariant",
	"kSimplifiedVariant", "kTraditionalVariant", "kSpoofingVariant"}

func main() {
	src := flag.String("src", "/usr/share/unicode", "folder with Unihan_*.txt(.bz2), or a Unihan.zip")
	out := flag.String("o", "data/pinyin/unihan.txt", "output file")
	flag.Parse()
	db, err := load(*src)
	if err != nil {
		log.Fatalf("gen-pinyin: %v (install Debian's unicode-data package)", err)
	}
	if len(db["kMandarin"]) < 20000 {
		log.Fatalf("gen-pinyin: only %d kMandarin values in %s; is it the Unihan data?", len(db["kMandarin"]), *src)
	}
	readings := resolve(db, library)
	if err := os.WriteFile(*out, format(readings), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("gen-pinyin: %d readings the library lacks written to %s\n", len(readings), *out)
}

// library is the pinyin library's toneless reading of r, or "".
func library(r rune) string {
	p := pinyin.SinglePinyin(r, pinyin.NewArgs())
	if len(p) == 0 {
		return ""
	}
	return p[0]
}

// unihan holds field → code point → raw value.
type unihan map[string]map[rune]string

func wanted(field string) bool {
	return slices.Contains(readingFields, field) || slices.Contains(variantFields, field)
}

// load reads the fields used here from every Unihan file under src.
func load(src string) (unihan, error) {
	db := unihan{}
	if strings.HasSuffix(src, ".zip") {
		z, err := zip.OpenReader(src)
		if err != nil {
			return nil, err
		}
		defer z.Close()
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				return nil, err
			}
			err = db.read(r)
			r.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
		}
		return db, nil
	}
	files, err := filepath.Glob(filepath.Join(src, "Unihan_*.txt*"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no Unihan_*.txt files in %s", src)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		var r io.Reader = f
		if strings.HasSuffix(name, ".bz2") {
			r = bzip2.NewReader(f)
		}
		err = db.read(r)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return db, nil
}

// read takes lines such as "U+4E0C\tkMandarin\tjī".
func (db unihan) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), "\t", 3)
		if len(f) < 3 || !wanted(f[1]) {
			continue
		}
		cp, ok := codePoint(f[0])
		if !ok {
			return fmt.Errorf("bad code point %q", f[0])
		}
		if db[f[1]] == nil {
			db[f[1]] = map[rune]string{}
		}
		db[f[1]][cp] = f[2]
	}
	return sc.Err()
}

// codePoint parses "U+20BB7" (a variant value may carry "<kSource" after it).
func codePoint(s string) (rune, bool) {
	s, _, _ = strings.Cut(s, "<")
	if !strings.HasPrefix(s, "U+") {
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:], 16, 32)
	return rune(n), err == nil
}

// own is the first reading Unihan gives r itself, toneless, or "".
func (db unihan) own(r rune) string {
	for _, field := range readingFields {
		v, ok := db[field][r]
		if !ok {
			continue
		}
		// kHanyuPinyin and kXHC1983 put locations before a colon
		// ("10009.010:jī,qí"); kTGHZ2013 too. Readings are separated by
		// commas or spaces.
		first := strings.Fields(v)[0]
		if _, after, ok := strings.Cut(first, ":"); ok {
			first = after
		}
		first, _, _ = strings.Cut(first, ",")
		if p := toneless(first); p != "" {
			return p
		}
	}
	return ""
}

// resolve gives every character with a reading field or a variant the
// library lacks a reading for its reading.
func resolve(db unihan, lib func(rune) string) map[rune]string {
	out := map[rune]string{}
	var all []rune
	for _, field := range append(slices.Clone(readingFields), variantFields...) {
		for r := range db[field] {
			all = append(all, r)
		}
	}
	slices.Sort(all)
	all = slices.Compact(all)
	reading := func(r rune) string {
		if p := lib(r); p != "" {
			return p
		}
		return db.own(r)
	}
	for _, r := range all {
		if !unicode.Is(unicode.Han, r) || lib(r) != "" {
			continue
		}
		if p := db.own(r); p != "" {
			out[r] = p
			continue
		}
		for _, field := range variantFields {
			if p := variantReading(db[field][r], reading); p != "" {
				out[r] = p
				break
			}
		}
	}
	return out
}

// variantReading is the reading of the first variant listed in v that has one.
func variantReading(v string, reading func(rune) string) string {
	for _, s := range strings.Fields(v) {
		if r, ok := codePoint(s); ok {
			if p := reading(r); p != "" {
				return p
			}
		}
	}
	return ""
}

// toneless drops the tone marks, writing ü as v: "lǜ" → "lv", "jí" → "ji".
func toneless(s string) string {
	var b strings.Builder
	rs := []rune(norm.NFD.String(strings.ToLower(s)))
	for i, r := range rs {
		switch {
		case r == 'u' && i+1 < len(rs) && rs[i+1] == '\u0308':
			b.WriteRune('v')
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		default:
			return "" // not a pinyin syllable
		}
	}
	return b.String()
}

// format writes the table: syllables in order, code points ascending.
func format(readings map[rune]string) []byte {
	by := map[string][]rune{}
	for r, p := range readings {
		by[p] = append(by[p], r)
	}
	syllables := make([]string, 0, len(by))
	for p := range by {
		syllables = append(syllables, p)
	}
	slices.Sort(syllables)
	var b strings.Builder
	b.WriteString("# Toneless pinyin for CJK characters github.com/mozillazg/go-pinyin has no reading for,\n")
	b.WriteString("# from Unicode's Unihan database (kMandarin first; see scripts/gen-pinyin). Generated:\n")
	b.WriteString("# go run ./scripts/gen-pinyin. Unihan is (c) Unicode, Inc., Unicode License.\n")
	for _, p := range syllables {
		rs := by[p]
		slices.Sort(rs)
		b.WriteString(p)
		for i, r := range rs {
			if i == 0 {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%X", r)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
