package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Numbered confidential documents (涉密文件, issue 13.3): the register of
// documents and their copies. The chain of custody is in
// documents_custody.go, the reports in documents_report.go.

// Classifications (密级) a document may carry, in rising order.
var Classifications = []string{"内部", "秘密", "机密", "绝密"}

// Who may receive a document.
const (
	AudienceAll        = "all"
	AudienceCategories = "categories"
	AudienceList       = "list"
)

// Limits on a document.
const (
	MaxDocumentCopies = 5000
	maxDocTitle       = 200
	maxDocNumber      = 60
	maxCopyPlace      = 60
	maxCopyReason     = 500
)

// DocumentInvalidError says which field of a new document is wrong.
type DocumentInvalidError struct{ Field string }

func (e *DocumentInvalidError) Error() string { return "store: document: bad " + e.Field }

// ErrDocumentNumberTaken: another document has that 文号.
var ErrDocumentNumberTaken = errors.New("store: another document has that number")

// DocumentInput is a new document as the desk enters it.
type DocumentInput struct {
	Title          string   `json:"title"`
	Number         string   `json:"number"`
	Classification string   `json:"classification"`
	Copies         int      `json:"copies"`
	Audience       string   `json:"audience"`
	Categories     []string `json:"categories"`
	Attendees      []int64  `json:"attendees"`
	SessionID      string   `json:"session_id"`
}

// Document is a document with its copies' tallies.
type Document struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"`
	Number         string    `json:"number"`
	Classification string    `json:"classification"`
	Copies         int       `json:"copies"`
	Audience       string    `json:"audience"`
	Categories     []string  `json:"categories"`
	Recipients     int       `json:"recipients"` // on the list (audience list)
	SessionID      string    `json:"session_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	CreatedBy      string    `json:"created_by"`
	// Issued copies were handed out at least once; Out are out now,
	// Returned back after being out, Lost reported lost.
	Issued   int `json:"issued"`
	Out      int `json:"out"`
	Returned int `json:"returned"`
	Lost     int `json:"lost"`
}

// CreateDocument registers a document and its numbered copies 1…Copies.
func (db *DB) CreateDocument(ctx context.Context, in DocumentInput, actor string) (Document, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Number = strings.TrimSpace(in.Number)
	in.SessionID = strings.TrimSpace(in.SessionID)
	if in.Audience == "" {
		in.Audience = AudienceAll
	}
	switch {
	case in.Title == "" || utf8.RuneCountInString(in.Title) > maxDocTitle:
		return Document{}, &DocumentInvalidError{"title"}
	case utf8.RuneCountInString(in.Number) > maxDocNumber:
		return Document{}, &DocumentInvalidError{"number"}
	case !slices.Contains(Classifications, in.Classification):
		return Document{}, &DocumentInvalidError{"classification"}
	case in.Copies < 1 || in.Copies > MaxDocumentCopies:
		return Document{}, &DocumentInvalidError{"copies"}
	case in.Audience != AudienceAll && in.Audience != AudienceCategories && in.Audience != AudienceList,
		in.Audience == AudienceCategories && len(in.Categories) == 0,
		in.Audience == AudienceList && len(in.Attendees) == 0,
		len(in.Categories) > 100, len(in.Attendees) > 20000:
		return Document{}, &DocumentInvalidError{"audience"}
	}
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if in.Number != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE number = ?`, in.Number).Scan(&n); err != nil {
				return Change{}, fmt.Errorf("store: document number: %w", err)
			}
			if n > 0 {
				return Change{}, ErrDocumentNumberTaken
			}
		}
		var session any
		if in.SessionID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE id = ?`, in.SessionID).Scan(&n); err != nil {
				return Change{}, fmt.Errorf("store: document session: %w", err)
			}
			if n == 0 {
				return Change{}, &DocumentInvalidError{"session_id"}
			}
			session = in.SessionID
		}
		now := FormatTime(time.Now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO documents (title, number, classification, copies, audience, session_id, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Title, in.Number, in.Classification, in.Copies, in.Audience, session, now, actor).Scan(&id); err != nil {
			return Change{}, fmt.Errorf("store: create document: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?)
			INSERT INTO document_copies (document_id, copy) SELECT ?, k FROM n`, in.Copies, id); err != nil {
			return Change{}, fmt.Errorf("store: document copies: %w", err)
		}
		if in.Audience == AudienceCategories {
			for _, c := range in.Categories {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM categories WHERE code = ?`, c).Scan(&n); err != nil {
					return Change{}, err
				}
				if n == 0 {
					return Change{}, &DocumentInvalidError{"categories"}
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO document_categories (document_id, category) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, c); err != nil {
					return Change{}, fmt.Errorf("store: document categories: %w", err)
				}
			}
		}
		if in.Audience == AudienceList {
			for _, a := range in.Attendees {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attendees WHERE id = ? AND status = 'active'`, a).Scan(&n); err != nil {
					return Change{}, err
				}
				if n == 0 {
					return Change{}, &DocumentInvalidError{"attendees"}
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO document_recipients (document_id, attendee_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, a); err != nil {
					return Change{}, fmt.Errorf("store: document recipients: %w", err)
				}
			}
		}
		return Change{}, audit(ctx, tx, ReadTime(now), actor, "document.create", fmt.Sprint(id), fmt.Sprintf("%s %s %s, %d copies, audience %s", in.Classification, in.Number, in.Title, in.Copies, in.Audience))
	})
	if err != nil {
		return Document{}, err
	}
	return db.Document(ctx, id)
}

