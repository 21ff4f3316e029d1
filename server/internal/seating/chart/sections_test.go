package chart

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/domain"
)

// hall is a hall as the demo's and the benchmark's are laid out: two
// presidium rows of 15 and 17 on the stage, then rows of sections A, B and
// C (widths a, b, c seats) with aisles between them, 0.56 m across and
// 0.95 m between rows, every seat named in turn from names.
func hall(rows, a, b, c int, names []string) []Seat {
	var out []Seat
	i := 0
	name := func() string { i++; return names[(i-1)%len(names)] }
	for r, n := range []int{15, 17} {
		for k := range n {
			out = append(out, Seat{Seat: domain.Seat{Label: fmt.Sprintf("P-%d-%02d", r+1, k+1), Section: "presidium", Row: r + 1, Number: k + 1,
				Kind: "presidium", X: float64(a+b+c)*0.28 + (float64(2*k-(n-1)))*0.6, Y: -3 + 1.2*float64(r)}, Name: name()})
		}
	}
	for r := 1; r <= rows; r++ {
		x := 1.0
		for _, sec := range []struct {
			code string
			n    int
		}{{"A", a}, {"B", b}, {"C", c}} {
			for k := range sec.n {
				out = append(out, Seat{Seat: domain.Seat{Label: fmt.Sprintf("%s-%d-%d", sec.code, r, k+1), Section: sec.code, Row: r, Number: k + 1,
					Kind: "normal", X: x + float64(k)*0.56, Y: float64(r) * 0.95}, Name: name()})
			}
			x += float64(sec.n)*0.56 + 1.2
		}
	}
	return out
}

// hallNames mixes what a hall holds: two- and three-character names, a
// four-character one, minority names with a middle dot, a Western name.
var hallNames = []string{"王建国", "李秀英", "张伟", "欧阳娜娜", "刘洋帆", "阿卜杜拉·买买提", "陈静怡", "扎西·次仁",
	"杨光明", "Anna Müller", "赵丽华", "黄海涛", "司马相如", "热依拉·艾买提", "孙磊", "周芳"}

// pagesOf is the number of pages of a PDF.
func pagesOf(t *testing.T, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(pdftest.Run(t, pdf, "pdfinfo", "IN"))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageSizeMM is the size of page n (from 1) in mm.
func pageSizeMM(t *testing.T, pdf []byte, n int) (float64, float64) {
	t.Helper()
	out := pdftest.Run(t, pdf, "pdfinfo", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "IN")
	m := regexp.MustCompile(`Page\s+\d+ size:\s+([0-9.]+) x ([0-9.]+) pts`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no size for page %d:\n%s", n, out)
	}
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	h, _ := strconv.ParseFloat(string(m[2]), 64)
	return w / ptPerMM, h / ptPerMM
}

// TestLargeHallsPrintInSections: the demo's 782-seat hall and the
// benchmark's 3,032-seat one print as an overview page and then pages of
// sections or blocks of rows, on A4 or A3, where every name prints at 7 pt
// or more (a four-character name too, a minority name wrapped at its ·),
// every seat number at 6 pt or more, every page says its view, has the
// stage and numbers its rows, and every person is on a section page.
func TestLargeHallsPrintInSections(t *testing.T) {
	const namePt, numberPt = 7.0, 6.0
	for _, tc := range []struct {
		name  string
		seats []Seat
		paper Paper
		w, h  float64
	}{
		{"demo-a4", hall(23, 8, 16, 8, hallNames), A4, 297, 210},
		{"demo-a3", hall(23, 8, 16, 8, hallNames), A3, 420, 297},
		{"big-a4", hall(60, 17, 17, 16, hallNames), A4, 297, 210},
		{"presidium-view", hall(23, 8, 16, 8, hallNames), A4, 297, 210},
	} {
		t.Run(tc.name, func(t *testing.T) {
			view := Audience
			if tc.name == "presidium-view" {
				view = Presidium
			}
			var b bytes.Buffer
			if err := (Chart{Event: "测试会议", Session: "开幕大会", View: view, Paper: tc.paper, Seats: tc.seats,
				Printed: "2026-12-02 09:00"}).Write(&b); err != nil {
				t.Fatal(err)
			}
			pdftest.Shot(t, filepath.Join("seating", "hall-"+tc.name+".pdf"), b.Bytes())
			pages := pagesOf(t, b.Bytes())
			if pages < 3 {
				t.Fatalf("%d seats on %d pages: want an overview and section pages", len(tc.seats), pages)
			}
			for n := 1; n <= pages; n++ {
				if w, h := pageSizeMM(t, b.Bytes(), n); abs(w-tc.w) > 1 || abs(h-tc.h) > 1 {
					t.Fatalf("page %d is %.0f×%.0f mm, want %.0f×%.0f", n, w, h, tc.w, tc.h)
				}
			}
			words := pdftest.Words(t, b.Bytes())
			byPage := map[int][]pdftest.Word{}
			for _, w := range words {
				byPage[w.Page] = append(byPage[w.Page], w)
			}
			viewWord := map[View]string{Audience: "观众视角", Presidium: "主席台视角"}[view]
			if text := joined(byPage[1]); !strings.Contains(text, "总览") || !strings.Contains(text, viewWord) {
				t.Errorf("page 1 is not the overview in %s: %.200s", viewWord, text)
			}
			named := map[string]int{} // ordinary names on section pages
			for n := 2; n <= pages; n++ {
				text := joined(byPage[n])
				for _, want := range []string{viewWord, "舞台", "排", fmt.Sprintf("第 %d 页", n)} {
					if !strings.Contains(text, want) {
						t.Errorf("page %d lacks %q", n, want)
					}
				}
				for _, w := range byPage[n] {
					_, y0, _, _ := w.MM()
					if y0 < 32 || y0 > tc.h-14 { // the heading and the footer
						continue
					}
					pt := w.SizeMM() * ptPerMM
					switch {
					case isNumber(w.Text):
						if pt < numberPt-0.05 {
							t.Errorf("page %d: seat number %s at %.1f pt", n, w.Text, pt)
						}
					case isName(w.Text):
						if pt < namePt-0.05 {
							t.Errorf("page %d: name %q at %.1f pt", n, w.Text, pt)
						}
						named[w.Text]++
					}
				}
			}
			want := map[string]int{}
			for _, s := range tc.seats {
				if isName(s.Name) {
					want[s.Name]++
				}
			}
			for name, n := range want {
				if named[name] != n {
					t.Errorf("%s sits in %d seats, is on section pages %d times", name, n, named[name])
				}
			}
		})
	}
}

// isName is an ordinary name of hallNames: one word to pdftotext, never
// wrapped.
func isName(s string) bool {
	switch s {
	case "王建国", "李秀英", "张伟", "欧阳娜娜", "刘洋帆", "陈静怡", "杨光明", "赵丽华", "黄海涛", "司马相如", "孙磊", "周芳":
		return true
	}
	return false
}

func joined(ws []pdftest.Word) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.Text)
		b.WriteByte(' ')
	}
	return b.String()
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
