// Package guidecache seals and opens the kiosk's offline guidance cache.
//
// A kiosk that loses the server still has to decide scans and tell people
// where to sit. It holds, for every live badge, a record (the holder's
// facts for kiosk/rules: name, category, seat or table or room, passes so
// far) encrypted under a key derived from that badge's token and filed
// under a hash of the token. The token is on the badge, not on the kiosk,
// so a stolen kiosk reveals nothing about anyone whose badge the thief does
// not also hold: reading a record takes the badge. Tokens carry a 64-byte
// Ed25519 signature, far beyond guessing, so the hash index is no shortcut.
//
// The server seals (server/internal/kioskcache); the kiosk's WebAssembly
// core opens. Pure computation, like badge/credential, so it builds for
// js/wasm.
package guidecache

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"strings"
)

// Version names the derivation and the shape of the sealed records
// (kiosk/rules.Holder; v1 held pre-made guidance); a kiosk refuses a cache
// of another, rather than misread it.
const Version = "huiwu-guide-v2"

// ErrNoRecord means the cache holds nothing for this token (a badge issued
// after the last sync, or the record does not open with it).
var ErrNoRecord = errors.New("guidecache: no record for this badge")

// canonical is the token as signed: scanners add whitespace and may change
// case, so both sides derive from the same text.
func canonical(token string) []byte {
	b := []byte(strings.Trim(token, " \t\r\n\v\f"))
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return b
}

// Index is where a token's record is filed: 128 bits of SHA-256 over the
// version, event and token. It tells nothing without the token.
func Index(event, token string) string {
	h := sha256.New()
	h.Write([]byte(Version + "/index\x00" + event + "\x00"))
	h.Write(canonical(token))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// key derives the record key from the token with HKDF-SHA256, the event as
// salt, so the same badge text could never open another event's cache.
func key(event, token string) ([]byte, error) {
	return hkdf.Key(sha256.New, canonical(token), []byte(event), Version+"/key", 32)
}

// Seal encrypts plaintext for the holder of token with AES-256-GCM; the
// index is bound in as associated data, so a record moved under another
// index fails to open. rand supplies the nonce.
func Seal(rand io.Reader, event, token string, plaintext []byte) (index, blob string, err error) {
	k, err := key(event, token)
	if err != nil {
		return "", "", err
	}
	gcm, err := newGCM(k)
	if err != nil {
		return "", "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return "", "", err
	}
	index = Index(event, token)
	sealed := gcm.Seal(nonce, nonce, plaintext, []byte(index))
	return index, base64.StdEncoding.EncodeToString(sealed), nil
}

// Open finds and decrypts token's record among entries (index → blob).
func Open(entries map[string]string, event, token string) ([]byte, error) {
	index := Index(event, token)
	blob, ok := entries[index]
	if !ok {
		return nil, ErrNoRecord
	}
	raw, err := base64.StdEncoding.DecodeString(blob)
	if err != nil {
		return nil, ErrNoRecord
	}
	k, err := key(event, token)
	if err != nil {
		return nil, err
	}
	gcm, err := newGCM(k)
	if err != nil {
		return nil, err
	}
	if len(raw) < gcm.NonceSize()+gcm.Overhead() {
		return nil, ErrNoRecord
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(index))
	if err != nil {
		return nil, ErrNoRecord
	}
	return plain, nil
}

func newGCM(k []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
