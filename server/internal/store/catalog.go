package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"huiwu/server/internal/domain"
)

// Catalog is the event's small, slowly changing configuration — venues,
// sessions, meals, checkpoints, categories — read once and held in memory so
// that a scan decision needs no query for it. A write that changes any says
// so in its Change (Catalog or Definition), and FollowCatalog reads it again.
type Catalog struct {
	Event          domain.Event
	Location       *time.Location
	Categories     map[string]domain.Category
	Venues         map[string]Venue // by code
	VenueByID      map[int64]string // id -> code
	Sessions       map[string]*Session
	SessionList    []*Session // in schedule order
	Meals          map[string]*domain.Meal
	MealList       []*domain.Meal // in time order
	Checkpoints    map[string]*domain.Checkpoint
	CheckpointList []*domain.Checkpoint
}

// Venue is a venue as the catalog holds it: its row id and the venue
// without its contents — Seats, Tables and Rooms stay empty here, as a scan
// needs none of them (VenuePlan reads a venue with its seats and tables).
type Venue struct {
	ID int64
	domain.Venue
}

// Session is a session with its venue's row id.
type Session struct {
	domain.Session
	VenueID int64
}

// EmptyCatalog is the catalog of a server with no event yet: nothing to
// scan at, no sessions, and the event's usual timezone.
func EmptyCatalog() *Catalog {
	c := &Catalog{
		Categories:  map[string]domain.Category{},
		Venues:      map[string]Venue{},
		VenueByID:   map[int64]string{},
		Sessions:    map[string]*Session{},
		Meals:       map[string]*domain.Meal{},
		Checkpoints: map[string]*domain.Checkpoint{},
		Location:    time.FixedZone("Asia/Shanghai", 8*3600),
	}
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		c.Location = loc
	}
	return c
}

// Ends is when the event is over: its last session or meal window closes.
// Without either, the end of its first day in its zone (zero without a
// start date).
func (c *Catalog) Ends() time.Time {
	var end time.Time
	for _, s := range c.SessionList {
		if s.ClosesAt.After(end) {
			end = s.ClosesAt
		}
	}
	for _, m := range c.MealList {
		if m.ClosesAt.After(end) {
			end = m.ClosesAt
		}
	}
	if end.IsZero() {
		if day, err := time.ParseInLocation(time.DateOnly, c.Event.StartsOn, c.Location); err == nil {
			end = day.AddDate(0, 0, 1)
		}
	}
	return end
}

// Catalog reads the catalog. It fails with ErrNotFound when no event is
// loaded yet.
func (db *DB) Catalog(ctx context.Context) (*Catalog, error) {
	c := EmptyCatalog()
	e := &c.Event
	err := db.r.QueryRowContext(ctx, `SELECT id, name, name_en, timezone, starts_on, face_verification, badge_layout, face_retention_days FROM event`).
		Scan(&e.ID, &e.Name, &e.NameEn, &e.Timezone, &e.StartsOn, &e.FaceVerification, &e.BadgeLayout, &e.FaceRetentionDays)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("store: read event: %w", err)
	}
	if c.Location, err = time.LoadLocation(e.Timezone); err != nil {
		// A venue server without tzdata still runs: China has had one
		// offset since 1991.
		c.Location = time.FixedZone(e.Timezone, 8*3600)
	}
	for _, step := range []func(context.Context, *Catalog) error{
		db.readCategories, db.readVenues, db.readSessions, db.readMeals, db.readCheckpoints,
	} {
		if err := step(ctx, c); err != nil {
			return nil, fmt.Errorf("store: read catalog: %w", err)
		}
	}
	return c, nil
}

