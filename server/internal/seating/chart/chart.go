package chart

import (
	"fmt"
	"io"
	"math"
	"strings"

	"huiwu/server/internal/domain"
)

// View says from where a chart is drawn. Every chart names its view in
// large type: a mirrored chart is the commonest seating mistake.
type View string

// The views.
const (
	// Audience is 观众视角: the stage at the top, seats left to right as the
	// audience sees them.
	Audience View = "audience"
	// Presidium is 主席台视角: the stage at the bottom, left and right as
	// the leaders on the stage see them.
	Presidium View = "presidium"
)

// Seat is one seat to draw, with the name on it if any.
type Seat struct {
	domain.Seat
	Name string
}

// Chart is a 座次图.
type Chart struct {
	Event   string
	Session string
	View    View
	// Paper is the sheet, landscape: A4 (the default) or A3.
	Paper Paper
	// PresidiumOnly draws only the stage, large, as the protocol office
	// checks it.
	PresidiumOnly bool
	Seats         []Seat
	Printed       string // when, shown in the footer
}

// ViewName is the view in Chinese and English, as the chart prints it.
func ViewName(v View) (string, string) { return v.words() }

func (v View) words() (string, string) {
	if v == Presidium {
		return "主席台视角", "Presidium view: left and right as the leaders see them"
	}
	return "观众视角", "Audience view: left and right as the audience sees them"
}

// Write draws the chart: on one page when every name prints at MinNameMM
// and every seat number at NumberPt there, otherwise as an overview page
// (sections and rows) and a page for each section or block of rows where
// they do (sections.go).
func (c Chart) Write(w io.Writer) error {
	d, err := newDoc(c.Session + " 座次图")
	if err != nil {
		return err
	}
	var seats []Seat
	for _, s := range c.Seats {
		if !c.PresidiumOnly || s.Section == "presidium" {
			seats = append(seats, s)
		}
	}
	pw, ph := c.Paper.size()
	if len(seats) == 0 {
		p := c.sheet(d, c.Session+" 座次图", "", 1, 1)
		p.text(pw/2, ph/2, pw-40, 14, "没有座位 No seats", false, grey)
		return d.write(w)
	}
	whole := fitWhole(seats, c.frame(), c.View == Presidium)
	if whole.readable(d, seats) {
		p := c.sheet(d, c.Session+" 座次图", "", 1, 1)
		c.drawSeats(p, whole, seats, false)
		c.stage(p, whole, "")
		c.rowNumbers(p, whole, seats, true)
		return d.write(w)
	}
	blocks := c.blocks(d, seats)
	c.overview(d, whole, seats, blocks)
	for i, b := range blocks {
		p := c.sheet(d, c.Session+" 座次图 · "+b.title, b.titleEn, i+2, len(blocks)+1)
		c.drawSeats(p, b.at, b.seats, false)
		toward := ""
		if b.firstRow > 1 {
			toward = fmt.Sprintf("（第 1–%d 排在舞台与本页之间）", b.firstRow-1)
		}
		c.stage(p, b.at, toward)
		c.rowNumbers(p, b.at, b.seats, false)
	}
	return d.write(w)
}

// sheet starts a page with the heading, the view boxed in red at the top
// left (where the eye starts) and the footer: when printed, what the view
// means, and the page number.
func (c Chart) sheet(d *doc, title, titleEn string, n, of int) *page {
	pw, ph := c.Paper.size()
	p := d.page(pw, ph)
	zh, en := c.View.words()
	p.text(pw/2, 16, pw-120, 18, title, true, black)
	sub := c.Event
	if titleEn != "" {
		sub += " · " + titleEn
	}
	p.text(pw/2, 23, pw-120, 10, sub, false, grey)
	p.box(10, 8, 44, 17, 0.6, red)
	p.text(32, 18.5, 40, 16, zh, true, red)
	p.text(32, 23, 40, 5.5, en, false, red)
	foot := "观众视角：舞台在上方，左右按观众所见 · Audience view: stage at the top, left and right as the audience sees them"
	if c.View == Presidium {
		foot = "主席台视角：舞台在下方，左右按台上所见 · Presidium view: stage at the bottom, left and right as the stage sees them"
	}
	if c.Printed != "" {
		foot = "打印于 " + c.Printed + "　" + foot
	}
	if of > 1 {
		foot += fmt.Sprintf("　第 %d 页 共 %d 页", n, of)
	}
	p.text(pw/2, ph-7, pw-27, 7, foot, false, grey)
	return p
}

// frame is where seats go on a page: below the heading, above the footer,
// with room at the sides for row numbers.
func (c Chart) frame() frame {
	pw, ph := c.Paper.size()
	if c.View == Presidium { // the stage and its label go below the seats
		return frame{left: 17, top: 33, width: pw - 34, height: ph - 63}
	}
	return frame{left: 17, top: 42, width: pw - 34, height: ph - 63}
}

