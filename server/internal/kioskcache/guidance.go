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

// sessionFacts fills, for a door, each person's seat at the sessions it
// serves that they are expected at, and their presence there.
func sessionFacts(ctx context.Context, db *store.DB, sessions []rules.Opening, recs map[int64]*Record) error {
	for _, sess := range sessions {
		seats, err := db.ExpectedSeats(ctx, sess.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for _, s := range seats {
			if r := recs[s.AttendeeID]; r != nil {
				if r.Sessions == nil {
					r.Sessions = map[string]rules.Seat{}
				}
				r.Sessions[sess.ID] = rules.Seat{Label: s.Label, Section: s.Section, Row: s.Row, Number: s.Number, Door: s.Door}
			}
		}
		leaves, err := db.SessionLeaves(ctx, sess.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for _, l := range leaves {
			if r := recs[l.AttendeeID]; r != nil && !slices.Contains(r.Leaves, sess.ID) {
				r.Leaves = append(r.Leaves, sess.ID)
			}
		}
		presence, err := db.SessionPresence(ctx, sess.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for _, p := range presence {
			if r := recs[p.AttendeeID]; r != nil {
				if r.Known.Sessions == nil {
					r.Known.Sessions = map[string]rules.Presence{}
				}
				r.Known.Sessions[sess.ID] = rules.Presence{FirstIn: p.FirstIn, Inside: p.Inside}
			}
		}
	}
	return nil
}

// elsewhereFacts notes, for an entrance, which of the sessions it does not
// serve each person is expected at (ids only: the sessions themselves
// travel in the clear), so that the kiosk sends them there.
func elsewhereFacts(ctx context.Context, db *store.DB, sessions []rules.Opening, recs map[int64]*Record) error {
	for _, sess := range sessions {
		expected, err := db.SessionExpected(ctx, sess.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for _, p := range expected {
			if r := recs[p.ID]; r != nil {
				r.Elsewhere = append(r.Elsewhere, sess.ID)
			}
		}
	}
	return nil
}

// mealFacts fills, for a dining hall, each ticket holder's hall, table and
// dietary note for the meals it serves (a ticket for another hall too: the
// kiosk sends them there), and the meals already redeemed.
func mealFacts(ctx context.Context, db *store.DB, cat *store.Catalog, meals []rules.Opening, recs map[int64]*Record) error {
	for _, m := range meals {
		tickets, err := db.MealTickets(ctx, m.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for _, t := range tickets {
			if r := recs[t.AttendeeID]; r != nil {
				hall := cat.Venues[cat.VenueByID[t.VenueID]]
				if r.Meals == nil {
					r.Meals = map[string]rules.Ticket{}
				}
				r.Meals[m.ID] = rules.Ticket{Hall: hall.Code, Name: hall.Name, NameEn: hall.NameEn, Table: t.Table}
				r.Diet = t.Diet
			}
		}
		served, err := db.MealRedemptions(ctx, m.ID)
		if err != nil {
			return fmt.Errorf("kioskcache: %w", err)
		}
		for id, at := range served {
			if r := recs[id]; r != nil {
				if r.Known.Meals == nil {
					r.Known.Meals = map[string]time.Time{}
				}
				r.Known.Meals[m.ID] = at
			}
		}
	}
	return nil
}

// lodgingFacts fills, for a hotel desk, each guest's hotel, the room only
// for guests of this desk's hotel (the room number is in no other
// checkpoint's cache), and who has checked in.
func lodgingFacts(ctx context.Context, db *store.DB, cat *store.Catalog, cp *domain.Checkpoint, recs map[int64]*Record) error {
	rooms, err := db.LodgingRooms(ctx)
	if err != nil {
		return fmt.Errorf("kioskcache: %w", err)
	}
	for _, l := range rooms {
		if r := recs[l.AttendeeID]; r != nil {
			hotel := cat.Venues[cat.VenueByID[l.VenueID]]
			r.Lodging = &rules.Room{Hotel: hotel.Code, Name: hotel.Name, NameEn: hotel.NameEn}
			if hotel.Code == cp.Venue {
				r.Lodging.Room = l.Room
			}
		}
	}
	arrived, err := db.HotelCheckins(ctx)
	if err != nil {
		return fmt.Errorf("kioskcache: %w", err)
	}
	for id, at := range arrived {
		if r := recs[id]; r != nil {
			r.Known.Hotel = at
		}
	}
	return nil
}
