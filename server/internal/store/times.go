package store

import (
	"fmt"
	"time"
)

// timeLayout is fixed width so that text order is time order in SQL.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime renders t for storage (UTC, fixed width).
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// ParseTime reads a stored time, saying so when it is not one.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: bad stored time %q: %w", s, err)
	}
	return t, nil
}

// ReadTime reads a stored time written by FormatTime; the zero time for an
// empty or unreadable value (it never panics: the columns it reads are
// written only by FormatTime).
func ReadTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}
