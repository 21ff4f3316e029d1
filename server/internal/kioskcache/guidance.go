package kioskcache

import (
	"context"
	"fmt"

	"huiwu/server/internal/checkin"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// sessionGuidance fills, for a door, the sessions it serves and each
// expected person's venue, door and seat, as the engine would answer.
func sessionGuidance(ctx context.Context, db *store.DB, cat *store.Catalog, cp *domain.Checkpoint, doc *Doc, recs map[int64]*Record) error {
	for _, sess := range cat.SessionList {
		if (cp.Session != "" && sess.ID != cp.Session) || (cp.Session == "" && sess.Venue != cp.Venue) {
			continue
		}
		loc := cat.Location
		doc.Windows = append(doc.Windows, Window{ID: sess.ID, Name: sess.Name, Opens: sess.OpensAt.In(loc),
			Starts: sess.StartsAt.In(loc), Closes: sess.ClosesAt.In(loc)})
		venue := cat.Venues[sess.Venue]
		rows, err := db.R.QueryContext(ctx, `SELECT sa.attendee_id, coalesce(s.label, ''), coalesce(s.section, ''),
			coalesce(s.row, 0), coalesce(s.number, 0), coalesce(s.door, '')
			FROM session_attendees sa
			LEFT JOIN seat_assignments x ON x.session_id = sa.session_id AND x.attendee_id = sa.attendee_id
			LEFT JOIN seats s ON s.id = x.seat_id
			WHERE sa.session_id = ?`, sess.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for rows.Next() {
			var id int64
			var seatDoor string
			g := &checkin.Guidance{Venue: venue.Name, VenueEn: venue.NameEn, Door: cp.Door}
			if err := rows.Scan(&id, &g.Seat, &g.Section, &g.Row, &g.Number, &seatDoor); err != nil {
				rows.Close()
				return err
			}
			if seatDoor != "" {
				g.Door = seatDoor
			}
			if sess.Kind == domain.SessionGroup {
				g.GroupRoom = venue.Name
			}
			if r := recs[id]; r != nil {
				r.Guidance[sess.ID] = g
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// mealGuidance fills, for a dining hall, each ticket holder's table and
// dietary note; a ticket for another hall becomes WrongHall.
func mealGuidance(ctx context.Context, db *store.DB, cat *store.Catalog, cp *domain.Checkpoint, doc *Doc, recs map[int64]*Record) error {
	for _, m := range cat.MealList {
		if cp.Meal != "" && m.ID != cp.Meal {
			continue
		}
		loc := cat.Location
		doc.Windows = append(doc.Windows, Window{ID: m.ID, Name: m.Name, Opens: m.OpensAt.In(loc), Starts: m.OpensAt.In(loc), Closes: m.ClosesAt.In(loc)})
		rows, err := db.R.QueryContext(ctx, `SELECT t.attendee_id, t.venue_id, t.table_no, a.diet
			FROM meal_tickets t JOIN attendees a ON a.id = t.attendee_id WHERE t.meal_id = ?`, m.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for rows.Next() {
			var id, venueID int64
			var table int
			var diet string
			if err := rows.Scan(&id, &venueID, &table, &diet); err != nil {
				rows.Close()
				return err
			}
			r := recs[id]
			if r == nil {
				continue
			}
			hall := cat.Venues[cat.VenueByID[venueID]]
			if hall.Code != cp.Venue {
				if r.WrongHall == nil {
					r.WrongHall = map[string]string{}
				}
				r.WrongHall[m.ID] = hall.Name
				continue
			}
			r.Guidance[m.ID] = &checkin.Guidance{Venue: hall.Name, VenueEn: hall.NameEn, MealTable: table, Diet: diet}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// lodgingGuidance fills, for a hotel desk, the rooms in its hotel. The room
// number is in no other checkpoint's cache.
func lodgingGuidance(ctx context.Context, db *store.DB, cat *store.Catalog, cp *domain.Checkpoint, recs map[int64]*Record) error {
	rows, err := db.R.QueryContext(ctx, `SELECT attendee_id, venue_id, room FROM lodging`)
	if err != nil {
		return fmt.Errorf("kioskcache: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, venueID int64
		var room string
		if err := rows.Scan(&id, &venueID, &room); err != nil {
			return err
		}
		hotel := cat.Venues[cat.VenueByID[venueID]]
		if r := recs[id]; r != nil && hotel.Code == cp.Venue {
			r.Guidance["lodging"] = &checkin.Guidance{Hotel: hotel.Name, Room: room}
		}
	}
	return rows.Err()
}
