package seating

import (
	"cmp"
	"slices"

	"huiwu/server/internal/domain"
)

// Assignment is one person on one seat.
type Assignment struct {
	PersonID int64
	SeatID   int64
	Pinned   bool
}

// Report is the validation of an arrangement, for the desk.
type Report struct {
	OK       bool `json:"ok"`
	Expected int  `json:"expected"` // people who should have a seat
	Seated   int  `json:"seated"`
	// DoubleBooked lists seats held by more than one person and people
	// holding more than one seat.
	DoubleBooked []Conflict `json:"double_booked"`
	// Unseated are people who should have a seat and have none.
	Unseated []PersonRef `json:"unseated"`
	// OverCapacity lists the kinds of seat with more people than seats.
	OverCapacity []Shortfall `json:"over_capacity"`
	Notes        []Note      `json:"notes"`
}

// Conflict is a double booking: one seat with several people, or one
// person on several seats.
type Conflict struct {
	Seat   string      `json:"seat,omitempty"`
	People []PersonRef `json:"people,omitempty"`
	Person *PersonRef  `json:"person,omitempty"`
	Seats  []string    `json:"seats,omitempty"`
}

// PersonRef names a person in a report.
type PersonRef struct {
	ID   int64  `json:"attendee_id"`
	Name string `json:"name"`
}

// Shortfall is a pool of seats too small for the people it must take.
type Shortfall struct {
	Pool string `json:"pool"` // presidium, floor, wheelchair
	Need int    `json:"need"`
	Have int    `json:"have"`
}

// Note is something the desk should know about one person or seat.
type Note struct {
	Code     string `json:"code"`
	PersonID int64  `json:"attendee_id,omitempty"`
	Seat     string `json:"seat,omitempty"`
	Zh       string `json:"zh"`
	En       string `json:"en"`
}

// Validate checks assignments against the hall and the people expected:
// double bookings, people without seats, pools over capacity and people on
// blocked seats. It works on any assignment list, including one read back
// from the store after hand edits.
func Validate(seats []Seat, people []Person, as []Assignment, r Rules) Report {
	seatByID := make(map[int64]Seat, len(seats))
	for _, s := range seats {
		seatByID[s.ID] = s
	}
	names := make(map[int64]string, len(people))
	for _, p := range people {
		names[p.ID] = p.Name
	}
	ref := func(id int64) PersonRef { return PersonRef{ID: id, Name: names[id]} }
	rep := Report{DoubleBooked: []Conflict{}, Unseated: []PersonRef{}, OverCapacity: []Shortfall{}, Notes: []Note{}}

	bySeat, byPerson := map[int64][]int64{}, map[int64][]int64{}
	for _, a := range as {
		bySeat[a.SeatID] = append(bySeat[a.SeatID], a.PersonID)
		byPerson[a.PersonID] = append(byPerson[a.PersonID], a.SeatID)
	}
	for _, sid := range slices.Sorted(keys(bySeat)) {
		s := seatByID[sid]
		if ps := bySeat[sid]; len(ps) > 1 {
			c := Conflict{Seat: s.Label}
			for _, p := range ps {
				c.People = append(c.People, ref(p))
			}
			rep.DoubleBooked = append(rep.DoubleBooked, c)
		}
		if s.Kind == domain.SeatBlocked {
			for _, p := range bySeat[sid] {
				rep.Notes = append(rep.Notes, Note{Code: "on_blocked_seat", PersonID: p, Seat: s.Label,
					Zh: "座位已停用，但仍有人员安排在此", En: "someone is assigned to a blocked seat"})
			}
		}
	}
	for _, pid := range slices.Sorted(keys(byPerson)) {
		if ss := byPerson[pid]; len(ss) > 1 {
			p := ref(pid)
			c := Conflict{Person: &p}
			for _, sid := range ss {
				c.Seats = append(c.Seats, seatByID[sid].Label)
			}
			slices.Sort(c.Seats)
			rep.DoubleBooked = append(rep.DoubleBooked, c)
		}
	}

	onStage := map[int64]bool{}
	for _, id := range r.PresidiumIDs {
		onStage[id] = true
	}
	var need [3]int // presidium, floor, wheelchair
	for _, p := range people {
		seatedCat := slices.Contains(r.Categories, p.Category)
		switch {
		case onStage[p.ID]:
			need[0]++
		case seatedCat && p.Wheelchair:
			need[2]++
		case seatedCat:
			need[1]++
		}
		if !onStage[p.ID] && !seatedCat && len(byPerson[p.ID]) == 0 {
			continue
		}
		rep.Expected++
		if len(byPerson[p.ID]) > 0 {
			rep.Seated++
		} else {
			rep.Unseated = append(rep.Unseated, ref(p.ID))
		}
	}
	var have [3]int
	for _, s := range seats {
		inSection := len(r.Sections) == 0 || slices.Contains(r.Sections, s.Section)
		switch {
		case s.Kind == domain.SeatPresidium:
			have[0]++
		case s.Kind == domain.SeatNormal && inSection:
			have[1]++
		case s.Kind == domain.SeatWheelchair && inSection:
			have[2]++
		}
	}
	// Wheelchair users beyond the wheelchair seats take floor seats.
	if extra := need[2] - have[2]; extra > 0 {
		need[1] += extra
	}
	for i, pool := range []string{"presidium", "floor", "wheelchair"} {
		if need[i] > have[i] {
			rep.OverCapacity = append(rep.OverCapacity, Shortfall{Pool: pool, Need: need[i], Have: have[i]})
		}
	}
	slices.SortFunc(rep.Unseated, func(a, b PersonRef) int { return cmp.Compare(a.ID, b.ID) })
	rep.OK = len(rep.DoubleBooked) == 0 && len(rep.Unseated) == 0 && len(rep.OverCapacity) == 0 && len(rep.Notes) == 0
	return rep
}
