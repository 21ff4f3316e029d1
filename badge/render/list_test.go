package render

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"huiwu/badge/render/pdftest"
)

func sampleList(groups, rows int) *ListSheet {
	s := &ListSheet{Title: "首都机场 接站一览表", Lines: []string{"云江省第十四届人民代表大会第三次会议", "2026年3月4日　每组 45 分钟"},
		Columns: []ListColumn{{Head: "序号", Width: 10, Align: Center}, {Head: "姓名", Width: 30, Wrap: true},
			{Head: "单位", Width: 50}, {Head: "航班/车次", Width: 22, Align: Center}, {Head: "时间", Width: 16, Align: Center},
			{Head: "随行", Width: 12, Align: Center}, {Head: "车辆", Width: 40}},
		Printed: "2026-03-04 08:00"}
	n := 0
	for g := range groups {
		sec := ListSection{Heading: fmt.Sprintf("%02d:05–%02d:40　%d 人", 8+g, 8+g, rows), Note: "京A12345 王师傅 13800000001"}
		for range rows {
			n++
			name := fmt.Sprintf("代表%03d", n)
			if n <= len(hardNames) {
				name = hardNames[n-1]
			}
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(n), name, "北湖县人民政府", "CA1234", "08:05", "1", "京A12345"})
		}
		s.Sections = append(s.Sections, sec)
	}
	return s
}

// TestListPDF prints a list of sections across pages and reads it back: the
// title once, every section's heading (again, marked 续, where it runs on
// to the next page), the column heads on every page, every row, the hard
// names as written, page numbers with the total.
func TestListPDF(t *testing.T) {
	r := renderer(t)
	s := sampleList(5, 12)
	// The first section's note is too long to share the band: it takes a
	// line of its own, in type still readable.
	s.Sections[0].Note = "京B00001 周师傅 13700000001；京B00002 吴师傅 13700000002；京B00003 郑师傅 13700000003"
	var pdf bytes.Buffer
	pages, err := r.ListPDF(&pdf, s)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, "list.pdf", pdf.Bytes())
	info := pdfInfo(t, pdf.Bytes())
	if pages < 2 || !strings.Contains(info, fmt.Sprintf("Pages: %d", pages)) || !strings.Contains(info, "595.276 x 841.89") {
		t.Fatalf("%d pages:\n%s", pages, info)
	}
	text := strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), "")
	for _, w := range append([]string{"首都机场接站一览表", "代表060", "京A12345王师傅13800000001",
		fmt.Sprintf("第%d页共%d页", pages, pages), "（续）"}, hardNames...) {
		if !strings.Contains(text, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("the list lacks %q", w)
		}
	}
	if n := strings.Count(text, "首都机场接站一览表"); n != 1 {
		t.Errorf("title printed %d times", n)
	}
	words := pdftest.Words(t, pdf.Bytes())
	headed := map[int]bool{}
	for _, w := range pdftest.Find(words, "航班/车次") {
		headed[w.Page] = true
	}
	if len(headed) != pages {
		t.Errorf("column heads on %d of %d pages", len(headed), pages)
	}
	for g := range 5 {
		if !strings.Contains(text, fmt.Sprintf("%02d:05–%02d:40", 8+g, 8+g)) {
			t.Errorf("section %d's heading missing", g)
		}
	}
	var heading, note pdftest.Word
	for _, w := range words {
		if strings.HasPrefix(w.Text, "08:05") && heading.Text == "" {
			heading = w
		}
	}
	if found := pdftest.Find(words, "郑师傅"); len(found) == 1 {
		note = found[0]
	}
	if note.Text == "" || heading.Text == "" || note.YMin < heading.YMax || note.SizeMM() < 6*25.4/72*0.99 {
		t.Errorf("a long note should go under its heading, readable: heading %v, note %v", heading, note)
	}
	// Every row is on paper once, and none runs into the page number.
	for i := range 60 {
		if n := len(pdftest.Find(words, fmt.Sprintf("代表%03d", i+1))); i >= len(hardNames) && n != 1 {
			t.Errorf("代表%03d printed %d times", i+1, n)
		}
	}
	for _, w := range words {
		if _, y0, _, y1 := w.MM(); y1 > a4H-listFoot+1 && y0 < a4H-14 {
			t.Errorf("%v runs into the foot of the page", w)
		}
	}
}

// TestListPDFLandscapeAndEmpty: a landscape list is 297 mm wide; a section
// without rows says so; characters no font has are refused before
// printing.
func TestListPDFLandscapeAndEmpty(t *testing.T) {
	r := renderer(t)
	s := sampleList(1, 0)
	s.Landscape = true
	var pdf bytes.Buffer
	if _, err := r.ListPDF(&pdf, s); err != nil {
		t.Fatal(err)
	}
	if info := pdfInfo(t, pdf.Bytes()); !strings.Contains(info, "841.89 x 595.276") {
		t.Errorf("not landscape:\n%s", info)
	}
	if text := pdfText(t, pdf.Bytes()); !strings.Contains(text, "（无）") {
		t.Errorf("an empty section does not say so:\n%s", text)
	}
	bad := sampleList(1, 1)
	bad.Sections[0].Rows[0][1] = "王\U000F0000"
	var mg *MissingGlyphsError
	if _, err := r.ListPDF(&bytes.Buffer{}, bad); !errors.As(err, &mg) {
		t.Errorf("a character no font has: %v", err)
	}
}
