package render

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"huiwu/badge/render/pdftest"
)

func TestSignInSheet(t *testing.T) {
	r := renderer(t)
	s := &SignInSheet{Event: "云江省第十四届人民代表大会第三次会议", Session: "第一次全体会议", Venue: "云江会堂",
		When: "2026年11月26日 09:00", Expected: 60, Present: 55, OnLeave: 3, Absent: 2, Printed: "2026-11-26 10:00"}
	for i := range 60 {
		row := SignInRow{Name: fmt.Sprintf("代表%02d", i+1), Title: "代表", Organization: "北湖县人民政府", Time: "08:41"}
		if i < len(hardNames) {
			row.Name = hardNames[i]
		}
		if i == 10 {
			row.Time, row.Note = "", "请假"
		}
		s.Rows = append(s.Rows, row)
	}
	var pdf bytes.Buffer
	pages, err := r.SignInPDF(&pdf, s)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, "signin.pdf", pdf.Bytes())
	info := pdfInfo(t, pdf.Bytes())
	if pages != 3 || !strings.Contains(info, "Pages: 3") || !strings.Contains(info, "595.276 x 841.89") {
		t.Errorf("%d pages:\n%s", pages, info)
	}
	// pdftotext decides spaces by distance, so compare without them.
	text := strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), "")
	want := append([]string{"第一次全体会议签到表", "序号", "姓名", "代表团", "职务", "单位", "签名", "签到时间", "备注",
		"应到 60 人", "实到 55 人", "请假 3 人", "缺席 2 人", "代表60", "第 3 页"}, hardNames...)
	for _, w := range want {
		if !strings.Contains(text, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("签到表 lacks %q", w)
		}
	}
	if strings.Count(text, "应到") != 1 {
		t.Error("the totals should print once, on the last page")
	}
}

// TestSignInSheetSignatureColumn prints a 签到表 and measures it as paper:
// a 代表团 column holding each row's delegation, and an empty 签名 cell
// between its printed rules at least 40 mm wide and 10 mm tall. Forty
// millimetres takes a three-character name signed at a natural 10–12 mm a
// character with room at both rules; a minority or foreign signature,
// longer, is written smaller or joined up and still fits.
func TestSignInSheetSignatureColumn(t *testing.T) {
	total := 0.0
	for _, c := range signInCols {
		total += c.w
	}
	if math.Abs(total-signInWidth) > 0.01 {
		t.Errorf("the columns add up to %.1f mm, the table is %.1f", total, signInWidth)
	}
	r := renderer(t)
	s := &SignInSheet{Event: "云江省第十四届人民代表大会第三次会议", Session: "第一次全体会议", Venue: "云江会堂",
		When: "2026年11月26日 09:00", Expected: 3, Present: 1, OnLeave: 1, Absent: 1}
	s.Rows = []SignInRow{
		{Name: "阿卜杜拉·买买提", Delegation: "白鹭代表团", Title: "董事长", Organization: "白鹭盛华科技有限公司", Time: "08:41"},
		{Name: "刘䶮", Delegation: "北湖代表团", Title: "副主任", Organization: "云江省人民代表大会常务委员会", Note: "请假"},
		{Name: "Anna Müller", Title: "顾问", Organization: "Müller GmbH"},
	}
	var pdf bytes.Buffer
	if _, err := r.SignInPDF(&pdf, s); err != nil {
		t.Fatal(err)
	}
	pdftest.Shot(t, "signin-columns.pdf", pdf.Bytes())
	words := pdftest.Words(t, pdf.Bytes())
	for _, w := range []string{"代表团", "签名", "白鹭代表团", "北湖代表团"} {
		if len(pdftest.Find(words, w)) == 0 {
			t.Errorf("the sheet lacks %q", w)
		}
	}
	head, row := pdftest.Find(words, "签名"), pdftest.Find(words, "刘䶮")
	if len(head) == 0 || len(row) == 0 {
		t.Fatal("no 签名 heading or no row for 刘䶮")
	}
	// Walk out from the middle of 刘䶮's 签名 cell to the rules around it.
	const dpi = 200
	img := pdftest.Raster(t, pdf.Bytes(), 1, dpi)
	px := func(pt float64) int { return int(pt / 72 * dpi) }
	cx, cy := px((head[0].XMin+head[0].XMax)/2), px((row[0].YMin+row[0].YMax)/2)
	edge := func(dx, dy int) int {
		x, y := cx, cy
		for n := 0; n < 2000 && !pdftest.Dark(img, x, y); n++ {
			x, y = x+dx, y+dy
		}
		return x + y - cx - cy
	}
	mm := func(pixels int) float64 { return float64(pixels) / dpi * 25.4 }
	w, h := mm(edge(1, 0)-edge(-1, 0)), mm(edge(0, 1)-edge(0, -1))
	if w < 40 || h < 9.8 {
		t.Errorf("签名 cell %.1f × %.1f mm between its rules, want at least 40 × 10 mm to sign in", w, h)
	}
}

func TestSlips(t *testing.T) {
	r := renderer(t)
	s := &Slips{Event: "云江省第十四届人民代表大会第三次会议", Name: "阿卜杜拉·买买提", Token: token(t, 9), Serial: 9,
		Room: &RoomSlip{Hotel: "云江宾馆", Room: "1208", CheckIn: "2026-11-25", CheckOut: "2026-11-29"}}
	for d := range 4 {
		for _, slot := range []string{"breakfast", "lunch", "dinner"} {
			s.Meals = append(s.Meals, MealStub{Date: fmt.Sprintf("2026-11-%d", 26+d), Slot: slot, Name: "工作餐",
				Hall: "第一餐厅", Table: 12, Diet: "清真"})
		}
	}
	var pdf bytes.Buffer
	pages, err := r.SlipsPDF(&pdf, s)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, "slips.pdf", pdf.Bytes())
	if pages != 2 { // 12 meals and a room slip, ten to a sheet
		t.Errorf("%d pages, want 2", pages)
	}
	text := pdfText(t, pdf.Bytes())
	for _, w := range []string{"11月26日（周四） 早", "11月29日（周日） 晚", "桌号：12", "清真", "第一餐厅", "房间 1208", "云江宾馆", "阿卜杜拉·买买提"} {
		if !strings.Contains(text, w) {
			t.Errorf("slips lack %q:\n%s", w, text)
		}
	}
	if n := strings.Count(text, "阿卜杜拉·买买提"); n != 13 {
		t.Errorf("name on %d slips, want 13", n)
	}
}
