package main

import (
	"strings"
	"testing"
)

func TestToneless(t *testing.T) {
	for in, want := range map[string]string{"lǜ": "lv", "jí": "ji", "zhuāng": "zhuang", "ń": "n", "lüè": "lve", "x1": ""} {
		if got := toneless(in); got != want {
			t.Errorf("toneless(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestResolve reads a few Unihan lines as the files hold them: a reading
// of its own wins, kHanyuPinyin's locations are dropped, a character
// without a reading takes its variant's, and what the library knows is
// left out.
func TestResolve(t *testing.T) {
	db := unihan{}
	lines := "U+4E0C\tkMandarin\tjī\n" +
		"U+3400\tkHanyuPinyin\t10019.020:qiū\n" +
		"U+20BB7\tkSpoofingVariant\tU+5409\n" +
		"U+2A6D6\tkSemanticVariant\tU+9F98<kMatthews\n" +
		"U+5409\tkMandarin\tjí\n"
	if err := db.read(strings.NewReader(lines)); err != nil {
		t.Fatal(err)
	}
	lib := func(r rune) string {
		if r == 0x4E0C {
			return "ji"
		}
		return ""
	}
	got := resolve(db, lib)
	want := map[rune]string{0x3400: "qiu", 0x20BB7: "ji", 0x5409: "ji"}
	if len(got) != len(want) {
		t.Errorf("resolve = %v, want %v", got, want)
	}
	for r, p := range want {
		if got[r] != p {
			t.Errorf("U+%X = %q, want %q", r, got[r], p)
		}
	}
}
