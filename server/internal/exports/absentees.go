package exports

import (
	"context"
	"fmt"
	"io"
	"time"

	"huiwu/server/internal/attendance"
	"huiwu/server/internal/store"
	"huiwu/server/internal/xlsxout"
)

// LoadAbsentees reads the 签到表 behind the absentee list of session id
// at now, or, when id is "", of the session a desk means: the one on now
// (in progress, or with its doors open), else the next, else the last.
// Signin.Why says which it chose.
func LoadAbsentees(ctx context.Context, db *store.DB, cat *store.Catalog, id string, now time.Time) (*Signin, error) {
	why := ""
	if id == "" {
		s, w := DeskSession(cat.SessionList, now)
		if s == nil {
			return nil, store.ErrNotFound
		}
		id, why = s.ID, w
	}
	sheet, err := LoadSigninAt(ctx, db, cat, id, now)
	if err != nil {
		return nil, err
	}
	sheet.Why = why
	return sheet, nil
}

// DeskSession is the session a desk means at now when it names none: one
// in progress (the latest started), else one whose doors are open (the
// next to start, or one ended whose check-in is still open), else the next
// to start, else the last to have started; with why, in words.
func DeskSession(sessions []*store.Session, now time.Time) (*store.Session, string) {
	var on, open, ended, next, last *store.Session
	for _, s := range sessions {
		switch attendance.PhaseAt(s, now) {
		case attendance.PhaseInProgress:
			if on == nil || s.StartsAt.After(on.StartsAt) {
				on = s
			}
		case attendance.PhaseOpen:
			if open == nil || s.StartsAt.Before(open.StartsAt) {
				open = s
			}
		case attendance.PhaseEnded:
			if ended == nil || s.StartsAt.After(ended.StartsAt) {
				ended = s
			}
		}
		if s.StartsAt.After(now) && (next == nil || s.StartsAt.Before(next.StartsAt)) {
			next = s
		}
		if !s.StartsAt.After(now) && (last == nil || s.StartsAt.After(last.StartsAt)) {
			last = s
		}
	}
	switch {
	case on != nil:
		return on, "正在进行"
	case open != nil:
		return open, "入场中，尚未开始"
	case ended != nil:
		return ended, "已结束，签到尚未关闭"
	case next != nil:
		return next, "下一场次，尚未开始"
	case last != nil:
		return last, "最近一场"
	}
	return nil, ""
}

// Absentees are the people the session's figures count who are 缺席 —
// the chair's 缺席名单 — or, before 未到 count as 缺席, those 未到, for
// the desk to call.
func (s *Signin) Absentees() []SigninRow {
	want := attendance.StateNotYet
	if s.Counts.AbsentCounted {
		want = attendance.StateAbsent
	}
	var out []SigninRow
	for _, r := range s.Rows {
		if r.Counted && r.State == want {
			out = append(out, r)
		}
	}
	return out
}

var absenteeColumns = []xlsxout.Column{{Max: 6}, {Min: 8, Max: 16}, {Max: 20}, {Max: 42}, {Max: 20}, {Min: 13}}

// WriteAbsenteesXLSX writes a sheet per session given: who is 缺席 (or,
// before the start, 未到) among those counted, numbered 1…n, with a phone
// to call them on and the total; the title says which session it covers.
func WriteAbsenteesXLSX(w io.Writer, sheets []*Signin) error {
	b := xlsxout.New()
	if len(sheets) == 0 {
		sh := b.Sheet("缺席名单", xlsxout.Page{}, absenteeColumns...)
		sh.Title("缺席人员名单")
		sh.Head("序号", "姓名", "职务", "单位", "代表团", "手机")
		sh.Line("没有已开始的场次，没有缺席人员。")
	}
	used := map[string]bool{}
	for _, s := range sheets {
		name := xlsxout.SheetName(s.Session.Name)
		for i := 2; used[name]; i++ {
			name = xlsxout.SheetName(fmt.Sprintf("%s (%d)", s.Session.Name, i))
		}
		used[name] = true
		absenteeSheet(b.Sheet(name, xlsxout.Page{}, absenteeColumns...), s)
	}
	_, err := b.WriteTo(w)
	return err
}

func absenteeSheet(sh *xlsxout.Sheet, s *Signin) {
	c := s.Counts
	what, rule := "缺席", "开始后未到且未请假"
	if !c.AbsentCounted {
		what, rule = "未到", "尚未入场且未请假（此后按本场次规则称缺席）"
	}
	list := s.Absentees()
	sh.Title(fmt.Sprintf("%s %s %s人员名单", s.Event, s.Session.Name, what))
	at := "场次：" + s.Session.Name
	if s.Why != "" {
		at += "（" + s.Why + "）"
	}
	sh.Line(fmt.Sprintf("%s　地点：%s　时间：%s　截至 %s", at, s.Venue,
		s.Session.StartsAt.In(s.Loc).Format("2006年1月2日 15:04"), s.AsOf.Format("2006-01-02 15:04")))
	sh.Head("序号", "姓名", "职务", "单位", "代表团", "手机")
	for i, r := range list {
		sh.Row(i+1, r.Name, r.Title, r.Organization, r.Delegation, r.Phone)
	}
	sh.Foot("合计", len(list), "人")
	sh.Line(fmt.Sprintf("%s＝%s；%s。本场次应到 %d 人，实到 %d 人，离场 %d 人，请假 %d 人，%s %d 人"+
		"（与主持人页面同一计算，docs/counts.md）。", what, rule, c.Basis.Zh, c.Expected, c.Present, c.Left, c.OnLeave, what, len(list)))
}
