// Package kioskcache builds the offline guidance cache a kiosk downloads:
// for each live badge, what the kiosk's checkpoint would show about its
// holder (name, category, and only the guidance that checkpoint calls for —
// seat at a door, table at a dining hall, room only at the hotel desk),
// sealed with kiosk/guidecache under a key derived from the badge's token.
// The opening windows of the checkpoint's sessions or meals travel in the
// clear beside the records: they are on the printed agenda anyway, and the
// kiosk needs them to tell "not now" from "not you".
package kioskcache

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"huiwu/kiosk/guidecache"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// Window is a session's or meal's opening at this checkpoint.
type Window struct {
	ID     string    `json:"id"`
	Name   string    `json:"name"`
	Opens  time.Time `json:"opens_at"`
	Starts time.Time `json:"starts_at"`
	Closes time.Time `json:"closes_at"`
}

// Doc is GET /api/v1/kiosk/cache.
type Doc struct {
	Version    string    `json:"version"`
	Event      string    `json:"event"`
	Checkpoint string    `json:"checkpoint"`
	Kind       string    `json:"kind"`
	Generated  time.Time `json:"generated_at"`
	Windows    []Window  `json:"windows"`
	// Entries maps guidecache.Index(token) to the sealed Record.
	Entries map[string]string `json:"entries"`
}

// Record is what one badge opens: the person, whether the registration is
// cancelled, and guidance per window id ("lodging" at a hotel desk) for
// the windows the person is entitled to. A window missing from Guidance
// means not entitled; WrongHall names the hall a meal is really served in.
type Record struct {
	Attendee  checkin.Person               `json:"attendee"`
	Cancelled bool                         `json:"cancelled,omitempty"`
	Guidance  map[string]*checkin.Guidance `json:"guidance"`
	WrongHall map[string]string            `json:"wrong_hall,omitempty"`
}

// Build makes the cache for checkpoint cp.
func Build(ctx context.Context, db *store.DB, cat *store.Catalog, creds *credentials.Service, cpID string, now time.Time) (*Doc, error) {
	cp, ok := cat.Checkpoints[cpID]
	if !ok {
		return nil, fmt.Errorf("kioskcache: unknown checkpoint %q", cpID)
	}
	doc := &Doc{Version: guidecache.Version, Event: cat.Event.ID, Checkpoint: cp.ID, Kind: string(cp.Kind),
		Generated: now.In(cat.Location), Windows: []Window{}, Entries: map[string]string{}}
	recs, err := people(ctx, db, cat)
	if err != nil {
		return nil, err
	}
	switch cp.Kind {
	case domain.CheckpointEntrance, domain.CheckpointExit:
		err = sessionGuidance(ctx, db, cat, cp, doc, recs)
	case domain.CheckpointMeal:
		err = mealGuidance(ctx, db, cat, cp, doc, recs)
	case domain.CheckpointLodging:
		err = lodgingGuidance(ctx, db, cat, cp, recs)
	}
	if err != nil {
		return nil, err
	}
	for id, rec := range recs {
		c, err := creds.Current(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("kioskcache: credential of %d: %w", id, err)
		}
		plain, err := json.Marshal(rec)
		if err != nil {
			return nil, err
		}
		idx, blob, err := guidecache.Seal(rand.Reader, cat.Event.ID, c.Token, plain)
		if err != nil {
			return nil, err
		}
		doc.Entries[idx] = blob
	}
	return doc, nil
}

// people reads every attendee who holds a live badge.
func people(ctx context.Context, db *store.DB, cat *store.Catalog) (map[int64]*Record, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT a.id, a.name, a.category, a.status, coalesce(d.name, '')
		FROM attendees a JOIN credentials c ON c.attendee_id = a.id AND c.revoked_at IS NULL
		LEFT JOIN delegations d ON d.id = a.delegation_id`)
	if err != nil {
		return nil, fmt.Errorf("kioskcache: %w", err)
	}
	defer rows.Close()
	out := map[int64]*Record{}
	for rows.Next() {
		var p checkin.Person
		var status string
		if err := rows.Scan(&p.ID, &p.DisplayName, &p.Category, &status, &p.Delegation); err != nil {
			return nil, err
		}
		k := cat.Categories[p.Category]
		p.CategoryName, p.CategoryColor = k.Name, k.Color
		out[p.ID] = &Record{Attendee: p, Cancelled: status == "cancelled", Guidance: map[string]*checkin.Guidance{}}
	}
	return out, rows.Err()
}
