package documents

import (
	"errors"
	"strings"
	"testing"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestCodeRoundTrip(t *testing.T) {
	for _, c := range []Code{{1, 1}, {12, 300}, {999_999_999, 9999}} {
		s := Sign(testKey, c)
		if len(s) > 34 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			t.Fatalf("%v: %q is not short upper-case text", c, s)
		}
		got, err := Parse(testKey, " "+strings.ToLower(s)+"\r\n")
		if err != nil || got != c {
			t.Fatalf("%q: %v %v", s, got, err)
		}
	}
}

// TestCodeRefused: a code typed from the cover's number without its check
// characters, a code with another copy's MAC, one made with another key,
// and junk are refused.
func TestCodeRefused(t *testing.T) {
	good := Sign(testKey, Code{3, 7})
	mac := good[strings.LastIndex(good, "-")+1:]
	for name, s := range map[string]string{
		"typed without mac": "HWC1-3-7",
		"another copy":      "HWC1-3-8-" + mac,
		"other key":         Sign([]byte("another key, another meeting....."), Code{3, 7}),
		"leading zero":      "HWC1-03-7-" + mac,
		"badge token":       "HW1:AAAA",
		"too long":          good + strings.Repeat("A", MaxCodeLen),
		"copy zero":         Sign(testKey, Code{3, 0}),
		"negative":          "HWC1--3-7-" + mac,
	} {
		if _, err := Parse(testKey, s); !errors.Is(err, ErrCode) {
			t.Errorf("%s: %q accepted (%v)", name, s, err)
		}
	}
}

// FuzzParse: no input panics, and whatever is accepted signs back to
// itself (so only codes we made pass).
func FuzzParse(f *testing.F) {
	f.Add(Sign(testKey, Code{1, 1}))
	f.Add("HWC1-1-1-AAAAAAAAAAAAA")
	f.Add("HWC1-99999999999999999999-1-A")
	f.Add("hwc1-1-2-" + strings.Repeat("=", 13))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(testKey, s)
		if err != nil {
			return
		}
		if Sign(testKey, c) != strings.ToUpper(strings.TrimSpace(s)) {
			t.Fatalf("%q accepted as %v", s, c)
		}
	})
}
