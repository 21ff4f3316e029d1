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
	Tables []BanquetTable // table 1 is the main table (主桌)
}

// Write draws the plan on an A3 landscape page: the main table at the head
// of the room, the others in rows behind it, each numbered by 桌次 —
// nearer the main table ranks higher, and at equal distance the honour
// side — and each guest at their 席次 around the table: the host at the
// top facing the door (the foot of the page), the guest of honour on the
// host's right.
func (b Banquet) Write(w io.Writer) error { return WriteBanquets(w, b) }

// WriteBanquets draws several plans in one PDF, one page each: a meal
// served in several dining halls prints as one document.
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

// draw puts the plan on a page of its own.
func (b Banquet) draw(d *doc) {
	const W, H = 420.0, 297.0
	p := d.page(W, H)
	p.text(W/2, 18, 300, 20, b.Title+" 桌次图", true, black)
	p.text(W/2, 26, 300, 10, b.Event, false, grey)
	side := "以右为尊（主人右手为上）· Honour to the host's right"
	if b.Honour == seating.HonourLeft {
		side = "以左为尊（主人左手为上）· Honour to the host's left"
	}
	p.text(W/2, 33, 300, 9, side, false, red)
	p.text(W/2, H-8, 300, 9, "▼ 入口 Entrance · 俯视图 Plan seen from above", false, grey)
	if len(b.Tables) == 0 {
		return
	}

	// Places on the floor: the main table alone in front, the rest in rows.
	n := len(b.Tables)
	cols := max(1, min(8, int(math.Ceil(math.Sqrt(float64(n-1)*2)))))
	rows := (n - 1 + cols - 1) / cols
	pitch := math.Min((W-30)/float64(cols), (H-70)/float64(rows+1))
	places := []seating.Table{{Number: 1, X: 0, Y: 0}}
	for i := 0; i < n-1; i++ {
		r, c := i/cols, i%cols
		inRow := min(cols, n-1-r*cols) // a short last row is centred too
		places = append(places, seating.Table{Number: i + 2, X: (float64(c) - float64(inRow-1)/2) * pitch, Y: float64(r+1) * pitch})
	}
	order := seating.TableOrder(places, 1, b.Honour)
	at := map[int]seating.Table{}
	for _, pl := range places {
		at[pl.Number] = pl
	}
	radius := pitch * 0.22
	for k, t := range b.Tables {
		pl := at[order[k]]
		cx, cy := W/2+pl.X, 48+pitch/2+pl.Y
		if k == 0 {
			radius := radius * 1.25
			p.circle(cx, cy, radius, 0.5, red)
			p.text(cx, cy+4, radius*1.6, 14, "主桌", true, red)
			p.guests(cx, cy, radius, t, b.Honour)
			continue
		}
		p.circle(cx, cy, radius, 0.3, black)
		p.text(cx, cy+4, radius*1.6, 14, fmt.Sprint(t.Number), true, black)
		p.guests(cx, cy, radius, t, b.Honour)
	}
}

// guests writes each guest's name outside the table at their 席次.
func (p *page) guests(cx, cy, r float64, t BanquetTable, honour seating.Honour) {
	places := max(t.Seats, len(t.Guests))
	if places == 0 {
		return
	}
	seat := seating.TableSeats(places, honour)
	for rank, name := range t.Guests {
		// Place 0 at the top, then clockwise seen from above (on the page).
		a := -math.Pi/2 + float64(seat[rank])*2*math.Pi/float64(places)
		x, y := cx+(r+5)*math.Cos(a), cy+(r+5)*math.Sin(a)
		p.text(x, y+1.2, 13, 6, name, rank == 0, black)
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
