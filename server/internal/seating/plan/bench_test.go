package plan_test

import (
	"context"
	"testing"
	"time"

	"huiwu/server/internal/seating/plan"
	"huiwu/server/internal/testkit"
)

// BenchmarkArrangeDemo is POST /sessions/opening/arrange without HTTP: read
// the hall (782 seats), the 570 people and the pins inside the write
// transaction, arrange, replace the assignments, commit (synchronous=FULL).
func BenchmarkArrangeDemo(b *testing.B) {
	env := testkit.New(b, time.Now())
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		rep, err := plan.Arrange(ctx, env.DB, env.Catalog, "opening", "bench", false)
		if err != nil || !rep.OK {
			b.Fatalf("%v %+v", err, rep)
		}
	}
}
