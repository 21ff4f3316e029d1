package exports

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// MealCount is one dining table at one meal: how many are entitled, how
// many were served, and the dietary marks the kitchen plans for.
type MealCount struct {
	Meal     *domain.Meal
	Venue    string // dining hall name
	Table    int
	Entitled int
	Served   int
	Halal    int // 清真
	Veg      int // 素食
	Other    int // any other dietary note (allergies and the like)
}

// slotNames are 早/午/晚 in words.
var slotNames = map[domain.MealSlot]string{domain.Breakfast: "早餐", domain.Lunch: "午餐", domain.Dinner: "晚餐"}

// LoadMeals counts every meal by dining hall and table, in meal order.
func LoadMeals(ctx context.Context, db *store.DB, cat *store.Catalog) ([]MealCount, error) {
	counts, err := db.MealTableCounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("exports: meals: %w", err)
	}
	var out []MealCount
	for _, c := range counts {
		out = append(out, MealCount{Meal: cat.Meals[c.MealID], Venue: cat.Venues[cat.VenueByID[c.VenueID]].Name, Table: c.Table,
			Entitled: c.Entitled, Served: c.Served, Halal: c.Halal, Veg: c.Veg, Other: c.Other})
	}
	slices.SortFunc(out, func(a, b MealCount) int {
		if c := a.Meal.OpensAt.Compare(b.Meal.OpensAt); c != 0 {
			return c
		}
		if a.Venue != b.Venue {
			if a.Venue < b.Venue {
				return -1
			}
			return 1
		}
		return a.Table - b.Table
	})
	return out, nil
}

// WriteMealsXLSX writes the meal counts: a line per table with a 小计 line
// after each meal and hall, for the kitchen and for settling accounts.
func WriteMealsXLSX(w io.Writer, counts []MealCount) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	if err := b.mealsSheet(counts); err != nil {
		b.f.Close()
		return err
	}
	return b.writeTo(w)
}

func (b *book) mealsSheet(counts []MealCount) error {
	if err := b.sheet("用餐统计", 12, 6, 10, 10, 6, 8, 8, 6, 6, 10); err != nil {
		return err
	}
	if err := b.titleRow("用餐统计（按餐次、餐厅、桌号）", 10, b.title); err != nil {
		return err
	}
	if err := b.line(b.head, "日期", "餐别", "餐次", "餐厅", "桌号", "应用餐", "已用餐", "清真", "素食", "其他饮食要求"); err != nil {
		return err
	}
	var sub MealCount
	flush := func() error {
		if sub.Meal == nil {
			return nil
		}
		err := b.line(b.foot, day(sub.Meal.Date, time.UTC), slotNames[sub.Meal.Slot], sub.Meal.Name, sub.Venue, "小计",
			sub.Entitled, sub.Served, sub.Halal, sub.Veg, sub.Other)
		sub = MealCount{}
		return err
	}
	for _, m := range counts {
		if sub.Meal != nil && (sub.Meal != m.Meal || sub.Venue != m.Venue) {
			if err := flush(); err != nil {
				return err
			}
		}
		if sub.Meal == nil {
			sub.Meal, sub.Venue = m.Meal, m.Venue
		}
		sub.Entitled += m.Entitled
		sub.Served += m.Served
		sub.Halal += m.Halal
		sub.Veg += m.Veg
		sub.Other += m.Other
		if err := b.line(b.cell, day(m.Meal.Date, time.UTC), slotNames[m.Meal.Slot], m.Meal.Name, m.Venue, m.Table,
			m.Entitled, m.Served, m.Halal, m.Veg, m.Other); err != nil {
			return err
		}
	}
	return flush()
}

// RoomLine is one person in one hotel room.
type RoomLine struct {
	Hotel, Room, Name, Gender, Organization string
	CheckIn, CheckOut                       string
	ArrivedAt                               time.Time // zero until the hotel desk scans the badge
}

// LoadRooms reads the room list by hotel and room.
func LoadRooms(ctx context.Context, db *store.DB, cat *store.Catalog) ([]RoomLine, error) {
	lines, err := db.RoomList(ctx)
	if err != nil {
		return nil, fmt.Errorf("exports: rooms: %w", err)
	}
	var out []RoomLine
	for _, l := range lines {
		r := RoomLine{Hotel: l.Hotel, Room: l.Room, Name: l.Name, Gender: l.Gender, Organization: l.Organization,
			CheckIn: l.CheckIn, CheckOut: l.CheckOut}
		if !l.ArrivedAt.IsZero() {
			r.ArrivedAt = l.ArrivedAt.In(cat.Location)
		}
		out = append(out, r)
	}
	return out, nil
}

// WriteRoomsXLSX writes the room list for the hotel.
func WriteRoomsXLSX(w io.Writer, lines []RoomLine) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	if err := b.roomsSheet(lines); err != nil {
		b.f.Close()
		return err
	}
	return b.writeTo(w)
}

func (b *book) roomsSheet(lines []RoomLine) error {
	if err := b.sheet("住宿名单", 6, 10, 6, 8, 6, 12, 12, 12, 16); err != nil {
		return err
	}
	if err := b.titleRow("住宿名单", 9, b.title); err != nil {
		return err
	}
	if err := b.line(b.head, "序号", "酒店", "房号", "姓名", "性别", "单位", "入住日期", "退房日期", "入住时间"); err != nil {
		return err
	}
	for i, r := range lines {
		if err := b.line(b.cell, i+1, r.Hotel, r.Room, r.Name, r.Gender, r.Organization, day(r.CheckIn, time.UTC),
			day(r.CheckOut, time.UTC), r.ArrivedAt); err != nil {
			return err
		}
	}
	return b.line(b.foot, "合计", len(lines), "人")
}
