package guidecache

import (
	"crypto/rand"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	const event, tok = "demo-1", "HW1:ABCDEFGH234567"
	idx, blob, err := Seal(rand.Reader, event, tok, []byte(`{"seat":"A-5-12"}`))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]string{idx: blob}
	// What a USB scanner may type: lower case, a trailing CR.
	got, err := Open(entries, event, " "+strings.ToLower(tok)+"\r\n")
	if err != nil || string(got) != `{"seat":"A-5-12"}` {
		t.Fatalf("open = %q, %v", got, err)
	}
	for name, c := range map[string]struct{ event, tok string }{
		"another badge": {event, "HW1:ABCDEFGH234568"},
		"another event": {"demo-2", tok},
	} {
		if _, err := Open(entries, c.event, c.tok); err != ErrNoRecord {
			t.Errorf("%s: opened (%v)", name, err)
		}
	}
	// The record moved under another badge's index must not open with that badge's key either.
	other := "HW1:ZZZZ"
	moved := map[string]string{Index(event, other): blob}
	if _, err := Open(moved, event, other); err != ErrNoRecord {
		t.Errorf("a moved record opened: %v", err)
	}
	if strings.Contains(blob, "A-5-12") || strings.Contains(idx, "ABCDEFGH") {
		t.Error("the cache shows plaintext")
	}
}

func TestIndexSpreads(t *testing.T) {
	a, b := Index("e", "HW1:AAAA"), Index("e", "HW1:AAAB")
	if a == b || len(a) != 32 {
		t.Fatalf("index %q vs %q", a, b)
	}
}
