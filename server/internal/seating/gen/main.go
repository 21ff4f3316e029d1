// Command gen builds data/strokes/kTotalStrokes.bin, the stroke-count table
// that 姓氏笔画 ordering uses, from Unicode's Unihan database (Debian's
// unicode-data package: /usr/share/unicode/Unihan_IRGSources.txt.bz2, or
// a Unihan.zip from unicode.org). Run it with go generate in the seating
// package; its output is committed so that building needs no Unihan.
//
// Where Unihan gives two counts (U+8303 范: "8 9") the first is the
// mainland-China count (the G source), the one a Chinese list follows.
//
// Format: uint32 range count, then per range uint32 first code point,
// uint32 length and one byte per code point (0 = no count), all big-endian.
// Only the CJK blocks names are written in are kept: Extension A, the
// Unified Ideographs and Extension B (生僻字 such as 䶮 and 𠮷).
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ranges are the blocks kept, [first, last].
var ranges = [][2]rune{
	{0x3400, 0x4DBF},   // CJK Unified Ideographs Extension A
	{0x4E00, 0x9FFF},   // CJK Unified Ideographs
	{0x20000, 0x2A6DF}, // Extension B
}

func main() {
	src := flag.String("src", "/usr/share/unicode", "Unihan_IRGSources.txt(.bz2), Unihan.zip, or a folder holding one")
	out := flag.String("o", "kTotalStrokes.bin", "output file")
	flag.Parse()
	r, err := open(*src)
	if err != nil {
		log.Fatalf("gen: %v (install Debian's unicode-data package)", err)
	}
	counts, err := read(r)
	if err != nil {
		log.Fatalf("gen: %v", err)
	}
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(ranges)))
	kept := 0
	for _, rg := range ranges {
		n := int(rg[1]-rg[0]) + 1
		binary.Write(&b, binary.BigEndian, uint32(rg[0]))
		binary.Write(&b, binary.BigEndian, uint32(n))
		for c := rg[0]; c <= rg[1]; c++ {
			b.WriteByte(counts[c])
			if counts[c] > 0 {
				kept++
			}
		}
	}
	if kept < 20000 {
		log.Fatalf("gen: only %d counts found; is %s the Unihan data?", kept, *src)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("gen: %d stroke counts written to %s (%d bytes)\n", kept, *out, b.Len())
}

// open finds the file holding kTotalStrokes under src.
func open(src string) (io.Reader, error) {
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		for _, name := range []string{"Unihan_IRGSources.txt.bz2", "Unihan_IRGSources.txt", "Unihan.zip"} {
			if _, err := os.Stat(filepath.Join(src, name)); err == nil {
				return open(filepath.Join(src, name))
			}
		}
		return nil, fmt.Errorf("no Unihan data in %s", src)
	}
	switch {
	case strings.HasSuffix(src, ".zip"):
		z, err := zip.OpenReader(src)
		if err != nil {
			return nil, err
		}
		for _, f := range z.File {
			if f.Name == "Unihan_IRGSources.txt" {
				return f.Open()
			}
		}
		return nil, fmt.Errorf("%s has no Unihan_IRGSources.txt", src)
	case strings.HasSuffix(src, ".bz2"):
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		return bzip2.NewReader(f), nil
	}
	return os.Open(src)
}

// read collects the first kTotalStrokes value of each code point, lines
// such as "U+4E00\tkTotalStrokes\t1".
func read(r io.Reader) (map[rune]byte, error) {
	counts := map[rune]byte{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 || f[1] != "kTotalStrokes" || !strings.HasPrefix(f[0], "U+") {
			continue
		}
		cp, err := strconv.ParseUint(f[0][2:], 16, 32)
		if err != nil {
			return nil, fmt.Errorf("bad code point %q", f[0])
		}
		n, err := strconv.Atoi(strings.Fields(f[2])[0])
		if err != nil || n <= 0 || n > 255 {
			return nil, fmt.Errorf("%s: bad stroke count %q", f[0], f[2])
		}
		counts[rune(cp)] = byte(n)
	}
	return counts, sc.Err()
}
