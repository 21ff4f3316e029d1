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

// Signin is a session's 签到表: everyone the session expects, every
// category, in list order, with when they signed in and the remark the
// secretariat expects, and the session's figures as the chair's page has
// them.
type Signin struct {
	Event   string
	Session *store.Session
	Venue   string
	Loc     *time.Location // the venue's clock
	AsOf    time.Time      // the moment the states and figures describe
	Rows    []SigninRow
	// Counts are the session's figures at AsOf from package attendance,
	// the one computation behind the chair's page and sentence
	// (docs/counts.md): 应到, 实到, 请假… over the categories that count
	// (Counts.Basis), and Counts.All over everyone listed.
	Counts attendance.Counts
	// Expected is everyone on the sheet, every category (Counts.All's
	// 应到, not the session's 应到 unless every category counts).
	Expected int
	// Why says how the session was chosen when the desk did not name one
	// (LoadAbsentees), e.g. 正在进行.
	Why string
}

// SigninRow is one line of the 签到表.
type SigninRow struct {
	No           int // 序号: 1…n down the sheet
	AttendeeID   int64
	Name         string
	Title        string
	Organization string
	Delegation   string
	Phone        string
	// State is the person's state at Signin.AsOf (attendance's one
	// classification); Counted says the session's figures count them.
	State       attendance.State
	Counted     bool
	SignedAt    time.Time // first in, the venue's clock; zero when not signed in
	Late        bool
	Manual      bool   // 补签 at the desk
	Leave       bool   // 请假 and not come
	LeaveReason string // the reason given for the leave
}

// Remark is the 备注 cell: 请假 (with its reason), 缺席 (from the start,
// or the close by the session's rule; a sheet printed before it leaves
// the cell blank for the signature), 离场, 迟到, 补签.
func (r SigninRow) Remark() string {
	switch r.State {
	case attendance.StateOnLeave:
		if r.LeaveReason != "" {
			return "请假（" + r.LeaveReason + "）"
		}
		return "请假"
	case attendance.StateAbsent:
		return "缺席"
	case attendance.StateNotYet:
		return ""
	}
	s := ""
	add := func(w string) {
		if s != "" {
			s += "，"
		}
		s += w
	}
	if r.Late {
		add("迟到")
	}
	if r.Manual {
		add("补签")
	}
	if r.State == attendance.StateLeft {
		add("已离场")
	}
	return s
}

// LoadSignin reads session id's 签到表 from committed data, now.
func LoadSignin(ctx context.Context, db *store.DB, cat *store.Catalog, id string) (*Signin, error) {
	return LoadSigninAt(ctx, db, cat, id, time.Now())
}

