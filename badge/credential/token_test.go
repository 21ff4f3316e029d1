package credential

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"math"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// base32Alphabet is every character a token body may hold.
const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// testSigner returns a fixed key, so failures reproduce and the committed
// fuzz corpus stays valid.
func testSigner(tb testing.TB, seed byte) *Signer {
	tb.Helper()
	s, err := GenerateKey(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func testRing(tb testing.TB, signers ...*Signer) *Keyring {
	tb.Helper()
	var keys []ed25519.PublicKey
	for _, s := range signers {
		keys = append(keys, s.Public())
	}
	k, err := NewKeyring(keys...)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func mustSign(tb testing.TB, s *Signer, c Claims) string {
	tb.Helper()
	tok, err := s.Sign(c)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

var (
	demoClaims = Claims{Event: "demo-20261126", Attendee: 1042, Serial: 3}
	maxClaims  = Claims{Event: "0123456789abcdef", Attendee: math.MaxInt64, Serial: math.MaxInt64}
)

func TestRoundTrip(t *testing.T) {
	s := testSigner(t, 1)
	ring := testRing(t, s)
	for _, c := range []Claims{
		demoClaims,
		maxClaims,
		{Event: "x", Attendee: 1, Serial: 1},
		{Event: "!~", Attendee: 127, Serial: 128}, // varint 1- and 2-byte edges
	} {
		tok := mustSign(t, s, c)
		if tok2 := mustSign(t, s, c); tok2 != tok {
			t.Errorf("Sign(%+v) not deterministic: %s vs %s", c, tok, tok2)
		}
		got, id, err := ring.Verify(tok)
		if err != nil || got != c || id != s.KeyID() {
			t.Errorf("Verify(Sign(%+v)) = %+v, %q, %v; want the claims, %q, nil", c, got, id, err, s.KeyID())
		}
		if pc, pid, err := Parse(tok); err != nil || pc != c || pid != s.KeyID() {
			t.Errorf("Parse = %+v, %q, %v", pc, pid, err)
		}
	}
}

func TestKeyIDFormat(t *testing.T) {
	s := testSigner(t, 1)
	id := s.KeyID()
	if len(id) != 8 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Fatalf("KeyID() = %q, want 8 lowercase hex characters", id)
	}
	if PublicKeyID(s.Public()) != id {
		t.Fatalf("PublicKeyID(Public()) = %q, want %q", PublicKeyID(s.Public()), id)
	}
	if other := testSigner(t, 2).KeyID(); other == id {
		t.Fatalf("two keys share key id %s", id)
	}
}

// TestMaxLengthFitsQR: the longest possible token stays under MaxTokenLen,
// uses only the QR alphanumeric set, and fits a modest QR version.
func TestMaxLengthFitsQR(t *testing.T) {
	tok := mustSign(t, testSigner(t, 1), maxClaims)
	if len(tok) > MaxTokenLen {
		t.Fatalf("max token is %d characters, over %d", len(tok), MaxTokenLen)
	}
	if strings.Trim(tok, base32Alphabet+":HW1") != "" {
		t.Fatalf("token %q leaves the QR alphanumeric set", tok)
	}
	q, err := qrcode.New(tok, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	// go-qrcode picks the smallest version; alphanumeric mode is what keeps
	// it this small (byte mode would need version 9).
	if q.VersionNumber > 8 {
		t.Errorf("max token needs QR version %d at level M; want at most 8", q.VersionNumber)
	}
	t.Logf("max token: %d characters, QR version %d (%d modules) at error correction M",
		len(tok), q.VersionNumber, 17+4*q.VersionNumber)
}

func TestSignRejectsBadClaims(t *testing.T) {
	s := testSigner(t, 1)
	for _, c := range []Claims{
		{Event: "", Attendee: 1, Serial: 1},
		{Event: "0123456789abcdefg", Attendee: 1, Serial: 1},
		{Event: "demo 2026", Attendee: 1, Serial: 1},
		{Event: "会议", Attendee: 1, Serial: 1},
		{Event: "a\x00", Attendee: 1, Serial: 1},
		{Event: "demo", Attendee: 0, Serial: 1},
		{Event: "demo", Attendee: -5, Serial: 1},
		{Event: "demo", Attendee: 1, Serial: 0},
		{Event: "demo", Attendee: 1, Serial: math.MinInt64},
	} {
		if tok, err := s.Sign(c); !errors.Is(err, ErrClaims) {
			t.Errorf("Sign(%+v) = %q, %v; want ErrClaims", c, tok, err)
		}
	}
}

// TestScannerTolerance: what USB scanners and copy-paste do to a token.
func TestScannerTolerance(t *testing.T) {
	s := testSigner(t, 1)
	ring := testRing(t, s)
	tok := mustSign(t, s, demoClaims)
	for name, in := range map[string]string{
		"CR":              tok + "\r",
		"CRLF":            tok + "\r\n",
		"spaces":          "  " + tok + "\t ",
		"lowercase":       strings.ToLower(tok),
		"mixed case":      strings.ToLower(tok[:20]) + tok[20:],
		"much whitespace": strings.Repeat(" ", 40) + tok + strings.Repeat("\n", 40),
	} {
		if c, _, err := ring.Verify(in); err != nil || c != demoClaims {
			t.Errorf("%s: Verify = %+v, %v", name, c, err)
		}
	}
}

// TestEveryCharacterFlip: changing any one character of a token to any other
// character a QR code could carry there must be caught.
func TestEveryCharacterFlip(t *testing.T) {
	s := testSigner(t, 1)
	ring := testRing(t, s)
	// The maximal token's last character carries an unused bit; the demo
	// token's does not. Parallel, because under -race this is ~10k slow
	// signature checks.
	for name, c := range map[string]Claims{"demo": demoClaims, "max": maxClaims} {
		tok := mustSign(t, s, c)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for i := 0; i < len(tok); i++ {
				for _, r := range []byte(base32Alphabet + ":") {
					if r == tok[i] {
						continue
					}
					bad := tok[:i] + string(r) + tok[i+1:]
					if got, _, err := ring.Verify(bad); err == nil {
						t.Fatalf("flip at %d to %c verified as %+v: %s", i, r, got, bad)
					}
				}
			}
		})
	}
}

func TestEveryTruncation(t *testing.T) {
	s := testSigner(t, 1)
	ring := testRing(t, s)
	tok := mustSign(t, s, demoClaims)
	for n := 0; n < len(tok); n++ {
		if _, _, err := ring.Verify(tok[:n]); err == nil {
			t.Fatalf("token cut to %d characters verified", n)
		}
		if _, _, err := ring.Verify(tok[len(tok)-n:]); err == nil {
			t.Fatalf("token's last %d characters verified", n)
		}
	}
	if _, _, err := ring.Verify(tok + "A"); err == nil {
		t.Fatal("token with a character appended verified")
	}
}

func TestVerifyErrors(t *testing.T) {
	a, b := testSigner(t, 1), testSigner(t, 2)
	ring := testRing(t, a)
	tokA := mustSign(t, a, demoClaims)
	tokB := mustSign(t, b, demoClaims)

	// b's signature on a payload that names a's key id.
	impostor := &Signer{priv: b.priv, id: a.id}
	forged := mustSign(t, impostor, demoClaims)

	tests := []struct {
		name  string
		token string
		want  *Error
	}{
		{"other key", tokB, ErrUnknownKey},
		{"same key id, wrong key", forged, ErrSignature},
		{"201 characters", Prefix + strings.Repeat("A", MaxTokenLen+1-len(Prefix)), ErrTooLong},
		{"one megabyte", strings.Repeat("A", 1<<20), ErrTooLong},
		{"whitespace megabyte", tokA + strings.Repeat(" ", 1<<20), ErrTooLong},
		{"empty", "", ErrMalformed},
		{"url", "https://example.com/badge?id=1", ErrMalformed},
		{"prefix only", Prefix, ErrMalformed},
		{"newer version", "HW2:" + tokA[len(Prefix):], ErrVersion},
		{"newer version, lowercase", "hw12:ABC", ErrVersion},
		{"padding", tokA + "===", ErrMalformed},
		{"inner newline", tokA[:30] + "\n" + tokA[30:], ErrMalformed},
		{"inner space", tokA[:30] + " " + tokA[30:], ErrMalformed},
		{"non-ASCII", tokA[:30] + "ſ" + tokA[31:], ErrMalformed},
		{"signature only", Prefix + tokA[len(tokA)-103:], ErrMalformed},
	}
	for _, tt := range tests {
		c, _, err := ring.Verify(tt.token)
		if !errors.Is(err, tt.want) || c != (Claims{}) {
			t.Errorf("%s: Verify = %+v, %v; want %v", tt.name, c, err, tt.want)
		}
		var ce *Error
		if !errors.As(err, &ce) || ce.Code != tt.want.Code {
			t.Errorf("%s: error %v carries no code %q", tt.name, err, tt.want.Code)
		}
	}

	// The key id comes back with the error so logs can say whose key it was.
	if _, id, _ := ring.Verify(tokB); id != b.KeyID() {
		t.Errorf("unknown key: key id %q, want %q", id, b.KeyID())
	}
}

// TestMalformedButSigned: payloads our key signed but the format forbids
// are still refused, so a token has exactly one valid encoding.
func TestMalformedButSigned(t *testing.T) {
	s := testSigner(t, 1)
	ring := testRing(t, s)
	good := appendPayload(nil, s.id, demoClaims)
	for name, payload := range map[string][]byte{
		"trailing byte":       append(bytes.Clone(good), 0),
		"over-long varint":    append(s.id[:], 1, 'a', 0x81, 0x00, 1),
		"event overruns":      append(s.id[:], 40, 'a', 1, 1),
		"zero attendee":       append(s.id[:], 1, 'a', 0, 1),
		"zero serial":         append(s.id[:], 1, 'a', 1, 0),
		"empty event":         append(s.id[:], 0, 1, 1, 1),
		"space in event":      append(s.id[:], 2, 'a', ' ', 1, 1),
		"attendee > int64":    append(append(s.id[:], 1, 'a'), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 1),
		"unterminated varint": append(s.id[:], 1, 'a', 1, 0x80),
	} {
		if c, _, err := ring.Verify(s.sign(payload)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Verify = %+v, %v; want ErrMalformed", name, c, err)
		}
	}
	// Control: the raw signing path itself is sound.
	if _, _, err := ring.Verify(s.sign(good)); err != nil {
		t.Fatalf("raw-signed good payload: %v", err)
	}
}

// TestParseDoesNotVerify: Parse is for diagnostics and reads forgeries too;
// the test pins that down so nobody mistakes it for a check.
func TestParseDoesNotVerify(t *testing.T) {
	a, b := testSigner(t, 1), testSigner(t, 2)
	forged := mustSign(t, &Signer{priv: b.priv, id: a.id}, demoClaims)
	c, id, err := Parse(forged)
	if err != nil || c != demoClaims || id != a.KeyID() {
		t.Fatalf("Parse(forged) = %+v, %q, %v; want the claims it states", c, id, err)
	}
	if _, _, err := Parse(strings.Repeat("A", 500)); !errors.Is(err, ErrTooLong) {
		t.Fatalf("Parse of 500 characters: %v, want ErrTooLong", err)
	}
}
