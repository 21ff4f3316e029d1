package summary

import (
	"fmt"
	"math"
	"time"
)

// Charts are vector drawings: bars as filled rectangles, curves as paths,
// with a title, labelled axes and the figures a reader needs beside them.

// chartTitle draws a chart's title with its English subtitle and the note
// saying what the figures count, and moves the cursor under them; it
// starts a new page first unless the title and body mm of the chart fit,
// so that a title never stands alone at the foot of a page.
func (p *pdf) chartTitle(zh, en, note string, body float64) {
	p.need(10 + 4*float64(len(p.wrap(note, textW, 8, false))) + body)
	p.text(marginX, p.y+4.5, textW, zh, 10.5, true, black, left)
	p.text(marginX+p.width(zh, 10.5, true)+2.5, p.y+4.5, 0, en, 7.5, false, grey, left)
	p.y += 6
	if note != "" {
		for _, l := range p.wrap(note, textW, 8, false) {
			p.text(marginX, p.y+3.2, textW, l, 8, false, grey, left)
			p.y += 4
		}
	}
	p.y += 1.5
}

// niceStep is a tick step of 1, 2 or 5 × 10ⁿ giving at most about n ticks
// up to max.
func niceStep(max float64, n int) float64 {
	if max <= 0 {
		return 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return math.Max(1, m*mag)
		}
	}
	return math.Max(1, 10*mag)
}

// The charts' heights in mm, for chartTitle to keep a chart with its
// title: a long bar chart runs on to the next page, so only its first rows
// need to fit.
const (
	vbarsH = 61.0
	curveH = 72.0
)

func hbarsH(rows int) float64 { return math.Min(float64(rows)*6.5+14, 120) }

// hbar is one row of a horizontal bar chart: the bar (Value) drawn over
// its backdrop (Of, what was due) when there is one, and the figures
// written after the bars.
type hbar struct {
	Label string
	Value float64
	Of    float64
	Note  string
	Color rgb
}

// hbars draws a horizontal bar chart: labels at the left, bars on a scale
// from 0 to max with its axis and ticks under them, each bar's figures at
// the right. axis names the scale; percent writes the ticks as %.
func (p *pdf) hbars(rows []hbar, max float64, axis string, percent bool) {
	const rowH, barH, labelW, noteW = 6.5, 4.2, 46.0, 50.0
	x0 := marginX + labelW + 2
	w := textW - labelW - 2 - noteW - 2
	if max <= 0 {
		max = 1
	}
	step := niceStep(max, 5)
	if percent {
		max, step = 1, 0.25
	} else {
		max = math.Ceil(max/step) * step
	}
	scale := func(v float64) float64 { return x0 + w*math.Min(v, max)/max }
	y := p.y
	drawAxis := func(y float64) {
		p.line(x0, y, x0+w, y, 0.25, black, false)
		for v := 0.0; v <= max+1e-9; v += step {
			x := scale(v)
			p.line(x, y, x, y+1.2, 0.25, black, false)
			label := fmt.Sprintf("%g", v)
			if percent {
				label = fmt.Sprintf("%.0f%%", v*100)
			}
			p.text(x-8, y+4.2, 16, label, 7, false, grey, center)
		}
		p.text(x0, y+8.4, w, axis, 7.5, false, grey, center)
	}
	first := y
	for _, r := range rows {
		if y+rowH+10 > bottom {
			p.line(x0, first, x0, y, 0.25, black, false)
			drawAxis(y)
			p.newPage()
			y, first = p.y, p.y
		}
		mid := y + rowH/2
		// light gridlines at the ticks
		for v := step; v <= max+1e-9; v += step {
			p.line(scale(v), y, scale(v), y+rowH, 0.1, light, false)
		}
		p.text(marginX, mid+1.3, labelW, r.Label, 8.5, false, black, right)
		if r.Of > 0 {
			p.rect(x0, mid-barH/2, scale(r.Of)-x0, barH, paleBlu)
		}
		col := r.Color
		if col == (rgb{}) {
			col = blue
		}
		p.rect(x0, mid-barH/2, scale(r.Value)-x0, barH, col)
		p.text(x0+w+2, mid+1.3, noteW, r.Note, 8, false, black, left)
		y += rowH
	}
	p.line(x0, first, x0, y, 0.25, black, false)
	drawAxis(y)
	p.y = y + 12
}

// vbar is one column of a vertical bar chart.
type vbar struct {
	Label string
	Value int
}