// LoadSigninAt reads session id's 签到表 at now: who is expected and their
// states from package attendance (attendance.RosterAt), their titles,
// units and phones, and who was signed in at the desk, from the store.
func LoadSigninAt(ctx context.Context, db *store.DB, cat *store.Catalog, id string, now time.Time) (*Signin, error) {
	s, ok := cat.Sessions[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	roster, err := attendance.RosterAt(ctx, db, cat, id, now)
	if err != nil {
		return nil, fmt.Errorf("exports: signin %s: %w", id, err)
	}
	lines, err := db.SigninSheet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("exports: signin %s: %w", id, err)
	}
	details := make(map[int64]store.SigninLine, len(lines))
	for _, l := range lines {
		details[l.AttendeeID] = l
	}
	out := &Signin{Event: cat.Event.Name, Session: s, Venue: cat.Venues[s.Venue].Name, Loc: cat.Location,
		AsOf: now.In(cat.Location), Counts: roster.Counts, Expected: roster.Counts.All.Expected}
	for _, m := range roster.People {
		d := details[m.AttendeeID]
		r := SigninRow{No: len(out.Rows) + 1, AttendeeID: m.AttendeeID, Name: m.Name, Title: d.Title,
			Organization: d.Organization, Delegation: d.Delegation, Phone: d.Phone, State: m.State, Counted: m.Counted,
			Manual: d.Manual, Leave: m.State == attendance.StateOnLeave, LeaveReason: d.LeaveReason}
		if m.ArrivedAt != nil {
			r.SignedAt = m.ArrivedAt.In(cat.Location)
			r.Late = r.SignedAt.After(s.StartsAt)
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}

// signinColumns is the usual layout of a 签到表. Each column is as wide as
// its longest cell within bounds that keep the sheet on A4 landscape at
// full size: the 签名 column is 23 characters, 42 mm as Excel prints it
// with its default font, and the rows are 30 pt (10.6 mm) tall at least —
// room for a three-character name signed by hand (see badge/render's PDF
// sheet); a longer unit or name wraps and its row grows.
var (
	signinColumns = []any{"序号", "姓名", "代表团", "职务", "单位", "签名", "签到时间", "备注"}
	signinWidths  = []xlsxout.Column{{Max: 6}, {Min: 8, Max: 14}, {Max: 16}, {Max: 16}, {Max: 30},
		{Min: 23, Max: 23}, {Max: 21}, {Min: 8, Max: 16}}
)

const signinRowHeight = 30 // points

// WriteSigninXLSX writes the 签到表 as one sheet: a title, the session's
// place and time, the list, and at the foot the session's figures as the
// chair's page has them, with whom they count and what each means.
func WriteSigninXLSX(w io.Writer, s *Signin) error {
	b := xlsxout.New()
	signinSheet(b, s, "签到表")
	_, err := b.WriteTo(w)
	return err
}

func signinSheet(b *xlsxout.Book, s *Signin, name string) {
	sh := b.Sheet(name, xlsxout.Page{Landscape: true}, signinWidths...)
	sh.RowHeight(signinRowHeight)
	sh.Title(s.Event + " " + s.Session.Name + " 签到表")
	sh.Line(fmt.Sprintf("地点：%s　时间：%s", s.Venue, s.Session.StartsAt.In(s.Loc).Format("2006年1月2日 15:04")))
	sh.Head(signinColumns...)
	for _, r := range s.Rows {
		sh.Row(r.No, r.Name, r.Delegation, r.Title, r.Organization, nil, xlsxout.Clock(r.SignedAt), r.Remark())
	}
	figures(sh, s.Counts, s.AsOf)
}

// figures writes a session's figures at the foot of a sheet: a line of
// numbers over the counted categories, one over everyone listed (never
// called 应到), and what each figure means, in the words of docs/counts.md.
func figures(sh *xlsxout.Sheet, c attendance.Counts, asOf time.Time) {
	rest, restName := c.NotYet, "未到"
	all := c.All.NotYet
	if c.AbsentCounted {
		rest, restName, all = c.Absent, "缺席", c.All.Absent
	}
	sh.Foot(nil, "合计", "应到", "实到", "离场", "请假", restName, "口径")
	sh.Foot(nil, "本场次", c.Expected, c.Present, c.Left, c.OnLeave, rest, c.Basis.Short)
	sh.Foot(nil, "全部名单", "名单人数", "在场", "离场", "请假", restName)
	sh.Foot(nil, "各类别", c.All.Expected, c.All.Present, c.All.Left, c.All.OnLeave, all, "含不计入应到的类别")
	sh.Line(fmt.Sprintf("截至 %s。人数按 DESIGN「Counts」的定义（docs/counts.md），与主持人页面和报告用语同一计算：%s",
		asOf.Format("2006-01-02 15:04"), c.Statement))
	sh.Line("本场次：" + c.Basis.Zh + "。应到＝本场次应出席的人员（按会议规则，已除去个人例外）；" +
		"实到＝已入场且此刻在场；离场＝入场后离开、未再入场；请假＝请假且未到（请假后到会的计实到）；" +
		restName + "＝" + map[bool]string{true: "开始后未到且未请假", false: "尚未入场且未请假（按本场次规则，开始或签到结束后称缺席）"}[c.AbsentCounted] +
		"。应到＝实到＋离场＋请假＋" + restName + "。")
	sh.Line("全部名单＝本表所列全部人员（各类别，含列席、工作人员等不计入应到的人员），供会务核对，不是应到。")
}
