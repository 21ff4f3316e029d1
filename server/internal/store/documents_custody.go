package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The chain of custody of a confidential copy: every issue, return and
// loss is a copy_events row, written in one transaction with its audit
// line. The database refuses a second issue of a copy that is out, and a
// return by anyone but the holder without a reason (schema_documents.go);
// the checks here come first only so that the refusal can say who holds it.

// The refusals of the documents desk.
var (
	// ErrCopyLost: the copy was reported lost; it can be neither issued nor returned.
	ErrCopyLost = errors.New("store: the copy was reported lost")
	// ErrCopyNotOut: returning, or reporting lost, a copy nobody holds.
	ErrCopyNotOut = errors.New("store: the copy is not out")
	// ErrNotRecipient: the person is not among those the document is for.
	ErrNotRecipient = errors.New("store: the person may not receive this document")
	// ErrBadgeRevoked: the badge scanned was replaced or cancelled.
	ErrBadgeRevoked = errors.New("store: the badge was revoked")
	// ErrBadgeUnknown: the badge's serial is not one this server issued to that person.
	ErrBadgeUnknown = errors.New("store: unknown badge")
	// ErrCopyReason: a reason is required (a loss) or too long, or the place is too long.
	ErrCopyReason = errors.New("store: a reason is required")
)

// CopyOutError: the copy is out already, with whom and since when.
type CopyOutError struct {
	Holder DocPerson `json:"holder"`
	Since  time.Time `json:"since"`
}

func (e *CopyOutError) Error() string { return "store: the copy is out with " + e.Holder.Name }

// HoldsCopyError: the person holds another copy of the same document.
type HoldsCopyError struct {
	Copy int `json:"copy"`
}

func (e *HoldsCopyError) Error() string {
	return fmt.Sprintf("store: the person holds copy %d already", e.Copy)
}

// ReturnedByOtherError: the copy comes back from someone who is not its
// holder, and the desk gave no reason.
type ReturnedByOtherError struct {
	Holder DocPerson `json:"holder"`
	By     DocPerson `json:"by"`
}

func (e *ReturnedByOtherError) Error() string {
	return "store: the copy is held by " + e.Holder.Name + ", not " + e.By.Name
}

// CopyScan is one act at the desk on one copy.
type CopyScan struct {
	Document int64
	Copy     int
	// Person is who was scanned: who receives the copy (issue) or who
	// brings it back (return; 0 means the holder).
	Person int64
	// Serial is the badge scanned for Person; 0 when the desk chose the
	// person without a badge.
	Serial int64
	Reason string
	Place  string
	Actor  string
	At     time.Time // zero: now
}

// CopyEvent is one link of a copy's chain of custody.
type CopyEvent struct {
	ID       int64      `json:"id"`
	Document int64      `json:"document_id"`
	Copy     int        `json:"copy"`
	Kind     string     `json:"kind"` // issue, return, lost
	Holder   DocPerson  `json:"holder"`
	By       *DocPerson `json:"by,omitempty"` // a return by someone else (代还)
	Serial   int64      `json:"serial,omitempty"`
	Reason   string     `json:"reason,omitempty"`
	Place    string     `json:"place"`
	Actor    string     `json:"actor"`
	At       time.Time  `json:"at"`
}

// IssueCopy hands the copy to s.Person (发放).
func (db *DB) IssueCopy(ctx context.Context, s CopyScan) (CopyEvent, error) {
	return db.copyEvent(ctx, "issue", s)
}

// ReturnCopy takes the copy back (清退) from s.Person, or its holder when
// s.Person is 0. From anyone but the holder it needs s.Reason.
func (db *DB) ReturnCopy(ctx context.Context, s CopyScan) (CopyEvent, error) {
	return db.copyEvent(ctx, "return", s)
}

// LoseCopy records that the copy out was lost, with s.Reason.
func (db *DB) LoseCopy(ctx context.Context, s CopyScan) (CopyEvent, error) {
	return db.copyEvent(ctx, "lost", s)
}

