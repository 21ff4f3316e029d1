package documents

import (
	"fmt"
	"io"
	"sync"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/store"
)

// The cover sheet is drawn by the badge renderer with a layout of its own:
// one card of 194×281 mm, which render.Impose puts one to an A4 page. The
// badge's parts carry the cover's lines:
//
//	band + category   the 密级 in a red band, 机密★ 会后收回
//	event             the meeting
//	title             the document's title (two lines)
//	organization      its 文号
//	name              第 N 份, very large
//	delegation        共 M 份
//	qr                the copy code
//	seat              the copy code in words, for a desk without a scanner
const coverLayout = `{"layouts": {"cover": {
	"label": "涉密文件封面 194×281 mm", "width": 194, "height": 281,
	"band": {"x": 0, "y": 0, "w": 194, "h": 24},
	"category": {"x": 8, "baseline": 16.5, "w": 178, "size": 30, "min": 14, "align": "center", "bold": true},
	"event": {"x": 10, "baseline": 38, "w": 174, "size": 14, "min": 8, "align": "center", "color": "#333333"},
	"title": {"x": 10, "baseline": 62, "w": 174, "size": 26, "min": 12, "lines": 2, "align": "center", "bold": true},
	"organization": {"x": 10, "baseline": 84, "w": 174, "size": 16, "min": 9, "align": "center"},
	"name": {"x": 10, "baseline": 140, "w": 174, "size": 80, "min": 30, "align": "center", "bold": true},
	"delegation": {"x": 10, "baseline": 160, "w": 174, "size": 22, "min": 10, "align": "center"},
	"qr": {"x": 59, "y": 170, "size": 76},
	"seat": {"x": 10, "baseline": 256, "w": 174, "size": 12, "min": 7, "align": "center", "color": "#333333"},
	"serial": {"x": 10, "baseline": 270, "w": 174, "size": 10, "min": 6, "align": "center", "color": "#555555", "hide": true}
}}}`

var cover = struct {
	once sync.Once
	r    *render.Renderer
	err  error
}{}

func coverRenderer() (*render.Renderer, error) {
	cover.once.Do(func() {
		t, err := render.ParseTemplates([]byte(coverLayout))
		if err != nil {
			cover.err = err
			return
		}
		cover.r, cover.err = render.New(t)
	})
	return cover.r, cover.err
}

// bandColour is the 密级 band: red for 秘密 and above, grey for 内部.
func bandColour(class string) string {
	if class == "内部" {
		return "#555555"
	}
	return "#B00000"
}

// CoversPDF writes one A4 cover per copy (all of them, or those listed
// in only), each with its copy code.
func CoversPDF(w io.Writer, key []byte, event string, d store.Document, only []int) (pages int, err error) {
	r, err := coverRenderer()
	if err != nil {
		return 0, err
	}
	copies := only
	if len(copies) == 0 {
		for i := 1; i <= d.Copies; i++ {
			copies = append(copies, i)
		}
	}
	i := 0
	next := func() (*render.Badge, error) {
		if i >= len(copies) {
			return nil, nil
		}
		n := copies[i]
		i++
		if n < 1 || n > d.Copies {
			return nil, fmt.Errorf("documents: %s has no copy %d", d.Title, n)
		}
		code := Sign(key, Code{Document: d.ID, Copy: n})
		number := d.Number
		if number == "" {
			number = "（无文号）"
		}
		return &render.Badge{
			Event:        event,
			Title:        d.Title,
			Organization: number,
			Name:         fmt.Sprintf("第 %d 份", n),
			Delegation:   fmt.Sprintf("共 %d 份", d.Copies),
			CategoryName: d.Classification + "★ 会后收回",
			Category:     "cover",
			Color:        bandColour(d.Classification),
			Seat:         "编号 " + code + " · 不得复印 · 会后交回",
			Token:        code,
		}, nil
	}
	_, pages, err = r.SheetPDF(w, next, render.Options{Size: "cover"})
	return pages, err
}

// eventWords are a chain link's event in the report.
var eventWords = map[string]string{"issue": "发放", "return": "交回", "lost": "遗失"}

// Report is the 文件清退登记表: first every copy not back, then each
// document's copies with their whole chain of custody, one row a link.
func Report(event string, chains []store.DocumentChain, loc *time.Location, printed string) *render.ListSheet {
	at := func(t time.Time) string { return t.In(loc).Format("01-02 15:04") }
	s := &render.ListSheet{
		Title:     "涉密文件清退登记表",
		Lines:     []string{event},
		Landscape: true,
		Printed:   printed,
		Columns: []render.ListColumn{
			{Head: "份号", Width: 12, Align: render.Center},
			{Head: "经过", Width: 16, Align: render.Center},
			{Head: "持有人", Width: 30, Wrap: true},
			{Head: "单位", Width: 50, Wrap: true},
			{Head: "交回人", Width: 30, Wrap: true},
			{Head: "时间", Width: 24},
			{Head: "地点", Width: 26},
			{Head: "经办", Width: 22},
			{Head: "原因 / 说明", Width: 57, Wrap: true},
		},
	}
	// First what is not back, a section per document that has any.
	var outs []render.ListSection
	total, back, missing := 0, 0, 0
	for _, ch := range chains {
		d := ch.Document
		total += d.Issued
		back += d.Returned
		last := map[int]store.CopyEvent{}
		for _, e := range ch.Events {
			last[e.Copy] = e
		}
		sec := render.ListSection{Heading: fmt.Sprintf("未清退：%s %s %s", d.Classification, d.Title, d.Number)}
		for _, c := range ch.Copies {
			if c.State == "in" {
				continue
			}
			e := last[c.Copy]
			word, why := "未退", ""
			if c.State == "lost" {
				word, why = "遗失", e.Reason
			}
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(c.Copy), word, e.Holder.Name, e.Holder.Organization, "",
				at(e.At), e.Place, e.Actor, why})
		}
		if len(sec.Rows) > 0 {
			sec.Note = fmt.Sprintf("%d 份未清退", len(sec.Rows))
			missing += len(sec.Rows)
			outs = append(outs, sec)
		}
	}
	if len(outs) == 0 {
		outs = []render.ListSection{{Heading: "未清退", Note: "全部清退"}}
	}
	s.Lines = append(s.Lines, fmt.Sprintf("共 %d 种文件；发出 %d 份，已清退 %d 份，未清退 %d 份", len(chains), total, back, missing))
	s.Sections = append(s.Sections, outs...)
	for _, ch := range chains {
		d := ch.Document
		sec := render.ListSection{
			Heading: fmt.Sprintf("%s %s %s", d.Classification, d.Title, d.Number),
			Note:    fmt.Sprintf("共 %d 份 · 发出 %d · 已退 %d · 未退 %d · 遗失 %d", d.Copies, d.Issued, d.Returned, d.Out, d.Lost),
		}
		for _, e := range ch.Events {
			by, word := "", eventWords[e.Kind]
			if e.Kind == "return" {
				by = e.Holder.Name
				if e.By != nil {
					by, word = e.By.Name, "代还"
				}
			}
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(e.Copy), word, e.Holder.Name, e.Holder.Organization, by,
				at(e.At), e.Place, e.Actor, e.Reason})
		}
		s.Sections = append(s.Sections, sec)
	}
	return s
}