// drawSeats draws seats where at places them with their names. Every name
// is printed, at MinNameMM or more where it fits; one that cannot is
// printed smaller and counted in a red note at the bottom, so no one takes
// the chart for one to read at a glance. On an overview a taken seat is
// shaded instead, and a name printed only where it fits at OverviewPt.
func (c Chart) drawSeats(p *page, at placing, seats []Seat, overview bool) {
	small := 0
	for _, s := range seats {
		cx, cy := at.pos(s)
		x, y := cx-at.bw/2, cy-at.bh/2
		switch {
		case s.Kind == domain.SeatBlocked:
			p.fill(x, y, at.bw, at.bh, rgb{0.25, 0.25, 0.25})
			continue
		case overview && s.Name != "":
			p.fill(x, y, at.bw, at.bh, rgb{0.80, 0.87, 0.96})
		case s.Kind == domain.SeatReserved:
			p.fill(x, y, at.bw, at.bh, rgb{0.92, 0.89, 0.98})
		case s.Kind == domain.SeatPresidium:
			p.fill(x, y, at.bw, at.bh, rgb{1, 0.97, 0.88})
		}
		p.box(x, y, at.bw, at.bh, 0.15, grey)
		num := fmt.Sprint(s.Number)
		bold := s.Section == "presidium"
		var f NameFit
		if s.Name != "" {
			f = p.d.fitName(s.Name, at.bw*0.92, at.bh*0.7, math.Min(14, at.bh*ptPerMM*0.42), bold)
		}
		if s.Name == "" || overview && f.Size < OverviewPt {
			if z := math.Min(7, at.bh*ptPerMM*0.45); !overview || z >= NumberPt {
				p.text(cx, cy+at.bh*0.18, at.bw*0.9, z, num, false, grey)
			}
			continue
		}
		// The name in the upper 70% of the box, on two lines if that
		// keeps it larger; the seat number small beneath.
		if !f.Fits {
			small++
		}
		p.name(cx, y+at.bh*0.04, at.bh*0.7, f, bold, black)
		if z := math.Min(NumberPt, at.bh*ptPerMM*0.2); !overview || z >= NumberPt {
			p.text(cx, cy+at.bh*0.42, at.bw*0.9, z, num, false, grey)
		}
	}
	if small > 0 && !overview {
		pw, ph := c.Paper.size()
		p.text(pw/2, ph-12.5, pw-27, 7, fmt.Sprintf("※ %d 个姓名字高不足 %.1f 毫米 · %d names print under %.1f mm", small, MinNameMM, small, MinNameMM), false, red)
	}
}

// stage draws the edge of the stage: above the seats in the audience view,
// below them in the presidium view; toward says what lies between.
func (c Chart) stage(p *page, at placing, toward string) {
	pw, _ := c.Paper.size()
	f := c.frame()
	y := at.oy - at.bh
	label := y - 1.5
	if at.mirror {
		y = at.oy + (at.y1-at.y0)*at.sy + at.bh
		label = y + 5
	}
	p.line(f.left, y, f.left+f.width, y, 0.3, grey, true)
	p.text(pw/2, label, pw-60, 8, "舞台 · 主席台 Stage"+toward, false, grey)
}

// rowNumbers prints each row's number at both ends of the row as the page
// shows it: of each section's row, or (across, on an overview) of the
// hall's.
func (c Chart) rowNumbers(p *page, at placing, seats []Seat, across bool) {
	type ends struct{ l, r, y float64 }
	rows := map[string]*ends{}
	var keys []string
	for _, s := range seats {
		if s.Section == "presidium" {
			continue
		}
		cx, cy := at.pos(s)
		k := fmt.Sprint(s.Section, "/", s.Row)
		if across {
			k = fmt.Sprint("/", s.Row)
		}
		e := rows[k]
		if e == nil {
			e = &ends{l: cx, r: cx, y: cy}
			rows[k] = e
			keys = append(keys, k)
		}
		e.l, e.r = math.Min(e.l, cx), math.Max(e.r, cx)
	}
	size := math.Min(8, at.bh*ptPerMM*0.4)
	if size < 4 {
		return
	}
	for _, k := range keys {
		e := rows[k]
		row := k[strings.LastIndex(k, "/")+1:]
		y := e.y + size/ptPerMM*0.35
		p.text(e.l-at.bw/2-5, y, 9, size, row+"排", false, grey)
		p.text(e.r+at.bw/2+5, y, 9, size, row+"排", false, grey)
	}
}

// pitches are the median gap between neighbours across a row and between
// rows, in metres.
func pitches(seats []Seat) (float64, float64) {
	rows := map[string][]float64{}
	ys := map[int64]bool{}
	for _, s := range seats {
		k := fmt.Sprint(s.Section, "/", s.Row)
		rows[k] = append(rows[k], s.X)
		ys[int64(math.Round(s.Y*100))] = true
	}
	var gaps []float64
	for _, xs := range rows {
		sortFloats(xs)
		for i := 1; i < len(xs); i++ {
			if d := xs[i] - xs[i-1]; d > 0.05 {
				gaps = append(gaps, d)
			}
		}
	}
	var yl []float64
	for y := range ys {
		yl = append(yl, float64(y)/100)
	}
	sortFloats(yl)
	var rgaps []float64
	for i := 1; i < len(yl); i++ {
		rgaps = append(rgaps, yl[i]-yl[i-1])
	}
	return median(gaps, 0.56), median(rgaps, 0.95)
}