// documentColumns read a document with its tallies (documentFrom).
const documentColumns = `SELECT d.id, d.title, d.number, d.classification, d.copies, d.audience, coalesce(d.session_id, ''),
	d.created_at, d.created_by,
	(SELECT count(*) FROM document_recipients r WHERE r.document_id = d.id),
	(SELECT string_agg(category, ',' ORDER BY category) FROM document_categories c WHERE c.document_id = d.id),
	(SELECT count(DISTINCT e.copy) FROM copy_events e WHERE e.document_id = d.id AND e.kind = 'issue'),
	(SELECT count(*) FROM document_copies c WHERE c.document_id = d.id AND c.state = 'out'),
	(SELECT count(*) FROM document_copies c WHERE c.document_id = d.id AND c.state = 'lost')
	FROM documents d`

func scanDocument(row interface{ Scan(...any) error }) (Document, error) {
	var d Document
	var created string
	var cats sql.NullString
	if err := row.Scan(&d.ID, &d.Title, &d.Number, &d.Classification, &d.Copies, &d.Audience, &d.SessionID,
		&created, &d.CreatedBy, &d.Recipients, &cats, &d.Issued, &d.Out, &d.Lost); err != nil {
		return d, err
	}
	d.CreatedAt = ReadTime(created)
	d.Categories = []string{}
	if cats.String != "" {
		d.Categories = strings.Split(cats.String, ",")
	}
	d.Returned = d.Issued - d.Out - d.Lost
	return d, nil
}

// Documents lists every document, in the order they were registered.
func (db *DB) Documents(ctx context.Context) ([]Document, error) {
	return readAll(ctx, db.r, "documents", scanDocument, documentColumns+` ORDER BY d.id`)
}

