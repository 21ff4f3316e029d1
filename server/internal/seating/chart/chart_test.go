package chart

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("text differs from %s (run with -update if the change is right):\n%s", p, got)
	}
}

// pdfText extracts a PDF's text in reading order with poppler's pdftotext
// (scripts/test installs poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "c.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if d := os.Getenv("HUIWU_SHOTS"); d != "" {
		_ = os.MkdirAll(filepath.Join(d, "seating"), 0o755)
		_ = os.WriteFile(filepath.Join(d, "seating", strings.ReplaceAll(t.Name(), "/", "-")+".pdf"), pdf, 0o644)
	}
	return string(out)
}

var stage = []Seat{
	{Label: "P-1-01", Section: "presidium", Row: 1, Number: 1, Kind: "presidium", X: 0, Y: 0, Name: "刘䶮"},
	{Label: "P-1-02", Section: "presidium", Row: 1, Number: 2, Kind: "presidium", X: 1, Y: 0, Name: "王喆"},
	{Label: "P-1-03", Section: "presidium", Row: 1, Number: 3, Kind: "presidium", X: 2, Y: 0, Name: "𠮷田"},
	{Label: "B-1-1", Section: "B", Row: 1, Number: 1, Kind: "normal", X: 1, Y: 3, Name: "阿卜杜拉·买买提"},
}

// The view is printed on the chart, and the presidium view is the mirror:
// the name on the audience's left is on the leaders' right.
func TestChartViews(t *testing.T) {
	for _, tt := range []struct {
		view  View
		label string
		order []string
	}{
		{Audience, "观众视角", []string{"刘䶮", "王喆", "𠮷田"}},
		{Presidium, "主席台视角", []string{"𠮷田", "王喆", "刘䶮"}},
	} {
		t.Run(string(tt.view), func(t *testing.T) {
			var b bytes.Buffer
			if err := (Chart{Event: "测试会议", Session: "开幕大会", View: tt.view, Seats: stage}).Write(&b); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, b.Bytes())
			if !strings.Contains(text, tt.label) || !strings.Contains(text, "阿卜杜拉·买买提") {
				t.Fatalf("text lacks %s or the floor name:\n%s", tt.label, text)
			}
			golden(t, "chart-"+string(tt.view)+".txt", text)
			i0, i1, i2 := strings.Index(text, tt.order[0]), strings.Index(text, tt.order[1]), strings.Index(text, tt.order[2])
			if i0 < 0 || !(i0 < i1 && i1 < i2) {
				t.Errorf("presidium names out of order (want %v):\n%s", tt.order, text)
			}
		})
	}
}

func TestCards(t *testing.T) {
	var b bytes.Buffer
	if err := Cards(&b, "开幕大会", []Card{{Name: "刘䶮", Seat: "P-1-08"}, {Name: "𠮷田健一", Seat: "P-1-09"}}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	// Each name twice: once on each face of the folded card.
	for _, n := range []string{"刘䶮", "𠮷田健一"} {
		if c := strings.Count(text, n); c != 2 {
			t.Errorf("%s printed %d times:\n%s", n, c, text)
		}
	}
	if strings.Count(text, "\f") < 2 {
		t.Errorf("want one page per card")
	}
}

// The banquet plan numbers every table and names the main table's host.
func TestBanquetPlan(t *testing.T) {
	var tables []BanquetTable
	for i := 1; i <= 12; i++ {
		tables = append(tables, BanquetTable{Number: i, Seats: 10, Guests: []string{fmt.Sprintf("主%d", i), fmt.Sprintf("宾%d", i)}})
	}
	var b bytes.Buffer
	if err := (Banquet{Event: "测试会议", Title: "欢迎宴会", Honour: "right", Tables: tables}).Write(&b); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	for _, want := range []string{"欢迎宴会 桌次图", "主桌", "主1", "宾1", "以右为尊", "12", "宾12"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan lacks %q", want)
		}
	}
}
