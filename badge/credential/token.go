// Package credential signs and verifies the token printed in a badge's QR
// code.
//
// A token names an event, an attendee and a credential serial, and says which
// key signed it; it carries no personal data, so a lost badge leaks nothing
// but a number. The kiosk's WebAssembly build verifies tokens offline with
// this same package, so it stays pure computation: no cgo, no os, net or
// syscall, no clock. Revocation and check-in windows are the caller's
// business; this package only answers "did one of our keys sign these claims".
package credential

import (
	"crypto/ed25519"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
)

const (
	// Prefix starts every version 1 token. The version lives in the text, not
	// the payload, so a kiosk can tell "made by a newer server" from "not ours"
	// before decoding anything.
	Prefix = "HW1:"

	// MaxTokenLen bounds the token text (after trimming the whitespace a
	// scanner adds). Valid tokens are at most 169 characters; the margin lets
	// a later field fit without a new version, and the bound is checked
	// before any decoding because tokens come from untrusted QR codes.
	MaxTokenLen = 200

	// MaxEventLen bounds the event id in bytes, keeping tokens (and so QR
	// codes) small.
	MaxEventLen = 16

	// maxInputLen is how much raw input is looked at before trimming: enough
	// for a maximal token wrapped in scanner whitespace, small enough that a
	// hostile multi-megabyte "token" costs nothing.
	maxInputLen = 256

	keyIDLen = 4
	sigLen   = ed25519.SignatureSize
	// minPayload: key id, length byte, a 1-byte event id, two 1-byte varints.
	minPayload = keyIDLen + 1 + 1 + 1 + 1
)

// Error is a token or claims failure with a stable machine-readable code. The
// server answers every token failure with the `invalid` scan status and puts
// the code beside it, so the kiosk can say why in Chinese and English and the
// desk can tell a damaged badge from a forged one.
//
// Failures wrap one of the sentinel values below with details; compare with
// errors.Is, or use errors.As to get the code.
type Error struct {
	// Code is stable across releases; kiosks and logs key on it.
	Code string
	msg  string
}

// Error implements error.
func (e *Error) Error() string { return "credential: " + e.msg }

// The sentinel errors. Verify returns exactly one of the token errors
// (possibly wrapped); Sign returns ErrClaims.
var (
	// ErrTooLong: the text is longer than MaxTokenLen. Checked before any
	// decoding, because the text comes from untrusted QR codes and scanners.
	ErrTooLong = &Error{Code: "token_too_long", msg: "token too long"}

	// ErrVersion: the text looks like a Huiwu token of another format version
	// ("HW2:…"), most likely from a newer server: update the kiosk.
	ErrVersion = &Error{Code: "token_version", msg: "unknown token version"}

	// ErrMalformed: not a well-formed HW1 token (another QR code, a damaged
	// or truncated scan, or a hand-made forgery).
	ErrMalformed = &Error{Code: "token_malformed", msg: "malformed token"}

	// ErrUnknownKey: well formed, but signed by a key this keyring does not
	// hold: another event's server, or a kiosk missing a rotated key.
	ErrUnknownKey = &Error{Code: "token_unknown_key", msg: "token signed by an unknown key"}

	// ErrSignature: the signature does not match the text. QR error
	// correction makes a misread that still decodes rare, so this usually
	// means an altered or forged badge (or a scanner with the wrong keyboard
	// layout): worth a look from the desk.
	ErrSignature = &Error{Code: "token_signature", msg: "bad token signature"}

	// ErrClaims: claims that cannot be put in a token (Sign, Claims.Validate).
	// A bug or bad data on our side, not a scanning failure.
	ErrClaims = &Error{Code: "claims_invalid", msg: "invalid claims"}
)

// encoding is RFC 4648 base32 without padding: uppercase A–Z2–7 plus the ':'
// of the prefix all lie in the QR alphanumeric set, which packs 5.5 bits per
// character instead of 8 and so gives a smaller, faster-scanning code.
var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Claims are what a token asserts. They identify; they do not entitle: the
// server decides what an attendee may enter.
type Claims struct {
	// Event is the event id, 1–16 printable ASCII bytes (no spaces), so that
	// a badge from last year's meeting cannot pass at this one.
	Event string
	// Attendee is the attendee id, positive.
	Attendee int64
	// Serial is the credential serial, positive; reprinting a badge issues a
	// new serial so the old one can be revoked.
	Serial int64
}

// Validate reports whether c can be put in a token. Sign calls it; the server
// may call it earlier to fail an import instead of a badge print.
func (c Claims) Validate() error {
	if msg := c.problem(); msg != "" {
		return fmt.Errorf("%w: %s", ErrClaims, msg)
	}
	return nil
}

// problem describes what is wrong with c, or returns "". It is shared by
// Validate (bad input from our own server) and parsing (bad token).
func (c Claims) problem() string {
	if n := len(c.Event); n == 0 || n > MaxEventLen {
		return fmt.Sprintf("event id must be 1-%d bytes, got %d", MaxEventLen, n)
	}
	for i := 0; i < len(c.Event); i++ {
		if b := c.Event[i]; b < 0x21 || b > 0x7e {
			return fmt.Sprintf("event id byte %d is not printable ASCII", i)
		}
	}
	if c.Attendee <= 0 {
		return fmt.Sprintf("attendee id must be positive, got %d", c.Attendee)
	}
	if c.Serial <= 0 {
		return fmt.Sprintf("serial must be positive, got %d", c.Serial)
	}
	return ""
}

// decoded is a token taken apart but not yet trusted.
type decoded struct {
	claims Claims
	keyID  [keyIDLen]byte
	signed []byte // Prefix + payload: what the signature covers
	sig    []byte
}

