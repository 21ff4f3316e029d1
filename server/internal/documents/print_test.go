package documents

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"huiwu/badge/render/pdftest"
	"huiwu/kiosk/scanner"
	"huiwu/server/internal/store"
)

var testDoc = store.Document{ID: 7, Title: "关于2027年度重点工作安排的意见（征求意见稿）", Number: "会秘〔2026〕3号",
	Classification: "机密", Copies: 3}

// TestCoversPDF: one A4 page a copy, saying title, 文号, 密级 and 第 N 份 /
// 共 M 份, and each page's QR reads back as that copy's code.
func TestCoversPDF(t *testing.T) {
	var buf bytes.Buffer
	pages, err := CoversPDF(&buf, testKey, "全市重点工作推进会", testDoc, nil)
	if err != nil || pages != 3 {
		t.Fatalf("%d pages, %v", pages, err)
	}
	pdftest.Shot(t, "documents/covers.pdf", buf.Bytes())
	// pdftotext drops the spaces between CJK characters.
	text := pdftest.Text(t, buf.Bytes())
	flat := strings.ReplaceAll(text, " ", "")
	for _, want := range []string{"第1份", "第3份", "共3份", "会秘〔2026〕3号", "机密★", "全市重点工作推进会", "关于2027年度", Sign(testKey, Code{7, 2})} {
		if !strings.Contains(flat, want) {
			t.Errorf("covers lack %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "\f"); n != 3 {
		t.Errorf("%d pages in the text", n)
	}
	got, err := scanner.Decode(pdftest.Raster(t, buf.Bytes(), 2, 100))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := Parse(testKey, got); err != nil || c != (Code{7, 2}) {
		t.Fatalf("page 2's QR %q: %v %v", got, c, err)
	}
}

// TestReportSheet: the outstanding copies come first, then every link of
// every copy's chain, a return by someone else marked 代还 with its reason.
func TestReportSheet(t *testing.T) {
	zhang := store.DocPerson{ID: 1, Name: "张伟", Organization: "市发改委"}
	li := store.DocPerson{ID: 2, Name: "李娜", Organization: "市财政局"}
	at := time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC)
	d := testDoc
	d.Issued, d.Returned, d.Out = 2, 1, 1
	chains := []store.DocumentChain{{Document: d,
		Copies: []store.DocumentCopy{{Copy: 1, State: "in"}, {Copy: 2, State: "out", Holder: &li}, {Copy: 3, State: "in"}},
		Events: []store.CopyEvent{
			{Copy: 1, Kind: "issue", Holder: zhang, Place: "报到处", Actor: "王秘书", At: at},
			{Copy: 1, Kind: "return", Holder: zhang, By: &li, Reason: "张伟提前离会，委托李娜交回", Place: "报到处", Actor: "王秘书", At: at.Add(time.Hour)},
			{Copy: 2, Kind: "issue", Holder: li, Place: "第一会议室", Actor: "王秘书", At: at},
		}}}
	s := Report("全市重点工作推进会", chains, time.FixedZone("CST", 8*3600), "2026-03-05 18:00")
	if s.Sections[0].Note != "1 份未清退" || !strings.Contains(s.Sections[0].Heading, "会秘〔2026〕3号") || len(s.Sections[0].Rows) != 1 ||
		s.Sections[0].Rows[0][0] != "2" || s.Sections[0].Rows[0][2] != "李娜" {
		t.Fatalf("outstanding: %+v", s.Sections[0])
	}
	rows := s.Sections[1].Rows
	if len(rows) != 3 || rows[1][1] != "代还" || rows[1][4] != "李娜" || rows[1][8] == "" || rows[0][5] != "03-05 09:00" {
		t.Fatalf("chain rows: %v", rows)
	}
	// All back: one line that says so.
	chains[0].Copies[1].State = "in"
	if s := Report("会", chains, time.UTC, ""); s.Sections[0].Note != "全部清退" || len(s.Sections[0].Rows) != 0 {
		t.Fatalf("all back: %+v", s.Sections[0])
	}
}
