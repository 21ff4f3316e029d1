package chart

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// A large hall does not print on one page: 782 seats on A4 put names at
// 2–4 pt. Such a chart prints as an overview (sections, rows, which seats
// are taken, names only where they fit at OverviewPt) and then one page
// for each section, or block of rows of a section, at a scale where every
// name fits at MinNameMM (7 pt) and every seat number at NumberPt.

// Paper is the sheet a chart prints on, landscape.
type Paper string

// The papers.
const (
	A4 Paper = "a4"
	A3 Paper = "a3"
)

// size is the landscape sheet in mm.
func (p Paper) size() (float64, float64) {
	if p == A3 {
		return 420, 297
	}
	return 297, 210
}

const (
	// NumberPt is the smallest seat number a chart prints where names are.
	NumberPt = 6.0
	// OverviewPt is the smallest name an overview prints.
	OverviewPt = 6.0
	// sectionBoxMM is a seat's height on a section page: two lines of a
	// name at 7 pt above a 6 pt number (the number is a fifth of it).
	sectionBoxMM = 11.0
	// widestBoxMM bounds a seat's width on a section page; a name wider
	// than that at 7 pt shrinks (and is counted under the floor).
	widestBoxMM = 40.0
)

// frame is the part of a page seats are drawn in, mm from the top left.
type frame struct{ left, top, width, height float64 }

// placing puts seats on a page: the seats' extent in metres, mm per metre
// across and deep, the page position of the extent's corner, the size of
// a seat's box, and whether the page is turned (主席台视角).
type placing struct {
	x0, x1, y0, y1 float64
	sx, sy, ox, oy float64
	bw, bh         float64
	mirror         bool
}

func (at placing) pos(s Seat) (float64, float64) {
	if at.mirror { // turned half a turn: the stage at the bottom
		return at.ox + (at.x1-s.X)*at.sx, at.oy + (at.y1-s.Y)*at.sy
	}
	return at.ox + (s.X-at.x0)*at.sx, at.oy + (s.Y-at.y0)*at.sy
}

func extent(seats []Seat) (x0, x1, y0, y1 float64) {
	x0, x1, y0, y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range seats {
		x0, x1 = math.Min(x0, s.X), math.Max(x1, s.X)
		y0, y1 = math.Min(y0, s.Y), math.Max(y1, s.Y)
	}
	return
}

// fitWhole places seats to fill f. Each axis fits on its own, within a
// factor of 1.8 of the other: a deep hall on a landscape page gets wider
// seats rather than empty margins.
func fitWhole(seats []Seat, f frame, mirror bool) placing {
	at := placing{mirror: mirror}
	at.x0, at.x1, at.y0, at.y1 = extent(seats)
	pitch, rowPitch := pitches(seats)
	sx, sy := f.width/(at.x1-at.x0+pitch), f.height/(at.y1-at.y0+rowPitch)
	at.sx, at.sy = math.Min(sx, sy*1.8), math.Min(sy, sx*1.8)
	at.bw, at.bh = pitch*at.sx*0.9, math.Min(rowPitch*at.sy*0.8, pitch*at.sx*1.4)
	at.centre(f)
	return at
}

// centre puts the seats in the middle of f.
func (at *placing) centre(f frame) {
	at.ox = f.left + (f.width-(at.x1-at.x0)*at.sx)/2
	at.oy = f.top + (f.height-(at.y1-at.y0)*at.sy)/2
}

// readable says whether every name prints at MinNameMM and every number
// at NumberPt where at places them.
func (at placing) readable(d *doc, seats []Seat) bool {
	if at.bh*ptPerMM*0.2 < NumberPt-1e-9 {
		return false
	}
	for _, s := range seats {
		if s.Name != "" && !d.fitName(s.Name, at.bw*0.92, at.bh*0.7, math.Min(14, at.bh*ptPerMM*0.42), s.Section == "presidium").Fits {
			return false
		}
	}
	return true
}

// block is the seats of one section page.
type block struct {
	title, titleEn string
	section        string
	firstRow       int
	seats          []Seat
	at             placing
}

