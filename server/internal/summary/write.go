package summary

import (
	"fmt"
	"io"

	"github.com/carlos7ags/folio/document"
)

// Write draws the report as a PDF: a cover with the meeting, its dates,
// when and by whom the report was made and the contents, then one section
// per part.
func Write(w io.Writer, r *Report) error {
	p, err := newPDF(r.Event + " 会务总结")
	if err != nil {
		return err
	}
	p.newPage()
	cover := p.page
	var toc []tocLine
	for i, s := range sections {
		p.newPage()
		toc = append(toc, tocLine{fmt.Sprintf("%s、%s", numerals[i], s.zh), s.en, len(p.pages)})
		p.heading(toc[i].zh, s.en)
		s.draw(p, r)
	}
	p.page = cover
	p.cover(r, toc)
	p.feet(r.Event + " 会务总结")
	_, err = p.doc.WriteToWithOptions(w, document.WriteOptions{CompressionLevel: 6})
	return err
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// sections are the report's parts in order.
var sections = []struct {
	zh, en string
	draw   func(*pdf, *Report)
}{
	{"出席情况", "Attendance", (*pdf).attendance},
	{"到场曲线", "Arrival curves", (*pdf).curves},
	{"用餐情况", "Meals served", (*pdf).meals},
	{"资料发放", "Materials handed out", (*pdf).materials},
	{"涉密文件清退", "Confidential documents", (*pdf).documents},
	{"后勤保障", "Logistics", (*pdf).logistics},
	{"值班记录", "Duty log", (*pdf).duty},
	{"异常情况", "Incidents", (*pdf).incidents},
}

type tocLine struct {
	zh, en string
	page   int
}

// cover draws the first page.
func (p *pdf) cover(r *Report, toc []tocLine) {
	p.rect(0, 0, pageW, 8, blue)
	y := 62.0
	for _, l := range p.wrap(r.Event, textW, 20, true) {
		p.text(marginX, y, textW, l, 20, true, black, center)
		y += 9
	}
	if r.EventEn != "" {
		p.text(marginX, y, textW, r.EventEn, 10, false, grey, center)
		y += 6
	}
	y += 14
	p.text(marginX, y, textW, "会 务 总 结", 30, true, black, center)
	p.text(marginX, y+8, textW, "Meeting summary", 11, false, grey, center)
	y += 26
	if !r.First.IsZero() {
		p.text(marginX, y, textW, "会期："+days(r), 12, false, black, center)
		y += 7
	}
	p.text(marginX, y, textW, "生成时间："+r.Made.Format("2006年1月2日 15:04")+"　　生成人："+r.Actor, 10, false, grey, center)
	y += 22
	x, w := marginX+25, textW-50
	p.text(x, y, w, "目　录", 13, true, black, left)
	p.text(x+p.width("目　录", 13, true)+3, y, 0, "Contents", 8, false, grey, left)
	y += 3
	p.line(x, y, x+w, y, 0.3, black, false)
	y += 8
	for _, t := range toc {
		p.text(x, y, 70, t.zh, 11, false, black, left)
		p.text(x+48, y, 60, t.en, 8, false, grey, left)
		p.line(x+98, y-0.8, x+w-10, y-0.8, 0.15, light, true)
		p.text(x+w-10, y, 10, fmt.Sprint(t.page), 11, false, black, right)
		y += 8
	}
}

func days(r *Report) string {
	a, b := r.First, r.Last
	switch {
	case b.IsZero() || a.Format("20060102") == b.Format("20060102"):
		return a.Format("2006年1月2日")
	case a.Year() != b.Year():
		return a.Format("2006年1月2日") + "至" + b.Format("2006年1月2日")
	case a.Month() != b.Month():
		return a.Format("2006年1月2日") + "至" + b.Format("1月2日")
	}
	return a.Format("2006年1月2日") + "至" + b.Format("2日")
}

// heading draws a section's heading band.
func (p *pdf) heading(zh, en string) {
	p.rect(marginX, p.y, textW, 10, band)
	p.rect(marginX, p.y, 1.6, 10, blue)
	p.text(marginX+4, p.y+7, textW-8, zh, 14, true, black, left)
	p.text(marginX+6+p.width(zh, 14, true), p.y+7, 0, en, 8.5, false, grey, left)
	p.y += 15
}

// sub draws a sub-heading inside a section.
func (p *pdf) sub(zh, en string) {
	p.need(14)
	p.y += 2
	p.text(marginX, p.y+4.5, textW, zh, 11, true, black, left)
	p.text(marginX+p.width(zh, 11, true)+2.5, p.y+4.5, 0, en, 7.5, false, grey, left)
	p.y += 8
}

// para draws wrapped text.
func (p *pdf) para(s string, size float64, col rgb) {
	p.paraAt(marginX, textW, s, size, false, col)
}

func (p *pdf) paraAt(x, w float64, s string, size float64, bold bool, col rgb) {
	lh := size / ptPerMM * 1.45
	for _, l := range p.wrap(s, w, size, bold) {
		p.need(lh)
		p.text(x, p.y+lh*0.78, w, l, size, bold, col, left)
		p.y += lh
	}
}

// note draws the small grey line that says what figures count.
func (p *pdf) note(s string) {
	p.para(s, 8, grey)
	p.y += 1
}

// column is one column of a table.
type column struct {
	head  string
	width float64 // mm
	align align
}

// table draws a ruled table, its heads repeated on every page it runs
// onto. A long cell wraps onto more lines and its row grows.
func (p *pdf) table(cols []column, rows [][]string) {
	const headH, size, lineH, pad = 7.0, 8.5, 3.9, 2.6
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	heads := func() {
		x := marginX
		p.rect(marginX, p.y, total, headH, band)
		for _, c := range cols {
			p.text(x+1, p.y+4.8, c.width-2, c.head, size, true, black, center)
			x += c.width
		}
		p.rules(cols, p.y, headH)
		p.y += headH
	}
	p.need(headH + lineH + pad)
	heads()
	for _, row := range rows {
		cells := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			if i < len(row) {
				cells[i] = p.wrap(row[i], c.width-2.4, size, false)
				n = max(n, len(cells[i]))
			}
		}
		h := pad + lineH*float64(n)
		if p.y+h > bottom {
			p.newPage()
			heads()
		}
		x := marginX
		for i, c := range cols {
			for k, l := range cells[i] {
				p.text(x+1.2, p.y+pad/2+lineH*float64(k)+3, c.width-2.4, l, size, false, black, c.align)
			}
			x += c.width
		}
		p.rules(cols, p.y, h)
		p.y += h
	}
	p.y += 4
}

// rules draws a table row's cell borders.
func (p *pdf) rules(cols []column, y, h float64) {
	x := marginX
	for _, c := range cols {
		p.line(x, y, x, y+h, 0.2, grey, false)
		x += c.width
	}
	p.line(x, y, x, y+h, 0.2, grey, false)
	p.line(marginX, y, x, y, 0.2, grey, false)
	p.line(marginX, y+h, x, y+h, 0.2, grey, false)
}

// missing says a part has nothing recorded.
func (p *pdf) missing(zh, en string) {
	p.need(12)
	p.rect(marginX, p.y, textW, 10, rgb{0.97, 0.97, 0.97})
	p.text(marginX+4, p.y+6.3, textW-8, zh, 9.5, false, grey, left)
	p.y += 10
	p.text(marginX+4, p.y+3.5, textW-8, en, 7, false, grey, left)
	p.y += 8
}

func pct(a, b int) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}
