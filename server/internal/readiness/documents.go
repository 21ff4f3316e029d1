package readiness

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// The confidential documents' lines of the board (issue 13.3): every copy
// back once it is due back, and everyone due a copy given one once the
// document is in use.
//
// When a document is due: one that belongs to a session is handed out
// from the session's doors opening and due back when they close; one
// without a session is handed out from the meeting's first doors opening
// and due back when the meeting has closed (its last session or meal).

// documentTimes answers, per document's session id ("" for none), when
// its copies are handed out and when they are due back.
func (k *checker) documentTimes(session string) (from, back time.Time) {
	if s, ok := k.cat.Sessions[session]; ok && session != "" {
		return s.OpensAt, s.ClosesAt
	}
	for _, s := range k.cat.SessionList {
		if from.IsZero() || s.OpensAt.Before(from) {
			from = s.OpensAt
		}
	}
	return from, k.cat.Ends()
}

// copiesReturned: no copy is out (or lost) after it was due back.
func (k *checker) copiesReturned(ctx context.Context) (Check, error) {
	c := Check{ID: "documents_returned", Title: "涉密文件已全部清退", TitleEn: "Every confidential copy is back"}
	out, err := k.db.CopiesOut(ctx)
	if err != nil {
		return c, err
	}
	docs, err := k.db.DocumentCount(ctx)
	if err != nil {
		return c, err
	}
	c.Checked = docs
	for _, o := range out {
		_, back := k.documentTimes(o.SessionID)
		if back.IsZero() || k.opts.Now.Before(back) {
			continue
		}
		it := Item{Subject: fmt.Sprintf("%d/%d", o.Document, o.Copy), Name: person(o.Holder.Name, o.Holder.Organization)}
		since := o.Since.In(k.cat.Location).Format("01-02 15:04")
		if o.State == "lost" {
			it.Detail = fmt.Sprintf("%s《%s》第 %d 份 %s 登记遗失，未收回", o.Classification, o.Title, o.Copy, since)
			it.DetailEn = fmt.Sprintf("copy %d of %s was reported lost at %s", o.Copy, o.Title, since)
		} else {
			it.Detail = fmt.Sprintf("%s《%s》第 %d 份 %s 发出，未清退", o.Classification, o.Title, o.Copy, since)
			it.DetailEn = fmt.Sprintf("copy %d of %s, issued %s, is not back", o.Copy, o.Title, since)
		}
		c.fail(it)
	}
	return c, nil
}

// copiesIssued: everyone due a copy of a document in use has been issued one.
func (k *checker) copiesIssued(ctx context.Context) (Check, error) {
	c := Check{ID: "documents_issued", Title: "应发涉密文件已发放", TitleEn: "Everyone due a confidential copy has one"}
	due, err := k.db.CopiesNotIssued(ctx)
	if err != nil {
		return c, err
	}
	docs, err := k.db.DocumentCount(ctx)
	if err != nil {
		return c, err
	}
	c.Checked = docs
	for _, d := range due {
		from, back := k.documentTimes(d.SessionID)
		if from.IsZero() || k.opts.Now.Before(from) || !k.opts.Now.Before(back) {
			continue
		}
		c.fail(Item{Subject: strconv.FormatInt(d.Person.ID, 10), Name: person(d.Person.Name, d.Person.Organization),
			Detail:   fmt.Sprintf("应领《%s》%s，尚未发放", d.Title, d.Number),
			DetailEn: fmt.Sprintf("due a copy of %s, not issued one", d.Title)})
	}
	return c, nil
}
