package readiness_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/readiness"
	"huiwu/server/internal/testkit"
)

// TestMaterialsChecks breaks each materials check on the demo, sees it
// fail naming the item or the person, repairs it and sees it pass.
func TestMaterialsChecks(t *testing.T) {
	stock := func(t *testing.T, env *testkit.Env, code string, n *int) {
		t.Helper()
		if err := env.DB.SetItemStock(context.Background(), code, n, "test"); err != nil {
			t.Fatal(err)
		}
	}
	plenty := 100000
	for _, tc := range []struct {
		check, name string
		prepare     func(t *testing.T, env *testkit.Env)
		breaks      func(t *testing.T, env *testkit.Env) (subject, detail string)
		fix         func(t *testing.T, env *testkit.Env)
	}{
		{check: "materials_stock", name: "/short",
			// The demo has not entered the souvenir's stock.
			prepare: func(t *testing.T, env *testkit.Env) { stock(t, env, "souvenir", &plenty) },
			breaks: func(t *testing.T, env *testkit.Env) (string, string) {
				var given, left int
				if err := env.DB.ForTest().R.QueryRow(`SELECT (SELECT count(*) FROM material_handouts h JOIN material_items i ON i.id = h.item_id WHERE i.code = 'handbook'),
					(SELECT count(*) FROM material_due d JOIN material_items i ON i.id = d.item_id WHERE i.code = 'handbook'
						AND NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.item_id = d.item_id AND h.attendee_id = d.attendee_id))`).Scan(&given, &left); err != nil {
					t.Fatal(err)
				}
				n := given + left - 3
				stock(t, env, "handbook", &n)
				return "handbook", "缺 3"
			},
			fix: func(t *testing.T, env *testkit.Env) { stock(t, env, "handbook", &plenty) }},
		{check: "materials_stock", name: "/not-entered",
			prepare: func(t *testing.T, env *testkit.Env) { stock(t, env, "souvenir", &plenty) },
			breaks: func(t *testing.T, env *testkit.Env) (string, string) {
				stock(t, env, "folder", nil)
				return "folder", "未录入库存"
			},
			fix: func(t *testing.T, env *testkit.Env) { stock(t, env, "folder", &plenty) }},
		{check: "materials_collected",
			// The meeting has started, and everyone has their pass and folder.
			prepare: func(t *testing.T, env *testkit.Env) {
				env.SetNow(env.Catalog.SessionList[0].StartsAt.Add(10 * time.Minute))
				exec(t, env, `INSERT INTO material_handouts (attendee_id, item_id, at, place, actor, manual)
					SELECT d.attendee_id, d.item_id, '2026-03-04T20:00:00.000Z', '报到处', 'test', 1 FROM material_due d
					JOIN material_items i ON i.id = d.item_id AND i.before_start = 1 WHERE true
					ON CONFLICT DO NOTHING`)
			},
			breaks: func(t *testing.T, env *testkit.Env) (string, string) {
				id := one(t, env, `SELECT h.attendee_id FROM material_handouts h JOIN material_items i ON i.id = h.item_id
					WHERE i.code = 'folder' ORDER BY h.attendee_id LIMIT 1`)
				exec(t, env, `DELETE FROM material_handouts WHERE attendee_id = ? AND item_id = (SELECT id FROM material_items WHERE code = 'folder')`, id)
				return id, "未领：文件袋"
			},
			fix: func(t *testing.T, env *testkit.Env) {
				id := one(t, env, `SELECT d.attendee_id FROM material_due d JOIN material_items i ON i.id = d.item_id AND i.code = 'folder'
					WHERE NOT EXISTS (SELECT 1 FROM material_handouts h WHERE h.attendee_id = d.attendee_id AND h.item_id = d.item_id)`)
				if _, err := env.DB.GiveByHand(context.Background(), mustInt(id), []string{"folder"}, "", "desk", env.Now()); err != nil {
					t.Fatal(err)
				}
			}},
	} {
		t.Run(tc.check+tc.name, func(t *testing.T) {
			env := testkit.New(t, demoNow)
			tc.prepare(t, env)
			if c := run(t, env, readiness.Options{Only: []string{tc.check}})[tc.check]; c.Status != readiness.Pass || c.Checked == 0 {
				t.Fatalf("before: %s, %d checked, %d failed: %v", c.Status, c.Checked, c.Failed, c.Items[:min(3, len(c.Items))])
			}
			subject, detail := tc.breaks(t, env)
			c := run(t, env, readiness.Options{Only: []string{tc.check}})[tc.check]
			if c.Status != readiness.Fail || !slices.ContainsFunc(c.Items, func(it readiness.Item) bool {
				return it.Subject == subject && it.Name != "" && it.DetailEn != "" && strings.Contains(it.Detail, detail)
			}) {
				t.Fatalf("broken: %s, want %q saying %q among %v", c.Status, subject, detail, c.Items)
			}
			tc.fix(t, env)
			if c := run(t, env, readiness.Options{Only: []string{tc.check}})[tc.check]; c.Status != readiness.Pass {
				t.Fatalf("after the fix: %s %v", c.Status, c.Items)
			}
		})
	}
}

// TestMaterialsCollectedWaitsForTheStart: before the first session starts,
// people still to collect their pass are not a failure; from the start
// they are.
func TestMaterialsCollectedWaitsForTheStart(t *testing.T) {
	env := testkit.New(t, demoNow)
	start := env.Catalog.SessionList[0].StartsAt
	env.SetNow(start.Add(-time.Minute))
	if c := run(t, env, readiness.Options{Only: []string{"materials_collected"}})["materials_collected"]; c.Status != readiness.Pass {
		t.Fatalf("before the start: %s %d failed", c.Status, c.Failed)
	}
	env.SetNow(start.Add(time.Minute))
	if c := run(t, env, readiness.Options{Only: []string{"materials_collected"}})["materials_collected"]; c.Status != readiness.Fail || c.Failed == 0 {
		t.Fatalf("after the start with the demo's half-handed kits: %s %d failed", c.Status, c.Failed)
	}
}
