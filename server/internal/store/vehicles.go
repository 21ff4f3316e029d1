package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Vehicles (issue 12.2): the secretariat's cars, vans and buses, each with
// its seats for passengers, plate, driver and driver's phone. Their runs
// to and from stations are in runs.go; the tables in schema_logistics.go.

// Errors of vehicles and runs.
var (
	ErrBadVehicle     = errors.New("store: bad vehicle")
	ErrVehicleCode    = errors.New("store: vehicle code taken")
	ErrVehicleHasRuns = errors.New("store: the vehicle has runs")
)

// CapacityError says a vehicle would carry more than its seats: Need
// seats (passengers and their companions) in a vehicle of Seats.
type CapacityError struct {
	Vehicle string // its code
	Plate   string
	Seats   int
	Need    int
}

func (e *CapacityError) Error() string {
	return fmt.Sprintf("store: vehicle %s has %d seats, %d needed", e.Vehicle, e.Seats, e.Need)
}

// Vehicle is a car, van or bus.
type Vehicle struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Kind        string `json:"kind"`  // car, van, bus
	Seats       int    `json:"seats"` // passengers, the driver not counted
	Plate       string `json:"plate"`
	Driver      string `json:"driver"`
	DriverPhone string `json:"driver_phone"`
	Notes       string `json:"notes,omitempty"`
	Sort        int    `json:"sort"`
}

// vehicleKinds are the kinds a vehicle may be.
var vehicleKinds = map[string]bool{"car": true, "van": true, "bus": true}

// check trims v's text and reports what is wrong with it.
func (v *Vehicle) check() error {
	for _, f := range []struct {
		s   *string
		max int
	}{{&v.Code, 20}, {&v.Plate, 20}, {&v.Driver, 40}, {&v.DriverPhone, 30}, {&v.Notes, 200}} {
		*f.s = strings.TrimSpace(*f.s)
		if utf8.RuneCountInString(*f.s) > f.max {
			return fmt.Errorf("%w: %q is longer than %d characters", ErrBadVehicle, *f.s, f.max)
		}
	}
	if !vehicleKinds[v.Kind] {
		return fmt.Errorf("%w: kind %q (car, van or bus)", ErrBadVehicle, v.Kind)
	}
	if v.Seats < 1 || v.Seats > 100 {
		return fmt.Errorf("%w: %d seats (1 to 100)", ErrBadVehicle, v.Seats)
	}
	return nil
}

const vehicleColumns = `id, code, kind, seats, plate, driver, driver_phone, notes, sort`

func scanVehicle(row interface{ Scan(...any) error }) (Vehicle, error) {
	var v Vehicle
	err := row.Scan(&v.ID, &v.Code, &v.Kind, &v.Seats, &v.Plate, &v.Driver, &v.DriverPhone, &v.Notes, &v.Sort)
	return v, err
}

// Vehicles lists the vehicles in their order.
func (db *DB) Vehicles(ctx context.Context) ([]Vehicle, error) {
	return readAll(ctx, db.r, "vehicles", scanVehicle, `SELECT `+vehicleColumns+` FROM vehicles ORDER BY sort, id`)
}

