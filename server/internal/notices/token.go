// Package notices is the domain of 会议通知与回执 (issue 13.1): reply-link
// tokens, checking what a unit answers, the changes a reply asks of the
// list (the diff the desk applies item by item), and the 回执 form as a
// printable sheet and as an XLSX a unit fills in and the desk imports. It
// holds no SQL: the store keeps units, links, replies and items.
package notices

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
)

// A reply link's token: 20 random bytes (160 bits), base32 in lower case
// without padding, 32 characters: it survives being read aloud, typed
// from paper and wrapped in a chat message, and it is in the link's path,
// so it uses only characters a URL path carries as they are.
const (
	tokenBytes = 20
	TokenLen   = 32
)

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrBadToken is a token that cannot be one of ours: the wrong length or
// characters. It is refused before anything is looked up.
var ErrBadToken = errors.New("notices: malformed reply token")

// NewToken makes a reply-link token and the hash the store keeps of it.
func NewToken() (token, hash string) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic("notices: no randomness: " + err.Error())
	}
	token = strings.ToLower(tokenEncoding.EncodeToString(b))
	return token, HashToken(token)
}

// HashToken is the SHA-256 (hex) the store keeps of token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ParseToken checks that s is a token as NewToken makes them (any case,
// surrounding spaces ignored) and answers its hash.
func ParseToken(s string) (string, error) {
	if len(s) > 2*TokenLen {
		return "", ErrBadToken
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != TokenLen {
		return "", ErrBadToken
	}
	b, err := tokenEncoding.DecodeString(strings.ToUpper(s))
	if err != nil || len(b) != tokenBytes {
		return "", ErrBadToken
	}
	return HashToken(s), nil
}
