package store

import (
	"context"
	"time"
)

// The readiness board's questions about travel (issue 12.8; see
// readiness_people.go): arrivals, vehicles, tickets.

// TravellerArrival is an active traveller — someone with a room or a live
// arrival — and what their arrival says.
type TravellerArrival struct {
	ReadyPerson
	HasLeg bool   // a live arrival is given
	Mode   string // "" when it does not say how
	OnDate string // "" when it does not say when
}

// TravellerArrivals answers for every traveller, by rank.
func (db *DB) TravellerArrivals(ctx context.Context) ([]TravellerArrival, error) {
	return readAll(ctx, db.r, "traveller arrivals", func(r interface{ Scan(...any) error }) (TravellerArrival, error) {
		var t TravellerArrival
		err := r.Scan(&t.ID, &t.Name, &t.Organization, &t.HasLeg, &t.Mode, &t.OnDate)
		return t, err
	}, `SELECT a.id, a.name, a.organization, l.id IS NOT NULL, coalesce(l.mode, ''), coalesce(l.on_date, '')
		FROM attendees a LEFT JOIN travel_legs l ON l.attendee_id = a.id AND l.direction = 'arrival' AND l.cancelled_at IS NULL
		WHERE a.status = 'active' AND (l.id IS NOT NULL OR EXISTS (SELECT 1 FROM lodging g WHERE g.attendee_id = a.id))
		ORDER BY a.rank, a.id`)
}

// StationArrival is an active attendee's live arrival by air or rail at a
// station, not yet met or missed, and whether any vehicle run meets it.
type StationArrival struct {
	ReadyPerson
	Station   string
	Number    string // flight or train
	OnDate    string
	At        time.Time // zero when only the date is known
	NoVehicle bool
}

// StationArrivals answers in arrival order, by rank within a moment.
func (db *DB) StationArrivals(ctx context.Context) ([]StationArrival, error) {
	return readAll(ctx, db.r, "station arrivals", func(r interface{ Scan(...any) error }) (StationArrival, error) {
		var a StationArrival
		var at string
		err := r.Scan(&a.ID, &a.Name, &a.Organization, &a.Station, &a.Number, &a.OnDate, &at, &a.NoVehicle)
		a.At = ReadTime(at) // zero for ''
		return a, err
	}, `SELECT a.id, a.name, a.organization, s.name, l.number, l.on_date, l.at,
		NOT EXISTS (SELECT 1 FROM run_passengers p JOIN vehicle_runs r ON r.id = p.run_id AND r.direction = 'arrival'
			WHERE p.leg_id = l.id)
		FROM travel_legs l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		JOIN stations s ON s.id = l.station_id
		WHERE l.direction = 'arrival' AND l.cancelled_at IS NULL AND l.mode IN ('flight', 'train')
			AND l.state IN ('expected', 'changed')
		ORDER BY l.on_date, l.at = '', l.at, a.rank, a.id`)
}

// RunLoad is a vehicle run against its vehicle's seats.
type RunLoad struct {
	RunID       int64
	Code, Plate string // the vehicle's
	At          time.Time
	Seats       int
	People      int // passengers with their companions (随行人员)
}

// RunLoads answers for every run, in time order.
func (db *DB) RunLoads(ctx context.Context) ([]RunLoad, error) {
	return readAll(ctx, db.r, "run loads", func(r interface{ Scan(...any) error }) (RunLoad, error) {
		var l RunLoad
		var at string
		err := r.Scan(&l.RunID, &l.Code, &l.Plate, &at, &l.Seats, &l.People)
		l.At = ReadTime(at)
		return l, err
	}, `SELECT r.id, v.code, v.plate, r.at, v.seats,
		coalesce((SELECT sum(1 + l.companions) FROM run_passengers p JOIN travel_legs l ON l.id = p.leg_id
			WHERE p.run_id = r.id AND l.cancelled_at IS NULL), 0)
		FROM vehicle_runs r JOIN vehicles v ON v.id = r.vehicle_id
		ORDER BY r.at, v.sort, v.id`)
}

// BookedTicket is an active attendee's live departure whose ticket the
// secretariat books (需代订).
type BookedTicket struct {
	ReadyPerson
	Ticket   string // needed or booked
	TicketNo string
	Number   string // flight or train
	OnDate   string
	At       time.Time // zero when only the date is known
}

// BookedTickets answers in departure order, by rank within a moment.
func (db *DB) BookedTickets(ctx context.Context) ([]BookedTicket, error) {
	return readAll(ctx, db.r, "booked tickets", func(r interface{ Scan(...any) error }) (BookedTicket, error) {
		var t BookedTicket
		var at string
		err := r.Scan(&t.ID, &t.Name, &t.Organization, &t.Ticket, &t.TicketNo, &t.Number, &t.OnDate, &at)
		t.At = ReadTime(at) // zero for ''
		return t, err
	}, `SELECT a.id, a.name, a.organization, l.ticket, l.ticket_no, l.number, l.on_date, l.at
		FROM travel_legs l JOIN attendees a ON a.id = l.attendee_id AND a.status = 'active'
		WHERE l.direction = 'departure' AND l.cancelled_at IS NULL AND l.ticket IN ('needed', 'booked')
		ORDER BY l.on_date, l.at = '', l.at, a.rank, a.id`)
}
