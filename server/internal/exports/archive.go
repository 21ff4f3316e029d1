package exports

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"time"

	"huiwu/server/internal/faces"
	"huiwu/server/internal/store"
	"huiwu/server/internal/xlsxout"
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

// Rate is 到会/应到 as a fraction — 到会 is 实到 + 离场, over the counted
// categories, as the 会务总结 has it — 0 for a session nobody was expected at.
func (s *Signin) Rate() float64 {
	if s.Counts.Expected == 0 {
		return 0
	}
	return float64(s.Counts.Entered) / float64(s.Counts.Expected)
}

// Archive is everything filed after the meeting (立卷归档).
type Archive struct {
	Event    string
	Made     time.Time
	Actor    string
	Sessions []*Signin
	Meals    []MealCount
	Rooms    []RoomLine
	// Faces are the counts of photos and 刷脸 data: all the archive keeps
	// of them (issue 15.6). Nil leaves them out of 说明.txt.
	Faces *store.FaceCounts
	// FacesDeletedAt is when the server deletes the photos and face data
	// by the event's retention rule (store.Catalog.FacesDeletedAt).
	FacesDeletedAt time.Time
	// Extra are files made by packages exports cannot import (the 会务总结
	// PDF of package summary), added by whoever sends the archive.
	Extra []File
}

// File is one more file of the archive, with its line in 说明.txt.
type File struct {
	Name, Note string
	Write      func(io.Writer) error
}

