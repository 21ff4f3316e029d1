package readiness

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
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
	err := k.each(ctx, `SELECT a.id, a.name, a.organization, l.id IS NOT NULL, coalesce(l.mode, ''), coalesce(l.on_date, '')
		FROM attendees a LEFT JOIN travel_legs l ON l.attendee_id = a.id AND l.direction = 'arrival' AND l.cancelled_at IS NULL
		WHERE a.status = 'active' AND (l.id IS NOT NULL OR EXISTS (SELECT 1 FROM lodging g WHERE g.attendee_id = a.id))
		ORDER BY a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org, mode, date string
		var leg bool
		if err := scan(&id, &name, &org, &leg, &mode, &date); err != nil {
			return err
		}
		c.Checked++
		it := Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org)}
		switch {
		case !leg:
			it.Detail, it.DetailEn = "住会但没有抵达信息", "has a room but no arrival"
		case mode == "" && date == "":
			it.Detail, it.DetailEn = "抵达信息缺交通方式和日期", "the arrival says neither how nor when"
		case mode == "":
			it.Detail, it.DetailEn = "抵达信息缺交通方式", "the arrival does not say how"
		case date == "":
			it.Detail, it.DetailEn = "抵达信息缺日期", "the arrival does not say when"
		default:
			return nil
		}
		c.fail(it)
		return nil
	})
	return c, err
}

// arrivalsMet: an arrival by air or rail at a station, not yet met or
// missed, rides a vehicle.
func (k *checker) arrivalsMet(ctx context.Context) (Check, error) {
	c := Check{ID: "arrivals_vehicle", Title: "接站已派车", TitleEn: "Every arrival at a station has a vehicle"}
	err := k.each(ctx, `SELECT a.id, a.name, a.organization, s.name, l.number, l.on_date, l.at,
		NOT EXISTS (SELECT 1 FROM run_passengers p JOIN vehicle_runs r ON r.id = p.run_id AND r.direction = 'arrival'
			WHERE p.leg_id = l.id)
		FROM travel_legs l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		JOIN stations s ON s.id = l.station_id
		WHERE l.direction = 'arrival' AND l.cancelled_at IS NULL AND l.mode IN ('flight', 'train')
			AND l.state IN ('expected', 'changed')
		ORDER BY l.on_date, l.at = '', l.at, a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org, station, number, date, at string
		var none bool
		if err := scan(&id, &name, &org, &station, &number, &date, &at, &none); err != nil {
			return err
		}
		c.Checked++
		if none {
			when := k.when(date, at)
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
				Detail:   fmt.Sprintf("%s %s %s 抵达，没有安排接站车辆", when, number, station),
				DetailEn: fmt.Sprintf("arrives %s %s at %s; no vehicle to meet them", when, number, station)})
		}
		return nil
	})
	return c, err
}

// when words a leg's date and time on the event's clock.
func (k *checker) when(date, at string) string {
	if at == "" {
		return date
	}
	return store.ReadTime(at).In(k.cat.Location).Format("01-02 15:04")
}

// vehiclesCapacity: no run carries more people, companions counted, than
// its vehicle seats.
func (k *checker) vehiclesCapacity(ctx context.Context) (Check, error) {
	c := Check{ID: "vehicle_capacity", Title: "车辆未超载", TitleEn: "No vehicle carries more than its seats"}
	err := k.each(ctx, `SELECT r.id, v.code, v.plate, r.at, v.seats,
		coalesce((SELECT sum(1 + l.companions) FROM run_passengers p JOIN travel_legs l ON l.id = p.leg_id
			WHERE p.run_id = r.id AND l.cancelled_at IS NULL), 0)
		FROM vehicle_runs r JOIN vehicles v ON v.id = r.vehicle_id
		ORDER BY r.at, v.sort, v.id`, nil, func(scan func(...any) error) error {
		var id int64
		var code, plate, at string
		var seats, people int
		if err := scan(&id, &code, &plate, &at, &seats, &people); err != nil {
			return err
		}
		c.Checked++
		if people > seats {
			name := code
			if plate != "" {
				name += "（" + plate + "）"
			}
			when := store.ReadTime(at).In(k.cat.Location).Format("01-02 15:04")
			c.fail(Item{Subject: strconv.FormatInt(id, 10), Name: name + " " + when,
				Detail:   fmt.Sprintf("%d 人（含随行人员），只有 %d 个座位", people, seats),
				DetailEn: fmt.Sprintf("%d people, companions counted, for %d seats", people, seats)})
		}
		return nil
	})
	return c, err
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
	err := k.each(ctx, `SELECT a.id, a.name, a.organization, l.ticket, l.ticket_no, l.number, l.on_date, l.at
		FROM travel_legs l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		WHERE l.direction = 'departure' AND l.cancelled_at IS NULL AND l.ticket IN ('needed', 'booked')
		ORDER BY l.on_date, l.at = '', l.at, a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org, ticket, no, number, date, at string
		if err := scan(&id, &name, &org, &ticket, &no, &number, &date, &at); err != nil {
			return err
		}
		c.Checked++
		when := k.when(date, at)
		it := Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org)}
		switch {
		case ticket == "needed":
			it.Detail = fmt.Sprintf("%s %s 返程需代订，尚未订票", when, number)
			it.DetailEn = fmt.Sprintf("leaves %s %s; the ticket is to be booked and is not", when, number)
		case no == "":
			it.Detail = fmt.Sprintf("%s %s 返程已订，但没有票号", when, number)
			it.DetailEn = fmt.Sprintf("leaves %s %s; booked, without a ticket number", when, number)
		default:
			return nil
		}
		c.fail(it)
		return nil
	})
	return c, err
}
