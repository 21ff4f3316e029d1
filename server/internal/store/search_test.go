package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// generated imports n generated attendees (on top of the demo's ~600)
// through the store, as a large congress list would arrive, and returns the
// database and one generated person to look for.
func generated(tb testing.TB, n int) (*store.DB, domain.Attendee) {
	tb.Helper()
	env := testkit.New(tb, time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力鹏飞宇浩然晨阳子涵雪梅海波志刚金凤春燕")
	orgs := []string{"省发展和改革委员会", "市教育局", "县人民医院", "省财政厅", "市公安局", "省农业农村厅", "市生态环境局", "省科学技术厅"}
	r := rand.New(rand.NewPCG(7, 11))
	rows := make([]store.ImportRow, 0, n)
	for i := range n {
		name := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
		if r.IntN(2) == 0 {
			name += string(given[r.IntN(len(given))])
		}
		rows = append(rows, store.ImportRow{Line: i + 2, Attendee: domain.Attendee{
			Key: fmt.Sprintf("gen-%05d", i), Name: name, Organization: orgs[r.IntN(len(orgs))],
			Title: "处长", Category: domain.CategoryDeputy, Rank: 1000 + i,
			Phone: fmt.Sprintf("139%08d", r.IntN(100_000_000)),
		}})
	}
	if _, err := env.DB.ImportAttendees(context.Background(), rows, nil, false, "test"); err != nil {
		tb.Fatal(err)
	}
	return env.DB, rows[n*43/100].Attendee
}

// TestSearchAmongThousands checks that each kind of query the desk types
// finds the person among thousands (3,000 keeps the race-detector run
// short; BenchmarkSearch times 10,000).
func TestSearchAmongThousands(t *testing.T) {
	t.Parallel()
	db, who := generated(t, 3_000)
	ctx := context.Background()
	_, initials := store.SearchKeys(who.Name)
	for _, q := range []string{who.Name, initials, who.Phone[len(who.Phone)-4:]} {
		start := time.Now()
		got, err := db.SearchAttendees(ctx, q, 20_000, true)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(got, func(a store.Attendee) bool { return a.Key == who.Key }) {
			t.Errorf("search %q (%d hits) misses %s %s", q, len(got), who.Name, who.Key)
		}
		t.Logf("q=%q: %d hits in %v", q, len(got), took)
	}
}

// BenchmarkSearch times the desk's search-as-you-type at 10,000 attendees
// with the page's limit of 30: a two-letter pinyin prefix, a full name, a
// phone tail and an organisation word.
func BenchmarkSearch(b *testing.B) {
	db, who := generated(b, 10_000)
	ctx := context.Background()
	_, initials := store.SearchKeys(who.Name)
	for _, q := range []string{initials[:2], who.Name, who.Phone[len(who.Phone)-4:], "教育"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.SearchAttendees(ctx, q, 30, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
