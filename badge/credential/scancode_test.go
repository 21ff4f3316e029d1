package credential

import (
	"crypto/rand"
	"strings"
	"testing"
)

func TestScanCode(t *testing.T) {
	s, err := GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := GenerateKey(rand.Reader)
	tok, _ := s.Sign(Claims{Event: "e", Attendee: 1, Serial: 1})
	foreign, _ := other.Sign(Claims{Event: "e", Attendee: 1, Serial: 1})
	ring, _ := NewKeyring(s.Public())
	// A character well inside the signature: still canonical base32.
	i := len(tok) - 20
	flip := map[bool]string{true: "B", false: "A"}[tok[i] == 'A']
	for tc, want := range map[string]string{
		strings.Repeat("A", 300):   "token_too_long",
		"HW2:AAAA":                 "token_version",
		foreign:                    "unknown_key",
		tok[:i] + flip + tok[i+1:]: "bad_signature",
		"hello":                    "malformed_token",
	} {
		_, _, err := ring.Verify(tc)
		if got := ScanCode(err); got != want {
			t.Errorf("ScanCode(Verify(%.20q…)) = %s, want %s (%v)", tc, got, want, err)
		}
	}
}
