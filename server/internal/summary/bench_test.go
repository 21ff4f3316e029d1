package summary_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"huiwu/server/internal/checkin"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
	. "huiwu/server/internal/summary"
	"huiwu/server/internal/testkit"
)

// benchSummary times Load and Write together, as the desk's download
// does, and reports the PDF's size.
func benchSummary(b *testing.B, env *testkit.Env, name string) {
	ctx := context.Background()
	size := 0
	for b.Loop() {
		r, err := Load(ctx, env.DB, env.Catalog, env.Now(), "bench")
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, r); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
	if dir := os.Getenv("HUIWU_SHOTS"); dir != "" {
		r, _ := Load(ctx, env.DB, env.Catalog, env.Now(), "bench")
		var buf bytes.Buffer
		if err := Write(&buf, r); err == nil {
			os.WriteFile(filepath.Join(dir, name+".pdf"), buf.Bytes(), 0o644)
		}
	}
}

// BenchmarkSummaryDemo is the demo event with its morning's scans.
func BenchmarkSummaryDemo(b *testing.B) {
	env := testkit.New(b, demoNow)
	for i, id := range expectedAt(b, env, "opening", 300) {
		env.SetNow(demoNow.Add(time.Duration(i) * 8 * time.Second))
		scan(b, env, checkin.Request{AttendeeID: id, Checkpoint: "hall-east", ScanID: fmt.Sprint("in", i)})
	}
	benchSummary(b, env, "summary-bench-demo")
}

// BenchmarkSummary3000 adds 3,000 deputies to the demo, 2,700 of whom
// sign in at the opening meeting over an hour and 2,000 eat lunch.
func BenchmarkSummary3000(b *testing.B) {
	env := testkit.New(b, demoNow)
	ctx := context.Background()
	rows := make([]store.ImportRow, 3000)
	for i := range rows {
		rows[i] = store.ImportRow{Line: i + 2, Attendee: domain.Attendee{Key: fmt.Sprintf("bench-%05d", i),
			Name: fmt.Sprintf("代表%04d", i), Organization: "测试单位", Category: domain.CategoryDeputy,
			Delegation: fmt.Sprintf("代表团%d", i%12), Rank: 5000 + i}}
	}
	if _, err := env.DB.ImportAttendees(ctx, rows, nil, false, "bench"); err != nil {
		b.Fatal(err)
	}
	ids := expectedAt(b, env, "opening", 2700)
	for i, id := range ids {
		env.SetNow(demoNow.Add(time.Duration(i) * 1300 * time.Millisecond))
		scan(b, env, checkin.Request{AttendeeID: id, Checkpoint: "hall-east", ScanID: fmt.Sprint("in", i)})
	}
	for i, id := range ids[:2000] {
		scan(b, env, checkin.Request{AttendeeID: id, Checkpoint: "dining1", ScanID: fmt.Sprint("meal", i)})
	}
	benchSummary(b, env, "summary-bench-3000")
}
