package web

import (
	"strings"
	"time"
	"unicode"
)

// docName is the name a printed file saves under: the meeting, what it is
// of (a session, a meal, a hall, a delegation), what it is, and when it
// was made on the event's clock — 云江省…会议-开幕大会-座次图-观众视角-20261202-1430.pdf
// — so that a desk's downloads read like its filing cabinet, and the
// opening meeting's chart does not overwrite the closing one's.
func (s *Server) docName(ext string, parts ...string) string {
	cat := s.catalog()
	words := []string{cat.Event.Name}
	for _, p := range parts {
		if p = cleanName(p); p != "" {
			words = append(words, p)
		}
	}
	words = append(words, time.Now().In(cat.Location).Format("20060102-1504"))
	return strings.Join(words, "-") + "." + ext
}

// cleanName keeps a part of a file name to what every file system takes:
// no path separators, quotes, wildcards or control characters, at most 60
// characters.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if n == 60 {
			break
		}
		switch {
		case unicode.IsControl(r), strings.ContainsRune(`/\:*?"<>|`, r):
			r = '_'
		case unicode.IsSpace(r):
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
