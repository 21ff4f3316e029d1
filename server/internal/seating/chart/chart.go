package chart

import (
	"fmt"
	"io"
	"math"
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
	Label   string
	Section string
	Row     int
	Number  int
	Kind    string
	X, Y    float64 // metres; X to the audience's right, Y away from the stage
	Name    string
}

// Chart is a 座次图.
type Chart struct {
	Event   string
	Session string
	View    View
	// PresidiumOnly draws only the stage, large, as the protocol office
	// checks it.
	PresidiumOnly bool
	Seats         []Seat
	Printed       string // when, shown in the footer
}

func (v View) words() (string, string) {
	if v == Presidium {
		return "主席台视角", "Presidium view: left and right as the leaders see them"
	}
	return "观众视角", "Audience view: left and right as the audience sees them"
}

// Write draws the chart on one A4 landscape page.
func (c Chart) Write(w io.Writer) error {
	d, err := newDoc(c.Session + " 座次图")
	if err != nil {
		return err
	}
	p := d.page(297, 210)
	zh, en := c.View.words()
	p.text(148.5, 16, 200, 18, c.Session+" 座次图", true, black)
	p.text(148.5, 23, 200, 10, c.Event, false, grey)
	// The view label, boxed in red at the top left, where the eye starts.
	p.box(10, 8, 44, 17, 0.6, red)
	p.text(32, 18.5, 40, 16, zh, true, red)
	p.text(32, 23, 40, 5.5, en, false, red)

	var seats []Seat
	for _, s := range c.Seats {
		if !c.PresidiumOnly || s.Section == "presidium" {
			seats = append(seats, s)
		}
	}
	if len(seats) == 0 {
		p.text(148.5, 100, 250, 14, "没有座位 No seats", false, grey)
		return d.write(w)
	}
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range seats {
		x0, x1 = math.Min(x0, s.X), math.Max(x1, s.X)
		y0, y1 = math.Min(y0, s.Y), math.Max(y1, s.Y)
	}
	pitch, rowPitch := pitches(seats)
	const left, top, width, height = 12.0, 40.0, 273.0, 150.0
	// Each axis fits on its own, within a factor of 1.8 of the other: a deep
	// hall on a landscape page gets wider seats rather than empty margins.
	sx, sy := width/(x1-x0+pitch), height/(y1-y0+rowPitch)
	sx, sy = math.Min(sx, sy*1.8), math.Min(sy, sx*1.8)
	bw, bh := pitch*sx*0.9, math.Min(rowPitch*sy*0.8, pitch*sx*1.4)
	ox := left + (width-(x1-x0)*sx)/2
	oy := top + (height-(y1-y0)*sy)/2
	pos := func(s Seat) (float64, float64) {
		if c.View == Presidium { // turned half a turn: the stage at the bottom
			return ox + (x1-s.X)*sx, oy + (y1-s.Y)*sy
		}
		return ox + (s.X-x0)*sx, oy + (s.Y-y0)*sy
	}
	stageY := oy - bh
	if c.View == Presidium {
		stageY = oy + (y1-y0)*sy + bh
	}
	p.line(left, stageY, left+width, stageY, 0.3, grey, true)
	p.text(148.5, stageY+map[bool]float64{true: 5, false: -1.5}[c.View == Presidium], 100, 8, "舞台 · 主席台 Stage", false, grey)

	small := 0 // names that print under MinNameMM
	for _, s := range seats {
		cx, cy := pos(s)
		x, y := cx-bw/2, cy-bh/2
		switch s.Kind {
		case "blocked":
			p.fill(x, y, bw, bh, rgb{0.25, 0.25, 0.25})
			continue
		case "reserved":
			p.fill(x, y, bw, bh, rgb{0.92, 0.89, 0.98})
		case "presidium":
			p.fill(x, y, bw, bh, rgb{1, 0.97, 0.88})
		}
		p.box(x, y, bw, bh, 0.15, grey)
		num := fmt.Sprint(s.Number)
		if s.Name == "" {
			p.text(cx, cy+bh*0.18, bw*0.9, math.Min(7, bh*ptPerMM*0.45), num, false, grey)
			continue
		}
		// The name in the upper 70% of the box, on two lines if that
		// keeps it larger; the seat number small beneath.
		bold := s.Section == "presidium"
		f := d.fitName(s.Name, bw*0.92, bh*0.7, math.Min(14, bh*ptPerMM*0.42), bold)
		if !f.Fits {
			small++
		}
		p.name(cx, y+bh*0.04, bh*0.7, f, bold, black)
		p.text(cx, cy+bh*0.42, bw*0.9, math.Min(6, bh*ptPerMM*0.2), num, false, grey)
	}
	if small > 0 {
		// Said on the paper, so no one takes the chart for one to read
		// names from at a glance.
		p.text(148.5, 197.5, 270, 7, fmt.Sprintf("※ %d 个姓名字高不足 %.1f 毫米 · %d names print under %.1f mm", small, MinNameMM, small, MinNameMM), false, red)
	}
	foot := "观众视角：舞台在上方，左右按观众所见 · Audience view: stage at the top, left and right as the audience sees them"
	if c.View == Presidium {
		foot = "主席台视角：舞台在下方，左右按台上所见 · Presidium view: stage at the bottom, left and right as the stage sees them"
	}
	if c.Printed != "" {
		foot = "打印于 " + c.Printed + "　" + foot
	}
	p.text(148.5, 203, 270, 7, foot, false, grey)
	return d.write(w)
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
