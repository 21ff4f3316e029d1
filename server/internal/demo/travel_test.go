package demo

import (
	"testing"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/logistics"
)

// TestTravel (issue 12): the demo's travellers arrive on day 1 at the
// host city's airport and railway station, over the day, and leave on
// day 2; some bring companions, some have no time yet, a few have no
// travel at all; some departures need tickets and some are booked. Each
// trip is what the parser reads back, and the free text a fifth of them
// carry tells the same journey.
func TestTravel(t *testing.T) {
	ev := Generate(fixedNow)
	l := words()
	ss := demoStations(l)
	if len(ss) != 2 || ss[0].kind != "airport" || ss[1].kind != "rail" {
		t.Fatalf("stations %+v", ss)
	}
	for _, s := range ss {
		if s.name == "" || s.nameEn == "" || len(s.aliases) < 2 {
			t.Errorf("station %+v: a name in Chinese and English and aliases", s)
		}
	}
	day1, day2 := ev.Event.StartsOn, ev.Meals[len(ev.Meals)-1].Date
	opening := ev.Sessions[0].StartsAt
	var travellers, none, untimed, companions, needed, booked, self, before, after int
	at := map[string]int{}
	for _, a := range ev.Attendees {
		if a.Lodging == nil { // the host city's people sleep at home and come from there
			if a.ArrivalTrip != nil {
				t.Errorf("%s lives here, yet travels: %+v", a.Name, a.ArrivalTrip)
			}
			continue
		}
		travellers++
		arr, dep := a.ArrivalTrip, a.DepartureTrip
		if arr == nil {
			none++
			if a.Arrival != "" {
				t.Errorf("%s: free text %q but no trip", a.Name, a.Arrival)
			}
			continue
		}
		if arr.Date != day1 && arr.Date != day2 || dep == nil || dep.Date == "" {
			t.Errorf("%s: arrival %+v, departure %+v", a.Name, arr, dep)
			continue
		}
		at[arr.Station]++
		if arr.Time == "" {
			untimed++
		} else if when, err := time.ParseInLocation("2006-01-02 15:04", arr.Date+" "+arr.Time, shanghai); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		} else if when.Before(opening) {
			before++
		} else {
			after++
		}
		if arr.Companions > 0 {
			companions++
		}
		switch dep.Ticket {
		case "needed":
			needed++
		case "booked":
			booked++
			if dep.TicketNo == "" {
				t.Errorf("%s: booked without a ticket number", a.Name)
			}
		case "self":
			self++
		}
		for _, tr := range []*domain.Trip{arr, dep} {
			back, ps := logistics.ParseTrip(logistics.FormatTrip(*tr), logistics.ParseOptions{Year: 2026, Departure: tr == dep})
			if back != *tr || len(ps) > 0 {
				t.Errorf("%s: %+v reads back as %+v %v", a.Name, *tr, back, ps)
			}
		}
		if a.Arrival != "" && arr.Number != "" {
			if said, _ := logistics.ParseTrip(a.Arrival, logistics.ParseOptions{Year: 2026}); said.Number != arr.Number {
				t.Errorf("%s: %q, yet the trip is %s", a.Name, a.Arrival, arr.Number)
			}
		}
	}
	t.Logf("%d travellers: %d without travel, %d without a time, %d before the opening and %d after, %d with companions; stations %v; tickets %d needed, %d booked, %d self",
		travellers, none, untimed, before, after, companions, at, needed, booked, self)
	if travellers < 300 || none < 3 || none > travellers/10 || untimed < 3 || companions < 10 ||
		before < 100 || after < 50 || at[ss[0].name] < 30 || at[ss[1].name] < 100 || needed < 20 || booked < 20 || self < 10 {
		t.Error("the demo's travel is not the mix it should be")
	}
}
