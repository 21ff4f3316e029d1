package exports

import (
	"context"
	"fmt"
	"io"
	"time"

	"huiwu/server/internal/store"
)

// Signin is a session's 签到表: everyone expected (应到), in list order,
// with when they signed in and the remark the secretariat expects.
type Signin struct {
	Event   string
	Session *store.Session
	Venue   string
	Loc     *time.Location // the venue's clock
	Rows    []SigninRow
	// Totals, counted the way attendance counts them: present wins over
	// leave, so someone excused who came anyway is 实到.
	Expected, Present, OnLeave, Absent int
}

// SigninRow is one line of the 签到表.
type SigninRow struct {
	No           int // 序号
	AttendeeID   int64
	Name         string
	Title        string
	Organization string
	Delegation   string
	Phone        string
	SignedAt     time.Time // zero when not signed in
	Late         bool
	Manual       bool   // 补签 at the desk
	Leave        bool   // 请假 and not present
	LeaveReason  string // the reason given for the leave
}

// Remark is the 备注 cell: 请假 (with its reason), 缺席, 迟到, 补签.
func (r SigninRow) Remark() string {
	switch {
	case r.Leave && r.LeaveReason != "":
		return "请假（" + r.LeaveReason + "）"
	case r.Leave:
		return "请假"
	case r.SignedAt.IsZero():
		return "缺席"
	}
	s := ""
	if r.Late {
		s = "迟到"
	}
	if r.Manual {
		if s != "" {
			s += "，"
		}
		s += "补签"
	}
	return s
}

// LoadSignin reads session id's 签到表 from committed data.
func LoadSignin(ctx context.Context, db *store.DB, cat *store.Catalog, id string) (*Signin, error) {
	s, ok := cat.Sessions[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	out := &Signin{Event: cat.Event.Name, Session: s, Venue: cat.Venues[s.Venue].Name, Loc: cat.Location}
	rows, err := db.R.QueryContext(ctx, `
		SELECT a.id, a.name, a.title, a.organization, coalesce(d.name, ''), a.phone,
		       coalesce(p.first_in_at, ''), coalesce(l.reason, ''), l.id IS NOT NULL,
		       EXISTS (SELECT 1 FROM scans m WHERE m.session_id = sa.session_id AND m.attendee_id = a.id
		               AND m.manual = 1 AND m.status = 'ok')
		FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN delegations d ON d.id = a.delegation_id
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL
		WHERE sa.session_id = ?
		ORDER BY a.rank, a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("exports: signin %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r SigninRow
		var first string
		var leave bool
		if err := rows.Scan(&r.AttendeeID, &r.Name, &r.Title, &r.Organization, &r.Delegation, &r.Phone,
			&first, &r.LeaveReason, &leave, &r.Manual); err != nil {
			return nil, err
		}
		out.Expected++
		r.No = out.Expected
		if first != "" {
			r.SignedAt = store.MustTime(first).In(cat.Location)
			r.Late = r.SignedAt.After(s.StartsAt)
			out.Present++
		} else if leave {
			r.Leave = true
			out.OnLeave++
		}
		out.Rows = append(out.Rows, r)
	}
	out.Absent = out.Expected - out.Present - out.OnLeave
	return out, rows.Err()
}

// signinColumns is the usual layout of a 签到表, with its widths in
// characters. The 签名 column is 23 characters, 42 mm as Excel prints it
// with its default font, and the rows are 30 pt (10.6 mm) tall: room for a
// three-character name signed by hand (see badge/render's PDF sheet).
var (
	signinColumns = []any{"序号", "姓名", "代表团", "职务", "单位", "签名", "签到时间", "备注"}
	signinWidths  = []float64{6, 12, 14, 16, 28, 23, 16, 18}
)

const signinRowHeight = 30 // points

// WriteSigninXLSX writes the 签到表 as one sheet: a title, the session's
// place and time, the list, and the totals 应到/实到/请假/缺席 at the foot.
func WriteSigninXLSX(w io.Writer, s *Signin) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	if err := b.signinSheet(s, "签到表"); err != nil {
		b.f.Close()
		return err
	}
	return b.writeTo(w)
}

func (b *book) signinSheet(s *Signin, name string) error {
	// Printed on A4 landscape at full size, the heading row on every page.
	if err := b.printedSheet(name, &printing{landscape: true, titleRow: 3}, signinWidths...); err != nil {
		return err
	}
	n := len(signinColumns)
	if err := b.titleRow(s.Event+" "+s.Session.Name+" 签到表", n, b.title); err != nil {
		return err
	}
	if err := b.titleRow(fmt.Sprintf("地点：%s　时间：%s", s.Venue, s.Session.StartsAt.In(s.Loc).Format("2006年1月2日 15:04")), n, 0); err != nil {
		return err
	}
	if err := b.line(b.head, signinColumns...); err != nil {
		return err
	}
	for _, r := range s.Rows {
		at := ""
		if !r.SignedAt.IsZero() {
			at = r.SignedAt.Format("01-02 15:04:05")
		}
		if err := b.tallLine(b.cell, signinRowHeight, r.No, r.Name, r.Delegation, r.Title, r.Organization, "", at, r.Remark()); err != nil {
			return err
		}
	}
	return b.line(b.foot, "合计", fmt.Sprintf("应到 %d 人", s.Expected), fmt.Sprintf("实到 %d 人", s.Present),
		fmt.Sprintf("请假 %d 人", s.OnLeave), fmt.Sprintf("缺席 %d 人", s.Absent), "", "", "")
}
