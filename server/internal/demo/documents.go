package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// The demo's confidential document (issue 13.3): a 机密 draft for the
// presidium, the first twelve by rank, fifteen copies, for the opening
// meeting. The 机要 desk handed ten out at 报到 the evening before; one
// holder gave theirs back the same evening, and one copy came back
// through a colleague, with the reason recorded. Two of the twelve have
// not had theirs yet, so the readiness board names them while the
// opening's doors are open.
func loadDocuments(ctx context.Context, db *store.DB, ev domain.EventData, ids map[string]int64, now time.Time) error {
	people := slices.Clone(ev.Attendees)
	slices.SortStableFunc(people, func(a, b domain.Attendee) int { return a.Rank - b.Rank })
	var list []int64
	for _, a := range people {
		if id := ids[a.Key]; id != 0 && len(list) < 12 {
			list = append(list, id)
		}
	}
	d, err := db.CreateDocument(ctx, store.DocumentInput{
		Title: "关于本次大会选举办法的说明（审议稿）", Number: "云人大会秘〔2026〕7号", Classification: "机密",
		Copies: 15, Audience: store.AudienceList, Attendees: list, SessionID: "opening"}, "demo")
	if err != nil {
		return fmt.Errorf("demo: document: %w", err)
	}
	local := now.In(shanghai)
	evening := time.Date(local.Year(), local.Month(), local.Day(), 19, 0, 0, 0, shanghai).AddDate(0, 0, -1)
	act := func(f func(context.Context, store.CopyScan) (store.CopyEvent, error), s store.CopyScan) error {
		s.Document, s.Actor = d.ID, "机要员 周敏"
		if s.Place == "" {
			s.Place = "报到处（机要）"
		}
		if _, err := f(ctx, s); err != nil {
			return fmt.Errorf("demo: copy %d: %w", s.Copy, err)
		}
		return nil
	}
	for i := range 10 {
		if err := act(db.IssueCopy, store.CopyScan{Copy: i + 1, Person: list[i], At: evening.Add(time.Duration(i*7) * time.Minute)}); err != nil {
			return err
		}
	}
	if err := act(db.ReturnCopy, store.CopyScan{Copy: 3, Person: list[2], At: evening.Add(90 * time.Minute)}); err != nil {
		return err
	}
	return act(db.ReturnCopy, store.CopyScan{Copy: 7, Person: list[7], Place: "驻地宾馆服务台",
		Reason: "领取人当晚因公返回，委托同团代表交回", At: evening.Add(150 * time.Minute)})
}
