package store

import (
	"context"
	"fmt"
	"time"
)

// What the pickup phones and the logistics board read (issue 12.3, 12.4):
// legs with the person they belong to and the vehicle booked for them,
// the vehicles out on the road, and who is in the hotels. Read only; the
// writes are travel.go's (and the vehicles' and stays' own files).

// Traveller is what a pickup list shows of a leg's attendee: enough to
// find them in a list and greet them at the gate. No phone and no ID
// number: the pickup phone and the board need neither.
type Traveller struct {
	Name         string `json:"name"`
	Pinyin       string `json:"pinyin"`
	Initials     string `json:"initials"`
	Organization string `json:"organization,omitempty"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Color        string `json:"color,omitempty"`
	Delegation   string `json:"delegation,omitempty"`
}

// Ride is the vehicle run a leg is booked on, if any.
type Ride struct {
	RunID    int64  `json:"run_id,omitempty"`
	Vehicle  string `json:"vehicle,omitempty"` // the vehicle's code
	Plate    string `json:"plate,omitempty"`
	RunState string `json:"run_state,omitempty"` // planned, out, done
}

// TravelRow is a leg with its traveller and ride.
type TravelRow struct {
	Leg
	Traveller
	Ride
}

// withExtra scans a leg's columns and then extra ones from the same row.
type withExtra struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra...)...) }

// TravelRows lists the legs f picks of active attendees, in time order
// (legs without a time last in their day), with who and which vehicle.
func (db *DB) TravelRows(ctx context.Context, f LegFilter) ([]TravelRow, error) {
	where, args := f.where()
	return db.travelRows(ctx, where, args)
}

// TravelRow reads one leg (live or cancelled) with its traveller and ride.
func (db *DB) TravelRow(ctx context.Context, id int64) (TravelRow, error) {
	rows, err := db.travelRows(ctx, `id = ?`, []any{id})
	if err != nil {
		return TravelRow{}, err
	}
	if len(rows) == 0 {
		return TravelRow{}, ErrNotFound
	}
	return rows[0], nil
}

func (db *DB) travelRows(ctx context.Context, where string, args []any) ([]TravelRow, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT l.*, a.name, a.pinyin, a.initials, a.organization, a.category,
			coalesce(c.name, a.category), coalesce(c.color, ''), coalesce(d.name, ''),
			coalesce(r.id, 0), coalesce(v.code, ''), coalesce(v.plate, ''), coalesce(r.state, '')
		FROM (SELECT `+legColumns+` FROM travel_legs WHERE `+where+`) l
		JOIN attendees a ON a.id = l.attendee_id
		LEFT JOIN categories c ON c.code = a.category
		LEFT JOIN delegations d ON d.id = a.delegation_id
		LEFT JOIN run_passengers rp ON rp.leg_id = l.id
		LEFT JOIN vehicle_runs r ON r.id = rp.run_id
		LEFT JOIN vehicles v ON v.id = r.vehicle_id
		WHERE a.status = 'active'
		ORDER BY l.on_date, l.at = '', l.at, l.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: travel rows: %w", err)
	}
	defer rows.Close()
	out := []TravelRow{}
	for rows.Next() {
		var r TravelRow
		t, v := &r.Traveller, &r.Ride
		l, err := scanLeg(withExtra{rows, []any{&t.Name, &t.Pinyin, &t.Initials, &t.Organization, &t.Category,
			&t.CategoryName, &t.Color, &t.Delegation, &v.RunID, &v.Vehicle, &v.Plate, &v.RunState}})
		if err != nil {
			return nil, fmt.Errorf("store: travel rows: %w", err)
		}
		r.Leg = l
		out = append(out, r)
	}
	return out, rows.Err()
}

// BoardRun is a vehicle out on the road and whom it carries.
type BoardRun struct {
	ID          int64        `json:"id"`
	Vehicle     string       `json:"vehicle"` // code
	Kind        string       `json:"kind"`    // car, van, bus
	Seats       int          `json:"seats"`
	Plate       string       `json:"plate,omitempty"`
	Driver      string       `json:"driver,omitempty"`
	DriverPhone string       `json:"driver_phone,omitempty"` // staff, not an attendee: the board calls them
	Direction   string       `json:"direction"`
	StationID   int64        `json:"station_id"`
	Station     string       `json:"station"`
	At          time.Time    `json:"at"`
	Notes       string       `json:"notes,omitempty"`
	Passengers  []BoardRider `json:"passengers"`
}

// BoardRider is one passenger of a run (and their companions).
type BoardRider struct {
	LegID      int64  `json:"leg_id"`
	AttendeeID int64  `json:"attendee_id"`
	Name       string `json:"name"`
	Companions int    `json:"companions"`
	Number     string `json:"number,omitempty"`
	State      string `json:"state"`
}

// RunsOut lists the vehicle runs under way (state 'out'), by time, each
// with its passengers.
func (db *DB) RunsOut(ctx context.Context) ([]BoardRun, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT r.id, v.code, v.kind, v.seats, v.plate, v.driver, v.driver_phone,
			r.direction, r.station_id, coalesce(s.name, ''), r.at, r.notes
		FROM vehicle_runs r JOIN vehicles v ON v.id = r.vehicle_id LEFT JOIN stations s ON s.id = r.station_id
		WHERE r.state = 'out' ORDER BY r.at, r.id`)
	if err != nil {
		return nil, fmt.Errorf("store: runs out: %w", err)
	}
	out := []BoardRun{}
	byID := map[int64]int{}
	for rows.Next() {
		var r BoardRun
		var at string
		if err := rows.Scan(&r.ID, &r.Vehicle, &r.Kind, &r.Seats, &r.Plate, &r.Driver, &r.DriverPhone,
			&r.Direction, &r.StationID, &r.Station, &at, &r.Notes); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: runs out: %w", err)
		}
		r.At, r.Passengers = ReadTime(at), []BoardRider{}
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: runs out: %w", err)
	}
	rows, err = db.r.QueryContext(ctx, `SELECT rp.run_id, l.id, l.attendee_id, a.name, l.companions, l.number, l.state
		FROM run_passengers rp JOIN vehicle_runs r ON r.id = rp.run_id
		JOIN travel_legs l ON l.id = rp.leg_id JOIN attendees a ON a.id = l.attendee_id
		WHERE r.state = 'out' ORDER BY l.at, a.rank, a.id`)
	if err != nil {
		return nil, fmt.Errorf("store: passengers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var run int64
		var p BoardRider
		if err := rows.Scan(&run, &p.LegID, &p.AttendeeID, &p.Name, &p.Companions, &p.Number, &p.State); err != nil {
			return nil, fmt.Errorf("store: passengers: %w", err)
		}
		if i, ok := byID[run]; ok {
			out[i].Passengers = append(out[i].Passengers, p)
		}
	}
	return out, rows.Err()
}