// blocks cuts seats into pages: by section (the presidium first, then
// from the audience's left), each at the scale its widest name needs,
// then into blocks of rows, and of seats across, that fit the frame.
func (c Chart) blocks(d *doc, seats []Seat) []block {
	bySection := map[string][]Seat{}
	var order []string
	for _, s := range seats {
		if bySection[s.Section] == nil {
			order = append(order, s.Section)
		}
		bySection[s.Section] = append(bySection[s.Section], s)
	}
	centre := func(sec string) float64 {
		x0, x1, _, _ := extent(bySection[sec])
		return (x0 + x1) / 2
	}
	slices.SortStableFunc(order, func(a, b string) int {
		if (a == "presidium") != (b == "presidium") {
			if a == "presidium" {
				return -1
			}
			return 1
		}
		ca, cb := centre(a), centre(b)
		if c.View == Presidium {
			ca, cb = -ca, -cb
		}
		return cmp.Compare(ca, cb)
	})
	var out []block
	for _, sec := range order {
		ss := bySection[sec]
		pitch, rowPitch := pitches(ss)
		f := c.frame()
		if sec == "presidium" { // no row numbers beside the stage's rows: its page is wider
			f.left, f.width = f.left-8, f.width+16
		}
		// The box is as wide as the section's widest name needs at the
		// floor, and as tall as two lines of it over a number.
		bw := 9.0
		for _, s := range ss {
			if s.Name != "" {
				bw = math.Max(bw, d.nameWidth(s.Name, MinNameMM*ptPerMM, s.Section == "presidium")/0.92+0.5)
			}
		}
		bw = math.Min(bw, widestBoxMM)
		at := placing{mirror: c.View == Presidium, bw: bw, bh: sectionBoxMM,
			sx: bw / (pitch * 0.92), sy: sectionBoxMM / (rowPitch * 0.8)}
		// A small section gets larger type when the page has room.
		x0, x1, y0, y1 := extent(ss)
		if k := math.Min(f.width/((x1-x0)*at.sx+bw), f.height/((y1-y0)*at.sy+at.bh)); k > 1 {
			k = math.Min(k, 1.6)
			at.sx, at.sy, at.bw, at.bh = at.sx*k, at.sy*k, at.bw*k, at.bh*k
		}
		for _, rows := range rowBlocks(ss, at, f.height) {
			for _, part := range acrossBlocks(rows, at, f.width) {
				b := block{section: sec, seats: part, at: at}
				b.at.x0, b.at.x1, b.at.y0, b.at.y1 = extent(part)
				b.at.centre(f)
				b.title, b.titleEn, b.firstRow = describe(sec, part, len(part) < len(rows))
				out = append(out, b)
			}
		}
	}
	return out
}

// nameWidth is the narrowest a box can be for name at size points: on
// one line, or on two split at a · or a space.
func (d *doc) nameWidth(name string, size float64, bold bool) float64 {
	w := func(t string) float64 { _, x := d.shape(t, size, bold); return x }
	best := w(name)
	for _, pair := range splits(name) {
		best = math.Min(best, math.Max(w(pair[0]), w(pair[1])))
	}
	return best
}

// rowBlocks splits a section's seats into runs of whole rows (in order
// from the stage) whose depth at at's scale fits height.
func rowBlocks(seats []Seat, at placing, height float64) [][]Seat {
	rows := map[int][]Seat{}
	var nums []int
	for _, s := range seats {
		if rows[s.Row] == nil {
			nums = append(nums, s.Row)
		}
		rows[s.Row] = append(rows[s.Row], s)
	}
	front := func(r int) float64 { _, _, y0, _ := extent(rows[r]); return y0 }
	slices.SortFunc(nums, func(a, b int) int { return cmp.Or(cmp.Compare(front(a), front(b)), cmp.Compare(a, b)) })
	var out [][]Seat
	var cur []Seat
	for _, r := range nums {
		next := append(slices.Clone(cur), rows[r]...)
		if _, _, y0, y1 := extent(next); len(cur) > 0 && (y1-y0)*at.sy+at.bh > height {
			out = append(out, cur)
			next = slices.Clone(rows[r])
		}
		cur = next
	}
	return append(out, cur)
}