// vbars draws a vertical bar chart of counts: a y axis with ticks and its
// name, a bar per column with its count on top and its label under it.
func (p *pdf) vbars(cols []vbar, yAxis, xAxis string) {
	const h, axisW = vbarsH - 16, 12.0
	x0 := marginX + axisW
	w := textW - axisW
	y0 := p.y + 4 + h // the baseline of the bars
	max := 0
	for _, c := range cols {
		max = int(math.Max(float64(max), float64(c.Value)))
	}
	step := niceStep(float64(max), 5)
	top := math.Max(step, math.Ceil(float64(max)/step)*step)
	yOf := func(v float64) float64 { return y0 - h*v/top }
	for v := 0.0; v <= top+1e-9; v += step {
		p.line(x0, yOf(v), x0+w, yOf(v), 0.1, light, false)
		p.line(x0-1.2, yOf(v), x0, yOf(v), 0.25, black, false)
		p.text(x0-12, yOf(v)+1.2, 10.5, fmt.Sprintf("%g", v), 7, false, grey, right)
	}
	p.text(marginX-2, p.y+1.5, 40, yAxis, 7.5, false, grey, left)
	slot := w / float64(max1(len(cols)))
	barW := math.Min(slot*0.7, 14)
	// Labels are thinned when they would collide.
	widest := 0.0
	for _, c := range cols {
		widest = math.Max(widest, p.width(c.Label, 7, false))
	}
	every := 1
	for every < len(cols) && widest+2 > slot*float64(every) {
		every++
	}
	for i, c := range cols {
		x := x0 + slot*float64(i) + (slot-barW)/2
		p.rect(x, yOf(float64(c.Value)), barW, y0-yOf(float64(c.Value)), blue)
		if c.Value > 0 {
			p.text(x-3, yOf(float64(c.Value))-1, barW+6, fmt.Sprint(c.Value), 7, false, black, center)
		}
		if i%every == 0 {
			cx := x0 + slot*(float64(i)+0.5)
			p.text(cx-widest/2-1, y0+4, widest+2, c.Label, 7, false, black, center)
		}
	}
	p.line(x0, y0, x0+w, y0, 0.3, black, false)
	p.line(x0, y0-h, x0, y0, 0.3, black, false)
	p.text(x0, y0+9, w, xAxis, 7.5, false, grey, center)
	p.y = y0 + 13
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// curve draws an arrival curve: the people signed in by each ten minutes
// as a line over the ten-minute counts as bars, against the clock, with
// the session's start marked and the list's length (名单) as a dashed
// ceiling: everyone on the list, not the 应到 of the counted categories.
func (p *pdf) curve(pts []Point, starts time.Time, expected int) {
	const h, axisW = curveH - 22, 12.0
	x0 := marginX + axisW
	w := textW - axisW - 22
	y0 := p.y + 6 + h
	from, to := pts[0].At, pts[len(pts)-1].At.Add(10*time.Minute)
	if s := starts.Truncate(10 * time.Minute); s.Before(from) {
		from = s
	}
	if s := starts.Add(10 * time.Minute); s.After(to) {
		to = s
	}
	span := to.Sub(from).Minutes()
	xOf := func(t time.Time) float64 { return x0 + w*t.Sub(from).Minutes()/span }
	total := pts[len(pts)-1].Cumulative
	top := float64(max(expected, total, 1))
	step := niceStep(top, 5)
	top = math.Ceil(top/step) * step
	yOf := func(v float64) float64 { return y0 - h*v/top }
	for v := 0.0; v <= top+1e-9; v += step {
		p.line(x0, yOf(v), x0+w, yOf(v), 0.1, light, false)
		p.line(x0-1.2, yOf(v), x0, yOf(v), 0.25, black, false)
		p.text(x0-12, yOf(v)+1.2, 10.5, fmt.Sprintf("%g", v), 7, false, grey, right)
	}
	p.text(marginX-2, p.y+2.5, 60, "人数 people", 7.5, false, grey, left)
	// time ticks every 10, 30 or 60 minutes, whichever leaves room
	tick := 10 * time.Minute
	for _, t := range []time.Duration{10, 20, 30, 60, 120, 240} {
		tick = t * time.Minute
		if span/tick.Minutes() <= 12 {
			break
		}
	}
	for t := from.Truncate(tick); !t.After(to); t = t.Add(tick) {
		if t.Before(from) {
			continue
		}
		x := xOf(t)
		p.line(x, y0, x, y0+1.2, 0.25, black, false)
		p.text(x-8, y0+4.2, 16, t.Format("15:04"), 7, false, black, center)
	}
	// ten-minute arrivals as pale bars, the cumulative line over them
	slot := w * 10 / span
	var line [][2]float64
	for _, pt := range pts {
		x := xOf(pt.At)
		p.rect(x+slot*0.1, yOf(float64(pt.Arrived)), slot*0.8, y0-yOf(float64(pt.Arrived)), paleBlu)
		line = append(line, [2]float64{x + slot, yOf(float64(pt.Cumulative))})
	}
	line = append([][2]float64{{xOf(pts[0].At), y0}}, line...)
	p.polyline(line, 0.6, blue, false)
	for _, pt := range line[1:] {
		p.dot(pt[0], pt[1], 0.55, blue)
	}
	end := line[len(line)-1]
	ly := end[1] + 1.2
	if e := yOf(float64(expected)); expected > 0 && math.Abs(e-end[1]) < 3.5 {
		ly = math.Max(end[1], e) + 3.8 // under the 名单 line's label
	}
	p.text(end[0]+1.5, ly, 30, fmt.Sprintf("累计 %d", total), 7.5, true, blue, left)
	if expected > 0 {
		p.line(x0, yOf(float64(expected)), x0+w, yOf(float64(expected)), 0.25, grey, true)
		p.text(x0+w+1.5, yOf(float64(expected))+1.2, 22, fmt.Sprintf("名单 %d", expected), 7.5, false, grey, left)
	}
	sx := xOf(starts)
	p.line(sx, y0-h-2, sx, y0, 0.35, red, true)
	p.text(sx-20, y0-h-3, 40, "开会 "+starts.Format("15:04"), 7.5, true, red, center)
	p.line(x0, y0, x0+w, y0, 0.3, black, false)
	p.line(x0, y0-h-2, x0, y0, 0.3, black, false)
	p.text(x0, y0+8.5, w, "时间（每10分钟） time, ten-minute steps", 7.5, false, grey, center)
	// legend
	ly = y0 + 12.5
	p.rect(x0, ly-2.4, 4, 2.6, paleBlu)
	p.text(x0+5, ly, 50, "每10分钟到场 arrivals per ten minutes", 7, false, black, left)
	p.line(x0+62, ly-1.1, x0+67, ly-1.1, 0.6, blue, false)
	p.text(x0+68, ly, 50, "累计到场 signed in so far", 7, false, black, left)
	p.y = ly + 5
}
