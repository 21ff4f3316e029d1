package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// The demo's travel (issue 12), so that a newcomer sees the logistics
// board alive: everyone from out of town arrives on day 1, at the host
// city's airport or its railway station, by car or with their delegation's
// coach; most before the opening meeting, the rest over the day (now is
// just after the opening meeting's doors open, so the board has arrivals
// behind it and ahead). They leave on day 2 after the closing meeting. A
// few bring companions, a few have not said when they come, a few have
// said nothing at all; of the departures by air and rail some tickets are
// for the secretariat to book (需代订), some are booked, with their
// numbers, and some people see to their own.
//
// Times are laid on the programme's clock as the sessions are
// (timeline.go): an arrival at nominal 07:10 is 85 minutes before the
// opening meeting, whatever the hour the demo is started. The free text a
// fifth of them have (assignTravel) tells the same journeys in nominal
// clock times.

// travelPlan is a journey told in assignTravel's free text: minutes after
// nominal midnight of day 1 (at) and day 2 (backAt), -1 for no time.
type travelPlan struct {
	mode, number string
	at           int
	back         string
	backAt       int
}

// demoStation is one of the host city's stations, from event.txt.
type demoStation struct {
	code, name, nameEn, kind string
	aliases                  []string
}

func demoStations(l *lists) []demoStation {
	st := func(code, key, kind string) demoStation {
		return demoStation{code: code, name: l.event[key], nameEn: l.event[key+"_en"], kind: kind,
			aliases: strings.Split(l.event[key+"_aliases"], ",")}
	}
	return []demoStation{st("yz-airport", "airport", "airport"), st("yz-south", "railway", "rail")}
}

// airlines are the carriers the demo's flights are on, with the numeric
// prefix of their e-tickets.
var airlines = []struct {
	code   string
	ticket int
}{{"CA", 999}, {"MU", 781}, {"CZ", 784}, {"HU", 880}, {"3U", 876}, {"ZH", 479}, {"MF", 731}, {"SC", 324}}

// assignTrips answers each traveller's arrival and departure.
func assignTrips(l *lists, ps []*person, t timeline) map[*person][2]*domain.Trip {
	r := stream(streamTrips)
	ss := demoStations(l)
	airport, railway := ss[0].name, ss[1].name
	// moment turns minutes after nominal midnight of a day into the trip's
	// date and time on the event's clock.
	moment := func(tr *domain.Trip, day, minutes int) {
		if minutes < 0 {
			tr.Date = t.date(day)
			return
		}
		at := t.at(nominal{day, minutes / 60, minutes % 60}, day).In(shanghai)
		tr.Date, tr.Time = at.Format("2006-01-02"), at.Format("15:04")
	}
	out := map[*person][2]*domain.Trip{}
	for _, p := range ps {
		// Every draw is made for everyone, so that one person's journey
		// does not move another's.
		none, how, early, arrive, untimed, comp := r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(12*60), r.IntN(100), r.IntN(100)
		leave, ticket, line, num, back, ticketNo := r.IntN(4*60), r.IntN(100), r.IntN(100), r.IntN(9000)+1000, r.IntN(9000)+1000, r.IntN(1_000_000_000)
		air := airlines[r.IntN(len(airlines))]
		if p.local {
			continue
		}
		plan := p.plan
		if plan == nil {
			if none < 4 {
				continue // has not said how they come
			}
			plan = &travelPlan{at: 6*60 + arrive%(3*60), backAt: 17*60 + 45 + leave}
			if early >= 60 { // the rest come over the day, until 21:00
				plan.at = 9*60 + arrive
			}
			if untimed < 5 {
				plan.at = -1
			}
			switch {
			case p.city < 0 && how < 50, p.city >= 0 && how >= 45 && how < 62:
				plan.mode = "flight"
				plan.number, plan.back = fmt.Sprint(air.code, num), fmt.Sprint(air.code, back)
			case p.city < 0 || how < 45:
				plan.mode = "train"
				plan.number, plan.back = trainNumber(line, num), trainNumber(line, back)
			case how < 77:
				plan.mode, plan.backAt = "car", -1
			default: // with the delegation's coach, early
				plan.mode, plan.backAt = "other", -1
				plan.at = 6*60 + 30 + arrive%90
			}
		}
		arr := &domain.Trip{Mode: plan.mode, Number: plan.number}
		dep := &domain.Trip{Mode: plan.mode, Number: plan.back}
		moment(arr, 1, plan.at)
		moment(dep, 2, plan.backAt)
		switch plan.mode {
		case "flight":
			arr.Station, arr.StationKind = airport, "airport"
		case "train":
			arr.Station, arr.StationKind = railway, "rail"
		}
		dep.Station, dep.StationKind = arr.Station, arr.StationKind
		if p.plan == nil && comp < 10 {
			arr.Companions = 1 + comp/8 // 8 in 100 bring one, 2 bring two
			dep.Companions = arr.Companions
		}
		if arr.Station != "" {
			switch {
			case ticket < 40:
				dep.Ticket = "needed"
			case ticket < 80:
				dep.Ticket = "booked"
				dep.TicketNo = fmt.Sprintf("E%09d", ticketNo)
				if plan.mode == "flight" {
					dep.TicketNo = fmt.Sprintf("%03d-%010d", air.ticket, ticketNo)
				}
			default:
				dep.Ticket = "self"
			}
		}
		out[p] = [2]*domain.Trip{arr, dep}
	}
	return out
}

// trainNumber is a high-speed train most often (G, D), now and then an
// ordinary one (K, Z).
func trainNumber(line, n int) string {
	switch {
	case line < 65:
		return fmt.Sprint("G", 1+n%2999)
	case line < 90:
		return fmt.Sprint("D", n)
	case line < 96:
		return fmt.Sprint("K", n)
	}
	return fmt.Sprint("Z", 1+n%299)
}

// loadStations names the host city's stations, with the spellings people
// write them in, before the attendee list brings trips to them.
func loadStations(ctx context.Context, db *store.DB) error {
	for i, s := range demoStations(words()) {
		if _, err := db.SaveStation(ctx, store.Station{Code: s.code, Name: s.name, NameEn: s.nameEn, Kind: s.kind, Sort: i + 1},
			s.aliases, "demo"); err != nil {
			return fmt.Errorf("demo: station %s: %w", s.code, err)
		}
	}
	return nil
}

// meetTheMorning makes the demo a day already under way: the arrivals at a
// station more than half an hour before now were met (已接) about a quarter
// of an hour after they landed, save one in seventeen, still waited for
// (延误), so the logistics board looks like a normal day and not like a
// morning nobody went to the airport.
func meetTheMorning(ctx context.Context, db *store.DB, now time.Time) error {
	legs, err := db.Legs(ctx, store.LegFilter{Direction: store.Arrival})
	if err != nil {
		return err
	}
	var marks []store.LegMark
	for i, l := range legs {
		if l.At == nil || l.StationID == 0 || !l.At.Before(now.Add(-30*time.Minute)) || i%17 == 0 {
			continue
		}
		marks = append(marks, store.LegMark{ID: l.ID, State: "picked_up", At: l.At.Add(15 * time.Minute)})
	}
	if err := db.MarkLegs(ctx, marks, "demo"); err != nil {
		return fmt.Errorf("demo: the morning's pickups: %w", err)
	}
	return nil
}
