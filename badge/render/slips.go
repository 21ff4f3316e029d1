package render

import (
	"fmt"
	"image/color"
	"io"
	"time"
)

// MealStub is one meal's paper ticket.
type MealStub struct {
	Date  string // YYYY-MM-DD
	Slot  string // breakfast, lunch or dinner
	Name  string // the meal's name, e.g. 欢迎晚宴
	Hall  string // dining hall
	Table int    // 0 for free seating
	Diet  string // 清真, 素食, 过敏…; printed as a boxed mark
}

// RoomSlip is the hotel room paper, which keeps the room number off the
// public badge.
type RoomSlip struct {
	Hotel    string
	Room     string
	CheckIn  string // YYYY-MM-DD
	CheckOut string
}

// Slips are an attendee's meal stubs and room slip. Every slip's QR holds
// the attendee's credential token, for the reasons given below.
type Slips struct {
	Event        string
	Name         string
	Organization string
	Token        string
	Serial       int64
	Meals        []MealStub
	Room         *RoomSlip
}

// Why the slips carry the badge's own token rather than a meal token: the
// credential is the one thing kiosks verify offline (signature, revocation
// list), and a dining checkpoint already knows which meal it serves from
// its time window, so scanning any slip — or the badge — at a dining kiosk
// redeems the right meal exactly once (meal_used after that). A per-meal
// token would need a second token format in the kiosks and a second
// revocation path; and when a badge is reissued the old slips stop working
// with it, so a lost set of slips cannot be eaten twice.

// slotWord is the one character the kitchen reads at a glance.
var slotWord = map[string]string{"breakfast": "早", "lunch": "午", "dinner": "晚"}

var weekdays = []string{"日", "一", "二", "三", "四", "五", "六"}

// chineseDate turns 2026-11-26 into 11月26日（周四）.
func chineseDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%d月%d日（周%s）", t.Month(), t.Day(), weekdays[t.Weekday()])
}

// Stubs sit 2×5 on A4, each 105×59.4 mm, so a guillotine or a perforated
// sheet separates them on straight lines.
const (
	stubCols, stubRows = 2, 5
	stubW, stubH       = a4W / stubCols, a4H / stubRows
	stubQR             = 27.0
)

// Check reports characters no font has in any printed text.
func (s *Slips) Check() error {
	fields := []struct{ name, text string }{{"name", s.Name}, {"event", s.Event}, {"organization", s.Organization}}
	for _, m := range s.Meals {
		fields = append(fields, struct{ name, text string }{"meal", m.Name + m.Hall + m.Diet})
	}
	if s.Room != nil {
		fields = append(fields, struct{ name, text string }{"room", s.Room.Hotel + s.Room.Room})
	}
	for _, f := range fields {
		if err := checkField(f.name, f.text); err != nil {
			return err
		}
	}
	return nil
}

// SlipsPDF writes the meal stubs, then the room slip, on A4 sheets of ten
// with dashed cut lines.
func (r *Renderer) SlipsPDF(w io.Writer, s *Slips) (pages int, err error) {
	if err := s.Check(); err != nil {
		return 0, err
	}
	if len(s.Meals) == 0 && s.Room == nil {
		return 0, fmt.Errorf("render: %s has no meals or room to print", s.Name)
	}
	bits, err := qrBits(s.Token)
	if err != nil {
		return 0, err
	}
	d := newPDF(r.fs, "餐券 住宿单 "+s.Name)
	d.exact = true
	var cv canvas
	n := len(s.Meals)
	if s.Room != nil {
		n++
	}
	for i := 0; i < n; i++ {
		slot := i % (stubCols * stubRows)
		if slot == 0 {
			cv = d.page(a4W, a4H)
			pages++
			cutLines(cv)
		}
		x, y := float64(slot%stubCols)*stubW, float64(slot/stubCols)*stubH
		if i < len(s.Meals) {
			err = r.drawMeal(cv, s, &s.Meals[i], bits, x, y)
		} else {
			err = r.drawRoom(cv, s, bits, x, y)
		}
		if err != nil {
			return 0, err
		}
	}
	return pages, d.writeTo(w)
}

func cutLines(cv canvas) {
	for c := 1; c < stubCols; c++ {
		cv.line(float64(c)*stubW, 0, float64(c)*stubW, a4H, 0.2, light, true)
	}
	for r := 1; r < stubRows; r++ {
		cv.line(0, float64(r)*stubH, a4W, float64(r)*stubH, 0.2, light, true)
	}
}

// stubText draws one line in a stub's text column (left of the QR).
func (r *Renderer) stubText(cv canvas, x, y, baseline, size float64, bold bool, s string, col color.RGBA) {
	box := &TextBox{X: 6, Baseline: baseline, W: stubW - stubQR - 14, Size: size, Min: size * 0.5, Bold: bold}
	drawText(cv, r.fs, box, s, x, y, col)
}

func (r *Renderer) drawMeal(cv canvas, s *Slips, m *MealStub, bits [][]bool, x, y float64) error {
	r.stubText(cv, x, y, 9, 8, false, s.Event, grey)
	r.stubText(cv, x, y, 20, 16, true, chineseDate(m.Date)+" "+slotWord[m.Slot], black)
	r.stubText(cv, x, y, 28, 10, false, m.Name+"　"+m.Hall, black)
	table := "桌号：自由就座"
	if m.Table > 0 {
		table = fmt.Sprintf("桌号：%d", m.Table)
	}
	r.stubText(cv, x, y, 37, 14, true, table, black)
	r.stubText(cv, x, y, 45, 10, false, s.Name, black)
	if m.Diet != "" {
		r.dietMark(cv, x+6, y+49, m.Diet)
	}
	return r.stubQR(cv, s, bits, x, y)
}

func (r *Renderer) drawRoom(cv canvas, s *Slips, bits [][]bool, x, y float64) error {
	room := s.Room
	r.stubText(cv, x, y, 9, 8, false, s.Event, grey)
	r.stubText(cv, x, y, 18, 11, true, "住宿单　"+room.Hotel, black)
	r.stubText(cv, x, y, 31, 22, true, "房间 "+room.Room, black)
	r.stubText(cv, x, y, 39, 10, false, "入住："+chineseDate(room.CheckIn), black)
	if room.CheckOut != "" {
		r.stubText(cv, x, y, 45, 10, false, "离店："+chineseDate(room.CheckOut), black)
	}
	r.stubText(cv, x, y, 52, 10, false, s.Name, black)
	return r.stubQR(cv, s, bits, x, y)
}

// dietMark prints the dietary need reversed out of a black box, the way
// kitchens mark 清真 and 素食 plates.
func (r *Renderer) dietMark(cv canvas, x, y float64, diet string) {
	ln := r.fs.shape(diet, 10, Bold)
	cv.rect(x, y, ln.width+3, 6, black)
	cv.text(x+1.5, y+4.6, ln, white)
}

func (r *Renderer) stubQR(cv canvas, s *Slips, bits [][]bool, x, y float64) error {
	q := &Box{X: stubW - stubQR - 4, Y: 6, Size: stubQR}
	if err := drawQR(cv, q, bits, x, y); err != nil {
		return err
	}
	if s.Serial > 0 {
		box := &TextBox{X: q.X, Baseline: q.Y + q.Size + 4, W: q.Size, Size: 6, Align: Center}
		drawText(cv, r.fs, box, fmt.Sprintf("No. %06d", s.Serial), x, y, grey)
	}
	return nil
}
