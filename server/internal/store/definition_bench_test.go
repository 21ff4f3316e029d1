package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/demo"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// bigDefinition is the small meeting grown to a 3,032-seat hall (presidium
// rows of 15 and 17, three sections of 30 rows: 25 + 50 + 25 seats) and 20
// sessions, each expecting the deputies of a few delegations, with six
// meals served in two halls by rule.
func bigDefinition() eventdef.Definition {
	d := example.Small(defNow)
	d.Venues[0].Presidium = []int{15, 17}
	d.Venues[0].Sections = []eventdef.Section{
		{Code: "A", Rows: 30, Seats: 25, Numbering: "centre", Door: "西门"},
		{Code: "B", Rows: 30, Seats: 50, Numbering: "centre", Door: "东门"},
		{Code: "C", Rows: 30, Seats: 25, Numbering: "centre", Door: "东门"},
	}
	d.Venues = append(d.Venues, eventdef.Venue{Code: "canteen2", Name: "二号餐厅", Kind: "dining"})
	d.Venues[2].Tables = nil
	for i := range 800 {
		d.Venues[2].Tables = append(d.Venues[2].Tables, eventdef.Table{Number: i + 1, Seats: 10})
		if i < 350 {
			d.Venues[4].Tables = append(d.Venues[4].Tables, eventdef.Table{Number: i + 1, Seats: 10})
		}
	}
	base := d.Sessions[0]
	d.Sessions = nil
	for i := range 20 {
		s := base
		s.ID, s.Name = fmt.Sprintf("s%02d", i+1), fmt.Sprintf("第%d场", i+1)
		s.Expected = &eventdef.Rule{Categories: []string{"deputy"}, Delegations: []string{fmt.Sprintf("团%d", i%10), fmt.Sprintf("团%d", (i+3)%10), fmt.Sprintf("团%d", (i+6)%10)}}
		d.Sessions = append(d.Sessions, s)
	}
	lunch := d.Meals[0]
	d.Meals = nil
	for i := range 6 {
		m := lunch
		m.ID = fmt.Sprintf("m%d", i+1)
		m.Halls = []eventdef.MealHall{{Venue: "canteen2", Rule: eventdef.Rule{Delegations: []string{"团1", "团2", "团3"}}}, {Venue: "canteen"}}
		d.Meals = append(d.Meals, m)
	}
	d.Checkpoints[1].Meal = ""
	return d
}

// BenchmarkPutDefinition3000Seats20Sessions stores the big definition into
// an empty database (create) and then changes one session's window in a
// database holding 10,000 attendees (update: validate, diff, write,
// recompute everyone).
func BenchmarkPutDefinition3000Seats20Sessions(b *testing.B) {
	ctx := context.Background()
	b.Run("create", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db := openB(b)
			b.StartTimer()
			if _, err := db.ApplyDefinition(ctx, bigDefinition(), eventdef.All(), store.ApplyOptions{}); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
	})
	b.Run("update", func(b *testing.B) {
		db := openB(b)
		d := bigDefinition()
		if _, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		importPeople(b, db, 10_000)
		starts, _ := time.Parse(time.RFC3339, d.Sessions[3].StartsAt)
		i := 0
		for b.Loop() {
			i++
			d.Sessions[3].StartsAt = starts.Add(time.Duration(i%2) * time.Minute).Format(time.RFC3339)
			rep, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{})
			if err != nil || rep.Unchanged {
				b.Fatal(err, rep.Unchanged)
			}
		}
	})
}

// BenchmarkRecompute10000 recomputes every entitlement of 10,000 attendees
// after a rule change: 20 sessions and 6 meals. The aim is under a second.
func BenchmarkRecompute10000(b *testing.B) {
	ctx := context.Background()
	db := openB(b)
	d := bigDefinition()
	if _, err := db.ApplyDefinition(ctx, d, eventdef.All(), store.ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	importPeople(b, db, 10_000)
	var rows int
	db.ForTest().R.QueryRow(`SELECT (SELECT count(*) FROM session_attendees) + (SELECT count(*) FROM meal_tickets)`).Scan(&rows)
	b.ReportMetric(float64(rows), "rows")
	i := 0
	for b.Loop() {
		// Alternate two rules so that each run moves a third of the rows.
		i++
		for j := range d.Sessions {
			d.Sessions[j].Expected.Delegations[0] = fmt.Sprintf("团%d", (j+i)%10)
		}
		if _, err := db.ApplyDefinition(ctx, d, eventdef.Given{"sessions": true}, store.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func openB(b *testing.B) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), testkit.StoreConfig(b, b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func importPeople(b *testing.B, db *store.DB, n int) {
	b.Helper()
	rows := make([]store.ImportRow, n)
	for i := range rows {
		cat := "deputy"
		if i%5 == 4 {
			cat = "observer"
		}
		rows[i] = store.ImportRow{Line: i + 2, Attendee: domain.Attendee{Key: fmt.Sprintf("K%05d", i), Name: fmt.Sprintf("代表%d", i),
			Category: cat, Delegation: fmt.Sprintf("团%d", i%10), Rank: i + 1}}
	}
	if _, err := db.ImportAttendees(context.Background(), rows, nil, false, "bench"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRecomputeFromScratch10000 is the worst case: every 应到 row and
// meal ticket of 10,000 attendees written anew (about 80,000 rows).
func BenchmarkRecomputeFromScratch10000(b *testing.B) {
	ctx := context.Background()
	db := openB(b)
	if _, err := db.ApplyDefinition(ctx, bigDefinition(), eventdef.All(), store.ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	importPeople(b, db, 10_000)
	for b.Loop() {
		err := db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
			if _, err := tx.Exec(`DELETE FROM session_attendees`); err != nil {
				return store.Change{}, err
			}
			if _, err := tx.Exec(`DELETE FROM meal_tickets`); err != nil {
				return store.Change{}, err
			}
			return store.Change{}, store.RecomputeEntitlements(ctx, tx, nil)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemoCheckpointPut moves one door of the demo: the common live
// change. Venues, seats and entitlements that did not change are not
// rewritten or recomputed.
func BenchmarkDemoCheckpointPut(b *testing.B) {
	ctx := context.Background()
	db := openB(b)
	if _, err := demo.Load(ctx, db, defNow); err != nil {
		b.Fatal(err)
	}
	d, _ := db.Definition(ctx)
	i := 0
	for b.Loop() {
		i++
		d.Checkpoints[0].Door = []string{"西门", "东门"}[i%2]
		if _, err := db.ApplyDefinition(ctx, d, eventdef.Given{"checkpoints": true}, store.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