// Vehicle reads one vehicle.
func (db *DB) Vehicle(ctx context.Context, id int64) (Vehicle, error) {
	v, err := scanVehicle(db.r.QueryRowContext(ctx, `SELECT `+vehicleColumns+` FROM vehicles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	return v, err
}

// SaveVehicle creates v (ID 0; a code is made when none is given) or
// changes vehicle v.ID. Fewer seats than a planned run of it fills is a
// *CapacityError.
func (db *DB) SaveVehicle(ctx context.Context, v Vehicle, actor string) (Vehicle, error) {
	if err := v.check(); err != nil {
		return v, err
	}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM vehicles WHERE code = ? AND id != ?`, v.Code, v.ID).Scan(&other)
		if err == nil {
			return Change{}, fmt.Errorf("%w: %s", ErrVehicleCode, v.Code)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return Change{}, err
		}
		if v.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO vehicles (code, kind, seats, plate, driver, driver_phone, notes, sort)
				VALUES (CASE WHEN ?1 = '' THEN 'v' || (SELECT coalesce(max(id), 0) + 1 FROM vehicles) ELSE ?1 END, ?2, ?3, ?4, ?5, ?6, ?7,
					CASE WHEN ?8 = 0 THEN (SELECT coalesce(max(sort), 0) + 1 FROM vehicles) ELSE ?8 END)
				RETURNING id, code, sort`, v.Code, v.Kind, v.Seats, v.Plate, v.Driver, v.DriverPhone, v.Notes, v.Sort).Scan(&v.ID, &v.Code, &v.Sort)
			if err != nil {
				return Change{}, fmt.Errorf("store: new vehicle: %w", err)
			}
		} else {
			if v.Code == "" {
				return Change{}, fmt.Errorf("%w: a code is needed", ErrBadVehicle)
			}
			res, err := tx.ExecContext(ctx, `UPDATE vehicles SET code = ?, kind = ?, seats = ?, plate = ?, driver = ?, driver_phone = ?,
				notes = ?, sort = ? WHERE id = ?`, v.Code, v.Kind, v.Seats, v.Plate, v.Driver, v.DriverPhone, v.Notes, v.Sort, v.ID)
			if err != nil {
				return Change{}, fmt.Errorf("store: change vehicle %d: %w", v.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return Change{}, ErrNotFound
			}
			if err := checkVehicleLoads(ctx, tx, v.ID); err != nil {
				return Change{}, err
			}
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "vehicle.save", v.Code,
			fmt.Sprintf("%s %d座 %s %s", v.Kind, v.Seats, v.Plate, v.Driver))
	})
	return v, err
}

// RemoveVehicle removes a vehicle that has no runs (ErrVehicleHasRuns:
// remove or move its runs first, so that no driver's sheet loses its
// vehicle).
func (db *DB) RemoveVehicle(ctx context.Context, id int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var code string
		var runs int
		err := tx.QueryRowContext(ctx, `SELECT code, (SELECT count(*) FROM vehicle_runs WHERE vehicle_id = v.id) FROM vehicles v WHERE id = ?`, id).
			Scan(&code, &runs)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: remove vehicle: %w", err)
		}
		if runs > 0 {
			return Change{}, fmt.Errorf("%w: %s has %d", ErrVehicleHasRuns, code, runs)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vehicles WHERE id = ?`, id); err != nil {
			return Change{}, fmt.Errorf("store: remove vehicle: %w", err)
		}
		return Change{Logistics: true}, audit(ctx, tx, time.Now(), actor, "vehicle.remove", code, "")
	})
}

// TransportContact is the person every driver may call: the
// secretariat's transport desk (会务组交通联系人).
type TransportContact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// TransportContact reads the drivers' contact (empty when none is set).
func (db *DB) TransportContact(ctx context.Context) (TransportContact, error) {
	var c TransportContact
	err := db.r.QueryRowContext(ctx, `SELECT name, phone FROM transport_contact WHERE id = 1`).Scan(&c.Name, &c.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	return c, err
}

// SetTransportContact sets the drivers' contact.
func (db *DB) SetTransportContact(ctx context.Context, c TransportContact, actor string) (TransportContact, error) {
	c.Name, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone)
	if utf8.RuneCountInString(c.Name) > 40 || utf8.RuneCountInString(c.Phone) > 30 {
		return c, fmt.Errorf("%w: the contact's name or phone is too long", ErrBadVehicle)
	}
	return c, db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO transport_contact (id, name, phone, updated_at, updated_by) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, updated_at = excluded.updated_at,
				updated_by = excluded.updated_by`, c.Name, c.Phone, FormatTime(now), actor); err != nil {
			return Change{}, fmt.Errorf("store: transport contact: %w", err)
		}
		return Change{Logistics: true}, audit(ctx, tx, now, actor, "transport.contact", c.Name, c.Phone)
	})
}

// SetPhoneToDriver records whether the desk lets drivers have attendee's
// phone on their sheets.
func (db *DB) SetPhoneToDriver(ctx context.Context, attendee int64, on bool, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		var err error
		if on {
			_, err = tx.ExecContext(ctx, `INSERT INTO driver_phones (attendee_id, at, by) VALUES (?, ?, ?)
				ON CONFLICT (attendee_id) DO UPDATE SET at = excluded.at, by = excluded.by`, attendee, FormatTime(now), actor)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM driver_phones WHERE attendee_id = ?`, attendee)
		}
		if err != nil {
			if isForeignKey(err) {
				return Change{}, ErrNotFound
			}
			return Change{}, fmt.Errorf("store: driver phone: %w", err)
		}
		return Change{Logistics: true}, audit(ctx, tx, now, actor, "travel.driver_phone", fmt.Sprint(attendee), fmt.Sprint(on))
	})
}

// DriverPhones answers, by attendee, the phones the desk lets drivers
// have: the only attendees' phones a driver's sheet may print.
func (db *DB) DriverPhones(ctx context.Context) (map[int64]string, error) {
	return readMap[int64, string](ctx, db.r, "driver phones",
		`SELECT a.id, a.phone FROM driver_phones p JOIN attendees a ON a.id = p.attendee_id`)
}