// LoadArchive reads every session's 签到表, the meals and the rooms.
func LoadArchive(ctx context.Context, db *store.DB, cat *store.Catalog, now time.Time, actor string) (*Archive, error) {
	a := &Archive{Event: cat.Event.Name, Made: now.In(cat.Location), Actor: actor}
	for _, s := range cat.SessionList {
		sheet, err := LoadSigninAt(ctx, db, cat, s.ID, now)
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
	fc, err := db.FaceCounts(ctx, faces.Model)
	if err != nil {
		return nil, err
	}
	a.Faces, a.FacesDeletedAt = &fc, cat.FacesDeletedAt().In(cat.Location)
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
	for _, f := range a.Extra {
		files = append(files, struct {
			name  string
			write func(io.Writer) error
		}{f.Name, f.Write})
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
	extra := ""
	for _, f := range a.Extra {
		extra += f.Name + "　" + f.Note + "\r\n"
	}
	return fmt.Sprintf("%s 会务资料归档\r\n生成时间：%s\r\n生成人：%s\r\n\r\n"+
		"汇总.xlsx　各场次出席率、到场曲线（每10分钟）、用餐人数\r\n"+
		"签到表/　　每个场次的签到表（应到/实到/请假/缺席）\r\n"+
		"用餐统计.xlsx　按餐次、餐厅、桌号的用餐人数\r\n"+
		"住宿名单.xlsx　酒店房间与入住情况\r\n"+
		"缺席名单.xlsx　已开始场次中未请假的缺席人员（按各场次计入的类别，与主持词一致）\r\n",
		a.Event, a.Made.Format("2006-01-02 15:04:05"), a.Actor) + extra + archiveCare + a.faceNote()
}

// faceNote is what 说明.txt says of photos and 刷脸: counts only, and
// where the data itself is and when it goes — or, once purged, how much
// went and when, so that an archive made afterwards still says it.
func (a *Archive) faceNote() string {
	f := a.Faces
	if f == nil {
		return ""
	}
	k := f.Checks
	var zh, en string
	if p := f.Purged; p != nil {
		day := p.At.In(a.Made.Location()).Format(time.DateOnly)
		zh += fmt.Sprintf("照片、人脸特征和同意记录已于 %s 从会务服务器删除：删除照片 %d 张、人脸特征 %d 个、同意记录 %d 条。\r\n",
			day, p.Photos, p.Refs, p.Consents)
		en += fmt.Sprintf("The photos, references and consents were deleted on %s: %d photos, %d face references, %d consent records.\r\n",
			day, p.Photos, p.Refs, p.Consents)
	}
	if f.Purged == nil || f.Photos+f.Consented+f.Refused > 0 {
		due := "会议结束后由服务器按保留期限自动删除"
		dueEn := "the server deletes them when the event's retention runs out"
		if !a.FacesDeletedAt.IsZero() {
			d := a.FacesDeletedAt.Format(time.DateOnly)
			due, dueEn = "将于 "+d+" 0时由服务器自动删除", "the server deletes them at 00:00 on "+d
		}
		zh += "照片、人脸特征和同意记录只在会务服务器上，" + due + "；管理员也可在归档后立即清除（POST /api/v1/faces/purge，见 docs/photos.md）。\r\n"
		en += "The photos, references and consents stay only on the server; " + dueEn + ", or an administrator purges them sooner, after archiving.\r\n"
	}
	return fmt.Sprintf("\r\n【照片与人脸核验】\r\n"+
		"本压缩包不含照片、人脸特征和同意记录，只有数目（在册人员）：照片 %d 人；同意人脸核验 %d 人，不同意 %d 人，未询问 %d 人；"+
		"人脸特征 %d 人；现场人脸核验通过 %d 次，未通过 %d 次，未检测到人脸 %d 次。\r\n"+
		"%s各次核验只留结果和相似度。\r\n"+
		"\r\n[Photos and face verification]\r\n"+
		"This archive holds no photo, face reference or consent record, only counts: photos %d; consented %d, refused %d, not asked %d; "+
		"face references %d; face checks at the doors: pass %d, fail %d, no face %d.\r\n"+
		"%sThe checks keep only their result and distance.\r\n",
		f.Photos, f.Consented, f.Refused, f.Unasked, f.Refs, k["pass"], k["fail"], k["noface"], zh,
		f.Photos, f.Consented, f.Refused, f.Unasked, f.Refs, k["pass"], k["fail"], k["noface"], en)
}

// archiveCare is what 说明.txt says of the personal data the archive
// holds: it leaves the server with whoever downloads it, so the file
// itself must say how to keep it.
const archiveCare = "\r\n【个人信息】\r\n" +
	"本压缩包含参会人员的个人信息：姓名、性别、单位、职务、所属代表团、手机号（名单中有的）、房间号、入住与用餐情况、签到时间。\r\n" +
	"仅限会务组负责立卷归档的人员保管，用于会议文书立卷归档。\r\n" +
	"立卷归档：会后将本压缩包移交本单位档案部门（或机要室），按本单位文书档案管理规定的保管期限保存；\r\n" +
	"移交后删除下载到本机的副本。不得存放在个人电脑、个人网盘或聊天工具中，不得转发。\r\n" +
	"\r\n[Personal data]\r\n" +
	"This archive holds attendees' personal data: names, gender, organisations, titles, delegations, phone numbers (where the list has them), room numbers, hotel stays and meals, sign-in times.\r\n" +
	"Only the secretariat staff who file the meeting's records may keep it. After the meeting, hand it over to your organisation's archives, to be kept for the period its records rules set, and delete the copy you downloaded.\r\n" +
	"Do not keep it on a personal machine, in a personal cloud drive or in a chat app, and do not forward it.\r\n"

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
	if err := b.line(b.head, "场次", "口径", "应到", "实到", "离场", "请假", "未到", "缺席", "出席率"); err != nil {
		return err
	}
	for _, s := range a.Sessions {
		c := s.Counts
		if err := b.line(b.cell, s.Session.Name, c.Basis.Short, c.Expected, c.Present, c.Left, c.OnLeave, c.NotYet, c.Absent,
			xlsxout.Percent(s.Rate())); err != nil {
			return err
		}
	}
	if err := b.titleRow("人数按 DESIGN「Counts」的定义（docs/counts.md），与主持人页面同一计算，按各场次计入人数的类别（口径）；"+
		"出席率＝到会（实到＋离场）÷应到。", 9, 0); err != nil {
		return err
	}
	if err := b.sheet("到场曲线", 24, 14, 12, 12); err != nil {
		return err
	}
	if err := b.line(b.head, "场次", "时段（每10分钟）", "到场人数", "累计"); err != nil {
		return err
	}
	for _, s := range a.Sessions {
		for _, k := range s.Curve() {
			if err := b.line(b.cell, s.Session.Name, k.From, k.Arrived, k.Cumulative); err != nil {
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
			rate = float64(m.Served) / float64(m.Entitled)
		}
		if err := b.line(b.cell, m.Meal.Name, m.Entitled, m.Served, xlsxout.Percent(rate)); err != nil {
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