// acrossBlocks splits seats into equal bands across whose width at at's
// scale fits width.
func acrossBlocks(seats []Seat, at placing, width float64) [][]Seat {
	x0, x1, _, _ := extent(seats)
	n := int(math.Ceil(((x1-x0)*at.sx + at.bw) / width))
	if n <= 1 {
		return [][]Seat{seats}
	}
	step := (x1 - x0 + 1e-6) / float64(n)
	bands := make([][]Seat, n)
	for _, s := range seats {
		i := min(int((s.X-x0)/step), n-1)
		bands[i] = append(bands[i], s)
	}
	if at.mirror { // the page's left is the hall's right
		slices.Reverse(bands)
	}
	return slices.DeleteFunc(bands, func(b []Seat) bool { return len(b) == 0 })
}

// describe names a block: its section, its rows, and its seats when the
// rows are cut across.
func describe(section string, seats []Seat, cut bool) (string, string, int) {
	lo, hi, n0, n1 := math.MaxInt, 0, math.MaxInt, 0
	for _, s := range seats {
		lo, hi = min(lo, s.Row), max(hi, s.Row)
		n0, n1 = min(n0, s.Number), max(n1, s.Number)
	}
	zh, en := sectionName(section)
	rows := fmt.Sprintf("第 %d 排", lo)
	rowsEn := fmt.Sprintf("row %d", lo)
	if hi > lo {
		rows, rowsEn = fmt.Sprintf("第 %d–%d 排", lo, hi), fmt.Sprintf("rows %d–%d", lo, hi)
	}
	zh, en = zh+" "+rows, en+", "+rowsEn
	if cut {
		zh, en = zh+fmt.Sprintf(" · %d–%d 号", n0, n1), en+fmt.Sprintf(", seats %d–%d", n0, n1)
	}
	if section == "presidium" {
		lo = 1 // nothing lies between the stage and its own rows
	}
	return zh, en, lo
}

// sectionName is how a chart names a section: "A区", the presidium "主席台".
func sectionName(section string) (string, string) {
	if section == "presidium" {
		return "主席台", "presidium"
	}
	return section + "区", "section " + section
}

// overview draws the hall on one page without names (but where they fit
// at OverviewPt): taken seats shaded, each section named with the pages
// it prints on, rows numbered.
func (c Chart) overview(d *doc, at placing, seats []Seat, blocks []block) {
	p := c.sheet(d, c.Session+" 座次图 · 总览", "Overview: the sections follow, a page each or more", 1, len(blocks)+1)
	c.drawSeats(p, at, seats, true)
	c.stage(p, at, "")
	c.rowNumbers(p, at, seats, true)
	pages := map[string][2]int{}
	for i, b := range blocks {
		r, ok := pages[b.section]
		if !ok {
			r[0] = i + 2
		}
		r[1] = i + 2
		pages[b.section] = r
	}
	done := map[string]bool{}
	for _, b := range blocks {
		if done[b.section] {
			continue
		}
		done[b.section] = true
		var ss []Seat
		for _, s := range seats {
			if s.Section == b.section {
				ss = append(ss, s)
			}
		}
		// The label sits on the section's stage side.
		top, l, r := math.Inf(1), math.Inf(1), math.Inf(-1)
		for _, s := range ss {
			cx, cy := at.pos(s)
			top, l, r = math.Min(top, cy), math.Min(l, cx), math.Max(r, cx)
		}
		if at.mirror {
			top = math.Inf(-1)
			for _, s := range ss {
				_, cy := at.pos(s)
				top = math.Max(top, cy)
			}
		}
		name, _ := sectionName(b.section)
		pr := pages[b.section]
		where := fmt.Sprintf("第 %d 页", pr[0])
		if pr[1] > pr[0] {
			where = fmt.Sprintf("第 %d–%d 页", pr[0], pr[1])
		}
		label := name + " · " + where
		if b.section == "presidium" { // beside the stage's rows, clear of the stage line
			_, w := d.shape(label, 9, true)
			mid := 0.0
			for _, s := range ss {
				_, cy := at.pos(s)
				mid += cy / float64(len(ss))
			}
			p.text(l-at.bw/2-3-w/2, mid+1.2, w, 9, label, true, black)
			continue
		}
		y := top - at.bh/2 - 1.2
		if at.mirror {
			y = top + at.bh/2 + 4
		}
		p.text((l+r)/2, y, r-l+at.bw, 9, label, true, black)
	}
}
