package render

import (
	"fmt"
	"io"
)

// SignInSheet is a session's 签到表 in the layout secretariats file: one
// row per expected attendee, totals at the foot.
type SignInSheet struct {
	Event   string
	Session string
	Venue   string
	When    string // e.g. 2026年11月26日 09:00
	Rows    []SignInRow
	// The totals are the chair's: over the categories that count (Basis,
	// e.g. 按代表计（列席、工作人员等不计）), while Rows list everyone
	// expected (Listed of them).
	Expected int // 应到
	Present  int // 实到
	Left     int // 离场
	OnLeave  int // 请假
	Absent   int // 缺席, or 未到 before it counts (AbsentWord)
	// AbsentWord is 缺席 once those not come count as absent, 未到 before.
	AbsentWord string
	Basis      string
	Listed     int
	Printed    string
}

// SignInRow is one attendee's line. Time is the first check-in (HH:MM),
// empty for someone not (yet) there; Note says 请假, 迟到, 补签…
type SignInRow struct {
	Name         string
	Delegation   string // 代表团; empty for those outside one (列席, staff)
	Title        string
	Organization string
	Time         string
	Note         string
}

// signInCols are the sheet's columns, 180 mm in all (A4 less 15 mm
// margins): heading, width in mm, alignment and the row's text. The 签名
// cell is left blank and given 41 mm, with rows 10 mm tall: a
// three-character name signed at a natural 10–12 mm a character fits with
// room at both rules, and longer signatures are written smaller. The other
// columns shrink their type to fit rather than cut a name or unit short.
var signInCols = []struct {
	head  string
	w     float64
	align Align
	cell  func(r *SignInRow) string
}{
	{"序号", 8, Center, nil}, // the row's number, filled in by signInTable
	{"姓名", 24, Left, func(r *SignInRow) string { return r.Name }},
	{"代表团", 20, Left, func(r *SignInRow) string { return r.Delegation }},
	{"职务", 28, Left, func(r *SignInRow) string { return r.Title }},
	{"单位", 34, Left, func(r *SignInRow) string { return r.Organization }},
	{"签名", 41, Left, func(*SignInRow) string { return "" }},
	{"签到时间", 14, Center, func(r *SignInRow) string { return r.Time }},
	{"备注", 11, Center, func(r *SignInRow) string { return r.Note }},
}

const (
	signInLeft   = 15.0
	signInWidth  = 180.0
	signInTop    = 44.0 // top of the header row on the first page
	signInTop2   = 20.0 // on later pages, which repeat only the header row
	signInHeadH  = 9.0
	signInRowH   = 10.0
	signInBottom = 297.0 - 28 // leaves room for the totals and page number
)

// rowsPerPage is how many rows fit below a header row starting at top.
func rowsPerPage(top float64) int { return int((signInBottom - top - signInHeadH) / signInRowH) }

// Check reports the first row with characters no font has.
func (s *SignInSheet) Check() error {
	for _, f := range []struct{ name, text string }{{"event", s.Event}, {"session", s.Session}, {"venue", s.Venue}} {
		if err := checkField(f.name, f.text); err != nil {
			return err
		}
	}
	for i, r := range s.Rows {
		if err := checkField(fmt.Sprintf("row %d", i+1), r.Name+r.Delegation+r.Title+r.Organization+r.Note); err != nil {
			return err
		}
	}
	return nil
}

