package store

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"huiwu/server/internal/domain"
)

// RoomBoard is a hotel's rooms × nights: who holds each room each night
// and in what state, with each night's totals (the 住宿登记表's figures).
type RoomBoard struct {
	Hotel  string       `json:"hotel"`
	Name   string       `json:"name"`
	NameEn string       `json:"name_en,omitempty"`
	Nights []string     `json:"nights"`
	Rooms  []BoardRoom  `json:"rooms"`
	Totals []NightTotal `json:"totals"`
}

// BoardRoom is one room's row of the board.
type BoardRoom struct {
	Room string `json:"room"`
	Beds int    `json:"beds"`
	// Listed is false for a room the list put people in that the
	// hotel's rooms do not have (its beds are then unknown, 0).
	Listed bool        `json:"listed"`
	Nights []RoomNight `json:"nights"` // one per board night
}

// RoomNight is who holds a room on one night; Heads counts companions.
type RoomNight struct {
	Heads  int     `json:"heads"`
	Guests []Guest `json:"guests"`
}

// Guest is a person in a room on a night.
type Guest struct {
	AttendeeID   int64  `json:"attendee_id"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
	Delegation   string `json:"delegation,omitempty"`
	Gender       string `json:"gender,omitempty"`
	State        string `json:"state"` // expected, in, out, moved
	Companions   int    `json:"companions,omitempty"`
	Temporary    bool   `json:"temporary,omitempty"` // a temporary room (滞留)
	Stranded     bool   `json:"stranded,omitempty"`
	CheckIn      string `json:"check_in"` // the whole stay's nights
	CheckOut     string `json:"check_out"`
}

// NightTotal is a night's figures: rooms occupied and empty, beds and the
// heads in them, heads checked in, rooms over their beds.
type NightTotal struct {
	Night     string `json:"night"`
	Rooms     int    `json:"rooms"`
	Occupied  int    `json:"occupied"`
	Empty     int    `json:"empty"`
	Beds      int    `json:"beds"`
	Heads     int    `json:"heads"`
	CheckedIn int    `json:"checked_in"`
	Over      int    `json:"over"`
}

// maxBoardNights bounds a board: a meeting's stay is days, not months.
const maxBoardNights = 62

// RoomBoard reads hotel's board for the nights from up to after (the day
// after the last); without them, the nights anyone holds a room there, or
// the meeting's nights.
func (db *DB) RoomBoard(ctx context.Context, cat *Catalog, hotel, from, after string) (*RoomBoard, error) {
	v, ok := cat.Venues[hotel]
	if !ok || v.Kind != domain.VenueHotel {
		return nil, ErrNoSuchHotel
	}
	if (from != "" && !validDate(from)) || (after != "" && !validDate(after)) || (from != "" && after != "" && after <= from) {
		return nil, ErrBadNights
	}
	o, err := loadOccupancy(ctx, db.r, cat, v.ID)
	if err != nil {
		return nil, err
	}
	b := &RoomBoard{Hotel: v.Code, Name: v.Name, NameEn: v.NameEn}
	b.Nights = boardNights(cat, o, v.ID, from, after)
	rows, err := db.r.QueryContext(ctx, `SELECT number, beds FROM hotel_rooms WHERE venue_id = ? ORDER BY sort, number`, v.ID)
	if err != nil {
		return nil, fmt.Errorf("store: hotel rooms: %w", err)
	}
	index := map[string]int{}
	for rows.Next() {
		r := BoardRoom{Listed: true}
		if err := rows.Scan(&r.Room, &r.Beds); err != nil {
			rows.Close()
			return nil, err
		}
		index[r.Room] = len(b.Rooms)
		b.Rooms = append(b.Rooms, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var unlisted []string
	for _, g := range o.segments {
		if _, ok := index[g.room]; !ok && g.venueID == v.ID && !slices.Contains(unlisted, g.room) {
			unlisted = append(unlisted, g.room)
		}
	}
	sort.Strings(unlisted)
	for _, r := range unlisted {
		index[r] = len(b.Rooms)
		b.Rooms = append(b.Rooms, BoardRoom{Room: r})
	}
	for i := range b.Rooms {
		b.Rooms[i].Nights = make([]RoomNight, len(b.Nights))
		for n := range b.Nights {
			b.Rooms[i].Nights[n].Guests = []Guest{}
		}
	}
	b.place(o, v.ID, index)
	b.total()
	return b, nil
}

// boardNights are the nights asked for, or those anyone holds a room in
// the hotel, or the meeting's.
func boardNights(cat *Catalog, o *occupancy, venueID int64, from, after string) []string {
	if from == "" || after == "" {
		lo, hi := "", ""
		for _, g := range o.segments {
			if g.venueID != venueID || len(g.nights) == 0 {
				continue
			}
			if lo == "" || g.nights[0] < lo {
				lo = g.nights[0]
			}
			if last := g.nights[len(g.nights)-1]; last > hi {
				hi = last
			}
		}
		d := defaultNights(cat)
		if lo == "" {
			lo, hi = d.from, d.after
		} else {
			hi = nextDay(hi)
		}
		from, after = orDefault(from, lo), orDefault(after, hi)
		if after <= from {
			after = nextDay(from)
		}
	}
	ns := span{from, after}.nights()
	return ns[:min(len(ns), maxBoardNights)]
}

func (b *RoomBoard) place(o *occupancy, venueID int64, index map[string]int) {
	at := map[string]int{}
	for i, n := range b.Nights {
		at[n] = i
	}
	for _, g := range o.segments {
		if g.venueID != venueID {
			continue
		}
		r := &b.Rooms[index[g.room]]
		s := g.stay
		for _, n := range g.nights {
			i, ok := at[n]
			if !ok {
				continue
			}
			r.Nights[i].Heads += 1 + s.Companions
			r.Nights[i].Guests = append(r.Nights[i].Guests, Guest{AttendeeID: s.AttendeeID, Name: s.Name, Organization: s.Organization,
				Delegation: s.Delegation, Gender: s.Gender, State: g.state, Companions: s.Companions, Temporary: g.temporary,
				Stranded: s.Stranded, CheckIn: s.CheckIn, CheckOut: s.CheckOut})
		}
	}
	for i := range b.Rooms {
		for n := range b.Rooms[i].Nights {
			slices.SortFunc(b.Rooms[i].Nights[n].Guests, func(a, b Guest) int { return int(a.AttendeeID - b.AttendeeID) })
		}
	}
}

func (b *RoomBoard) total() {
	b.Totals = make([]NightTotal, len(b.Nights))
	for n, night := range b.Nights {
		t := &b.Totals[n]
		t.Night = night
		for _, r := range b.Rooms {
			rn := r.Nights[n]
			if r.Listed {
				t.Rooms++
				t.Beds += r.Beds
			}
			if len(rn.Guests) == 0 {
				if r.Listed {
					t.Empty++
				}
				continue
			}
			t.Occupied++
			t.Heads += rn.Heads
			if rn.Heads > r.Beds {
				t.Over++
			}
			for _, g := range rn.Guests {
				if g.State == GuestIn {
					t.CheckedIn += 1 + g.Companions
				}
			}
		}
	}
}

// FreeRoom is a room with beds left on every night asked for.
type FreeRoom struct {
	Room string `json:"room"`
	Beds int    `json:"beds"`
	// Spare is the fewest beds left on any of the nights.
	Spare int `json:"spare"`
}

// Free lists the rooms with heads beds left on each of nights, not
// counting the person except (the one being moved).
func (b *RoomBoard) Free(nights []string, heads int, except int64) []FreeRoom {
	out := []FreeRoom{}
	for _, r := range b.Rooms {
		if !r.Listed {
			continue
		}
		spare, ok := r.Beds, true
		for i, n := range b.Nights {
			if !slices.Contains(nights, n) {
				continue
			}
			used := 0
			for _, g := range r.Nights[i].Guests {
				if g.AttendeeID != except {
					used += 1 + g.Companions
				}
			}
			spare = min(spare, r.Beds-used)
			ok = ok && r.Beds-used >= heads
		}
		if ok {
			out = append(out, FreeRoom{Room: r.Room, Beds: r.Beds, Spare: spare})
		}
	}
	return out
}

// Empty lists the rooms nobody holds on night n of the board.
func (b *RoomBoard) Empty(n int) []string {
	out := []string{}
	for _, r := range b.Rooms {
		if r.Listed && len(r.Nights[n].Guests) == 0 {
			out = append(out, r.Room)
		}
	}
	return out
}
