package store

import (
	"context"
	"fmt"
	"time"
)

// What the 文件清退 report, the readiness board and the meeting summary
// read of the confidential documents.

// DocumentTally is a document's copies for the meeting summary: how many
// were made, issued at least once, back, and still out, with the copies
// out named ("第3份 张三").
type DocumentTally struct {
	Title, Number, Classification string
	Copies, Issued, Returned, Out int
	OutCopies                     []string
}

// DocumentsSummary tallies every document's copies (a lost copy counts
// as out: it did not come back).
func (db *DB) DocumentsSummary(ctx context.Context) ([]DocumentTally, error) {
	docs, err := db.Documents(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]DocumentTally, 0, len(docs))
	for _, d := range docs {
		t := DocumentTally{Title: d.Title, Number: d.Number, Classification: d.Classification,
			Copies: d.Copies, Issued: d.Issued, Returned: d.Returned, Out: d.Out + d.Lost, OutCopies: []string{}}
		copies, err := db.DocumentCopies(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range copies {
			switch {
			case c.State == "out":
				t.OutCopies = append(t.OutCopies, fmt.Sprintf("第%d份 %s", c.Copy, c.Holder.Name))
			case c.State == "lost":
				t.OutCopies = append(t.OutCopies, fmt.Sprintf("第%d份 遗失", c.Copy))
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// DocumentChain is a document with each copy's chain of custody.
type DocumentChain struct {
	Document Document       `json:"document"`
	Copies   []DocumentCopy `json:"copies"`
	Events   []CopyEvent    `json:"events"` // by copy, oldest first
}

// DocumentChains reads the chains of one document (id) or of all (id 0).
func (db *DB) DocumentChains(ctx context.Context, id int64) ([]DocumentChain, error) {
	var docs []Document
	if id != 0 {
		d, err := db.Document(ctx, id)
		if err != nil {
			return nil, err
		}
		docs = []Document{d}
	} else {
		var err error
		if docs, err = db.Documents(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]DocumentChain, 0, len(docs))
	for _, d := range docs {
		copies, err := db.DocumentCopies(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		events, err := db.copyEvents(ctx, db.r, `e.document_id = ?`, d.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, DocumentChain{Document: d, Copies: copies, Events: events})
	}
	return out, nil
}

// OutCopy is a copy out (or lost) with its document's session.
type OutCopy struct {
	Document       int64
	Title, Number  string
	Classification string
	SessionID      string
	Copy           int
	State          string // out or lost
	Holder         DocPerson
	Since          time.Time
}

// CopiesOut lists every copy not back: out with someone, or lost.
func (db *DB) CopiesOut(ctx context.Context) ([]OutCopy, error) {
	return readAll(ctx, db.r, "copies out", func(r interface{ Scan(...any) error }) (OutCopy, error) {
		var c OutCopy
		var since string
		err := r.Scan(&c.Document, &c.Title, &c.Number, &c.Classification, &c.SessionID, &c.Copy, &c.State,
			&c.Holder.ID, &c.Holder.Name, &c.Holder.Organization, &c.Holder.Category, &since)
		c.Since = ReadTime(since)
		return c, err
	}, `SELECT d.id, d.title, d.number, d.classification, coalesce(d.session_id, ''), c.copy, c.state,
			e.holder_id, a.name, a.organization, a.category, e.at
		FROM document_copies c JOIN documents d ON d.id = c.document_id
		JOIN copy_events e ON e.id = (SELECT max(id) FROM copy_events x WHERE x.document_id = c.document_id AND x.copy = c.copy)
		JOIN attendees a ON a.id = e.holder_id
		WHERE c.state IN ('out', 'lost') ORDER BY d.id, c.copy`)
}

// DueCopy is a person due a copy of a document who has never been issued one.
type DueCopy struct {
	Document  int64
	Title     string
	Number    string
	SessionID string
	Person    DocPerson
}

// CopiesNotIssued lists, per document, the people due a copy who were
// never issued one, in rank order.
func (db *DB) CopiesNotIssued(ctx context.Context) ([]DueCopy, error) {
	return readAll(ctx, db.r, "copies not issued", func(r interface{ Scan(...any) error }) (DueCopy, error) {
		var c DueCopy
		err := r.Scan(&c.Document, &c.Title, &c.Number, &c.SessionID, &c.Person.ID, &c.Person.Name, &c.Person.Organization, &c.Person.Category)
		return c, err
	}, `SELECT d.id, d.title, d.number, coalesce(d.session_id, ''), a.id, a.name, a.organization, a.category
		FROM documents d JOIN attendees a ON `+dueWhere+`
		WHERE NOT EXISTS (SELECT 1 FROM copy_events e WHERE e.document_id = d.id AND e.holder_id = a.id AND e.kind = 'issue')
		ORDER BY d.id, a.rank, a.id`)
}

// DocumentCount is how many documents are registered.
func (db *DB) DocumentCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: documents: %w", err)
	}
	return n, nil
}
