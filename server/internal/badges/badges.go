// Package badges gathers from the database what the desk prints — a badge
// (attendee, live credential, category colour, seat), an attendee's meal
// and room slips, a session's 签到表 — for badge/render to draw, and keeps
// the print log: who printed which serial, when, and why.
package badges

import (
	"bytes"
	"context"
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

// ErrNoSlips is returned for slips of an attendee with no meal and no
// room: there is nothing to print, and nothing is logged.
var ErrNoSlips = errors.New("badges: attendee has no meals or room")

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
	label, err := s.db.SeatLabel(ctx, session, id)
	if errors.Is(err, store.ErrNotFound) {
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
	ids, err := s.db.BadgeBatch(ctx, store.BatchFilter{Delegation: f.Delegation, Category: f.Category, NotPrinted: f.NotPrinted}, limit)
	if err != nil {
		return nil, fmt.Errorf("badges: batch: %w", err)
	}
	return ids, nil
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

// log records prints made now in one transaction.
func (s *Service) log(ctx context.Context, prints []Print) error {
	rows := make([]store.BadgePrint, len(prints))
	for i, p := range prints {
		rows[i] = store.BadgePrint{Attendee: p.Attendee, Serial: p.Serial, Kind: p.Kind, Layout: p.Layout, Batch: p.Batch,
			Actor: p.Actor, Reason: p.Reason}
	}
	if err := s.db.LogPrints(ctx, rows, time.Now()); err != nil {
		return fmt.Errorf("badges: %w", err)
	}
	return nil
}

// Prints lists an attendee's print log, newest first, times in the
// event's zone.
func (s *Service) Prints(ctx context.Context, id int64) ([]Print, error) {
	rows, err := s.db.Prints(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("badges: %w", err)
	}
	loc := s.catalog().Location
	out := make([]Print, len(rows))
	for i, p := range rows {
		out[i] = Print{Attendee: p.Attendee, Serial: p.Serial, Kind: p.Kind, Layout: p.Layout, Batch: p.Batch,
			Actor: p.Actor, Reason: p.Reason, At: p.At.In(loc).Format(time.RFC3339)}
	}
	return out, nil
}

// Problem is an attendee of a batch whose badge cannot print as it stands.
type Problem struct {
	Attendee int64  `json:"attendee_id"`
	Name     string `json:"name"`
	Field    string `json:"field"`
	Missing  []rune `json:"-"`
	Chars    string `json:"characters"`
}

// loadBatch loads the badges of ids and checks each against the fonts
// before anything is printed, so a batch never comes out with one bad
// badge in the middle: it answers the badges, or every problem found.
// progress, when not nil, hears how many have been checked.
func (s *Service) loadBatch(ctx context.Context, ids []int64, session string, progress func(done int)) ([]*render.Badge, []Problem, error) {
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

// PrintBadge draws attendee id's badge as a one-page PDF on o — with their
// photo when the layout prints one, their seat in session when one is
// given — and logs the print by actor (reason says why it is printed
// again). It answers the PDF and the badge drawn, whose name and serial
// name the file; nothing is logged when nothing was drawn.
func (s *Service) PrintBadge(ctx context.Context, id int64, session string, o render.Options, actor, reason string) ([]byte, *render.Badge, error) {
	r, err := render.Default()
	if err != nil {
		return nil, nil, err
	}
	b, err := s.withPhoto(ctx, r, o, id, session)
	if err != nil {
		return nil, nil, err
	}
	var pdf bytes.Buffer
	if err := r.BadgePDF(&pdf, b, o); err != nil {
		return nil, nil, err
	}
	if err := s.log(ctx, []Print{{Attendee: id, Serial: b.Serial, Kind: "badge", Layout: o.Size, Actor: actor, Reason: reason}}); err != nil {
		return nil, nil, err
	}
	return pdf.Bytes(), b, nil
}

// PreviewBadge draws attendee id's badge as PNG, as PrintBadge would print
// it; a preview is not a print and is not logged.
func (s *Service) PreviewBadge(ctx context.Context, id int64, session string, o render.Options) ([]byte, error) {
	r, err := render.Default()
	if err != nil {
		return nil, err
	}
	b, err := s.withPhoto(ctx, r, o, id, session)
	if err != nil {
		return nil, err
	}
	var img bytes.Buffer
	if err := r.BadgePNG(&img, b, o); err != nil {
		return nil, err
	}
	return img.Bytes(), nil
}

// withPhoto loads attendee id's badge and, when o's layout prints one (the
// *-photo sizes), their stored photo; a person without one gets the blank
// frame.
func (s *Service) withPhoto(ctx context.Context, r *render.Renderer, o render.Options, id int64, session string) (*render.Badge, error) {
	b, err := s.Badge(ctx, id, session)
	if err != nil {
		return nil, err
	}
	return b, s.addPhoto(ctx, r, o, id, b)
}

func (s *Service) addPhoto(ctx context.Context, r *render.Renderer, o render.Options, id int64, b *render.Badge) error {
	if !r.WantsPhoto(o, b.Category) {
		return nil
	}
	p, err := s.db.Photo(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	b.Photo = p.JPEG
	return nil
}

// PrintSlips draws attendee id's meal and room slips as a PDF and logs the
// print by actor; ErrNoSlips when they have neither. It answers the PDF
// and the slips drawn, whose name names the file.
func (s *Service) PrintSlips(ctx context.Context, id int64, actor string) ([]byte, *render.Slips, error) {
	r, err := render.Default()
	if err != nil {
		return nil, nil, err
	}
	sl, err := s.Slips(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if len(sl.Meals) == 0 && sl.Room == nil {
		return nil, nil, ErrNoSlips
	}
	var pdf bytes.Buffer
	if _, err := r.SlipsPDF(&pdf, sl); err != nil {
		return nil, nil, err
	}
	if err := s.log(ctx, []Print{{Attendee: id, Serial: sl.Serial, Kind: "slips", Actor: actor}}); err != nil {
		return nil, nil, err
	}
	return pdf.Bytes(), sl, nil
}

// The phases of a batch print, in order, as PrintBatch reports them.
const (
	PhaseCheck = "check" // loading each badge and checking its characters against the fonts
	PhaseDraw  = "draw"  // laying the badges out on A4
	PhaseWrite = "write" // writing the PDF file
)

// BatchProblems is the error of a batch with badges that cannot print as
// they stand (a character no font has): nothing was printed, and the desk
// is told who and what.
type BatchProblems struct {
	Problems []Problem
}

// Error says how many attendees stopped the batch; the desk reads Problems.
func (e *BatchProblems) Error() string {
	return fmt.Sprintf("badges: %d attendees have characters no font has", len(e.Problems))
}

// BatchPrint says what a batch print came to.
type BatchPrint struct {
	ID     string // the print log's batch id
	Badges int
	Pages  int
}

// PrintBatch draws the badges of ids N-up on A4 with crop marks and logs
// the prints by actor as one batch. Every badge is checked first: one
// character no font has stops the whole batch (*BatchProblems) before any
// paper is used. progress hears each phase and how many badges it has done.
func (s *Service) PrintBatch(ctx context.Context, ids []int64, session string, o render.Options, actor string,
	progress func(phase string, done int)) ([]byte, BatchPrint, error) {
	var made BatchPrint
	progress(PhaseCheck, 0)
	list, problems, err := s.loadBatch(ctx, ids, session, func(k int) { progress(PhaseCheck, k) })
	if err != nil {
		return nil, made, err
	}
	if len(problems) > 0 {
		return nil, made, &BatchProblems{Problems: problems}
	}
	r, err := render.Default()
	if err != nil {
		return nil, made, err
	}
	progress(PhaseDraw, 0)
	i := 0
	next := func() (*render.Badge, error) {
		if i > 0 {
			progress(PhaseDraw, i)
		}
		if i == len(list) {
			progress(PhaseWrite, len(list))
			return nil, nil
		}
		i++
		// Photos are read as each badge is drawn, not all before: the
		// check phase stays quick and holds no photos.
		b := list[i-1]
		return b, s.addPhoto(ctx, r, o, ids[i-1], b)
	}
	var pdf bytes.Buffer
	made.Badges, made.Pages, err = r.SheetPDF(&pdf, next, o)
	if err != nil {
		return nil, made, err
	}
	made.ID = time.Now().UTC().Format("20060102T150405.000")
	prints := make([]Print, len(list))
	for k, b := range list {
		prints[k] = Print{Attendee: ids[k], Serial: b.Serial, Kind: "badge", Layout: o.Size, Batch: made.ID, Actor: actor}
	}
	if err := s.log(ctx, prints); err != nil {
		return nil, made, err
	}
	return pdf.Bytes(), made, nil
}
