// Package demo generates the demo event that a fresh Huiwu server loads: a
// provincial people's congress of about 600 people over two days, with a
// great hall, two discussion rooms, two dining halls and a hotel.
//
// The generator is deterministic: the same now gives a byte-identical
// event. The people come from word lists embedded from data/demo (surnames
// by frequency, given-name characters, role templates, the special names that
// exercise fonts and sorting) and a fixed random seed; only the dates, times
// and birth years move with now, and the whole programme is laid around now
// so that a badge can be scanned at once (see timeline.go).
package demo

import (
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// Categories of the demo event, in badge order. Only deputies vote.
var categories = []domain.Category{
	{Code: domain.CategoryDeputy, Name: "代表", NameEn: "Deputy", Color: "#C8102E", Voting: true, Sort: 1},
	{Code: domain.CategoryObserver, Name: "列席", NameEn: "Observer", Color: "#1F5FAF", Sort: 2},
	{Code: domain.CategoryGuest, Name: "嘉宾", NameEn: "Guest", Color: "#C98A00", Sort: 3},
	{Code: domain.CategoryStaff, Name: "工作人员", NameEn: "Staff", Color: "#2E7D32", Sort: 4},
	{Code: domain.CategoryPress, Name: "记者", NameEn: "Press", Color: "#6A1B9A", Sort: 5},
}

// keyPrefix starts each attendee's key: D0001 is the first deputy on the list.
var keyPrefix = map[string]string{
	domain.CategoryDeputy:   "D",
	domain.CategoryObserver: "O",
	domain.CategoryGuest:    "G",
	domain.CategoryStaff:    "S",
	domain.CategoryPress:    "P",
}

// groupNames are the discussion groups; group n meets in room n.
var groupNames = []string{"", "第一组", "第二组"}

// Generate returns the demo event laid out around now. It panics only if the
// embedded lists are inconsistent, which the package tests rule out.
func Generate(now time.Time) domain.EventData {
	l := words()
	t := newTimeline(now)
	ps := buildPeople(l)
	nameAll(l, ps)
	assignNeeds(l, ps)
	assignIDs(l, ps, t.day1.Year())
	assignPhones(ps)
	assignTravel(l, ps, t.day1, t.day2)

	ev := domain.EventData{
		Event: domain.Event{
			ID: "demo-" + t.day1.Format("20060102"), Name: l.event["name"], NameEn: l.event["name_en"],
			Timezone: "Asia/Shanghai", StartsOn: t.date(1),
			// 刷脸 is on for the event, and one door shows it (see checkpoints).
			FaceVerification: true,
		},
		Categories:  append([]domain.Category(nil), categories...),
		Venues:      buildVenues(),
		Sessions:    t.sessions(),
		Meals:       t.meals(),
		Checkpoints: checkpoints(),
	}
	for _, d := range l.delegations {
		ev.Delegations = append(ev.Delegations, domain.Delegation{Name: d.name, Sort: d.sort})
	}
	for g := 1; g < len(groupNames); g++ {
		ev.Groups = append(ev.Groups, domain.Group{Name: groupNames[g], Venue: fmt.Sprintf("room%d", g)})
	}

	seats, err := assignSeats(ps, venue(ev.Venues, "hall"), ev.Sessions)
	must(err)
	tickets, err := assignMeals(ps, ev.Meals)
	must(err)
	trips := assignTrips(l, ps, t)
	rooms, err := assignLodging(ps, venue(ev.Venues, "hotel"), t, trips)
	must(err)

	keys := map[*person]string{}
	count := map[string]int{}
	for i, p := range ps {
		count[p.cat]++
		keys[p] = fmt.Sprintf("%s%04d", keyPrefix[p.cat], count[p.cat])
		a := domain.Attendee{
			Key: keys[p], Name: p.name, Gender: p.gender, Ethnicity: p.ethnicity,
			Organization: p.org, Title: p.title, Rank: i + 1, Category: p.cat,
			Group: groupNames[p.group], Phone: p.phone, IDNumber: p.idNumber,
			Diet: p.diet, Access: p.access, Notes: p.notes, Arrival: p.arrival, Departure: p.departure,
			Sessions: expected(p, ev.Sessions), Seats: seats[p], Meals: tickets[p], Lodging: rooms[p],
			ArrivalTrip: trips[p][0], DepartureTrip: trips[p][1],
		}
		if p.deleg >= 0 {
			a.Delegation = l.delegations[p.deleg].name
		}
		ev.Attendees = append(ev.Attendees, a)
	}
	ev.Leaves = leaves(ps, keys)
	return ev
}

// expected lists the sessions a person is on the 应到 list of: every
// plenary for all but the press, and the person's own group discussion.
func expected(p *person, sessions []domain.Session) []string {
	var out []string
	for _, s := range sessions {
		switch {
		case p.cat == domain.CategoryPress:
		case s.Kind == domain.SessionPlenary, s.Group != "" && s.Group == groupNames[p.group]:
			out = append(out, s.ID)
		}
	}
	return out
}

func venue(vs []domain.Venue, code string) domain.Venue {
	for _, v := range vs {
		if v.Code == code {
			return v
		}
	}
	panic("demo: no venue " + code)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
