package store

import "strings"

// A small lexer for the migrations' SQLite text: enough to split it into
// statements and to translate words without touching string literals,
// quoted names or comments.

// Kinds of sqlToken.
const (
	tokSpace  = iota // white space, and comments (dropped to one space)
	tokWord          // a name, keyword or number
	tokString        // a '…' literal, quotes included
	tokQuoted        // a "…" name, quotes included
	tokPunct         // one other character
)

// sqlToken is one lexical piece of SQL text.
type sqlToken struct {
	kind int
	text string
}

// sqlLex cuts text into tokens. Comments become a single space, so that the
// PostgreSQL text carries none (nothing in it then depends on how a later
// step reads comments).
func sqlLex(text string) []sqlToken {
	var toks []sqlToken
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			j := i
			for j < len(text) && strings.IndexByte(" \t\n\r", text[j]) >= 0 {
				j++
			}
			toks = append(toks, sqlToken{tokSpace, text[i:j]})
			i = j
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				j = len(text) - i
			}
			toks = append(toks, sqlToken{tokSpace, " "})
			i += j
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				i = len(text)
			} else {
				i += j + 4
			}
			toks = append(toks, sqlToken{tokSpace, " "})
		case c == '\'' || c == '"':
			j := lexQuotedEnd(text, i)
			kind := tokString
			if c == '"' {
				kind = tokQuoted
			}
			toks = append(toks, sqlToken{kind, text[i:j]})
			i = j
		case lexWordByte(c):
			j := i
			for j < len(text) && lexWordByte(text[j]) {
				j++
			}
			toks = append(toks, sqlToken{tokWord, text[i:j]})
			i = j
		default:
			toks = append(toks, sqlToken{tokPunct, text[i : i+1]})
			i++
		}
	}
	return toks
}

// lexQuotedEnd answers the index just past the quoted piece starting at i,
// a doubled quote standing for itself.
func lexQuotedEnd(text string, i int) int {
	q := text[i]
	for j := i + 1; j < len(text); j++ {
		if text[j] == q {
			if j+1 < len(text) && text[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(text)
}

// lexWordByte reports whether c belongs to a name or number; bytes of
// multi-byte UTF-8 characters count, as SQLite takes them in names.
func lexWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 ||
		('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// sqlStatements splits SQLite text into its statements, without their
// closing semicolons and with comments as spaces. A CREATE TRIGGER runs to
// the semicolon after the END that closes its BEGIN (a CASE's END inside
// the body does not close it).
func sqlStatements(text string) [][]sqlToken {
	var stmts [][]sqlToken
	var cur []sqlToken
	depth := 0 // BEGIN and CASE open, END closes, in a trigger
	for _, t := range sqlLex(text) {
		if t.kind == tokPunct && t.text == ";" && depth == 0 {
			if lastSignificant(cur) >= 0 {
				stmts = append(stmts, cur)
			}
			cur = nil
			continue
		}
		if t.kind == tokWord && isCreateTrigger(cur) {
			switch strings.ToUpper(t.text) {
			case "BEGIN", "CASE":
				depth++
			case "END":
				depth--
			}
		}
		cur = append(cur, t)
	}
	if lastSignificant(cur) >= 0 {
		stmts = append(stmts, cur)
	}
	return stmts
}

// isCreateTrigger reports whether the statement begun in toks creates a trigger.
func isCreateTrigger(toks []sqlToken) bool {
	return stmtStartsWith(toks, "CREATE TRIGGER") ||
		stmtStartsWith(toks, "CREATE TEMP TRIGGER") ||
		stmtStartsWith(toks, "CREATE TEMPORARY TRIGGER")
}
