package chart

import (
	"fmt"
	"io"
	"math"

	"huiwu/server/internal/seating"
)

// BanquetTable is one table of a banquet plan: its number and its guests
// in rank order (the host first).
type BanquetTable struct {
	Number int
	Seats  int
	Guests []string
}

// Banquet is a banquet table plan (宴会桌次图) for one dining hall.
type Banquet struct {
	Event  string
	Title  string // e.g. 第一天晚餐 · 一号餐厅
	Honour seating.Honour
	// Paper is the sheet, landscape: A4 (the default) or A3. A hall whose
	// names would print under GuestPt on one sheet continues on more.
	Paper  Paper
	Tables []BanquetTable // table 1 is the main table (主桌)
}

// GuestPt is the size of a guest's name on a 桌次图: read at arm's length
// at the door of the banquet hall.
const GuestPt = 7.5

// Write draws the plan: the main table at the head of the room, the
// others in rows behind it, each numbered by 桌次 — nearer the main table
// ranks higher, and at equal distance the honour side — and each guest at
// their 席次 around the table: the host at the top facing the door (the
// foot of the page), the guest of honour on the host's right. Tables are
// spaced so that every name prints at GuestPt; rows that do not fit go on
// to the next page.
func (b Banquet) Write(w io.Writer) error { return WriteBanquets(w, b) }

// WriteBanquets draws several plans in one PDF, each on pages of its own:
// a meal served in several dining halls prints as one document.
func WriteBanquets(w io.Writer, plans ...Banquet) error {
	if len(plans) == 0 {
		return fmt.Errorf("chart: no banquet plan to write")
	}
	d, err := newDoc(plans[0].Title + " 桌次图")
	if err != nil {
		return err
	}
	for _, b := range plans {
		b.draw(d)
	}
	return d.write(w)
}

// banquetTop is where the floor starts under the heading, mm.
const banquetTop = 42.0

// sheet starts a page of the plan with its heading and the entrance.
func (b Banquet) sheet(d *doc, n, of int) *page {
	W, H := b.Paper.size()
	p := d.page(W, H)
	title := b.Title + " 桌次图"
	if of > 1 {
		title += fmt.Sprintf("（%d/%d）", n, of)
	}
	p.text(W/2, 16, W-60, 18, title, true, black)
	p.text(W/2, 23, W-60, 9, b.Event, false, grey)
	side := "以右为尊（主人右手为上）· Honour to the host's right"
	if b.Honour == seating.HonourLeft {
		side = "以左为尊（主人左手为上）· Honour to the host's left"
	}
	p.text(W/2, 30, W-60, 9, side, false, red)
	foot := "▼ 入口 Entrance · 俯视图 Plan seen from above"
	if of > 1 {
		foot += fmt.Sprintf("　第 %d 页 共 %d 页", n, of)
	}
	p.text(W/2, H-7, W-40, 9, foot, false, grey)
	return p
}

// nameBox is the room a guest's name gets, mm: as wide as the widest name
// at the table needs at GuestPt (wrapped at a · if that is narrower), two
// lines tall.
func (b Banquet) nameBox(d *doc) (w, h float64) {
	w = 9
	for _, t := range b.Tables {
		for i, g := range t.Guests {
			w = math.Max(w, d.nameWidth(g, GuestPt, i == 0)+1)
		}
	}
	return math.Min(w, 24), GuestPt / ptPerMM * (1 + lineStep) * 1.05
}

// ring is the ellipse a table's guests' names sit on, mm: the smallest
// whose neighbouring names stay apart — across at the top and bottom of
// the table, one above the other at its sides.
type ring struct{ rx, ry, table float64 }

func (b Banquet) ring(nameW, nameH float64) ring {
	places := 10
	for _, t := range b.Tables {
		places = max(places, t.Seats, len(t.Guests))
	}
	step := 2 * math.Pi / float64(places)
	apart := func(rx, ry float64) bool {
		for i := range places {
			a, c := -math.Pi/2+float64(i)*step, -math.Pi/2+float64(i+1)*step
			dx, dy := rx*(math.Cos(a)-math.Cos(c)), ry*(math.Sin(a)-math.Sin(c))
			if math.Abs(dx) < nameW+1 && math.Abs(dy) < nameH+0.5 {
				return false
			}
		}
		return true
	}
	// The ellipse of least area, the table at least 5 mm across.
	best, rx, ry := math.Inf(1), 0.0, 0.0
	for y := nameH * 1.5; y <= 60; y += 0.5 {
		x := nameW
		for !apart(x, y) && x < 10*nameW {
			x += 0.5
		}
		if a := (2*x + nameW) * (2*y + nameH); a < best {
			best, rx, ry = a, x, y
		}
	}
	return ring{rx: rx, ry: ry, table: math.Max(math.Min(rx-nameW/2, ry-nameH/2)-1.5, 5)}
}

