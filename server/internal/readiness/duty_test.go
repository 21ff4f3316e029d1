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

// TestDutyChecks breaks each duty line of the board on the demo, sees it
// fail naming the culprit, repairs it and sees it pass (as TestChecks).
func TestDutyChecks(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []breakFix{
		{check: "duty_coverage",
			// The main room's shift at the opening meeting's doors is
			// cancelled: nobody is on from the doors opening.
			breaks: func(t *testing.T, env *testkit.Env) string {
				opens := env.Session(t, "opening").OpensAt
				id := one(t, env, `SELECT s.id FROM duty_shifts s JOIN duty_places p ON p.id = s.place_id AND p.main = 1
					WHERE s.starts_at <= ?1 AND s.ends_at > ?1`, store.FormatTime(opens))
				if err := env.DB.CancelDutyShift(ctx, mustInt(id), "test", "test"); err != nil {
					t.Fatal(err)
				}
				return "会务组值班室/" + opens.In(env.Catalog.Location).Format("2006-01-02T15:04")
			},
			fix: func(t *testing.T, env *testkit.Env) {
				exec(t, env, `UPDATE duty_shifts SET cancelled_at = NULL WHERE cancelled_by = 'test'`)
			}},
		{check: "duty_follow_up",
			// A call five hours ago, still open.
			breaks: func(t *testing.T, env *testkit.Env) string {
				e, err := env.DB.AddDutyEntry(ctx, store.DutyInput{Kind: "call", At: env.Now().Add(-5 * time.Hour), FromName: "陈主任",
					FromUnit: "省政府办公厅", Content: "请回电", Open: true}, store.DutyWriter{Name: "test", At: env.Now()})
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprint(e.ID)
			},
			fix: func(t *testing.T, env *testkit.Env) {
				open, err := env.DB.DutyEntries(ctx, store.DutyFilter{State: store.DutyOpen, Until: env.Now().Add(-readiness.DutyStaleAfter)})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range open {
					if _, err := env.DB.CloseDutyEntry(ctx, e.ID, "已回电", store.DutyWriter{Name: "test", At: env.Now()}); err != nil {
						t.Fatal(err)
					}
				}
			}},
	} {
		tc.run(t)
	}
}

// TestDutyNoMainRoom: a meeting without a main duty room fails the
// coverage line, saying so.
func TestDutyNoMainRoom(t *testing.T) {
	env := testkit.New(t, demoNow)
	exec(t, env, `UPDATE duty_places SET main = 0`)
	c := run(t, env, readiness.Options{Only: []string{"duty_coverage"}})["duty_coverage"]
	if c.Status != readiness.Fail || len(c.Items) != 1 || c.Items[0].Subject != "duty_place" {
		t.Fatalf("no main room: %s %v", c.Status, c.Items)
	}
}