// Document reads one document; ErrNotFound when there is none.
func (db *DB) Document(ctx context.Context, id int64) (Document, error) {
	d, err := scanDocument(db.r.QueryRowContext(ctx, documentColumns+` WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	} else if err != nil {
		return d, fmt.Errorf("store: document %d: %w", id, err)
	}
	return d, nil
}

// DocPerson is a person as the documents desk names them.
type DocPerson struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	Category     string `json:"category"`
}

// String is the name and organisation, as printed.
func (p DocPerson) String() string {
	if p.Organization == "" {
		return p.Name
	}
	return p.Name + "（" + p.Organization + "）"
}

// dueWhere is true for the attendees (a) due a copy of document d.
const dueWhere = `a.status = 'active' AND (d.audience = 'all'
	OR (d.audience = 'categories' AND a.category IN (SELECT category FROM document_categories WHERE document_id = d.id))
	OR (d.audience = 'list' AND a.id IN (SELECT attendee_id FROM document_recipients WHERE document_id = d.id)))`

// DocumentHolder is one person's standing with a document: due a copy or
// not, the copy they hold and those they held and gave back.
type DocumentHolder struct {
	DocPerson
	Due bool `json:"due"`
	// State: none (due, never issued: 未领), out (holds Holding: 持有),
	// returned (held one, gave it back: 已退), lost (their copy was lost).
	State    string `json:"state"`
	Holding  []int  `json:"holding"`
	Returned []int  `json:"returned"`
	Lost     []int  `json:"lost"`
}

// DocumentHolders lists everyone due a copy of the document and everyone
// who has held one, in rank order.
func (db *DB) DocumentHolders(ctx context.Context, id int64) ([]DocumentHolder, error) {
	rows, err := readAll(ctx, db.r, "document holders", func(r interface{ Scan(...any) error }) (DocumentHolder, error) {
		var h DocumentHolder
		var holding, returned, lost sql.NullString
		err := r.Scan(&h.ID, &h.Name, &h.Organization, &h.Category, &h.Due, &holding, &returned, &lost)
		h.Holding, h.Returned, h.Lost = intList(holding.String), intList(returned.String), intList(lost.String)
		switch {
		case len(h.Holding) > 0:
			h.State = "out"
		case len(h.Lost) > 0:
			h.State = "lost"
		case len(h.Returned) > 0:
			h.State = "returned"
		default:
			h.State = "none"
		}
		return h, err
	}, `WITH d AS (SELECT * FROM documents WHERE id = ?1),
		held AS (SELECT DISTINCT e.holder_id AS id FROM copy_events e WHERE e.document_id = ?1 AND e.kind = 'issue')
		SELECT a.id, a.name, a.organization, a.category,
			EXISTS (SELECT 1 FROM d WHERE `+dueWhere+`),
			(SELECT string_agg(CAST(copy AS TEXT), ',' ORDER BY copy) FROM document_copies c WHERE c.document_id = ?1 AND c.holder_id = a.id),
			(SELECT string_agg(CAST(copy AS TEXT), ',' ORDER BY copy) FROM (SELECT DISTINCT e.copy FROM copy_events e JOIN document_copies c USING (document_id, copy)
				WHERE e.document_id = ?1 AND e.kind = 'issue' AND e.holder_id = a.id AND c.holder_id IS DISTINCT FROM a.id AND NOT EXISTS
				(SELECT 1 FROM copy_events l WHERE l.document_id = e.document_id AND l.copy = e.copy AND l.kind = 'lost' AND l.holder_id = a.id)) gone),
			(SELECT string_agg(CAST(copy AS TEXT), ',' ORDER BY copy) FROM (SELECT DISTINCT e.copy FROM copy_events e
				WHERE e.document_id = ?1 AND e.kind = 'lost' AND e.holder_id = a.id) lost_copies)
		FROM attendees a
		WHERE a.id IN (SELECT id FROM held) OR EXISTS (SELECT 1 FROM d WHERE `+dueWhere+`)
		ORDER BY a.rank, a.id`, id)
	return rows, err
}

func intList(s string) []int {
	out := []int{}
	for _, f := range strings.Split(s, ",") {
		var n int
		if _, err := fmt.Sscan(f, &n); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// DocumentCopy is a copy's state now.
type DocumentCopy struct {
	Copy   int        `json:"copy"`
	State  string     `json:"state"` // in, out, lost
	Holder *DocPerson `json:"holder,omitempty"`
	Since  *time.Time `json:"since,omitempty"` // of its last event
	Events int        `json:"events"`
}

// DocumentCopies lists a document's copies in number order.
func (db *DB) DocumentCopies(ctx context.Context, id int64) ([]DocumentCopy, error) {
	return readAll(ctx, db.r, "document copies", func(r interface{ Scan(...any) error }) (DocumentCopy, error) {
		var c DocumentCopy
		var hid sql.NullInt64
		var name, org, cat, since sql.NullString
		err := r.Scan(&c.Copy, &c.State, &hid, &name, &org, &cat, &since, &c.Events)
		if hid.Valid {
			c.Holder = &DocPerson{ID: hid.Int64, Name: name.String, Organization: org.String, Category: cat.String}
		}
		if since.Valid {
			t := ReadTime(since.String)
			c.Since = &t
		}
		return c, err
	}, `SELECT c.copy, c.state, c.holder_id, a.name, a.organization, a.category,
			(SELECT max(e.at) FROM copy_events e WHERE e.document_id = c.document_id AND e.copy = c.copy),
			(SELECT count(*) FROM copy_events e WHERE e.document_id = c.document_id AND e.copy = c.copy)
		FROM document_copies c LEFT JOIN attendees a ON a.id = c.holder_id
		WHERE c.document_id = ? ORDER BY c.copy`, id)
}

// DocumentKey is the secret copy codes are authenticated with, made by
// the migration that created the documents tables.
func (db *DB) DocumentKey(ctx context.Context) ([]byte, error) {
	var k []byte
	if err := db.r.QueryRowContext(ctx, `SELECT key FROM document_key WHERE id = 1`).Scan(&k); err != nil {
		return nil, fmt.Errorf("store: document key: %w", err)
	}
	return k, nil
}