// draw puts the plan on pages of its own.
func (b Banquet) draw(d *doc) {
	W, H := b.Paper.size()
	if len(b.Tables) == 0 {
		b.sheet(d, 1, 1)
		return
	}
	nameW, nameH := b.nameBox(d)
	rg := b.ring(nameW, nameH)
	spanX, spanY := 2*rg.rx+nameW+5, 2*rg.ry+nameH+5
	// Places on the floor: the main table alone in front, the rest in
	// rows as wide as the sheet allows.
	n := len(b.Tables)
	fit := max(1, int((W-20)/spanX))
	cols := max(1, min(fit, 8, int(math.Ceil(math.Sqrt(float64(n-1)*2)))))
	rows := (n - 1 + cols - 1) / cols
	pitchX := math.Max(spanX, (W-30)/float64(cols))
	pitch := math.Max(spanY, math.Min(pitchX, (H-banquetTop-14)/float64(rows+1)))
	perPage := max(1, int((H-banquetTop-14)/pitch)) // rows of tables a page holds
	places := []seating.Table{{Number: 1, X: 0, Y: 0}}
	for i := 0; i < n-1; i++ {
		r, c := i/cols, i%cols
		inRow := min(cols, n-1-r*cols) // a short last row is centred too
		places = append(places, seating.Table{Number: i + 2, X: (float64(c) - float64(inRow-1)/2) * pitchX, Y: float64(r+1) * pitch})
	}
	order := seating.TableOrder(places, 1, b.Honour)
	at := map[int]seating.Table{}
	for _, pl := range places {
		at[pl.Number] = pl
	}
	// Floor row k (0 the main table) prints on page k/perPage.
	pageOf := func(y float64) int { return int(math.Round(y/pitch)) / perPage }
	of := pageOf(float64(rows)*pitch) + 1
	pages := make([]*page, of)
	for i := range pages {
		pages[i] = b.sheet(d, i+1, of)
		if i > 0 {
			pages[i].text(W/2, banquetTop-4, W-60, 9, fmt.Sprintf("▲ 主桌方向（主桌在第 1 页），本页为第 %d–%d 排桌 · Towards the main table (page 1)",
				i*perPage, min(rows, (i+1)*perPage-1)), false, grey)
		}
	}
	radius := rg.table
	for k, t := range b.Tables {
		pl := at[order[k]]
		pg := pageOf(pl.Y)
		p := pages[pg]
		cx, cy := W/2+pl.X, banquetTop+pitch/2+pl.Y-float64(pg*perPage)*pitch
		if k == 0 {
			p.circle(cx, cy, radius, 0.5, red)
			p.text(cx, cy+4, radius*1.6, 14, "主桌", true, red)
		} else {
			p.circle(cx, cy, radius, 0.3, black)
			p.text(cx, cy+4, radius*1.6, 14, fmt.Sprint(t.Number), true, black)
		}
		p.guests(cx, cy, rg, nameW, nameH, t, b.Honour)
	}
}

// guests writes each guest's name outside the table at their 席次, on the
// ring.
func (p *page) guests(cx, cy float64, rg ring, nameW, nameH float64, t BanquetTable, honour seating.Honour) {
	places := max(t.Seats, len(t.Guests))
	if places == 0 {
		return
	}
	seat := seating.TableSeats(places, honour)
	for rank, name := range t.Guests {
		// Place 0 at the top, then clockwise seen from above (on the page).
		a := -math.Pi/2 + float64(seat[rank])*2*math.Pi/float64(places)
		x, y := cx+rg.rx*math.Cos(a), cy+rg.ry*math.Sin(a)
		f := p.d.fitName(name, nameW, nameH, GuestPt, rank == 0)
		p.name(x, y-nameH/2, nameH, f, rank == 0, black)
	}
}

// circle strokes a circle of radius r mm with four Bézier arcs.
func (p *page) circle(cx, cy, r, width float64, c rgb) {
	const k = 0.5523 // control-point distance for a quarter circle
	s := p.p.ContentStream()
	x, y, R := cx*ptPerMM, (p.h-cy)*ptPerMM, r*ptPerMM
	s.SaveState()
	s.SetLineWidth(width * ptPerMM)
	s.SetStrokeColorRGB(c[0], c[1], c[2])
	s.MoveTo(x+R, y)
	s.CurveTo(x+R, y+k*R, x+k*R, y+R, x, y+R)
	s.CurveTo(x-k*R, y+R, x-R, y+k*R, x-R, y)
	s.CurveTo(x-R, y-k*R, x-k*R, y-R, x, y-R)
	s.CurveTo(x+k*R, y-R, x+R, y-k*R, x+R, y)
	s.Stroke()
	s.RestoreState()
}
