package chart

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"huiwu/badge/render/pdftest"
)

// TestBanquetPaper: a hall of 30 tables of ten prints on A4 or A3 with
// every guest's name at 7 pt or more (a minority name wrapped at its ·),
// every table on some page once, the main table first, and each page
// says the honour side and where the entrance is.
func TestBanquetPaper(t *testing.T) {
	var tables []BanquetTable
	k := 0
	for i := 1; i <= 30; i++ {
		tb := BanquetTable{Number: i, Seats: 10}
		for range 10 {
			tb.Guests = append(tb.Guests, hallNames[k%len(hallNames)])
			k++
		}
		tables = append(tables, tb)
	}
	for _, tc := range []struct {
		paper Paper
		w, h  float64
	}{{A4, 297, 210}, {A3, 420, 297}} {
		t.Run(string(tc.paper), func(t *testing.T) {
			var b bytes.Buffer
			if err := (Banquet{Event: "测试会议", Title: "欢迎宴会 · 一号餐厅", Paper: tc.paper, Tables: tables}).Write(&b); err != nil {
				t.Fatal(err)
			}
			pdftest.Shot(t, filepath.Join("seating", "banquet-"+string(tc.paper)+".pdf"), b.Bytes())
			pages := pagesOf(t, b.Bytes())
			for n := 1; n <= pages; n++ {
				if w, h := pageSizeMM(t, b.Bytes(), n); abs(w-tc.w) > 1 || abs(h-tc.h) > 1 {
					t.Fatalf("page %d is %.0f×%.0f mm, want %.0f×%.0f", n, w, h, tc.w, tc.h)
				}
			}
			words := pdftest.Words(t, b.Bytes())
			byPage := map[int][]pdftest.Word{}
			seen := map[string]int{}
			numbers := map[string]int{}
			for _, w := range words {
				byPage[w.Page] = append(byPage[w.Page], w)
				pt := w.SizeMM() * ptPerMM
				switch {
				case isName(w.Text):
					seen[w.Text]++
					if pt < 7-0.05 {
						t.Errorf("page %d: %q at %.1f pt", w.Page, w.Text, pt)
					}
				case isNumber(w.Text) && pt >= 12:
					numbers[w.Text]++
				case w.Text == "阿卜杜拉·" || w.Text == "买买提":
					if pt < 7-0.05 {
						t.Errorf("page %d: %q at %.1f pt", w.Page, w.Text, pt)
					}
				}
			}
			want := map[string]int{}
			for _, tb := range tables {
				for _, g := range tb.Guests {
					if isName(g) {
						want[g]++
					}
				}
			}
			for g, n := range want {
				if seen[g] != n {
					t.Errorf("%s at %d places, printed %d times", g, n, seen[g])
				}
			}
			for i := 2; i <= 30; i++ { // table 1 is 主桌, drawn with that word
				if numbers[fmt.Sprint(i)] != 1 {
					t.Errorf("table %d drawn %d times", i, numbers[fmt.Sprint(i)])
				}
			}
			for n := 1; n <= pages; n++ {
				text := joined(byPage[n])
				for _, want := range []string{"以右为尊", "入口"} {
					if !strings.Contains(text, want) {
						t.Errorf("page %d lacks %q", n, want)
					}
				}
			}
			if !strings.Contains(joined(byPage[1]), "主桌") {
				t.Error("the main table is not on page 1")
			}
			t.Logf("%s: %d page(s)", tc.paper, pages)
		})
	}
}
