package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huiwu/server/internal/domain"
)

// importPlan is what the stored event says about a list before anything
// is written: whether each row can be stored, and what would be created
// and updated.
type importPlan struct {
	cat      *Catalog
	sum      ImportSummary
	existing map[string]int64 // attendee key → id
}

// planImport checks every row as storing it would, in file order, from
// one read snapshot, and counts what would be created and updated.
func (db *DB) planImport(ctx context.Context, rows []ImportRow) (*importPlan, error) {
	cat, err := db.Catalog(ctx)
	if err != nil {
		return &importPlan{}, err
	}
	p := &importPlan{cat: cat, existing: map[string]int64{}}
	groups := map[string]bool{}
	hotel := false
	for _, v := range cat.Venues {
		hotel = hotel || v.Kind == domain.VenueHotel
	}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("store: import: %w", err)
	}
	defer tx.Rollback()
	err = errors.Join(
		eachRow(ctx, tx, `SELECT key, id FROM attendees`, func(s scanner) error {
			var k string
			var id int64
			err := s.Scan(&k, &id)
			p.existing[k] = id
			return err
		}),
		eachRow(ctx, tx, `SELECT name FROM groups`, func(s scanner) error {
			var g string
			err := s.Scan(&g)
			groups[g] = true
			return err
		}))
	if err != nil {
		return p, fmt.Errorf("store: import: %w", err)
	}
	desk, err := deskConsents(ctx, tx)
	if err != nil {
		return p, fmt.Errorf("store: import: %w", err)
	}
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		a := &r.Attendee
		switch {
		case !hasCategory(cat, a.Category):
			return p, &RowError{Line: r.Line, Field: "category", Err: fmt.Errorf("unknown category %q", a.Category)}
		case strings.TrimSpace(a.Name) == "":
			return p, &RowError{Line: r.Line, Field: "name", Err: errors.New("name is empty")}
		case a.Group != "" && !groups[a.Group]:
			return p, &RowError{Line: r.Line, Field: "group", Err: fmt.Errorf("%w %q", errUnknownGroup, a.Group)}
		case a.Lodging != nil && a.Lodging.Room != "" && !hotel:
			return p, &RowError{Line: r.Line, Field: "room", Err: errors.New("the event has no hotel")}
		}
		if id, ok := p.existing[a.Key]; ok && a.FaceConsent != nil {
			if said, ok := desk[id]; ok && said != *a.FaceConsent {
				p.sum.ConsentKept = append(p.sum.ConsentKept, r.Line)
			}
		}
		if _, ok := p.existing[a.Key]; ok || seen[a.Key] {
			p.sum.Updated++
		} else {
			p.sum.Created++
		}
		seen[a.Key] = true
	}
	return p, nil
}

func hasCategory(cat *Catalog, code string) bool {
	_, ok := cat.Categories[code]
	return ok
}

// scanner is a row being read.
type scanner interface{ Scan(...any) error }

// eachRow runs q and calls fn for each row.
func eachRow(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, fn func(scanner) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