func (db *DB) copyEvent(ctx context.Context, kind string, s CopyScan) (CopyEvent, error) {
	s.Reason, s.Place = strings.TrimSpace(s.Reason), strings.TrimSpace(s.Place)
	if utf8.RuneCountInString(s.Reason) > maxCopyReason || utf8.RuneCountInString(s.Place) > maxCopyPlace ||
		(kind == "lost" && s.Reason == "") {
		return CopyEvent{}, ErrCopyReason
	}
	at := s.At
	if at.IsZero() {
		at = time.Now()
	}
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var state string
		var holder sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT state, holder_id FROM document_copies WHERE document_id = ? AND copy = ?`,
			s.Document, s.Copy).Scan(&state, &holder)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, fmt.Errorf("store: copy: %w", err)
		}
		if state == "lost" {
			return Change{}, ErrCopyLost
		}
		if s.Serial != 0 {
			if err := badgeOf(ctx, tx, s.Serial, s.Person); err != nil {
				return Change{}, err
			}
		}
		var person any
		switch kind {
		case "issue":
			if state == "out" {
				e := &CopyOutError{}
				var since string
				if err := tx.QueryRowContext(ctx, `SELECT max(at) FROM copy_events WHERE document_id = ? AND copy = ?`, s.Document, s.Copy).Scan(&since); err != nil {
					return Change{}, err
				}
				e.Since = ReadTime(since)
				if e.Holder, err = docPerson(ctx, tx, holder.Int64); err != nil {
					return Change{}, err
				}
				return Change{}, e
			}
			if err := mayReceive(ctx, tx, s.Document, s.Person); err != nil {
				return Change{}, err
			}
			holder.Int64 = s.Person
		case "return", "lost":
			if state != "out" {
				return Change{}, ErrCopyNotOut
			}
			if kind == "return" {
				if s.Person == 0 {
					s.Person = holder.Int64
				}
				person = s.Person
				if s.Person != holder.Int64 {
					if _, err := docPerson(ctx, tx, s.Person); err != nil {
						return Change{}, err
					}
				}
				if s.Person != holder.Int64 && s.Reason == "" {
					e := &ReturnedByOtherError{}
					if e.Holder, err = docPerson(ctx, tx, holder.Int64); err != nil {
						return Change{}, err
					}
					if e.By, err = docPerson(ctx, tx, s.Person); err != nil {
						return Change{}, err
					}
					return Change{}, e
				}
			}
		}
		var serial any
		if s.Serial != 0 {
			serial = s.Serial
		}
		now := FormatTime(at)
		if err := tx.QueryRowContext(ctx, `INSERT INTO copy_events (document_id, copy, kind, holder_id, person_id, serial, reason, place, actor, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.Document, s.Copy, kind, holder.Int64, person, serial, s.Reason, s.Place, s.Actor, now).Scan(&id); err != nil {
			return Change{}, custodyRefusal(err)
		}
		detail := fmt.Sprintf("copy %d %s: holder %d", s.Copy, kind, holder.Int64)
		if kind == "return" && s.Person != holder.Int64 {
			detail += fmt.Sprintf(", returned by %d: %s", s.Person, s.Reason)
		} else if s.Reason != "" {
			detail += ": " + s.Reason
		}
		if kind == "issue" && s.Serial == 0 {
			detail += " (no badge scanned)"
		}
		err = audit(ctx, tx, at, s.Actor, "document."+kind, fmt.Sprint(s.Document), detail)
		return Change{}, err
	})
	if err != nil {
		return CopyEvent{}, err
	}
	events, err := db.copyEvents(ctx, db.r, `e.id = ?`, id)
	if err != nil {
		return CopyEvent{}, err
	}
	return events[0], nil
}

// custodyRefusal turns the database's own refusals (schema_documents.go)
// into the errors above; they fire only when a write slipped past the
// checks made first.
func custodyRefusal(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "copy_not_in"):
		return fmt.Errorf("%w (%v)", &CopyOutError{}, err)
	case strings.Contains(msg, "copy_not_out"):
		return fmt.Errorf("%w (%v)", ErrCopyNotOut, err)
	case isCheck(err):
		return fmt.Errorf("%w (%v)", ErrCopyReason, err)
	}
	return fmt.Errorf("store: copy event: %w", err)
}

// BadgeHolder names the holder of a live badge: ErrBadgeUnknown when the
// serial is not person's, ErrBadgeRevoked when it was replaced.
func (db *DB) BadgeHolder(ctx context.Context, serial, person int64) (DocPerson, error) {
	if err := badgeOf(ctx, db.r, serial, person); err != nil {
		return DocPerson{}, err
	}
	return docPerson(ctx, db.r, person)
}

