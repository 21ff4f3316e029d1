package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// ImportRow is one validated row of an attendee list.
type ImportRow struct {
	Line     int // spreadsheet row number, for errors
	Attendee domain.Attendee
}

// RowError is a problem found while storing a row (the importer has
// already checked the file itself).
type RowError struct {
	Line  int
	Field string // importer field name, e.g. "group"
	Err   error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d, %s: %v", e.Line, e.Field, e.Err) }

// ImportSummary counts what an import did (or, for a dry run, would do).
type ImportSummary struct {
	Created int
	Updated int
}

// errDryRun rolls a dry run's transaction back after it has gone through
// every row.
var errDryRun = errors.New("dry run")

// ImportAttendees upserts rows by key in one transaction: all of them are
// stored, or none. fields names the columns the file had; an existing
// attendee keeps what the file does not mention. Every imported attendee's
// entitlements are then recomputed from the definition's rules (see
// recompute); a row with a room gets that room. With dryRun nothing is
// stored but the answer is the same.
func (db *DB) ImportAttendees(ctx context.Context, rows []ImportRow, fields map[string]bool, dryRun bool, actor string) (ImportSummary, error) {
	var sum ImportSummary
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		cat, err := db.Catalog(ctx)
		if err != nil {
			return Change{}, err
		}
		now := FormatTime(time.Now())
		var change Change
		for _, r := range rows {
			a := r.Attendee
			if _, ok := cat.Categories[a.Category]; !ok {
				return Change{}, &RowError{Line: r.Line, Field: "category", Err: fmt.Errorf("unknown category %q", a.Category)}
			}
			id, created, err := upsertAttendee(ctx, tx, &a, now, fields)
			if err != nil {
				field := "name"
				if a.Group != "" && errors.Is(err, errUnknownGroup) {
					field = "group"
				}
				return Change{}, &RowError{Line: r.Line, Field: field, Err: err}
			}
			change.Attendees = append(change.Attendees, id)
			if created {
				sum.Created++
				if err := legacyEntitlements(ctx, tx, id, &a); err != nil {
					return Change{}, &RowError{Line: r.Line, Field: "name", Err: err}
				}
			} else {
				sum.Updated++
			}
			if a.Lodging != nil && a.Lodging.Room != "" {
				if err := setRoom(ctx, tx, cat, id, a.Lodging); err != nil {
					return Change{}, &RowError{Line: r.Line, Field: "room", Err: err}
				}
			}
		}
		if err := recompute(ctx, tx, change.Attendees); err != nil {
			return Change{}, fmt.Errorf("store: recompute entitlements: %w", err)
		}
		if dryRun {
			return Change{}, errDryRun
		}
		change.Sessions = make([]string, 0, len(cat.SessionList))
		for _, s := range cat.SessionList {
			change.Sessions = append(change.Sessions, s.ID)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, 'import', ?)`,
			now, actor, fmt.Sprintf("created %d, updated %d", sum.Created, sum.Updated))
		return change, err
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return sum, err
}

// legacyEntitlements puts a new attendee on the lists of sessions that
// have no 应到 rule, which only a database from before rules has: every
// plenary but for the press, and their own group's sessions.
func legacyEntitlements(ctx context.Context, tx *sql.Tx, id int64, a *domain.Attendee) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO session_attendees (session_id, attendee_id)
		SELECT s.id, ?1 FROM sessions s LEFT JOIN groups g ON g.id = s.group_id
		WHERE s.expected IS NULL AND ((s.kind = 'plenary' AND ?2 <> ?3) OR (g.name <> '' AND g.name = ?4))`,
		id, a.Category, domain.CategoryPress, a.Group)
	return err
}

func setRoom(ctx context.Context, tx *sql.Tx, cat *Catalog, id int64, l *domain.Lodging) error {
	v, ok := cat.Venues[l.Venue]
	if !ok || v.Kind != domain.VenueHotel {
		for _, cand := range cat.Venues {
			if cand.Kind == domain.VenueHotel {
				v, ok = cand, true
				break
			}
		}
	}
	if !ok {
		return errors.New("the event has no hotel")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO lodging (attendee_id, venue_id, room, check_in, check_out) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (attendee_id) DO UPDATE SET venue_id = excluded.venue_id, room = excluded.room`,
		id, v.ID, l.Room, l.CheckIn, l.CheckOut)
	return err
}
