// Package board shapes the day's travel for the pickup phones and the
// logistics board (issue 12.3, 12.4): each leg's status now (待接, 延误,
// 已接 …), arrivals and departures grouped by station with their counts,
// and the rows worth showing in the hours ahead. It holds no SQL: the
// store reads the rows, this package decides what they mean at a moment.
package board

import (
	"time"

	"huiwu/server/internal/store"
)

// A leg's status at a moment: its recorded state, except that an arrival
// past its time and not picked up is late (延误), and one by car or with
// the delegation's own coach is nobody's pickup (自行抵达).
const (
	Waiting  = "waiting"   // 待接 / 待出发
	Late     = "late"      // 延误: past its time, not picked up
	Own      = "own"       // 自行抵达: by car or coach, not met
	PickedUp = "picked_up" // 已接
	Missed   = "missed"    // 未到: not on the flight or train
	Changed  = "changed"   // 改签, the new time not known yet
	Departed = "departed"  // 已送站
)

// Status is l's status at now.
func Status(l store.Leg, now time.Time) string {
	switch l.State {
	case "picked_up", "missed", "changed", "departed":
		return l.State
	}
	if l.Direction != store.Arrival {
		return Waiting
	}
	if l.Mode == "car" || l.Mode == "other" {
		return Own
	}
	if l.At != nil && l.At.Before(now) {
		return Late
	}
	return Waiting
}

// Row is a leg as the pages show it: the leg, who, which vehicle, and its
// status now.
type Row struct {
	store.TravelRow
	Status string `json:"status"`
}

// Rows gives every leg its status at now.
func Rows(legs []store.TravelRow, now time.Time) []Row {
	out := make([]Row, len(legs))
	for i, l := range legs {
		out[i] = Row{TravelRow: l, Status: Status(l.Leg, now)}
	}
	return out
}

// Counts are a station's legs of the day by status; People counts heads
// (companions too), WaitingPeople the heads still to meet (waiting or late).
type Counts struct {
	Total         int `json:"total"`
	People        int `json:"people"`
	PickedUp      int `json:"picked_up"`
	Waiting       int `json:"waiting"`
	Late          int `json:"late"`
	Missed        int `json:"missed"`
	Changed       int `json:"changed"`
	Departed      int `json:"departed"`
	Own           int `json:"own"`
	WaitingPeople int `json:"waiting_people"`
}

func (c *Counts) add(r Row) {
	heads := 1 + r.Companions
	c.Total++
	c.People += heads
	switch r.Status {
	case PickedUp:
		c.PickedUp++
	case Late:
		c.Late++
		c.WaitingPeople += heads
	case Missed:
		c.Missed++
	case Changed:
		c.Changed++
	case Departed:
		c.Departed++
	case Own:
		c.Own++
	default:
		c.Waiting++
		c.WaitingPeople += heads
	}
}

// Group is one station's legs of the day: all counted, the rows worth
// showing now listed.
type Group struct {
	Station store.Station `json:"station"`
	Counts  Counts        `json:"counts"`
	Rows    []Row         `json:"rows"`
}

// Input is what the board is made of: the stations, today's legs, the
// vehicles out and the hotels.
type Input struct {
	Stations   []store.Station
	Arrivals   []store.TravelRow
	Departures []store.TravelRow
	Runs       []store.BoardRun
	Hotels     []store.BoardHotel
}

// Board is the logistics board at a moment.
type Board struct {
	Now        time.Time          `json:"now"`
	Hours      int                `json:"hours"`
	Arrivals   []Group            `json:"arrivals"`
	Departures []Group            `json:"departures"`
	Runs       []store.BoardRun   `json:"runs"`
	Hotels     []store.BoardHotel `json:"hotels"`
}

// How far back the board looks: arrivals handled in the last two hours
// stay in sight (the board shows them move), departures of the last hour.
const (
	arrivalsBehind   = 2 * time.Hour
	departuresBehind = time.Hour
)

// Build makes the board at now for the next hours: arrivals listed when
// due within them (or handled lately), late however late, or of unknown
// time (those who come on their own are only counted); departures for
// the rest of the day.
func Build(in Input, now time.Time, hours int) Board {
	ahead := now.Add(time.Duration(hours) * time.Hour)
	arrivals := group(in.Stations, in.Arrivals, now, func(r Row) bool {
		if r.Status == Own {
			return false
		}
		return r.Status == Late || r.At == nil || (!r.At.Before(now.Add(-arrivalsBehind)) && !r.At.After(ahead))
	})
	departures := group(in.Stations, in.Departures, now, func(r Row) bool {
		return r.At == nil || !r.At.Before(now.Add(-departuresBehind))
	})
	runs, hotels := in.Runs, in.Hotels
	if runs == nil {
		runs = []store.BoardRun{}
	}
	if hotels == nil {
		hotels = []store.BoardHotel{}
	}
	return Board{Now: now, Hours: hours, Arrivals: arrivals, Departures: departures, Runs: runs, Hotels: hotels}
}

// noStation stands for the legs without a station: those who come by car
// or coach, and those whose station is not known yet.
var noStation = store.Station{Name: "自行抵达或站点未定", NameEn: "On their own, or station not known", Kind: "other"}

// group counts legs by station, in the stations' order (legs without a
// station last), and keeps the rows show picks. Stations without legs are
// left out.
func group(stations []store.Station, legs []store.TravelRow, now time.Time, show func(Row) bool) []Group {
	byStation := map[int64]*Group{}
	for _, r := range Rows(legs, now) {
		g := byStation[r.StationID]
		if g == nil {
			g = &Group{Rows: []Row{}}
			byStation[r.StationID] = g
		}
		g.Counts.add(r)
		if show(r) {
			g.Rows = append(g.Rows, r)
		}
	}
	out := []Group{}
	for _, s := range stations {
		if g := byStation[s.ID]; g != nil {
			g.Station = s
			out = append(out, *g)
			delete(byStation, s.ID)
		}
	}
	if g := byStation[0]; g != nil {
		g.Station = noStation
		out = append(out, *g)
	}
	return out
}
