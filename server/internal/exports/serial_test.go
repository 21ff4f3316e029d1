package exports

import (
	"strconv"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// excelSerial is t's wall clock as Excel's day number (1900 system).
func excelSerial(t time.Time) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return wall.Sub(base).Hours() / 24
}

// trimFloat is a day number to 6 decimals, enough to tell minutes apart.
func trimFloat(s any) string {
	var f float64
	switch v := s.(type) {
	case float64:
		f = v
	case string:
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil {
			return v
		}
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}
