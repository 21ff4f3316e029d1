// Package kioskcache builds the offline cache a kiosk downloads: for each
// live badge, the facts kiosk/rules needs to decide a scan at the kiosk's
// checkpoint as the engine would (who the holder is, what they are entitled
// to there, what is known of their passes there) — only what that
// checkpoint calls for: seats at a door, tickets at a dining hall, the room
// number only at its hotel's desk — sealed with kiosk/guidecache under a
// key derived from the badge's token. The checkpoint and the opening
// windows of its sessions or meals travel in the clear beside the records:
// they are on the printed agenda anyway, and the kiosk needs them to tell
// "not now" from "not you".
package kioskcache

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"huiwu/kiosk/guidecache"
	"huiwu/kiosk/rules"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
)

// Doc is GET /api/v1/kiosk/cache.
type Doc = rules.Cache

// Record is what one badge opens: its holder's facts at this checkpoint.
type Record = rules.Holder

// Build makes the cache for checkpoint cp.
func Build(ctx context.Context, db *store.DB, cat *store.Catalog, creds *credentials.Service, cpID string, now time.Time) (*Doc, error) {
	cp, ok := cat.Checkpoints[cpID]
	if !ok {
		return nil, fmt.Errorf("kioskcache: unknown checkpoint %q", cpID)
	}
	doc := &Doc{Version: guidecache.Version, Event: cat.Event.ID,
		Checkpoint: cp.ID, Kind: string(cp.Kind), Venue: cp.Venue, Door: cp.Door, Timezone: cat.Event.Timezone,
		Face: checkin.FaceMode(cat, cp), PhotoCheck: cp.PhotoCheck,
		Generated: now.In(cat.Location), Expires: cat.Ends().In(cat.Location), Windows: checkin.Openings(cat, cp),
		Elsewhere: checkin.Elsewhere(cat, cp), Entries: map[string]string{}}
	if doc.Windows == nil {
		doc.Windows = []rules.Opening{}
	}
	recs, err := people(ctx, db, cat)
	if err != nil {
		return nil, err
	}
	if doc.Handout, err = handoutItems(ctx, db, cp.ID); err != nil {
		return nil, err
	}
	switch cp.Kind {
	case domain.CheckpointEntrance, domain.CheckpointExit:
		err = sessionFacts(ctx, db, doc.Windows, recs)
		if err == nil {
			err = elsewhereFacts(ctx, db, doc.Elsewhere, recs)
		}
	case domain.CheckpointMeal:
		err = mealFacts(ctx, db, cat, doc.Windows, recs)
	case domain.CheckpointLodging:
		err = lodgingFacts(ctx, db, cat, cp, recs)
	}
	if err != nil {
		return nil, err
	}
	if doc.Face != "" {
		if err := faceRefs(ctx, db, recs); err != nil {
			return nil, err
		}
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
	holders, err := db.KioskHolders(ctx)
	if err != nil {
		return nil, fmt.Errorf("kioskcache: %w", err)
	}
	out := make(map[int64]*Record, len(holders))
	for _, h := range holders {
		k := cat.Categories[h.Category]
		p := rules.Person{ID: h.ID, DisplayName: h.Name, Category: h.Category, Delegation: h.Delegation,
			CategoryName: k.Name, CategoryColor: k.Color}
		out[p.ID] = &Record{Attendee: p, Cancelled: h.Cancelled}
	}
	return out, nil
}

// faceRefs puts, at a checkpoint that checks faces, each consenting
// person's reference in their sealed record: the kiosk compares faces with
// it offline as online. Only the badge opens it (guidecache).
func faceRefs(ctx context.Context, db *store.DB, recs map[int64]*Record) error {
	refs, err := db.FaceRefs(ctx, faces.Model)
	if err != nil {
		return err
	}
	for id, v := range refs {
		if r := recs[id]; r != nil {
			r.Face, r.FaceModel = faces.EncodeRef(v), faces.Model
		}
	}
	return nil
}

// handoutItems are the items a scan at checkpoint hands out (资料发放).
func handoutItems(ctx context.Context, db *store.DB, checkpoint string) ([]rules.HandoutItem, error) {
	items, err := db.PointItems(ctx, checkpoint)
	if err != nil {
		return nil, err
	}
	var out []rules.HandoutItem
	for _, it := range items {
		out = append(out, rules.HandoutItem{Code: it.Code, Name: it.Name, NameEn: it.NameEn})
	}
	return out, nil
}
