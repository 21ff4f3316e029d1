package desk_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/desk"
	"huiwu/server/internal/testkit"
)

var demoNow = time.Date(2026, 3, 5, 7, 50, 0, 0, time.UTC)

func fieldsOf(err error) map[string]string {
	var bad *desk.InvalidError
	out := map[string]string{}
	if errors.As(err, &bad) {
		for _, f := range bad.Fields {
			out[f.Field] = f.Code
		}
	}
	return out
}

func TestEdit(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	id := env.AttendeeID(t, env.Event.Attendees[20].Key)
	before, _ := env.DB.Attendee(ctx, id)

	for _, tc := range []struct {
		patch, field string
	}{
		{`{"phone": "1234"}`, "phone"},
		{`{"id_number": "110101199003071234"}`, "id_number"}, // wrong check digit
		{`{"category": "martian"}`, "category"},
		{`{"group": "第九组"}`, "group"},
		{`{"name": ""}`, "name"},
		{`{"nickname": "x"}`, ""},
	} {
		_, err := desk.Edit(ctx, env.DB, env.Catalog, id, []byte(tc.patch), "desk")
		if got := fieldsOf(err); err == nil || (tc.field != "" && got[tc.field] == "") {
			t.Errorf("%s: %v (fields %v), want an error on %s", tc.patch, err, got, tc.field)
		}
	}
	if after, _ := env.DB.Attendee(ctx, id); after != before {
		t.Fatalf("refused edits changed the attendee: %+v", after)
	}

	// A rename is searchable by the new initials at once; the audit row
	// names what changed without copying the phone.
	changed, err := desk.Edit(ctx, env.DB, env.Catalog, id, []byte(`{"name": "欧阳明珠", "phone": "13912345678"}`), "前台甲")
	if err != nil || len(changed) != 2 {
		t.Fatalf("edit: %v %v", changed, err)
	}
	hits, _ := env.DB.SearchAttendees(ctx, "oymz", 10, true)
	if len(hits) == 0 || hits[0].ID != id {
		t.Errorf("search oymz after the rename: %v", hits)
	}
	var actor, detail string
	env.DB.ForTest().R.QueryRow(`SELECT actor, detail FROM audit WHERE action = 'attendee.edit' AND subject = ?`, fmt.Sprint(id)).Scan(&actor, &detail)
	if actor != "前台甲" || detail != `name: "`+before.Name+`" → "欧阳明珠"; phone changed` {
		t.Errorf("audit %q %q", actor, detail)
	}
	// A masked ID number sent back keeps the stored one.
	if changed, err := desk.Edit(ctx, env.DB, env.Catalog, id, []byte(`{"id_number": "110***********001X"}`), "desk"); err != nil || len(changed) != 0 {
		t.Errorf("masked ID number: %v %v", changed, err)
	}
}

func TestEditMovesGroup(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	var id int64
	env.DB.ForTest().R.QueryRow(`SELECT a.id FROM attendees a JOIN groups g ON g.id = a.group_id WHERE g.name = '第一组' LIMIT 1`).Scan(&id)
	if _, err := desk.Edit(ctx, env.DB, env.Catalog, id, []byte(`{"group": "第二组"}`), "desk"); err != nil {
		t.Fatal(err)
	}
	var in1, in2 int
	env.DB.ForTest().R.QueryRow(`SELECT count(*) FROM session_attendees WHERE attendee_id = ? AND session_id = 'group-1'`, id).Scan(&in1)
	env.DB.ForTest().R.QueryRow(`SELECT count(*) FROM session_attendees WHERE attendee_id = ? AND session_id = 'group-2'`, id).Scan(&in2)
	if in1 != 0 || in2 != 1 {
		t.Errorf("after moving to 第二组: in group-1 %d, group-2 %d", in1, in2)
	}
}

func TestRegister(t *testing.T) {
	env := testkit.New(t, demoNow)
	ctx := context.Background()
	if _, err := desk.Register(ctx, env.DB, env.Catalog, desk.Form{Name: "张三"}, "desk"); fieldsOf(err)["category"] == "" {
		t.Errorf("no category: %v", err)
	}
	if _, err := desk.Register(ctx, env.DB, env.Catalog, desk.Form{Name: "张三", Category: "press", Phone: "99"}, "desk"); fieldsOf(err)["phone"] == "" {
		t.Errorf("bad phone: %v", err)
	}
	f := desk.Form{Name: "𠮷野家", Category: "press", Organization: "云江日报", Phone: "13600001111", Room: "2002"}
	id, err := desk.Register(ctx, env.DB, env.Catalog, f, "desk")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := env.DB.Attendee(ctx, id)
	var maxRank, plenaries int
	env.DB.ForTest().R.QueryRow(`SELECT max(rank) FROM attendees`).Scan(&maxRank)
	env.DB.ForTest().R.QueryRow(`SELECT count(*) FROM session_attendees sa JOIN sessions s ON s.id = sa.session_id WHERE sa.attendee_id = ? AND s.kind = 'plenary'`, id).Scan(&plenaries)
	if a.Name != f.Name || a.Rank != maxRank || plenaries != 0 {
		t.Errorf("walk-in %+v, rank of %d, press at %d plenaries", a, maxRank, plenaries)
	}
	var room string
	env.DB.ForTest().R.QueryRow(`SELECT room FROM lodging WHERE attendee_id = ?`, id).Scan(&room)
	if room != "2002" {
		t.Errorf("room %q", room)
	}
	var dup *desk.DuplicateError
	if _, err := desk.Register(ctx, env.DB, env.Catalog, f, "desk"); !errors.As(err, &dup) || dup.ID != id {
		t.Errorf("registering twice: %v", err)
	}
}
