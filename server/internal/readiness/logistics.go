package readiness

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"huiwu/server/internal/domain"
)

// The logistics lines of the board (issue 12.8): who comes from out of
// town and has not said how, who will stand at a station with no vehicle
// to meet them, a vehicle given more people than seats, a room given more
// people than beds on some night, a ticket the secretariat is to book and
// has not.

// A traveller is someone the hotel expects (a room) or who has given an
// arrival: their arrival must say how and when.
func (k *checker) arrivalsKnown(ctx context.Context) (Check, error) {
	c := Check{ID: "arrivals_known", Title: "抵达信息已登记", TitleEn: "Every traveller's arrival is known"}
	travellers, err := k.db.TravellerArrivals(ctx)
	if err != nil {
		return c, err
	}
	for _, t := range travellers {
		c.Checked++
		it := Item{Subject: strconv.FormatInt(t.ID, 10), Name: person(t.Name, t.Organization)}
		switch {
		case !t.HasLeg:
			it.Detail, it.DetailEn = "住会但没有抵达信息", "has a room but no arrival"
		case t.Mode == "" && t.OnDate == "":
			it.Detail, it.DetailEn = "抵达信息缺交通方式和日期", "the arrival says neither how nor when"
		case t.Mode == "":
			it.Detail, it.DetailEn = "抵达信息缺交通方式", "the arrival does not say how"
		case t.OnDate == "":
			it.Detail, it.DetailEn = "抵达信息缺日期", "the arrival does not say when"
		default:
			continue
		}
		c.fail(it)
	}
	return c, nil
}

// arrivalsMet: an arrival by air or rail at a station, not yet met or
// missed, rides a vehicle.
func (k *checker) arrivalsMet(ctx context.Context) (Check, error) {
	c := Check{ID: "arrivals_vehicle", Title: "接站已派车", TitleEn: "Every arrival at a station has a vehicle"}
	arrivals, err := k.db.StationArrivals(ctx)
	if err != nil {
		return c, err
	}
	for _, a := range arrivals {
		c.Checked++
		if a.NoVehicle {
			when := k.when(a.OnDate, a.At)
			c.fail(Item{Subject: strconv.FormatInt(a.ID, 10), Name: person(a.Name, a.Organization),
				Detail:   fmt.Sprintf("%s %s %s 抵达，没有安排接站车辆", when, a.Number, a.Station),
				DetailEn: fmt.Sprintf("arrives %s %s at %s; no vehicle to meet them", when, a.Number, a.Station)})
		}
	}
	return c, nil
}

// when words a leg's date and time (zero when only the date is known) on
// the event's clock.
func (k *checker) when(date string, at time.Time) string {
	if at.IsZero() {
		return date
	}
	return at.In(k.cat.Location).Format("01-02 15:04")
}

// vehiclesCapacity: no run carries more people, companions counted, than
// its vehicle seats.
func (k *checker) vehiclesCapacity(ctx context.Context) (Check, error) {
	c := Check{ID: "vehicle_capacity", Title: "车辆未超载", TitleEn: "No vehicle carries more than its seats"}
	loads, err := k.db.RunLoads(ctx)
	if err != nil {
		return c, err
	}
	for _, r := range loads {
		c.Checked++
		if r.People > r.Seats {
			name := r.Code
			if r.Plate != "" {
				name += "（" + r.Plate + "）"
			}
			when := r.At.In(k.cat.Location).Format("01-02 15:04")
			c.fail(Item{Subject: strconv.FormatInt(r.RunID, 10), Name: name + " " + when,
				Detail:   fmt.Sprintf("%d 人（含随行人员），只有 %d 个座位", r.People, r.Seats),
				DetailEn: fmt.Sprintf("%d people, companions counted, for %d seats", r.People, r.Seats)})
		}
	}
	return c, nil
}

// roomsDoubleBooked: on no night does a room hold more people than beds,
// companions (随行人员) counted, as the hotel board counts them: the
// board's figures are the store's (a stay without dates lasts the whole
// meeting; one checked out (退房) ends that day; a move leaves the nights
// before it in the old room). A room the hotel does not have is the rooms
// check's.
func (k *checker) roomsDoubleBooked(ctx context.Context) (Check, error) {
	c := Check{ID: "rooms_double_booked", Title: "客房无重复安排", TitleEn: "No room holds more people than beds on any night"}
	var hotels []string
	for code, v := range k.cat.Venues {
		if v.Kind == domain.VenueHotel {
			hotels = append(hotels, code)
		}
	}
	slices.Sort(hotels)
	for _, hotel := range hotels {
		b, err := k.db.RoomBoard(ctx, k.cat, hotel, "", "")
		if err != nil {
			return c, err
		}
		for _, r := range b.Rooms {
			if !r.Listed {
				continue
			}
			c.Checked++
			for n, rn := range r.Nights {
				if rn.Heads <= r.Beds {
					continue
				}
				names := make([]string, len(rn.Guests))
				for i, g := range rn.Guests {
					names[i] = g.Name
					if g.Companions > 0 {
						names[i] += fmt.Sprintf("（随行 %d）", g.Companions)
					}
				}
				c.fail(Item{Subject: r.Room, Name: strings.Join(names, "、"),
					Detail:   fmt.Sprintf("%s %s 房 %s 晚：%d 人（含随行），只有 %d 张床", b.Name, r.Room, b.Nights[n], rn.Heads, r.Beds),
					DetailEn: fmt.Sprintf("%s room %s, night of %s: %d people with companions, %d beds", b.Name, r.Room, b.Nights[n], rn.Heads, r.Beds)})
				break // the first crowded night says enough
			}
		}
	}
	return c, nil
}

// departureTickets: every ticket the secretariat books (需代订) is booked,
// and a booked one has its number.
func (k *checker) departureTickets(ctx context.Context) (Check, error) {
	c := Check{ID: "departure_tickets", Title: "返程票已订", TitleEn: "Every ticket the secretariat books is booked"}
	tickets, err := k.db.BookedTickets(ctx)
	if err != nil {
		return c, err
	}
	for _, t := range tickets {
		c.Checked++
		when := k.when(t.OnDate, t.At)
		it := Item{Subject: strconv.FormatInt(t.ID, 10), Name: person(t.Name, t.Organization)}
		switch {
		case t.Ticket == "needed":
			it.Detail = fmt.Sprintf("%s %s 返程需代订，尚未订票", when, t.Number)
			it.DetailEn = fmt.Sprintf("leaves %s %s; the ticket is to be booked and is not", when, t.Number)
		case t.TicketNo == "":
			it.Detail = fmt.Sprintf("%s %s 返程已订，但没有票号", when, t.Number)
			it.DetailEn = fmt.Sprintf("leaves %s %s; booked, without a ticket number", when, t.Number)
		default:
			continue
		}
		c.fail(it)
	}
	return c, nil
}
