package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// docEnv is the demo with a 机密 document of three copies for everyone,
// and three active attendees.
func docEnv(t *testing.T) (*testkit.Env, store.Document, [3]int64) {
	t.Helper()
	env := testkit.New(t, time.Now())
	d, err := env.DB.CreateDocument(context.Background(), store.DocumentInput{Title: "测试文件", Number: "测试〔2026〕1号",
		Classification: "机密", Copies: 3}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var p [3]int64
	rows, err := env.DB.ForTest().R.Query(`SELECT id FROM attendees WHERE status = 'active' ORDER BY id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; rows.Next(); i++ {
		rows.Scan(&p[i])
	}
	rows.Close()
	return env, d, p
}

// TestCopyCustodyRules: a copy out cannot be issued again; a person holds
// one copy of a document; a return by someone other than the holder is
// refused without a reason and recorded with one; a lost copy needs a
// reason and then moves no more; the chain holds every act in order.
func TestCopyCustodyRules(t *testing.T) {
	t.Parallel()
	env, d, p := docEnv(t)
	ctx := context.Background()
	db := env.DB
	scan := func(copy int, person int64, reason string) store.CopyScan {
		return store.CopyScan{Document: d.ID, Copy: copy, Person: person, Reason: reason, Place: "报到处", Actor: "机要员"}
	}
	if _, err := db.IssueCopy(ctx, scan(1, p[0], "")); err != nil {
		t.Fatal(err)
	}
	var out *store.CopyOutError
	if _, err := db.IssueCopy(ctx, scan(1, p[1], "")); !errors.As(err, &out) || out.Holder.ID != p[0] {
		t.Fatalf("second issue of copy 1: %v", err)
	}
	var holds *store.HoldsCopyError
	if _, err := db.IssueCopy(ctx, scan(2, p[0], "")); !errors.As(err, &holds) || holds.Copy != 1 {
		t.Fatalf("a second copy to the same person: %v", err)
	}
	var other *store.ReturnedByOtherError
	if _, err := db.ReturnCopy(ctx, scan(1, p[1], "")); !errors.As(err, &other) || other.Holder.ID != p[0] || other.By.ID != p[1] {
		t.Fatalf("return by another without a reason: %v", err)
	}
	if cs, _ := db.DocumentCopies(ctx, d.ID); cs[0].State != "out" || cs[0].Holder.ID != p[0] {
		t.Fatalf("the refused return moved the copy: %+v", cs[0])
	}
	ev, err := db.ReturnCopy(ctx, scan(1, p[1], "本人提前离会，委托同组代表交回"))
	if err != nil || ev.By == nil || ev.By.ID != p[1] || ev.Holder.ID != p[0] {
		t.Fatalf("return by another with a reason: %+v %v", ev, err)
	}
	if _, err := db.ReturnCopy(ctx, scan(1, 0, "")); !errors.Is(err, store.ErrCopyNotOut) {
		t.Fatalf("return of a copy that is in: %v", err)
	}
	if _, err := db.IssueCopy(ctx, scan(1, p[2], "")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoseCopy(ctx, scan(1, 0, "")); !errors.Is(err, store.ErrCopyReason) {
		t.Fatalf("a loss without a reason: %v", err)
	}
	if _, err := db.LoseCopy(ctx, store.CopyScan{Document: d.ID, Copy: 1, Person: p[2], Reason: "会场遗失", Actor: "机要员"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IssueCopy(ctx, scan(1, p[0], "")); !errors.Is(err, store.ErrCopyLost) {
		t.Fatalf("issue of a lost copy: %v", err)
	}
	chain, err := db.CopyChain(ctx, d.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range chain {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "issue,return,issue,lost" || chain[1].Reason == "" || chain[0].Place != "报到处" || chain[0].Actor != "机要员" {
		t.Fatalf("chain: %+v", chain)
	}
	got, _ := db.Document(ctx, d.ID)
	if got.Issued != 1 || got.Out != 0 || got.Lost != 1 || got.Returned != 0 {
		t.Fatalf("tallies: %+v", got)
	}
	var audits int
	db.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action LIKE 'document.%' AND subject = ?`, fmt.Sprint(d.ID)).Scan(&audits)
	if audits != 5 { // create, issue, return, issue, lost
		t.Fatalf("audit lines: %d", audits)
	}
}

// TestCopyRulesInTheDatabase: written past the Go checks, straight into
// the table, a second issue and a silent return by another are refused
// by SQLite itself, and the chain cannot be edited.
func TestCopyRulesInTheDatabase(t *testing.T) {
	t.Parallel()
	env, d, p := docEnv(t)
	db := env.DB
	ins := func(kind string, holder, person any, reason string) error {
		_, err := db.ForTest().W.Exec(`INSERT INTO copy_events (document_id, copy, kind, holder_id, person_id, reason, place, actor, at)
			VALUES (?, 1, ?, ?, ?, ?, '', 'raw', '2026-01-01T00:00:00.000000Z')`, d.ID, kind, holder, person, reason)
		return err
	}
	if err := ins("issue", p[0], nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := ins("issue", p[1], nil, ""); err == nil || !strings.Contains(err.Error(), "copy_not_in") {
		t.Fatalf("second issue: %v", err)
	}
	if err := ins("return", p[1], p[1], ""); err == nil || !strings.Contains(err.Error(), "copy_not_out") {
		t.Fatalf("return naming the wrong holder: %v", err)
	}
	if err := ins("return", p[0], p[1], ""); err == nil || !strings.Contains(strings.ToUpper(err.Error()), "CHECK") {
		t.Fatalf("silent return by another: %v", err)
	}
	if _, err := db.ForTest().W.Exec(`UPDATE copy_events SET holder_id = ?`, p[1]); err == nil {
		t.Fatal("the chain was edited")
	}
	if _, err := db.ForTest().W.Exec(`UPDATE document_copies SET state = 'in', holder_id = NULL`); err != nil {
		t.Fatal(err) // the copies table is a cache of the chain; the chain is what the report reads
	}
	if _, err := db.ForTest().W.Exec(`DELETE FROM copy_events`); err == nil {
		t.Fatal("the chain was deleted")
	}
}

// TestDocumentAudience: a document for some categories (or a list) is
// issued to those only, and the not-issued list names who is due.
func TestDocumentAudience(t *testing.T) {
	t.Parallel()
	env, _, _ := docEnv(t)
	ctx := context.Background()
	var cat string
	var in, outside int64
	env.DB.ForTest().R.QueryRow(`SELECT category FROM attendees WHERE status = 'active' GROUP BY category ORDER BY count(*) LIMIT 1`).Scan(&cat)
	env.DB.ForTest().R.QueryRow(`SELECT id FROM attendees WHERE status = 'active' AND category = ? LIMIT 1`, cat).Scan(&in)
	env.DB.ForTest().R.QueryRow(`SELECT id FROM attendees WHERE status = 'active' AND category <> ? LIMIT 1`, cat).Scan(&outside)
	d, err := env.DB.CreateDocument(ctx, store.DocumentInput{Title: "分类文件", Classification: "秘密", Copies: 2,
		Audience: store.AudienceCategories, Categories: []string{cat}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.IssueCopy(ctx, store.CopyScan{Document: d.ID, Copy: 1, Person: outside, Actor: "t"}); !errors.Is(err, store.ErrNotRecipient) {
		t.Fatalf("issue outside the categories: %v", err)
	}
	due, err := env.DB.CopiesNotIssued(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range due {
		if x.Document == d.ID && x.Person.ID == outside {
			t.Fatal("someone outside the categories is listed as due")
		}
		found = found || (x.Document == d.ID && x.Person.ID == in)
	}
	if !found {
		t.Fatal("the category's member is not listed as due")
	}
	if _, err := env.DB.CreateDocument(ctx, store.DocumentInput{Title: "x", Classification: "绝密★", Copies: 1}, "t"); err == nil {
		t.Fatal("a made-up classification was taken")
	}
	if _, err := env.DB.CreateDocument(ctx, store.DocumentInput{Title: "x", Number: "测试〔2026〕1号", Classification: "秘密", Copies: 1}, "t"); !errors.Is(err, store.ErrDocumentNumberTaken) {
		t.Fatalf("a second document with the same number: %v", err)
	}
}

// TestDocumentsSummary: the demo's document as the meeting summary gets
// it: fifteen copies, ten issued, two back, eight out, named.
func TestDocumentsSummary(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, time.Now())
	sum, err := env.DB.DocumentsSummary(context.Background())
	if err != nil || len(sum) != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	s := sum[0]
	if s.Classification != "机密" || s.Number == "" || s.Copies != 15 || s.Issued != 10 || s.Returned != 2 || s.Out != 8 || len(s.OutCopies) != 8 {
		t.Fatalf("%+v", s)
	}
	var holder string
	env.DB.ForTest().R.QueryRow(`SELECT a.name FROM document_copies c JOIN attendees a ON a.id = c.holder_id WHERE c.copy = 1`).Scan(&holder)
	if s.OutCopies[0] != "第1份 "+holder {
		t.Fatalf("out copies: %v", s.OutCopies)
	}
}
