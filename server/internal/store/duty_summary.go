package store

import (
	"context"
	"fmt"
	"time"
)

// DutyTally is the duty room in figures, for the meeting summary (会务总结):
// how many shifts were kept, entries written, items open and closed (已办),
// entries by kind, and the items still open.
type DutyTally struct {
	Shifts    int            `json:"shifts"`
	Entries   int            `json:"entries"`
	Open      int            `json:"open"`
	Closed    int            `json:"closed"`
	ByKind    map[string]int `json:"by_kind"`
	OpenItems []DutyBrief    `json:"open_items"`
}

// DutyBrief is an open item in a line: when it happened, its kind (call,
// visit, message, other), what it is about and from whom (name and unit;
// never the caller's phone).
type DutyBrief struct {
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	Summary string    `json:"summary"`
	From    string    `json:"from"`
}

// DutySummary counts the duty roster and log as they stand.
func (db *DB) DutySummary(ctx context.Context) (DutyTally, error) {
	t := DutyTally{ByKind: map[string]int{}, OpenItems: []DutyBrief{}}
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM duty_shifts WHERE cancelled_at IS NULL`).Scan(&t.Shifts); err != nil {
		return t, fmt.Errorf("store: duty summary: %w", err)
	}
	list, err := db.DutyEntries(ctx, DutyFilter{})
	if err != nil {
		return t, err
	}
	for _, k := range DutyKinds {
		t.ByKind[k] = 0
	}
	for _, e := range list {
		t.Entries++
		t.ByKind[e.Kind]++
		if e.State == DutyDone {
			t.Closed++
			continue
		}
		t.Open++
		from := e.FromName
		if e.FromUnit != "" {
			from = e.FromUnit + " " + from
		}
		t.OpenItems = append(t.OpenItems, DutyBrief{At: e.At, Kind: e.Kind, Summary: dutyClip(e.Content, 80), From: from})
	}
	return t, nil
}

// DutyGaps are the spans of from–until in which no shift of shifts is on
// at place, in time order.
func DutyGaps(shifts []DutyShift, place int64, from, until time.Time) [][2]time.Time {
	var out [][2]time.Time
	at := from
	for _, s := range shifts { // in start order
		if s.PlaceID != place || !s.EndsAt.After(at) {
			continue
		}
		if !s.StartsAt.Before(until) {
			break
		}
		if s.StartsAt.After(at) {
			out = append(out, [2]time.Time{at, s.StartsAt})
		}
		at = s.EndsAt
		if !at.Before(until) {
			return out
		}
	}
	if at.Before(until) {
		out = append(out, [2]time.Time{at, until})
	}
	return out
}
