package main

import (
	"strings"
	"testing"
)

// Unihan lines as the file has them: comments, other fields, and two
// counts where the mainland count (the first) must win.
func TestRead(t *testing.T) {
	src := "# Unihan_IRGSources.txt\nU+4E00\tkRSUnicode\t1.0\nU+4E00\tkTotalStrokes\t1\nU+8303\tkTotalStrokes\t8 9\nU+20BB7\tkTotalStrokes\t6\n"
	got, err := read(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[rune]byte{0x4E00: 1, 0x8303: 8, 0x20BB7: 6}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for r, n := range want {
		if got[r] != n {
			t.Errorf("U+%04X: %d, want %d", r, got[r], n)
		}
	}
	if _, err := read(strings.NewReader("U+4E00\tkTotalStrokes\tx\n")); err == nil {
		t.Error("a bad count was accepted")
	}
}
