package credential

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

func TestGenerateKey(t *testing.T) {
	if a, b := testSigner(t, 7), testSigner(t, 7); a.KeyID() != b.KeyID() {
		t.Errorf("same seed gave key ids %s and %s", a.KeyID(), b.KeyID())
	}
	r1, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Public().Equal(r2.Public()) {
		t.Error("GenerateKey(nil) returned the same key twice")
	}
	if _, err := GenerateKey(iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("GenerateKey with a failing reader succeeded")
	}
}

func TestSignerFileRoundTrip(t *testing.T) {
	s := testSigner(t, 3)
	text := MarshalSigner(s)
	if !bytes.HasPrefix(text, []byte("huiwu-ed25519-v1 "+s.KeyID()+" ")) || !bytes.HasSuffix(text, []byte("\n")) ||
		bytes.Count(text, []byte("\n")) != 1 {
		t.Fatalf("MarshalSigner = %q", text)
	}
	for _, in := range [][]byte{text, bytes.TrimSuffix(text, []byte("\n")), bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))} {
		got, err := ParseSigner(in)
		if err != nil {
			t.Fatalf("ParseSigner(%q): %v", in, err)
		}
		if got.KeyID() != s.KeyID() || !got.priv.Equal(s.priv) {
			t.Fatalf("ParseSigner(%q) gave a different key", in)
		}
	}
	// The parsed signer makes the very same tokens.
	got, _ := ParseSigner(text)
	if mustSign(t, got, demoClaims) != mustSign(t, s, demoClaims) {
		t.Fatal("parsed signer signs differently")
	}
}

func TestParseSignerRejects(t *testing.T) {
	s := testSigner(t, 3)
	good := string(MarshalSigner(s))
	f := strings.Fields(good)
	seed := f[2]
	otherID := testSigner(t, 4).KeyID()
	junk := map[string]string{
		"empty":            "",
		"newline":          "\n",
		"header only":      "huiwu-ed25519-v1\n",
		"two fields":       f[0] + " " + f[1] + "\n",
		"four fields":      strings.TrimSuffix(good, "\n") + " extra\n",
		"tab separated":    strings.Join(f, "\t") + "\n",
		"double space":     f[0] + "  " + f[1] + " " + f[2] + "\n",
		"leading space":    " " + good,
		"two lines":        good + good,
		"blank line after": good + "\n",
		"future version":   "huiwu-ed25519-v2 " + f[1] + " " + seed + "\n",
		"uppercase header": strings.ToUpper(f[0]) + " " + f[1] + " " + seed + "\n",
		"wrong key id":     f[0] + " " + otherID + " " + seed + "\n",
		"uppercase key id": f[0] + " " + strings.ToUpper(f[1]) + " " + seed + "\n",
		"seed not base64":  f[0] + " " + f[1] + " " + strings.Repeat("!", 44) + "\n",
		"seed unpadded":    f[0] + " " + f[1] + " " + strings.TrimRight(seed, "=") + "\n",
		"seed url base64":  f[0] + " " + f[1] + " " + strings.NewReplacer("+", "-", "/", "_").Replace(seed) + "\n",
		"short seed":       f[0] + " " + f[1] + " " + base64.StdEncoding.EncodeToString(make([]byte, 31)) + "\n",
		"64-byte key":      f[0] + " " + f[1] + " " + base64.StdEncoding.EncodeToString(s.priv) + "\n",
		"PEM":              "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
		"huge":             good + strings.Repeat("A", 1<<20),
		"NUL":              "\x00" + good,
	}
	if !strings.ContainsAny(seed, "+/") {
		delete(junk, "seed url base64") // it would be the good file itself
	}
	for name, in := range junk {
		got, err := ParseSigner([]byte(in))
		if !errors.Is(err, ErrKeyFile) || got != nil {
			t.Errorf("%s: ParseSigner = %v, %v; want ErrKeyFile", name, got, err)
			continue
		}
		if strings.Contains(err.Error(), seed[:8]) {
			t.Errorf("%s: error %q quotes the secret seed", name, err)
		}
	}
}

func TestKeyring(t *testing.T) {
	a, b := testSigner(t, 1), testSigner(t, 2)
	if _, err := NewKeyring(ed25519.PublicKey(make([]byte, 31))); err == nil {
		t.Error("NewKeyring accepted a 31-byte key")
	}
	var ring Keyring // the zero value is usable
	tokB := mustSign(t, b, demoClaims)
	if _, _, err := ring.Verify(tokB); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("empty keyring: %v, want ErrUnknownKey", err)
	}
	pub := b.Public()
	if err := ring.Add(pub); err != nil {
		t.Fatal(err)
	}
	if err := ring.Add(b.Public()); err != nil {
		t.Fatalf("adding the same key twice: %v", err)
	}
	pub[0] ^= 0xff // the keyring must have copied the key
	if _, _, err := ring.Verify(tokB); err != nil {
		t.Fatalf("after Add: %v", err)
	}
	// A second key with a colliding id is refused, not swapped in.
	ring.keys[a.id] = b.Public()
	if err := ring.Add(a.Public()); err == nil {
		t.Fatal("Add accepted a key whose id already holds another key")
	}
}

// TestKeyringConcurrent runs under -race: kiosks verify while the server
// pushes a rotated key.
func TestKeyringConcurrent(t *testing.T) {
	signers := []*Signer{testSigner(t, 1), testSigner(t, 2), testSigner(t, 3), testSigner(t, 4)}
	ring := testRing(t, signers[0])
	tok := mustSign(t, signers[0], demoClaims)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ring.Add(signers[i].Public()); err != nil {
				t.Error(err)
			}
			for range 20 {
				if _, _, err := ring.Verify(tok); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkSign(b *testing.B) {
	s := testSigner(b, 1)
	for b.Loop() {
		if _, err := s.Sign(demoClaims); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s := testSigner(b, 1)
	ring := testRing(b, s, testSigner(b, 2), testSigner(b, 3))
	tok := mustSign(b, s, demoClaims)
	for b.Loop() {
		if _, _, err := ring.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyReject measures the cost of garbage, which a kiosk pays for
// every stray QR code it sees.
func BenchmarkVerifyReject(b *testing.B) {
	ring := testRing(b, testSigner(b, 1))
	tok := mustSign(b, testSigner(b, 2), demoClaims)
	for b.Loop() {
		if _, _, err := ring.Verify(tok); err == nil {
			b.Fatal("verified")
		}
	}
}

// Example shows the life of a credential: the server signs, the kiosk
// verifies with only the public key.
func Example() {
	signer, _ := GenerateKey(nil) // the server does this once, then keeps MarshalSigner(signer)
	token, _ := signer.Sign(Claims{Event: "demo-20261126", Attendee: 1042, Serial: 1})

	kiosk, _ := NewKeyring(signer.Public())
	claims, _, err := kiosk.Verify(token + "\r\n") // as a USB scanner types it
	fmt.Println(claims.Attendee, claims.Serial, err)

	_, _, err = kiosk.Verify("HW1:NOTATOKEN")
	fmt.Println(errors.Is(err, ErrMalformed))
	// Output:
	// 1042 1 <nil>
	// true
}

func TestSignerDoesNotPrintKey(t *testing.T) {
	s := testSigner(t, 3)
	want := "credential.Signer{" + s.KeyID() + "}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, s); out != want {
			t.Errorf("Sprintf(%s, signer) = %q, want %q", verb, out, want)
		}
	}
}
