package logistics

import (
	"regexp"
	"slices"
	"testing"
	"time"
)

var (
	reISODate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	reHM      = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// FuzzParseTrip: whatever the text, ParseTrip answers a trip the store
// takes (a real date, a real time, companions in range, known words) or
// says why not; and a trip read without error, written out by FormatTrip,
// reads back the same.
func FuzzParseTrip(f *testing.F) {
	for _, s := range []string{
		"3月4日 CA1234 14:05 首都机场", "G123 北京南站 3/4 9:30", "自驾", "随行1人", "下午2点05 3U8888",
		"2026-03-04 D2345 江阳站", "K1234 三月四日 晚上8点半", "14点 Z12", "T8次", "会后自驾返回", "需代订 G124",
		"已订 票号 781-2345678901", "9.30", "2点", "CA1234 转 MU5678", "待定", "2月30日", "25:00", "机场T3",
		"Arriving 3/4 14:05 CA1234 Yunjiang Airport", "PEK", "随行两人", "１４：０５", "12月31日 23:59",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, departure bool) {
		o := ParseOptions{Year: 2026, Departure: departure}
		tr, ps := ParseTrip(text, o)
		for _, p := range ps {
			if p.Code == "" || p.Message == "" || p.MessageEn == "" {
				t.Fatalf("%q: a problem without code or words: %+v", text, p)
			}
		}
		if tr.Date != "" {
			if _, err := time.Parse(time.DateOnly, tr.Date); err != nil || !reISODate.MatchString(tr.Date) {
				t.Fatalf("%q: date %q", text, tr.Date)
			}
		}
		if tr.Time != "" && !reHM.MatchString(tr.Time) {
			t.Fatalf("%q: time %q", text, tr.Time)
		}
		if tr.Companions < 0 || tr.Companions > MaxCompanions {
			t.Fatalf("%q: companions %d", text, tr.Companions)
		}
		if !slices.Contains([]string{"", ModeFlight, ModeTrain, ModeCar, ModeOther}, tr.Mode) ||
			!slices.Contains([]string{"", TicketNeeded, TicketBooked, TicketSelf}, tr.Ticket) ||
			(tr.Station == "") != (tr.StationKind == "") {
			t.Fatalf("%q: %+v", text, tr)
		}
		if HasError(ps) {
			return
		}
		tr.Notes = ""
		s := FormatTrip(tr)
		back, ps := ParseTrip(s, o)
		if back != tr || HasError(ps) {
			t.Fatalf("%q read as %+v, written %q, read back as %+v %v", text, tr, s, back, codes(ps))
		}
	})
}
