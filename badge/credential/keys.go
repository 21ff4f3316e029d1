package credential

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
)

// keyFileHeader names the key file format, so a file of another kind (or a
// future version) is refused rather than misread.
const keyFileHeader = "huiwu-ed25519-v1"

// ErrKeyFile is wrapped by every ParseSigner failure. The messages never
// quote the file, because it holds a private key.
var ErrKeyFile = errors.New("credential: not a " + keyFileHeader + " key file")

// Signer issues tokens. Only the server holds one; kiosks get the public key.
type Signer struct {
	priv ed25519.PrivateKey
	id   [keyIDLen]byte
}

// GenerateKey makes a new signing key from rand (crypto/rand when nil). A
// fixed reader gives a fixed key, which tests and demos use.
func GenerateKey(rand io.Reader) (*Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("credential: generate key: %w", err)
	}
	return newSigner(priv), nil
}

func newSigner(priv ed25519.PrivateKey) *Signer {
	return &Signer{priv: priv, id: keyID(priv.Public().(ed25519.PublicKey))}
}

// keyID is derived, not chosen, so a token's key id can never disagree with
// the key that verifies it, and no registry of ids is needed.
func keyID(pub ed25519.PublicKey) [keyIDLen]byte {
	sum := sha256.Sum256(pub)
	return [keyIDLen]byte(sum[:keyIDLen])
}

// PublicKeyID is the key id of pub as tokens and logs show it: 8 lowercase
// hex characters, the first 4 bytes of SHA-256(pub).
func PublicKeyID(pub ed25519.PublicKey) string {
	id := keyID(pub)
	return hex.EncodeToString(id[:])
}

// String names the key without revealing it, so that logging a Signer with
// %v or %+v cannot leak the private key.
func (s *Signer) String() string { return "credential.Signer{" + s.KeyID() + "}" }

// GoString does the same for %#v.
func (s *Signer) GoString() string { return s.String() }

// KeyID is the signer's key id (see PublicKeyID).
func (s *Signer) KeyID() string { return hex.EncodeToString(s.id[:]) }

// Public is the key kiosks need to verify this signer's tokens.
func (s *Signer) Public() ed25519.PublicKey { return s.priv.Public().(ed25519.PublicKey) }

// Sign makes the token text for c. Ed25519 is deterministic, so the same
// claims always give the same token: reprinting a badge without a new serial
// reproduces the old QR exactly.
func (s *Signer) Sign(c Claims) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	return s.sign(appendPayload(nil, s.id, c)), nil
}

// sign signs a raw payload. Signing "HW1:" + payload rather than the bare
// payload keeps these signatures from being valid for any other use of the
// key, and ties them to the format version.
func (s *Signer) sign(payload []byte) string {
	msg := append([]byte(Prefix), payload...)
	raw := append(payload[:len(payload):len(payload)], ed25519.Sign(s.priv, msg)...)
	return Prefix + encoding.EncodeToString(raw)
}

// MarshalSigner is the one-line text form of the key file the server keeps in
// its data directory: "huiwu-ed25519-v1 <keyid> <base64 seed>\n". The key id
// is redundant; it lets an operator tell key files apart without tools, and
// ParseSigner uses it to catch a damaged seed.
func MarshalSigner(s *Signer) []byte {
	return fmt.Appendf(nil, "%s %s %s\n", keyFileHeader, s.KeyID(),
		base64.StdEncoding.EncodeToString(s.priv.Seed()))
}

// ParseSigner reads what MarshalSigner wrote (one trailing LF or CRLF
// allowed, as editors add them) and refuses anything else.
func ParseSigner(b []byte) (*Signer, error) {
	if len(b) > 128 {
		return nil, fmt.Errorf("%w: %d bytes is too long", ErrKeyFile, len(b))
	}
	line := bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r"))
	f := bytes.Split(line, []byte(" "))
	switch {
	case bytes.ContainsAny(line, "\r\n"):
		// Checked explicitly: the base64 decoder would skip line breaks.
		return nil, fmt.Errorf("%w: more than one line", ErrKeyFile)
	case len(f) != 3:
		return nil, fmt.Errorf("%w: want 3 space-separated fields on one line, got %d", ErrKeyFile, len(f))
	case string(f[0]) != keyFileHeader:
		return nil, fmt.Errorf("%w: first field is not %s", ErrKeyFile, keyFileHeader)
	}
	seed, err := base64.StdEncoding.Strict().DecodeString(string(f[2]))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: third field is not a base64 %d-byte seed", ErrKeyFile, ed25519.SeedSize)
	}
	s := newSigner(ed25519.NewKeyFromSeed(seed))
	if string(f[1]) != s.KeyID() {
		return nil, fmt.Errorf("%w: key id field does not match the seed (damaged or edited file)", ErrKeyFile)
	}
	return s, nil
}

// Keyring holds the public keys a kiosk or server accepts, by key id. It is
// safe for concurrent use, so keys can be added while scans are verified.
// The zero Keyring is empty and ready to use.
type Keyring struct {
	mu   sync.RWMutex
	keys map[[keyIDLen]byte]ed25519.PublicKey
}

// NewKeyring returns a keyring holding keys. It fails on a malformed key or a
// key id collision, as Add does.
func NewKeyring(keys ...ed25519.PublicKey) (*Keyring, error) {
	k := &Keyring{keys: make(map[[keyIDLen]byte]ed25519.PublicKey, len(keys))}
	for _, pub := range keys {
		if err := k.Add(pub); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Add accepts tokens signed by pub from now on. Adding a key twice is
// harmless. Two different keys with one key id (a 1 in 2^32 chance) are
// refused rather than letting one silently shadow the other.
func (k *Keyring) Add(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("credential: public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	id := keyID(pub)
	k.mu.Lock()
	defer k.mu.Unlock()
	if have, ok := k.keys[id]; ok {
		if have.Equal(pub) {
			return nil
		}
		return fmt.Errorf("credential: key id %x already holds a different key", id)
	}
	if k.keys == nil {
		k.keys = make(map[[keyIDLen]byte]ed25519.PublicKey)
	}
	k.keys[id] = bytes.Clone(pub) // the caller's slice may change later
	return nil
}

// Verify checks token and returns its claims and key id. On failure the
// claims are zero and err wraps one of ErrTooLong, ErrVersion, ErrMalformed,
// ErrUnknownKey or ErrSignature; keyID is still set when the token named
// one, for logs only. It does no I/O and reads no clock, so the kiosk can run
// it offline; revocation is checked by the caller with the returned serial.
func (k *Keyring) Verify(token string) (Claims, string, error) {
	d, err := decode(token)
	if err != nil {
		return Claims{}, "", err
	}
	id := hex.EncodeToString(d.keyID[:])
	k.mu.RLock()
	pub, ok := k.keys[d.keyID]
	k.mu.RUnlock()
	if !ok {
		return Claims{}, id, fmt.Errorf("%w: %s", ErrUnknownKey, id)
	}
	if !ed25519.Verify(pub, d.signed, d.sig) {
		return Claims{}, id, ErrSignature
	}
	return d.claims, id, nil
}