// badgeOf checks that serial is a live badge of person.
func badgeOf(ctx context.Context, q querier, serial, person int64) error {
	var holder int64
	var revoked bool
	err := q.QueryRowContext(ctx, `SELECT attendee_id, revoked_at IS NOT NULL FROM credentials WHERE serial = ?`, serial).Scan(&holder, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && holder != person):
		return ErrBadgeUnknown
	case err != nil:
		return fmt.Errorf("store: badge: %w", err)
	case revoked:
		return ErrBadgeRevoked
	}
	return nil
}

// mayReceive: the person is active, the document is for them, and they
// hold no other copy of it.
func mayReceive(ctx context.Context, tx *sql.Tx, doc, person int64) error {
	var due bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM documents d JOIN attendees a ON a.id = ?2
		WHERE d.id = ?1 AND `+dueWhere+`)`, doc, person).Scan(&due)
	if err != nil {
		return fmt.Errorf("store: recipient: %w", err)
	}
	if !due {
		return ErrNotRecipient
	}
	var other int
	err = tx.QueryRowContext(ctx, `SELECT copy FROM document_copies WHERE document_id = ? AND holder_id = ?`, doc, person).Scan(&other)
	if err == nil {
		return &HoldsCopyError{Copy: other}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: copies held: %w", err)
	}
	return nil
}

func docPerson(ctx context.Context, q querier, id int64) (DocPerson, error) {
	p := DocPerson{ID: id}
	err := q.QueryRowContext(ctx, `SELECT name, organization, category FROM attendees WHERE id = ?`, id).Scan(&p.Name, &p.Organization, &p.Category)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// DocPerson names an attendee for the documents desk.
func (db *DB) DocPerson(ctx context.Context, id int64) (DocPerson, error) {
	return docPerson(ctx, db.r, id)
}

// copyEvents reads chain links matching where, in order.
func (db *DB) copyEvents(ctx context.Context, q querier, where string, args ...any) ([]CopyEvent, error) {
	return readAll(ctx, q, "copy events", func(r interface{ Scan(...any) error }) (CopyEvent, error) {
		var e CopyEvent
		var at string
		var serial, bid sql.NullInt64
		var bname, borg, bcat sql.NullString
		err := r.Scan(&e.ID, &e.Document, &e.Copy, &e.Kind, &e.Holder.ID, &e.Holder.Name, &e.Holder.Organization, &e.Holder.Category,
			&bid, &bname, &borg, &bcat, &serial, &e.Reason, &e.Place, &e.Actor, &at)
		e.At = ReadTime(at)
		e.Serial = serial.Int64
		if bid.Valid && bid.Int64 != e.Holder.ID {
			e.By = &DocPerson{ID: bid.Int64, Name: bname.String, Organization: borg.String, Category: bcat.String}
		}
		return e, err
	}, `SELECT e.id, e.document_id, e.copy, e.kind, h.id, h.name, h.organization, h.category,
			b.id, b.name, b.organization, b.category, e.serial, e.reason, e.place, e.actor, e.at
		FROM copy_events e JOIN attendees h ON h.id = e.holder_id LEFT JOIN attendees b ON b.id = e.person_id
		WHERE `+where+` ORDER BY e.document_id, e.copy, e.id`, args...)
}

// CopyChain is a copy's whole chain of custody, oldest first.
func (db *DB) CopyChain(ctx context.Context, doc int64, copy int) ([]CopyEvent, error) {
	return db.copyEvents(ctx, db.r, `e.document_id = ? AND e.copy = ?`, doc, copy)
}

// HeldCopy is a copy a person holds now.
type HeldCopy struct {
	Document       int64     `json:"document_id"`
	Title          string    `json:"title"`
	Number         string    `json:"number"`
	Classification string    `json:"classification"`
	Copy           int       `json:"copy"`
	Since          time.Time `json:"since"`
}

// CopiesHeld lists the copies a person holds now, of every document.
func (db *DB) CopiesHeld(ctx context.Context, person int64) ([]HeldCopy, error) {
	return readAll(ctx, db.r, "copies held", func(r interface{ Scan(...any) error }) (HeldCopy, error) {
		var h HeldCopy
		var since string
		err := r.Scan(&h.Document, &h.Title, &h.Number, &h.Classification, &h.Copy, &since)
		h.Since = ReadTime(since)
		return h, err
	}, `SELECT d.id, d.title, d.number, d.classification, c.copy,
			(SELECT max(e.at) FROM copy_events e WHERE e.document_id = c.document_id AND e.copy = c.copy)
		FROM document_copies c JOIN documents d ON d.id = c.document_id
		WHERE c.holder_id = ? ORDER BY d.id, c.copy`, person)
}