// SignInPDF writes the sheet on as many A4 pages as the rows need, the
// header row repeated on each, the totals on the last.
func (r *Renderer) SignInPDF(w io.Writer, s *SignInSheet) (pages int, err error) {
	if err := s.Check(); err != nil {
		return 0, err
	}
	total := 1
	if rest := len(s.Rows) - rowsPerPage(signInTop); rest > 0 {
		total += (rest + rowsPerPage(signInTop2) - 1) / rowsPerPage(signInTop2)
	}
	d := newPDF(r.fs, s.Session+" 签到表")
	i := 0
	for p := 0; p < total; p++ {
		cv := d.page(a4W, a4H)
		top := signInTop2
		if p == 0 {
			top = signInTop
			r.signInTitle(cv, s)
		}
		n := min(rowsPerPage(top), len(s.Rows)-i)
		r.signInTable(cv, s.Rows[i:i+n], i, top)
		i += n
		y := top + signInHeadH + float64(n)*signInRowH
		if p == total-1 {
			word := s.AbsentWord
			if word == "" {
				word = "缺席"
			}
			foot := fmt.Sprintf("应到 %d 人　　实到 %d 人　　离场 %d 人　　请假 %d 人　　%s %d 人", s.Expected, s.Present, s.Left, s.OnLeave, word, s.Absent)
			drawText(cv, r.fs, &TextBox{X: signInLeft, Baseline: y + 8, W: signInWidth, Size: 12, Bold: true}, foot, 0, 0, black)
			if s.Basis != "" || s.Listed > 0 {
				basis := fmt.Sprintf("以上%s；名单共 %d 人（不计入的类别也列出）", s.Basis, s.Listed)
				drawText(cv, r.fs, &TextBox{X: signInLeft, Baseline: y + 14, W: signInWidth, Size: 9}, basis, 0, 0, grey)
			}
		}
		pageNo := fmt.Sprintf("第 %d 页　共 %d 页", p+1, total)
		if s.Printed != "" {
			pageNo = "打印于 " + s.Printed + "　　" + pageNo
		}
		drawText(cv, r.fs, &TextBox{X: signInLeft, Baseline: 287, W: signInWidth, Size: 8, Align: Center}, pageNo, 0, 0, grey)
	}
	return total, d.writeTo(w)
}

func (r *Renderer) signInTitle(cv canvas, s *SignInSheet) {
	drawText(cv, r.fs, &TextBox{X: signInLeft, Baseline: 20, W: signInWidth, Size: 18, Min: 10, Bold: true, Align: Center}, s.Session+"签到表", 0, 0, black)
	drawText(cv, r.fs, &TextBox{X: signInLeft, Baseline: 29, W: signInWidth, Size: 11, Min: 7, Align: Center}, s.Event, 0, 0, black)
	meta := "地点：" + s.Venue + "　　时间：" + s.When
	drawText(cv, r.fs, &TextBox{X: signInLeft, Baseline: 38, W: signInWidth, Size: 10, Min: 7}, meta, 0, 0, black)
}

// signInTable draws the header row and rows (numbered from first+1) as a
// ruled grid starting at top.
func (r *Renderer) signInTable(cv canvas, rows []SignInRow, first int, top float64) {
	const rule = 0.25
	bottom := top + signInHeadH + float64(len(rows))*signInRowH
	cv.rect(signInLeft, top, signInWidth, signInHeadH, color240)
	x := signInLeft
	for _, c := range signInCols {
		drawText(cv, r.fs, &TextBox{X: x, Baseline: top + 6, W: c.w, Size: 10, Bold: true, Align: Center}, c.head, 0, 0, black)
		cv.line(x, top, x, bottom, rule, black, false)
		x += c.w
	}
	cv.line(x, top, x, bottom, rule, black, false)
	for y := top; y <= bottom+0.01; {
		cv.line(signInLeft, y, signInLeft+signInWidth, y, rule, black, false)
		if y == top {
			y += signInHeadH
		} else {
			y += signInRowH
		}
	}
	for k := range rows {
		// 10 pt type centred in the row: the baseline sits 1.4 mm below
		// the middle.
		base := top + signInHeadH + float64(k)*signInRowH + signInRowH/2 + 1.4
		x := signInLeft
		for _, c := range signInCols {
			text := fmt.Sprint(first + k + 1)
			if c.cell != nil {
				text = c.cell(&rows[k])
			}
			drawText(cv, r.fs, &TextBox{X: x + 1.5, Baseline: base, W: c.w - 3, Size: 10, Min: 5, Align: c.align}, text, 0, 0, black)
			x += c.w
		}
	}
}
