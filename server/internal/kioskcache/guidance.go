package kioskcache

import (
	"context"
	"fmt"
	"slices"
	"time"

	"huiwu/kiosk/rules"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// forRows runs q and calls fn with each row's Scan.
func forRows(ctx context.Context, db *store.DB, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("kioskcache: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sessionFacts fills, for a door, each person's seat at the sessions it
// serves that they are expected at, and their presence there.
func sessionFacts(ctx context.Context, db *store.DB, sessions []rules.Opening, recs map[int64]*Record) error {
	for _, sess := range sessions {
		err := forRows(ctx, db, `SELECT sa.attendee_id, coalesce(s.label, ''), coalesce(s.section, ''),
			coalesce(s.row, 0), coalesce(s.number, 0), coalesce(s.door, '')
			FROM session_attendees sa
			LEFT JOIN seat_assignments x ON x.session_id = sa.session_id AND x.attendee_id = sa.attendee_id
			LEFT JOIN seats s ON s.id = x.seat_id
			WHERE sa.session_id = ?`, []any{sess.ID}, func(scan func(...any) error) error {
			var id int64
			var seat rules.Seat
			if err := scan(&id, &seat.Label, &seat.Section, &seat.Row, &seat.Number, &seat.Door); err != nil {
				return err
			}
			if r := recs[id]; r != nil {
				if r.Sessions == nil {
					r.Sessions = map[string]rules.Seat{}
				}
				r.Sessions[sess.ID] = seat
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = forRows(ctx, db, `SELECT attendee_id FROM leaves WHERE session_id = ? AND revoked_at IS NULL`,
			[]any{sess.ID}, func(scan func(...any) error) error {
				var id int64
				if err := scan(&id); err != nil {
					return err
				}
				if r := recs[id]; r != nil && !slices.Contains(r.Leaves, sess.ID) {
					r.Leaves = append(r.Leaves, sess.ID)
				}
				return nil
			})
		if err != nil {
			return err
		}
		err = forRows(ctx, db, `SELECT attendee_id, first_in_at, inside FROM presence WHERE session_id = ?`,
			[]any{sess.ID}, func(scan func(...any) error) error {
				var id int64
				var first string
				var inside bool
				if err := scan(&id, &first, &inside); err != nil {
					return err
				}
				if r := recs[id]; r != nil {
					if r.Known.Sessions == nil {
						r.Known.Sessions = map[string]rules.Presence{}
					}
					r.Known.Sessions[sess.ID] = rules.Presence{FirstIn: store.ReadTime(first), Inside: inside}
				}
				return nil
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// elsewhereFacts notes, for an entrance, which of the sessions it does not
// serve each person is expected at (ids only: the sessions themselves
// travel in the clear), so that the kiosk sends them there.
func elsewhereFacts(ctx context.Context, db *store.DB, sessions []rules.Opening, recs map[int64]*Record) error {
	for _, sess := range sessions {
		err := forRows(ctx, db, `SELECT attendee_id FROM session_attendees WHERE session_id = ?`,
			[]any{sess.ID}, func(scan func(...any) error) error {
				var id int64
				if err := scan(&id); err != nil {
					return err
				}
				if r := recs[id]; r != nil {
					r.Elsewhere = append(r.Elsewhere, sess.ID)
				}
				return nil
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// mealFacts fills, for a dining hall, each ticket holder's hall, table and
// dietary note for the meals it serves (a ticket for another hall too: the
// kiosk sends them there), and the meals already redeemed.
func mealFacts(ctx context.Context, db *store.DB, cat *store.Catalog, meals []rules.Opening, recs map[int64]*Record) error {
	for _, m := range meals {
		err := forRows(ctx, db, `SELECT t.attendee_id, t.venue_id, t.table_no, a.diet
			FROM meal_tickets t JOIN attendees a ON a.id = t.attendee_id WHERE t.meal_id = ?`,
			[]any{m.ID}, func(scan func(...any) error) error {
				var id, venueID int64
				var table int
				var diet string
				if err := scan(&id, &venueID, &table, &diet); err != nil {
					return err
				}
				if r := recs[id]; r != nil {
					hall := cat.Venues[cat.VenueByID[venueID]]
					if r.Meals == nil {
						r.Meals = map[string]rules.Ticket{}
					}
					r.Meals[m.ID] = rules.Ticket{Hall: hall.Code, Name: hall.Name, NameEn: hall.NameEn, Table: table}
					r.Diet = diet
				}
				return nil
			})
		if err != nil {
			return err
		}
		err = forRows(ctx, db, `SELECT attendee_id, redeemed_at FROM meal_redemptions WHERE meal_id = ?`,
			[]any{m.ID}, func(scan func(...any) error) error {
				var id int64
				var at string
				if err := scan(&id, &at); err != nil {
					return err
				}
				if r := recs[id]; r != nil {
					if r.Known.Meals == nil {
						r.Known.Meals = map[string]time.Time{}
					}
					r.Known.Meals[m.ID] = store.ReadTime(at)
				}
				return nil
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// lodgingFacts fills, for a hotel desk, each guest's hotel, the room only
// for guests of this desk's hotel (the room number is in no other
// checkpoint's cache), and who has checked in.
func lodgingFacts(ctx context.Context, db *store.DB, cat *store.Catalog, cp *domain.Checkpoint, recs map[int64]*Record) error {
	err := forRows(ctx, db, `SELECT attendee_id, venue_id, room FROM lodging`, nil, func(scan func(...any) error) error {
		var id, venueID int64
		var room string
		if err := scan(&id, &venueID, &room); err != nil {
			return err
		}
		if r := recs[id]; r != nil {
			hotel := cat.Venues[cat.VenueByID[venueID]]
			r.Lodging = &rules.Room{Hotel: hotel.Code, Name: hotel.Name, NameEn: hotel.NameEn}
			if hotel.Code == cp.Venue {
				r.Lodging.Room = room
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return forRows(ctx, db, `SELECT attendee_id, checked_in_at FROM hotel_checkins`, nil, func(scan func(...any) error) error {
		var id int64
		var at string
		if err := scan(&id, &at); err != nil {
			return err
		}
		if r := recs[id]; r != nil {
			r.Known.Hotel = store.ReadTime(at)
		}
		return nil
	})
}
