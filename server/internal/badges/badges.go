// Package badges gathers from the database what the desk prints — a badge
// (attendee, live credential, category colour, seat), an attendee's meal
// and room slips, a session's 签到表 — for badge/render to draw, and keeps
// the print log: who printed which serial, when, and why.
package badges

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/store"
)

// ErrCancelled is returned for an attendee whose registration is cancelled:
// such a person gets no badge.
var ErrCancelled = errors.New("badges: attendee is cancelled")

// Service loads print data and logs prints.
type Service struct {
	db      *store.DB
	creds   *credentials.Service
	catalog func() *store.Catalog
}

// New returns a service over db. catalog gives the current catalog (it is
// reloaded when the configuration changes).
func New(db *store.DB, creds *credentials.Service, catalog func() *store.Catalog) *Service {
	return &Service{db: db, creds: creds, catalog: catalog}
}

// printable loads an attendee who may have paper printed, with their live
// credential (issued now if they have none): a cancelled attendee may not.
func (s *Service) printable(ctx context.Context, id int64) (store.Attendee, credentials.Credential, error) {
	a, err := s.db.Attendee(ctx, id)
	if err != nil {
		return a, credentials.Credential{}, err
	}
	if a.Status == "cancelled" {
		return a, credentials.Credential{}, ErrCancelled
	}
	cred, err := s.creds.Current(ctx, id)
	return a, cred, err
}

// Badge loads attendee id's badge. With a session id the badge shows the
// attendee's seat in that session (none when unseated).
func (s *Service) Badge(ctx context.Context, id int64, session string) (*render.Badge, error) {
	a, cred, err := s.printable(ctx, id)
	if err != nil {
		return nil, err
	}
	cat := s.catalog()
	k := cat.Categories[a.Category]
	b := &render.Badge{Event: cat.Event.Name, Name: a.Name, Title: a.Title, Organization: a.Organization,
		Delegation: a.Delegation, Category: a.Category, CategoryName: k.Name, Color: k.Color,
		Pattern: patternOf(cat, a.Category), Token: cred.Token, Serial: cred.Serial}
	if session != "" {
		if b.Seat, err = s.seat(ctx, id, session); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// patternOf is the band pattern of category code: by its place in the
// event's order of categories, so the first prints plain and the rest
// differ in grey too.
func patternOf(cat *store.Catalog, code string) render.Pattern {
	k, ok := cat.Categories[code]
	if !ok {
		return render.Solid
	}
	i := 0
	for _, o := range cat.Categories {
		if o.Sort < k.Sort || o.Sort == k.Sort && o.Code < k.Code {
			i++
		}
	}
	return render.PatternFor(i)
}

// seat formats the attendee's seat in a session as "会堂 A-5-12", or "".
func (s *Service) seat(ctx context.Context, id int64, session string) (string, error) {
	cat := s.catalog()
	ses, ok := cat.Sessions[session]
	if !ok {
		return "", store.ErrNotFound
	}
	var label string
	err := s.db.R.QueryRowContext(ctx, `SELECT st.label FROM seat_assignments x JOIN seats st ON st.id = x.seat_id
		WHERE x.session_id = ? AND x.attendee_id = ?`, session, id).Scan(&label)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("badges: seat: %w", err)
	}
	return cat.Venues[ses.Venue].Name + " " + label, nil
}

// Filter picks the attendees of a batch print.
type Filter struct {
	Delegation string // delegation name; "" for all
	Category   string // category code; "" for all
	NotPrinted bool   // only those whose live badge has not been printed
}

// Batch lists the active attendees matching f in print order: by
// delegation, then list rank, so a delegation's badges come out together.
func (s *Service) Batch(ctx context.Context, f Filter, limit int) ([]int64, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT a.id FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE a.status = 'active' AND (?1 = '' OR d.name = ?1) AND (?2 = '' OR a.category = ?2)
		  AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM badge_prints p JOIN credentials c ON c.serial = p.serial
		       WHERE p.attendee_id = a.id AND p.kind = 'badge' AND c.revoked_at IS NULL))
		ORDER BY coalesce(d.sort, 1e9), d.name, a.rank, a.id LIMIT ?4`, f.Delegation, f.Category, f.NotPrinted, limit)
	if err != nil {
		return nil, fmt.Errorf("badges: batch: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Print is one entry of the print log.
type Print struct {
	Attendee int64  `json:"attendee_id"`
	Serial   int64  `json:"serial"`
	Kind     string `json:"kind"` // badge or slips
	Layout   string `json:"layout,omitempty"`
	Batch    string `json:"batch,omitempty"`
	Actor    string `json:"actor"`
	Reason   string `json:"reason,omitempty"`
	At       string `json:"printed_at"`
}

// Log records prints in one transaction.
func (s *Service) Log(ctx context.Context, prints []Print) error {
	now := store.FormatTime(time.Now())
	return s.db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		st, err := tx.PrepareContext(ctx, `INSERT INTO badge_prints (attendee_id, serial, kind, layout, batch, actor, reason, printed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return store.Change{}, err
		}
		defer st.Close()
		for _, p := range prints {
			if _, err := st.ExecContext(ctx, p.Attendee, p.Serial, p.Kind, p.Layout, p.Batch, p.Actor, p.Reason, now); err != nil {
				return store.Change{}, fmt.Errorf("badges: log print: %w", err)
			}
		}
		return store.Change{}, nil
	})
}

// Prints lists an attendee's print log, newest first, times in the
// event's zone.
func (s *Service) Prints(ctx context.Context, id int64) ([]Print, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT attendee_id, serial, kind, layout, batch, actor, reason, printed_at
		FROM badge_prints WHERE attendee_id = ? ORDER BY id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("badges: prints: %w", err)
	}
	defer rows.Close()
	loc := s.catalog().Location
	out := []Print{}
	for rows.Next() {
		var p Print
		if err := rows.Scan(&p.Attendee, &p.Serial, &p.Kind, &p.Layout, &p.Batch, &p.Actor, &p.Reason, &p.At); err != nil {
			return nil, err
		}
		if t, err := store.ParseTime(p.At); err == nil {
			p.At = t.In(loc).Format(time.RFC3339)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Problem is an attendee of a batch whose badge cannot print as it stands.
type Problem struct {
	Attendee int64  `json:"attendee_id"`
	Name     string `json:"name"`
	Field    string `json:"field"`
	Missing  []rune `json:"-"`
	Chars    string `json:"characters"`
}

// LoadBatch loads the badges of ids and checks each against the fonts
// before anything is printed, so a batch never comes out with one bad
// badge in the middle: it answers the badges, or every problem found.
// progress, when not nil, hears how many have been checked.
func (s *Service) LoadBatch(ctx context.Context, ids []int64, session string, progress func(done int)) ([]*render.Badge, []Problem, error) {
	out := make([]*render.Badge, 0, len(ids))
	var problems []Problem
	for k, id := range ids {
		if progress != nil && k > 0 {
			progress(k)
		}
		b, err := s.Badge(ctx, id, session)
		if err != nil {
			return nil, nil, fmt.Errorf("badges: attendee %d: %w", id, err)
		}
		var mg *render.MissingGlyphsError
		if err := b.Check(); errors.As(err, &mg) {
			problems = append(problems, Problem{Attendee: id, Name: b.Name, Field: mg.Field, Missing: mg.Runes,
				Chars: render.FormatRunes(mg.Runes)})
			continue
		} else if err != nil {
			return nil, nil, err
		}
		out = append(out, b)
	}
	return out, problems, nil
}
