package seating

import (
	"cmp"
	"slices"

	"huiwu/server/internal/domain"
)

// Input is everything one arrangement needs.
type Input struct {
	Seats  []Seat   // every seat of the hall
	People []Person // everyone expected at the session
	// Pins are seats fixed by hand at the desk, person ID → seat ID; they
	// survive re-arrangement.
	Pins  map[int64]int64
	Rules Rules
}

// Result is an arrangement: every seated person's seat and the report.
type Result struct {
	Seats  map[int64]int64 // person ID → seat ID, pins included
	Pinned map[int64]bool  // person IDs whose seat is a pin
	Report Report
}

// Arrange seats in.People in in.Seats under in.Rules. Pinned people keep
// their seats; the presidium sits by rank on the presidium seats; everyone
// else in a seated category fills the floor in the rules' order, wheelchair
// users first onto wheelchair seats. Reserved and blocked seats stay empty.
// Arrange never fails: what it could not do is in the report.
func Arrange(in Input) Result {
	byID := make(map[int64]Seat, len(in.Seats))
	for _, s := range in.Seats {
		byID[s.ID] = s
	}
	res := Result{Seats: map[int64]int64{}, Pinned: map[int64]bool{}}
	taken := map[int64]int64{} // seat → person
	var notes []Note

	pinned := slices.Sorted(keys(in.Pins))
	for _, pid := range pinned {
		sid := in.Pins[pid]
		s, ok := byID[sid]
		switch {
		case !ok:
			notes = append(notes, Note{Code: "pin_unknown_seat", PersonID: pid,
				Zh: "固定座位不在本会场，已重新安排", En: "pinned seat is not in this hall; arranged again"})
			continue
		case s.Kind == domain.SeatBlocked:
			notes = append(notes, Note{Code: "pin_blocked", PersonID: pid, Seat: s.Label,
				Zh: "固定座位已停用，已重新安排", En: "pinned seat is blocked; arranged again"})
			continue
		case taken[sid] != 0:
			notes = append(notes, Note{Code: "pin_conflict", PersonID: pid, Seat: s.Label,
				Zh: "固定座位已被他人固定，已重新安排", En: "pinned seat already pinned for someone else; arranged again"})
			continue
		}
		taken[sid] = pid
		res.Seats[pid] = sid
		res.Pinned[pid] = true
	}

	onStage := map[int64]bool{}
	for _, id := range in.Rules.PresidiumIDs {
		onStage[id] = true
	}
	seated := map[string]bool{}
	for _, c := range in.Rules.Categories {
		seated[c] = true
	}
	var stage, floor, wheel []Person
	for _, p := range in.People {
		switch {
		case res.Pinned[p.ID]:
		case onStage[p.ID]:
			stage = append(stage, p)
		case !seated[p.Category]:
		case p.Wheelchair:
			wheel = append(wheel, p)
		default:
			floor = append(floor, p)
		}
	}

	slices.SortFunc(stage, func(a, b Person) int {
		return cmp.Or(cmp.Compare(rankOrLast(a.Rank), rankOrLast(b.Rank)), cmp.Compare(a.ID, b.ID))
	})
	got, _ := arrangePresidium(free(in.Seats, taken, func(s Seat) bool { return s.Kind == domain.SeatPresidium }),
		stage, in.Rules.Presidium, in.Rules.Honour)
	for pid, sid := range got {
		res.Seats[pid], taken[sid] = sid, pid
	}

	inSection := func(s Seat) bool {
		return len(in.Rules.Sections) == 0 || slices.Contains(in.Rules.Sections, s.Section)
	}
	sortPeople(wheel, in.Rules)
	wheelSeats := FillOrder(free(in.Seats, taken, func(s Seat) bool { return s.Kind == domain.SeatWheelchair && inSection(s) }),
		in.Rules.Fill, in.Rules.Honour)
	for i, p := range wheel {
		if i >= len(wheelSeats) {
			// More wheelchair users than wheelchair seats: they join the
			// floor at the front of their group and the desk is told.
			notes = append(notes, Note{Code: "wheelchair_overflow", PersonID: p.ID,
				Zh: "轮椅席位不足，已安排普通座位", En: "no wheelchair seat left; given an ordinary seat"})
			floor = append(floor, p)
			continue
		}
		res.Seats[p.ID], taken[wheelSeats[i].ID] = wheelSeats[i].ID, p.ID
	}

	sortPeople(floor, in.Rules)
	floorSeats := FillOrder(free(in.Seats, taken, func(s Seat) bool { return s.Kind == domain.SeatNormal && inSection(s) }),
		in.Rules.Fill, in.Rules.Honour)
	for i, p := range floor {
		if i >= len(floorSeats) {
			break
		}
		res.Seats[p.ID], taken[floorSeats[i].ID] = floorSeats[i].ID, p.ID
	}

	res.Report = Validate(in.Seats, in.People, res.Assignments(), in.Rules)
	res.Report.Notes = append(notes, res.Report.Notes...)
	res.Report.OK = res.Report.OK && len(notes) == 0
	return res
}

// free lists the seats not in taken that keep says may be used.
func free(seats []Seat, taken map[int64]int64, keep func(Seat) bool) []Seat {
	var out []Seat
	for _, s := range seats {
		if taken[s.ID] == 0 && keep(s) {
			out = append(out, s)
		}
	}
	return out
}

func keys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Assignments lists the result person by person, in ID order.
func (r Result) Assignments() []Assignment {
	out := make([]Assignment, 0, len(r.Seats))
	for pid, sid := range r.Seats {
		out = append(out, Assignment{PersonID: pid, SeatID: sid, Pinned: r.Pinned[pid]})
	}
	slices.SortFunc(out, func(a, b Assignment) int { return cmp.Compare(a.PersonID, b.PersonID) })
	return out
}
