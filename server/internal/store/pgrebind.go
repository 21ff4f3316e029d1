package store

import (
	"strconv"
	"strings"
	"sync"
)

// The store writes its SQL once, in SQLite's words: `?` and `?NNN`
// placeholders, and LIKE that ignores ASCII case. PostgreSQL numbers its
// placeholders ($1, $2 …) and its LIKE minds case, so the PostgreSQL
// driver (pgdriver.go) hands pgx each statement rewritten by pgRebind:
// `?` becomes `$k` and `?NNN` becomes `$NNN`, the keyword LIKE becomes
// ILIKE. Nothing changes inside string literals ('…', E'…'), quoted
// identifiers ("…"), dollar-quoted bodies ($tag$…$tag$, as in a
// PostgreSQL trigger) or comments (-- …, /* … */).

// rebindCacheMax bounds the cache of rewritten statements. The store's
// statements are a few hundred texts; a text built with a varying number
// of placeholders (an IN list) adds one entry per length, so the bound
// only matters if something builds texts without end. Past it the cache
// starts again, which costs a rewrite, never a wrong answer.
const rebindCacheMax = 4096

var rebindCache = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

// pgRebind answers the PostgreSQL text of a statement written for SQLite,
// rewriting each distinct text once.
func pgRebind(query string) string {
	rebindCache.RLock()
	out, ok := rebindCache.m[query]
	rebindCache.RUnlock()
	if ok {
		return out
	}
	out = rebind(query)
	rebindCache.Lock()
	if len(rebindCache.m) >= rebindCacheMax {
		rebindCache.m = map[string]string{}
	}
	rebindCache.m[query] = out
	rebindCache.Unlock()
	return out
}

// rebind does pgRebind's rewriting, uncached. Placeholders follow
// SQLite's numbering: a bare `?` takes one more than the largest number
// given so far, so "?2, ?" reads as $2, $3 as it does in SQLite.
func rebind(q string) string {
	if !strings.ContainsAny(q, "?lL") {
		return q // nothing to rewrite: most DDL, every text without parameters
	}
	// b is the text so far. What comes before a quote or a `$` is read
	// from it, not from q, so that a second rewriting sees the same
	// context as the first (rewriting twice changes nothing).
	b := make([]byte, 0, len(q)+8)
	largest := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'':
			j := quotedEnd(q, i, '\'', escapeString(b))
			b = append(b, q[i:j]...)
			i = j
		case c == '"':
			j := quotedEnd(q, i, '"', false)
			b = append(b, q[i:j]...)
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b = append(b, q[i:i+j]...)
			i += j
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			j := blockCommentEnd(q, i)
			b = append(b, q[i:j]...)
			i = j
		case c == '$':
			j := dollarQuotedEnd(q, i, b)
			b = append(b, q[i:j]...)
			i = j
		case c == '?':
			j := i + 1
			for j < len(q) && isDigit(q[j]) {
				j++
			}
			n := largest + 1
			if j > i+1 {
				// ?NNN names its number; leading zeros are dropped, as
				// SQLite reads them.
				v, err := strconv.Atoi(q[i+1 : j])
				if err != nil || v < 1 {
					// Not a placeholder SQLite takes either: leave it for
					// PostgreSQL to refuse.
					b = append(b, q[i:j]...)
					i = j
					continue
				}
				n = v
			}
			largest = max(largest, n)
			if k := len(b); k > 0 && isIdentPart(b[k-1]) {
				// SQLite reads `a?` as two tokens; "$1" glued to a word or
				// a `$` would read as one (or open a $$ quote).
				b = append(b, ' ')
			}
			b = append(b, '$')
			b = strconv.AppendInt(b, int64(n), 10)
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(q) && isIdentPart(q[j]) {
				j++
			}
			word := q[i:j]
			if strings.EqualFold(word, "like") {
				if c == 'l' {
					b = append(b, 'i')
				} else {
					b = append(b, 'I')
				}
			}
			b = append(b, word...)
			i = j
		case isDigit(c):
			// A number, with what may follow it (1e5, 0x1F): never a
			// keyword, so copied whole.
			j := i + 1
			for j < len(q) && isIdentPart(q[j]) {
				j++
			}
			b = append(b, q[i:j]...)
			i = j
		default:
			b = append(b, c)
			i++
		}
	}
	return string(b)
}

// escapeString tells whether a quote after the text before opens an E'…'
// string, in which a backslash escapes the next character.
func escapeString(before []byte) bool {
	n := len(before)
	return n > 0 && (before[n-1] == 'E' || before[n-1] == 'e') && (n == 1 || !isIdentPart(before[n-2]))
}

// quotedEnd answers the index just past the quoted text opening at i with
// quote. A doubled quote inside stands for itself; an unclosed quote runs
// to the end of the text.
func quotedEnd(q string, i int, quote byte, backslash bool) int {
	for j := i + 1; j < len(q); j++ {
		switch q[j] {
		case '\\':
			if backslash {
				j++
			}
		case quote:
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// blockCommentEnd answers the index just past the /* … */ comment opening
// at i. Comments nest, as PostgreSQL reads them.
func blockCommentEnd(q string, i int) int {
	depth := 0
	for j := i; j+1 < len(q); j++ {
		switch {
		case q[j] == '/' && q[j+1] == '*':
			depth++
			j++
		case q[j] == '*' && q[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(q)
}

// dollarQuotedEnd answers the index just past the $tag$…$tag$ body opening
// at i, after the text before, or just past the `$` when none opens there
// (a $1 placeholder, a `$` inside an identifier).
func dollarQuotedEnd(q string, i int, before []byte) int {
	if n := len(before); n > 0 && isIdentPart(before[n-1]) {
		return i + 1
	}
	j := i + 1
	if j < len(q) && isIdentStart(q[j]) {
		for j < len(q) && isIdentPart(q[j]) && q[j] != '$' {
			j++
		}
	}
	if j >= len(q) || q[j] != '$' {
		return i + 1
	}
	tag := q[i : j+1]
	end := strings.Index(q[j+1:], tag)
	if end < 0 {
		return len(q)
	}
	return j + 1 + end + len(tag)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isIdentStart: letters, underscore and any byte of a multi-byte UTF-8
// character begin an identifier or keyword.
func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// isIdentPart: what may follow inside an identifier ($ as PostgreSQL
// allows it).
func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }
