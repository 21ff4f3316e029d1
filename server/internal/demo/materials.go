package demo

import (
	"context"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// The demo's materials (资料发放, issue 13.2), half handed out: the
// evening before, the hotel desk gave most guests their 代表证, 文件袋 and
// 餐券 (scanning the badge as it handed it over; some got only the pass,
// the folders having run out); this morning the 报到处
// in the Great Hall gave those who live in town theirs, with the 会议手册.
// The guests still collect the 会议手册 at the hall doors, so a newcomer's
// first scan at 大会堂东门 shows what to hand over. Nobody has had the
// 纪念品 (the desk hands it out at the close, by hand), and its stock is
// not entered yet: the readiness board says so.

// demoItems are the items, in the order the desk lists them.
func demoItems() []store.MaterialItem {
	n := func(v int) *int { return &v }
	doors := []string{"hall-east", "hall-west"}
	return []store.MaterialItem{
		{Code: "badge", Name: "代表证", NameEn: "Delegate pass", Stock: n(1200), BeforeStart: true, Points: []string{"hotel-desk"}},
		{Code: "folder", Name: "文件袋", NameEn: "Document folder", Stock: n(1100), BeforeStart: true,
			Points: []string{"hotel-desk", "hall-east", "hall-west"}},
		{Code: "handbook", Name: "会议手册", NameEn: "Meeting handbook", Stock: n(1100), Points: doors},
		{Code: "meal-tickets", Name: "餐券", NameEn: "Meal vouchers", Stock: n(1000), Points: []string{"hotel-desk"}},
		{Code: "souvenir", Name: "纪念品", NameEn: "Souvenir"},
	}
}

// demoKits say who is due what: deputies and guests everything, observers
// all but the souvenir, staff and press their pass and the handbook.
func demoKits() []store.MaterialKit {
	cat := func(cs ...string) []store.Grant {
		var out []store.Grant
		for _, c := range cs {
			out = append(out, store.Grant{Category: c})
		}
		return out
	}
	return []store.MaterialKit{
		{Code: "deputy-kit", Name: "代表资料袋", NameEn: "Delegate's kit", Items: []string{"badge", "folder", "handbook", "meal-tickets", "souvenir"},
			Grants: cat(domain.CategoryDeputy, domain.CategoryGuest)},
		{Code: "observer-kit", Name: "列席资料袋", NameEn: "Observer's kit", Items: []string{"badge", "folder", "handbook", "meal-tickets"},
			Grants: cat(domain.CategoryObserver)},
		{Code: "staff-kit", Name: "工作证件", NameEn: "Staff and press pass", Items: []string{"badge", "handbook"},
			Grants: cat(domain.CategoryStaff, domain.CategoryPress)},
	}
}

// loadMaterials sets the materials up and lays down the handouts so far.
func loadMaterials(ctx context.Context, db *store.DB, ev domain.EventData, ids map[string]int64, now time.Time) error {
	if err := db.SaveMaterials(ctx, store.Materials{Items: demoItems(), Kits: demoKits()}, "demo"); err != nil {
		return fmt.Errorf("demo: materials: %w", err)
	}
	due := map[string][]string{}
	for _, k := range demoKits() {
		for _, g := range k.Grants {
			due[g.Category] = k.Items
		}
	}
	has := func(cat, item string) bool {
		for _, c := range due[cat] {
			if c == item {
				return true
			}
		}
		return false
	}
	local := now.In(shanghai)
	evening := time.Date(local.Year(), local.Month(), local.Day(), 19, 0, 0, 0, shanghai).AddDate(0, 0, -1)
	var hs []store.Handout
	for i, a := range ev.Attendees {
		id := ids[a.Key]
		if id == 0 {
			continue
		}
		var items []string
		var at time.Time
		var cp, place string
		switch {
		case a.Lodging != nil && i%5 != 0:
			items, cp, place = []string{"badge", "folder", "meal-tickets"}, "hotel-desk", "会议酒店前台"
			if i%11 == 0 {
				items = items[:1] // the hotel ran out of folders and vouchers that evening
			}
			at = evening.Add(time.Duration(i*7%180) * time.Minute)
		case a.Lodging == nil && i%3 != 0:
			items, place = []string{"badge", "folder", "handbook", "meal-tickets"}, "大会堂报到处"
			at = now.Add(-time.Duration(5+i%40) * time.Minute)
		default:
			continue
		}
		for _, it := range items {
			if has(a.Category, it) {
				hs = append(hs, store.Handout{Attendee: id, Item: it, At: at, Checkpoint: cp, Place: place})
			}
		}
	}
	if err := db.LoadHandouts(ctx, hs, "demo"); err != nil {
		return fmt.Errorf("demo: handouts: %w", err)
	}
	return nil
}
