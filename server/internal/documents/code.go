// Package documents makes what the 机要 desk prints for numbered
// confidential documents: the copy code on each cover sheet, the cover
// sheets themselves and the 文件清退 report.
package documents

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A copy code is what a cover sheet's QR holds and prints in words:
//
//	HWC1-<document id>-<copy number>-<MAC>
//
// The MAC is the first 8 bytes of HMAC-SHA256, under the database's
// document key, of "HWC1|<document id>|<copy number>", in base32 without
// padding (13 characters). Upper-case letters, digits and hyphens only: a
// USB scanner types them the same on any keyboard layout, and QR codes
// them in its compact alphanumeric mode. A code typed from the cover's
// number alone, or made up, fails the MAC.
const (
	// Prefix starts every copy code (and tells the desk page a copy from a badge).
	Prefix = "HWC1-"
	// MaxCodeLen bounds the text looked at; real codes are at most 34
	// characters (a 9-digit document id, a 4-digit copy number).
	MaxCodeLen = 64
	macBytes   = 8
	maxDocID   = 999_999_999
	maxCopy    = 9999
)

// ErrCode is any copy code that is not one of ours: too long, malformed,
// or with a MAC that does not match.
var ErrCode = errors.New("documents: not a valid copy code")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Code names one copy of one document.
type Code struct {
	Document int64
	Copy     int
}

func mac(key []byte, c Code) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "HWC1|%d|%d", c.Document, c.Copy)
	return b32.EncodeToString(m.Sum(nil)[:macBytes])
}

// Sign answers the code printed on copy c's cover.
func Sign(key []byte, c Code) string {
	return fmt.Sprintf("%s%d-%d-%s", Prefix, c.Document, c.Copy, mac(key, c))
}

// Parse reads and checks a scanned or typed copy code. Surrounding
// whitespace (a scanner's Enter) and lower case are forgiven.
func Parse(key []byte, text string) (Code, error) {
	if len(text) > MaxCodeLen {
		return Code{}, fmt.Errorf("%w: longer than %d characters", ErrCode, MaxCodeLen)
	}
	text = strings.ToUpper(strings.TrimSpace(text))
	rest, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		return Code{}, fmt.Errorf("%w: does not start with %s", ErrCode, Prefix)
	}
	parts := strings.Split(rest, "-")
	if len(parts) != 3 {
		return Code{}, fmt.Errorf("%w: malformed", ErrCode)
	}
	doc, err1 := number(parts[0], maxDocID)
	cp, err2 := number(parts[1], maxCopy)
	if err1 != nil || err2 != nil {
		return Code{}, fmt.Errorf("%w: malformed number", ErrCode)
	}
	c := Code{Document: int64(doc), Copy: cp}
	if !hmac.Equal([]byte(parts[2]), []byte(mac(key, c))) {
		return Code{}, fmt.Errorf("%w: the check characters do not match", ErrCode)
	}
	return c, nil
}

// number reads a positive decimal without sign or leading zeros.
func number(s string, max int) (int, error) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, ErrCode
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, ErrCode
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, ErrCode
	}
	return n, nil
}
