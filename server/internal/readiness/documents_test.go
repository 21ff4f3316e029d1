package readiness_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/readiness"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestDocumentChecks breaks and fixes the confidential documents' lines,
// as TestChecks does the others. The demo's document is for the opening
// meeting's presidium list; two of the twelve have no copy yet.
func TestDocumentChecks(t *testing.T) {
	ctx := context.Background()
	doc := func(t *testing.T, env *testkit.Env) store.Document {
		docs, err := env.DB.Documents(ctx)
		if err != nil || len(docs) != 1 {
			t.Fatalf("the demo's documents: %v %v", docs, err)
		}
		return docs[0]
	}
	// issueDue gives every one due a copy the next free one.
	issueDue := func(t *testing.T, env *testkit.Env) {
		d := doc(t, env)
		due, err := env.DB.CopiesNotIssued(ctx)
		if err != nil {
			t.Fatal(err)
		}
		copies, _ := env.DB.DocumentCopies(ctx, d.ID)
		free := []int{}
		for _, c := range copies {
			if c.State == "in" && c.Events == 0 {
				free = append(free, c.Copy)
			}
		}
		for i, p := range due {
			if _, err := env.DB.IssueCopy(ctx, store.CopyScan{Document: d.ID, Copy: free[i], Person: p.Person.ID, Actor: "test"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	returnAll := func(t *testing.T, env *testkit.Env) {
		out, err := env.DB.CopiesOut(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if _, err := env.DB.ReturnCopy(ctx, store.CopyScan{Document: o.Document, Copy: o.Copy, Actor: "test"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	afterOpening := func(env *testkit.Env) { env.SetNow(env.Catalog.Sessions["opening"].ClosesAt.Add(time.Minute)) }
	for _, tc := range []breakFix{
		{check: "documents_issued", prepare: issueDue,
			// Someone else is put on the list.
			breaks: func(t *testing.T, env *testkit.Env) string {
				id := one(t, env, `SELECT id FROM attendees WHERE status = 'active' AND id NOT IN (SELECT attendee_id FROM document_recipients) ORDER BY rank DESC LIMIT 1`)
				exec(t, env, `INSERT INTO document_recipients (document_id, attendee_id) VALUES (?, ?)`, doc(t, env).ID, id)
				return id
			},
			fix: issueDue},
		{check: "documents_returned",
			// The opening closes with copies out.
			breaks: func(t *testing.T, env *testkit.Env) string {
				afterOpening(env)
				return fmt.Sprintf("%d/1", doc(t, env).ID)
			},
			fix: returnAll},
		{check: "documents_returned", name: "-lost",
			prepare: func(t *testing.T, env *testkit.Env) { returnAll(t, env); afterOpening(env) },
			// A copy issued after the meeting and lost is not back either.
			breaks: func(t *testing.T, env *testkit.Env) string {
				d := doc(t, env)
				if _, err := env.DB.IssueCopy(ctx, store.CopyScan{Document: d.ID, Copy: 15, Person: mustInt(one(t, env, `SELECT min(attendee_id) FROM document_recipients`)), Actor: "test"}); err != nil {
					t.Fatal(err)
				}
				if _, err := env.DB.LoseCopy(ctx, store.CopyScan{Document: d.ID, Copy: 15, Reason: "会后遗失", Actor: "test"}); err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("%d/15", d.ID)
			},
			// A lost copy never comes back by itself: the board keeps it
			// until the meeting's document is moved to a later session.
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE documents SET session_id = 'closing'`)
			}},
	} {
		tc.run(t)
	}
}

// TestDemoDocumentIssuedCheck: on the demo as loaded, the opening's doors
// are open and two of the presidium list have no copy: the board says so.
func TestDemoDocumentIssuedCheck(t *testing.T) {
	env := testkit.New(t, demoNow)
	c := run(t, env, readiness.Options{Only: []string{"documents_issued"}})["documents_issued"]
	if c.Status != readiness.Fail || c.Failed != 2 {
		t.Fatalf("%s %d: %v", c.Status, c.Failed, c.Items)
	}
	if c := run(t, env, readiness.Options{Only: []string{"documents_returned"}})["documents_returned"]; c.Status != readiness.Pass {
		t.Fatalf("returned before the opening closes: %s %v", c.Status, c.Items)
	}
}
