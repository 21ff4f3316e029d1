package web

import (
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// TestDutyHoleAfterTheDaysLastShift: the main room is rostered round the
// clock in six-hour shifts and this evening's (19:00–01:00) is cancelled.
// Today's page must show 19:00–24:00 unmanned, although no shift of today
// is left after 19:00: the roster goes on at 01:00 tomorrow. (TestDutyPrinted
// failed so when run in the evening.)
func TestDutyHoleAfterTheDaysLastShift(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("CST", 8*3600)
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, loc)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	shifts := []store.DutyShift{
		{PlaceID: 1, StartsAt: at(-5), EndsAt: at(1)},
		{PlaceID: 1, StartsAt: at(1), EndsAt: at(7)},
		{PlaceID: 1, StartsAt: at(7), EndsAt: at(13)},
		{PlaceID: 1, StartsAt: at(13), EndsAt: at(19)},
		// 19:00–01:00 cancelled
		{PlaceID: 1, StartsAt: at(25), EndsAt: at(31)},
	}
	got := dutyHoles(shifts, 1, day, day.AddDate(0, 0, 1))
	if len(got) != 1 || !got[0][0].Equal(at(19)) || !got[0][1].Equal(at(24)) {
		t.Errorf("holes %v, want 19:00–24:00", got)
	}
	// Before the roster begins and after it ends nobody is expected.
	if got := dutyHoles(shifts[3:4], 1, day, day.AddDate(0, 0, 1)); len(got) != 0 {
		t.Errorf("a lone shift has holes %v around it", got)
	}
}
