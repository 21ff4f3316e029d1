package attendance

import (
	"context"
	"time"

	"huiwu/server/internal/store"
)

// RosterAt is Tracker.Roster computed straight from the database at now:
// the same classification and counts (see OfAt), for exports and reports
// that must say what the chair's page says.
func RosterAt(ctx context.Context, db *store.DB, cat *store.Catalog, sessionID string, now time.Time) (Roster, error) {
	s, ok := cat.Sessions[sessionID]
	if !ok {
		return Roster{}, store.ErrNotFound
	}
	rosters, err := read(ctx, db, cat, sessionID)
	if err != nil {
		return Roster{}, err
	}
	r := rosters[sessionID]
	c := r.counts(s, cat, now)
	who, err := names(ctx, db, sessionID)
	if err != nil {
		return Roster{}, err
	}
	return Roster{Counts: c, People: members(r.copyEntries(), who, c.AbsentCounted, cat.Location)}, nil
}