// BoardHotel is one hotel's stays now: rooms booked (people with a room
// there), in (checked in at the hotel desk, not checked out), out
// (checked out), and the guests in, latest first.
type BoardHotel struct {
	VenueID int64        `json:"venue_id"`
	Code    string       `json:"code"`
	Name    string       `json:"name"`
	Booked  int          `json:"booked"`
	In      int          `json:"in"`
	Out     int          `json:"out"`
	Guests  []BoardGuest `json:"guests"`
}

// BoardGuest is a person in a hotel: their room and when they checked in.
type BoardGuest struct {
	AttendeeID int64     `json:"attendee_id"`
	Name       string    `json:"name"`
	Room       string    `json:"room"`
	At         time.Time `json:"at"`
}

// HotelsNow lists the hotels with stays, with at most latest guests each
// (the latest to check in first).
func (db *DB) HotelsNow(ctx context.Context, latest int) ([]BoardHotel, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT v.id, v.code, v.name, count(*),
			count(*) FILTER (WHERE h.attendee_id IS NOT NULL AND l.checked_out_at = ''), count(*) FILTER (WHERE l.checked_out_at <> '')
		FROM lodging l JOIN venues v ON v.id = l.venue_id JOIN attendees a ON a.id = l.attendee_id
		LEFT JOIN hotel_checkins h ON h.attendee_id = l.attendee_id
		WHERE a.status = 'active' GROUP BY v.id, v.code, v.name ORDER BY v.id`)
	if err != nil {
		return nil, fmt.Errorf("store: hotels: %w", err)
	}
	out := []BoardHotel{}
	byID := map[int64]int{}
	for rows.Next() {
		h := BoardHotel{Guests: []BoardGuest{}}
		if err := rows.Scan(&h.VenueID, &h.Code, &h.Name, &h.Booked, &h.In, &h.Out); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: hotels: %w", err)
		}
		byID[h.VenueID] = len(out)
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: hotels: %w", err)
	}
	rows, err = db.r.QueryContext(ctx, `SELECT venue_id, attendee_id, name, room, checked_in_at FROM (
			SELECT l.venue_id, a.id AS attendee_id, a.name, l.room, h.checked_in_at,
				row_number() OVER (PARTITION BY l.venue_id ORDER BY h.checked_in_at DESC, a.id) AS n
			FROM lodging l JOIN hotel_checkins h ON h.attendee_id = l.attendee_id JOIN attendees a ON a.id = l.attendee_id
			WHERE a.status = 'active' AND l.checked_out_at = '') g
		WHERE n <= ? ORDER BY venue_id, n`, latest)
	if err != nil {
		return nil, fmt.Errorf("store: hotel guests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var venue int64
		var g BoardGuest
		var at string
		if err := rows.Scan(&venue, &g.AttendeeID, &g.Name, &g.Room, &at); err != nil {
			return nil, fmt.Errorf("store: hotel guests: %w", err)
		}
		g.At = ReadTime(at)
		if i, ok := byID[venue]; ok {
			out[i].Guests = append(out[i].Guests, g)
		}
	}
	return out, rows.Err()
}