func (db *DB) readCategories(ctx context.Context, c *Catalog) error {
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, name_en, color, voting, sort FROM categories ORDER BY sort`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k domain.Category
		if err := rows.Scan(&k.Code, &k.Name, &k.NameEn, &k.Color, &k.Voting, &k.Sort); err != nil {
			return err
		}
		c.Categories[k.Code] = k
	}
	return rows.Err()
}

func (db *DB) readVenues(ctx context.Context, c *Catalog) error {
	rows, err := db.r.QueryContext(ctx, `SELECT id, code, name, name_en, kind, capacity, doors FROM venues ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v Venue
		var doors string
		if err := rows.Scan(&v.ID, &v.Code, &v.Name, &v.NameEn, &v.Kind, &v.Capacity, &doors); err != nil {
			return err
		}
		_ = json.Unmarshal([]byte(doors), &v.Doors)
		c.Venues[v.Code] = v
		c.VenueByID[v.ID] = v.Code
	}
	return rows.Err()
}

func (db *DB) readSessions(ctx context.Context, c *Catalog) error {
	rows, err := db.r.QueryContext(ctx, `SELECT s.id, s.name, s.name_en, s.kind, s.venue_id, coalesce(g.name, ''),
		s.opens_at, s.starts_at, s.ends_at, s.closes_at, s.quorum_base, s.quorum_num, s.quorum_den, s.quorum_strict,
		s.quorum_categories, s.presidium_rule, s.honour, s.sort, s.absent_from
		FROM sessions s LEFT JOIN groups g ON g.id = s.group_id ORDER BY s.starts_at, s.sort, s.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		s := &Session{}
		var opens, starts, ends, closes, cats string
		if err := rows.Scan(&s.ID, &s.Name, &s.NameEn, &s.Kind, &s.VenueID, &s.Group,
			&opens, &starts, &ends, &closes, &s.Quorum.Base, &s.Quorum.Num, &s.Quorum.Den, &s.Quorum.Strict,
			&cats, &s.PresidiumRule, &s.Honour, &s.Sort, &s.AbsentFrom); err != nil {
			return err
		}
		s.OpensAt, s.StartsAt, s.EndsAt, s.ClosesAt = ReadTime(opens), ReadTime(starts), ReadTime(ends), ReadTime(closes)
		_ = json.Unmarshal([]byte(cats), &s.Quorum.Categories)
		s.Venue = c.VenueByID[s.VenueID]
		c.Sessions[s.ID] = s
		c.SessionList = append(c.SessionList, s)
	}
	return rows.Err()
}

func (db *DB) readMeals(ctx context.Context, c *Catalog) error {
	rows, err := db.r.QueryContext(ctx, `SELECT id, date, slot, name, opens_at, closes_at FROM meals ORDER BY opens_at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		m := &domain.Meal{}
		var opens, closes string
		if err := rows.Scan(&m.ID, &m.Date, &m.Slot, &m.Name, &opens, &closes); err != nil {
			return err
		}
		m.OpensAt, m.ClosesAt = ReadTime(opens), ReadTime(closes)
		c.Meals[m.ID] = m
		c.MealList = append(c.MealList, m)
	}
	return rows.Err()
}

func (db *DB) readCheckpoints(ctx context.Context, c *Catalog) error {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, name_en, kind, venue_id, coalesce(session_id, ''), coalesce(meal_id, ''), door,
		photo_check, face FROM checkpoints ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p := &domain.Checkpoint{}
		var venueID int64
		if err := rows.Scan(&p.ID, &p.Name, &p.NameEn, &p.Kind, &venueID, &p.Session, &p.Meal, &p.Door, &p.PhotoCheck, &p.Face); err != nil {
			return err
		}
		p.Venue = c.VenueByID[venueID]
		c.Checkpoints[p.ID] = p
		c.CheckpointList = append(c.CheckpointList, p)
	}
	return rows.Err()
}

// VotingCategories returns the categories that count for s: its own list,
// or else every voting category.
func (c *Catalog) VotingCategories(s *Session) []string {
	if len(s.Quorum.Categories) > 0 {
		return s.Quorum.Categories
	}
	var out []string
	for code, k := range c.Categories {
		if k.Voting {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}
