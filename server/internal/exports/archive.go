package exports

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"time"

	"huiwu/server/internal/store"
)

// Bucket is one ten-minute step of a session's arrival curve.
type Bucket struct {
	From       time.Time // start of the ten minutes, venue clock
	Arrived    int       // signed in during these ten minutes
	Cumulative int       // signed in by the end of them
}

// Curve is the arrival curve of a sign-in sheet: first sign-ins counted
// per ten minutes, from the first arrival to the last.
func (s *Signin) Curve() []Bucket {
	counts := map[time.Time]int{}
	var first, last time.Time
	for _, r := range s.Rows {
		if r.SignedAt.IsZero() {
			continue
		}
		t := r.SignedAt.Truncate(10 * time.Minute)
		counts[t]++
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if first.IsZero() {
		return nil
	}
	var out []Bucket
	total := 0
	for t := first; !t.After(last); t = t.Add(10 * time.Minute) {
		total += counts[t]
		out = append(out, Bucket{From: t.In(s.Loc), Arrived: counts[t], Cumulative: total})
	}
	return out
}

// Rate is 实到/应到 as a fraction, 0 for a session nobody was expected at.
func (s *Signin) Rate() float64 {
	if s.Expected == 0 {
		return 0
	}
	return float64(s.Present) / float64(s.Expected)
}

// Archive is everything filed after the meeting (立卷归档).
type Archive struct {
	Event    string
	Made     time.Time
	Actor    string
	Sessions []*Signin
	Meals    []MealCount
	Rooms    []RoomLine
}

// LoadArchive reads every session's 签到表, the meals and the rooms.
func LoadArchive(ctx context.Context, db *store.DB, cat *store.Catalog, now time.Time, actor string) (*Archive, error) {
	a := &Archive{Event: cat.Event.Name, Made: now.In(cat.Location), Actor: actor}
	for _, s := range cat.SessionList {
		sheet, err := LoadSignin(ctx, db, cat, s.ID)
		if err != nil {
			return nil, err
		}
		a.Sessions = append(a.Sessions, sheet)
	}
	var err error
	if a.Meals, err = LoadMeals(ctx, db, cat); err != nil {
		return nil, err
	}
	if a.Rooms, err = LoadRooms(ctx, db, cat); err != nil {
		return nil, err
	}
	return a, nil
}

// Started are the sessions whose 未到 counted as 缺席 by the time the
// archive was made (from the start, or the close by the session's rule):
// only they have absentees.
func (a *Archive) Started() []*Signin {
	var out []*Signin
	for _, s := range a.Sessions {
		if !s.Session.AbsentAt().After(a.Made) {
			out = append(out, s)
		}
	}
	return out
}

// WriteZIP writes the archive: a 签到表 per session, the meal counts, the
// room list, the absentees, and 汇总.xlsx with attendance rate per session,
// the arrival curves and meals served, plus a note of what is inside.
func (a *Archive) WriteZIP(w io.Writer) error {
	z := zip.NewWriter(w)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"汇总.xlsx", a.writeSummary},
		{"用餐统计.xlsx", func(w io.Writer) error { return WriteMealsXLSX(w, a.Meals) }},
		{"住宿名单.xlsx", func(w io.Writer) error { return WriteRoomsXLSX(w, a.Rooms) }},
		{"缺席名单.xlsx", func(w io.Writer) error { return WriteAbsenteesXLSX(w, a.Started()) }},
	}
	for i, s := range a.Sessions {
		files = append(files, struct {
			name  string
			write func(io.Writer) error
		}{fmt.Sprintf("签到表/%02d-%s.xlsx", i+1, s.Session.Name), func(w io.Writer) error { return WriteSigninXLSX(w, s) }})
	}
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: a.Made})
		if err != nil {
			return err
		}
		if err := f.write(fw); err != nil {
			return fmt.Errorf("exports: %s: %w", f.name, err)
		}
	}
	fw, err := z.CreateHeader(&zip.FileHeader{Name: "说明.txt", Method: zip.Deflate, Modified: a.Made})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(fw, a.note()); err != nil {
		return err
	}
	return z.Close()
}

func (a *Archive) note() string {
	return fmt.Sprintf("%s 会务资料归档\r\n生成时间：%s\r\n生成人：%s\r\n\r\n"+
		"汇总.xlsx　各场次出席率、到场曲线（每10分钟）、用餐人数\r\n"+
		"签到表/　　每个场次的签到表（应到/实到/请假/缺席）\r\n"+
		"用餐统计.xlsx　按餐次、餐厅、桌号的用餐人数\r\n"+
		"住宿名单.xlsx　酒店房间与入住情况\r\n"+
		"缺席名单.xlsx　已开始场次中未请假的缺席人员\r\n",
		a.Event, a.Made.Format("2006-01-02 15:04:05"), a.Actor)
}

func (a *Archive) writeSummary(w io.Writer) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	if err := a.summarySheets(b); err != nil {
		b.f.Close()
		return err
	}
	return b.writeTo(w)
}

func (a *Archive) summarySheets(b *book) error {
	if err := b.sheet("出席率", 24, 10, 10, 10, 10, 10); err != nil {
		return err
	}
	if err := b.titleRow(a.Event+" 出席情况汇总", 6, b.title); err != nil {
		return err
	}
	if err := b.line(b.head, "场次", "应到", "实到", "请假", "缺席", "出席率"); err != nil {
		return err
	}
	for _, s := range a.Sessions {
		if err := b.line(b.cell, s.Session.Name, s.Expected, s.Present, s.OnLeave, s.Absent,
			fmt.Sprintf("%.1f%%", 100*s.Rate())); err != nil {
			return err
		}
	}
	if err := b.sheet("到场曲线", 24, 14, 12, 12); err != nil {
		return err
	}
	if err := b.line(b.head, "场次", "时段（每10分钟）", "到场人数", "累计"); err != nil {
		return err
	}
	for _, s := range a.Sessions {
		for _, k := range s.Curve() {
			if err := b.line(b.cell, s.Session.Name, k.From.Format("01-02 15:04"), k.Arrived, k.Cumulative); err != nil {
				return err
			}
		}
	}
	if err := b.sheet("用餐", 16, 10, 10, 10); err != nil {
		return err
	}
	if err := b.line(b.head, "餐次", "应用餐", "已用餐", "用餐率"); err != nil {
		return err
	}
	for _, m := range a.MealsServed() {
		rate := 0.0
		if m.Entitled > 0 {
			rate = 100 * float64(m.Served) / float64(m.Entitled)
		}
		if err := b.line(b.cell, m.Meal.Name, m.Entitled, m.Served, fmt.Sprintf("%.1f%%", rate)); err != nil {
			return err
		}
	}
	return nil
}

// MealsServed sums the table counts per meal, in meal order.
func (a *Archive) MealsServed() []MealCount {
	var out []MealCount
	for _, m := range a.Meals {
		if n := len(out); n > 0 && out[n-1].Meal == m.Meal {
			out[n-1].Entitled += m.Entitled
			out[n-1].Served += m.Served
			continue
		}
		out = append(out, MealCount{Meal: m.Meal, Entitled: m.Entitled, Served: m.Served})
	}
	return out
}