// Parse decodes a token WITHOUT checking its signature, for diagnostics such
// as "which key and serial does this unreadable badge claim". Its result must
// never be trusted: anyone can write a token that parses. Use Keyring.Verify
// to admit anyone.
func Parse(token string) (Claims, string, error) {
	d, err := decode(token)
	if err != nil {
		return Claims{}, "", err
	}
	return d.claims, hex.EncodeToString(d.keyID[:]), nil
}

// decode normalises what a scanner typed and takes the token apart. Every
// failure wraps one of the sentinel errors.
func decode(token string) (*decoded, error) {
	if len(token) > maxInputLen {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLong, len(token))
	}
	// USB scanners type the code then Enter (CR, LF or both), and people
	// paste with spaces around it.
	token = strings.Trim(token, " \t\r\n\v\f")
	if len(token) > MaxTokenLen {
		return nil, fmt.Errorf("%w: %d characters", ErrTooLong, len(token))
	}
	// Some scanners change case (Caps Lock, keyboard layouts); base32 is
	// case-free in meaning, so only the canonical form is signed and any
	// case is read. ASCII only: strings.ToUpper would map 'ſ' to 'S'.
	text := []byte(token)
	for i, b := range text {
		if 'a' <= b && b <= 'z' {
			text[i] = b - 'a' + 'A'
		}
	}
	if !strings.HasPrefix(string(text), Prefix) {
		if isOtherVersion(text) {
			return nil, fmt.Errorf("%w: %q", ErrVersion, text[:strings.IndexByte(string(text), ':')+1])
		}
		return nil, fmt.Errorf("%w: no %s prefix", ErrMalformed, Prefix)
	}
	body := text[len(Prefix):]
	raw := make([]byte, encoding.DecodedLen(len(body)))
	n, err := encoding.Decode(raw, body)
	if err != nil {
		return nil, fmt.Errorf("%w: bad base32 at or before character %d", ErrMalformed, len(Prefix)+int(baseErrOffset(err)))
	}
	raw = raw[:n]
	// The decoder skips CR/LF and ignores the unused low bits of the last
	// character, so several texts can decode to the same bytes. Accept only
	// the canonical text, so that every changed character is rejected.
	if encoding.EncodedLen(n) != len(body) || encoding.EncodeToString(raw) != string(body) {
		return nil, fmt.Errorf("%w: non-canonical base32", ErrMalformed)
	}
	if len(raw) < minPayload+sigLen {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrMalformed, len(raw))
	}
	payload, sig := raw[:len(raw)-sigLen], raw[len(raw)-sigLen:]
	d := &decoded{sig: sig}
	copy(d.keyID[:], payload)
	if err := parsePayload(payload[keyIDLen:], &d.claims); err != nil {
		return nil, err
	}
	d.signed = append([]byte(Prefix), payload...)
	return d, nil
}

// isOtherVersion reports whether text starts "HW<digits>:", a token from
// another format version rather than some stranger's QR code.
func isOtherVersion(text []byte) bool {
	if len(text) < 4 || text[0] != 'H' || text[1] != 'W' {
		return false
	}
	i := 2
	for i < len(text) && i < 6 && '0' <= text[i] && text[i] <= '9' {
		i++
	}
	return i > 2 && i < len(text) && text[i] == ':'
}

// baseErrOffset extracts the offset from a base32 error for the message.
func baseErrOffset(err error) int64 {
	if e, ok := err.(base32.CorruptInputError); ok {
		return int64(e)
	}
	return 0
}

// parsePayload reads the claims after the key id. It insists on the exact,
// shortest encoding so that one set of claims has one payload.
func parsePayload(p []byte, c *Claims) error {
	n := int(p[0])
	p = p[1:]
	if n > len(p) {
		return fmt.Errorf("%w: event id length %d overruns the token", ErrMalformed, n)
	}
	c.Event, p = string(p[:n]), p[n:]
	var ok bool
	if c.Attendee, p, ok = readUvarint(p); !ok {
		return fmt.Errorf("%w: bad attendee id", ErrMalformed)
	}
	if c.Serial, p, ok = readUvarint(p); !ok {
		return fmt.Errorf("%w: bad serial", ErrMalformed)
	}
	if len(p) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(p))
	}
	if msg := c.problem(); msg != "" {
		return fmt.Errorf("%w: %s", ErrMalformed, msg)
	}
	return nil
}

// readUvarint reads one canonical uvarint that fits an int64.
func readUvarint(p []byte) (int64, []byte, bool) {
	v, n := binary.Uvarint(p)
	if n <= 0 || v > math.MaxInt64 {
		return 0, nil, false
	}
	// A minimal encoding never ends in a zero byte unless it is the value 0.
	if n > 1 && p[n-1] == 0 {
		return 0, nil, false
	}
	return int64(v), p[n:], true
}

// appendPayload is the inverse of parsePayload, with the key id in front.
func appendPayload(dst []byte, keyID [keyIDLen]byte, c Claims) []byte {
	dst = append(dst, keyID[:]...)
	dst = append(dst, byte(len(c.Event)))
	dst = append(dst, c.Event...)
	dst = binary.AppendUvarint(dst, uint64(c.Attendee))
	return binary.AppendUvarint(dst, uint64(c.Serial))
}

// ScanCode names a verification failure the way scan results do
// (token_too_long, token_version, unknown_key, bad_signature,
// malformed_token), so the server and the offline kiosk give the same code
// for the same bad badge.
func ScanCode(err error) string {
	switch {
	case errors.Is(err, ErrTooLong):
		return "token_too_long"
	case errors.Is(err, ErrVersion):
		return "token_version"
	case errors.Is(err, ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, ErrSignature):
		return "bad_signature"
	}
	return "malformed_token"
}
