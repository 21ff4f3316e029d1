package chart

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/domain"
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

// pdfText extracts a PDF's text in reading order (pdftotext -layout) and
// keeps the PDF for a person to look at when HUIWU_SHOTS is set.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	pdftest.Shot(t, filepath.Join("seating", strings.ReplaceAll(t.Name(), "/", "-")+".pdf"), pdf)
	return pdftest.Text(t, pdf, "-layout")
}

var stage = []Seat{
	{Seat: domain.Seat{Label: "P-1-01", Section: "presidium", Row: 1, Number: 1, Kind: "presidium", X: 0, Y: 0}, Name: "刘䶮"},
	{Seat: domain.Seat{Label: "P-1-02", Section: "presidium", Row: 1, Number: 2, Kind: "presidium", X: 1, Y: 0}, Name: "王喆"},
	{Seat: domain.Seat{Label: "P-1-03", Section: "presidium", Row: 1, Number: 3, Kind: "presidium", X: 2, Y: 0}, Name: "𠮷田"},
	{Seat: domain.Seat{Label: "B-1-1", Section: "B", Row: 1, Number: 1, Kind: "normal", X: 1, Y: 3}, Name: "阿卜杜拉·买买提"},
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
			// The floor name is wrapped at its dot rather than shrunk.
			if !strings.Contains(text, tt.label) || !strings.Contains(text, "阿卜杜拉·\n") || !strings.Contains(text, "买买提") {
				t.Fatalf("text lacks %s or the floor name on two lines:\n%s", tt.label, text)
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
	// Each name twice: once on each face of the folded card. (刘䶮 is
	// spaced as a two-character name: two words to pdftotext.)
	words := pdftest.Words(t, b.Bytes())
	for _, n := range []string{"刘", "䶮", "𠮷田健一"} {
		if c := len(pdftest.Find(words, n)); c != 2 {
			t.Errorf("%s printed %d times:\n%s", n, c, text)
		}
	}
	if strings.Count(text, "\f") < 2 {
		t.Errorf("want one page per card")
	}
	// Printed at their size: a card scaled to fit no longer folds to its stand.
	if !bytes.Contains(b.Bytes(), []byte("/ViewerPreferences << /PrintScaling /None >>")) {
		t.Error("the name cards do not ask viewers not to scale them")
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

// section is a block of rows × seats as a hall's section is laid out
// (0.56 m apart across, 0.95 m between rows), every seat named from names
// in turn and then the given seats' names put in.
func section(rows, seats int, names []string, at map[[2]int]string) []Seat {
	var out []Seat
	i := 0
	for r := 1; r <= rows; r++ {
		for n := 1; n <= seats; n++ {
			s := Seat{Seat: domain.Seat{Label: fmt.Sprintf("A-%d-%d", r, n), Section: "A", Row: r, Number: n, Kind: "normal",
				X: float64(n) * 0.56, Y: float64(r) * 0.95}, Name: names[i%len(names)]}
			if name, ok := at[[2]int{r, n}]; ok {
				s.Name = name
			}
			out = append(out, s)
			i++
		}
	}
	return out
}

var ordinary = []string{"王建国", "李秀英", "张志强", "刘洋帆", "陈静怡", "杨光明", "赵丽华", "黄海涛"}

// nameSizes are the type sizes (mm) of the words printed inside the seat
// boxes, by text.
func nameSizes(t *testing.T, pdf []byte) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	for _, w := range pdftest.Words(t, pdf) {
		if _, y0, _, _ := w.MM(); y0 > 35 && y0 < 195 { // between the heading and the footer
			out[w.Text] = append(out[w.Text], w.SizeMM())
		}
	}
	return out
}

// A section where ordinary names print about 4–5 mm: the two demo minority
// names wrap at their · onto two lines instead of shrinking to a third of
// their neighbours; 扎西·次仁 then needs no shrinking at all, and nothing is
// under 2.5 mm.
func TestLongNamesWrapBeforeShrinking(t *testing.T) {
	seats := section(2, 16, ordinary, map[[2]int]string{{1, 5}: "阿卜杜拉·买买提", {2, 10}: "扎西·次仁"})
	var b bytes.Buffer
	if err := (Chart{Event: "测试会议", Session: "开幕大会", View: Audience, Seats: seats}).Write(&b); err != nil {
		t.Fatal(err)
	}
	pdftest.Shot(t, "seating/wrap-section.pdf", b.Bytes())
	sizes := nameSizes(t, b.Bytes())
	var ord []float64
	for _, n := range ordinary {
		ord = append(ord, sizes[n]...)
	}
	s := pdftest.Median(ord)
	if s < 3.5 {
		t.Fatalf("ordinary names print %.2f mm: the test wants a section where they are about 4 mm", s)
	}
	for _, tc := range []struct {
		lines []string
		min   float64
	}{
		{[]string{"阿卜杜拉·", "买买提"}, 2.5},
		{[]string{"扎西·", "次仁"}, s * 0.97},
	} {
		for _, l := range tc.lines {
			if len(sizes[l]) != 1 {
				t.Errorf("%q printed %d times as a line of its own, want once", l, len(sizes[l]))
				continue
			}
			if sizes[l][0] < tc.min {
				t.Errorf("%q prints %.2f mm beside %.2f mm names, want at least %.2f", l, sizes[l][0], s, tc.min)
			}
		}
	}
	for text, ss := range sizes {
		for _, z := range ss {
			if z < MinNameMM-0.01 && !isNumber(text) {
				t.Errorf("%q prints %.2f mm, under the %.1f mm floor", text, z, MinNameMM)
			}
		}
	}
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// The fitting that 座次图 pages use for every name: one line at the
// preferred size, else two lines split at a · (or a space), else smaller,
// and a report when even the 2.5 mm floor does not fit.
func TestNameFit(t *testing.T) {
	d, err := newDoc("fit")
	if err != nil {
		t.Fatal(err)
	}
	const em = 14.0 // pt
	emMM := em / ptPerMM
	for _, tc := range []struct {
		name  string
		w, h  float64 // mm
		lines []string
		size  float64 // pt; 0 for "smaller than em"
		fits  bool
	}{
		{"王建国", 3.2 * emMM, 2.5 * emMM, []string{"王建国"}, em, true},
		// Wrapped at the dot, at the full size.
		{"扎西·次仁", 3.2 * emMM, 2.5 * emMM, []string{"扎西·", "次仁"}, em, true},
		// No room for two lines: one line, shrunk.
		{"扎西·次仁", 3.2 * emMM, 1.2 * emMM, []string{"扎西·次仁"}, 0, true},
		// The split that leaves the shorter longest line.
		{"努尔麦麦提·阿卜杜热合曼·艾力·买买提明", 12 * emMM, 2.5 * emMM, []string{"努尔麦麦提·阿卜杜热合曼·", "艾力·买买提明"}, 0, true},
		// A name without a break never splits in the middle of a word.
		{"欧阳娜娜娜娜", 3.2 * emMM, 2.5 * emMM, []string{"欧阳娜娜娜娜"}, 0, true},
		{"Anna Müller", 3 * emMM, 2.5 * emMM, []string{"Anna", "Müller"}, em, true},
		// Under the floor: reported, and the size that does fit.
		{"努尔麦麦提·阿卜杜热合曼·艾力·买买提明", 20, 8, []string{"努尔麦麦提·阿卜杜热合曼·", "艾力·买买提明"}, 0, false},
	} {
		f := d.fitName(tc.name, tc.w, tc.h, em, false)
		if strings.Join(f.Lines, "|") != strings.Join(tc.lines, "|") || f.Fits != tc.fits ||
			tc.size > 0 && math.Abs(f.Size-tc.size) > 0.01 || tc.size == 0 && f.Size >= em {
			t.Errorf("%s in %.1f×%.1f mm: %+v, want lines %q, size %v, fits %v", tc.name, tc.w, tc.h, f, tc.lines, tc.size, tc.fits)
		}
		if !f.Fits && f.Size/ptPerMM >= MinNameMM {
			t.Errorf("%s: reported as not fitting at %.2f mm", tc.name, f.Size/ptPerMM)
		}
		for _, l := range f.Lines {
			if _, w := d.shape(l, f.Size, false); w > tc.w+0.01 {
				t.Errorf("%s: line %q %.1f mm wide in a %.1f mm box", tc.name, l, w, tc.w)
			}
		}
		if h := float64(len(f.Lines)-1)*lineStep*f.Size/ptPerMM + f.Size/ptPerMM; h > tc.h+0.01 {
			t.Errorf("%s: %d lines %.1f mm tall in a %.1f mm box", tc.name, len(f.Lines), h, tc.h)
		}
	}
}

// 桌签: a two-character Han name is printed with a full-width space between
// its characters (张　三), as is customary, so that it sits as wide as its
// three-character neighbours; nothing else is spaced.
func TestCardsSpaceTwoCharacterNames(t *testing.T) {
	names := []string{"张三", "王喆", "𠮷田", "欧阳娜", "欧阳明月", "Li Na", "Anna", "王　伟", "阿卜杜拉·买买提"}
	spaced := map[string]bool{"张三": true, "王喆": true, "𠮷田": true, "王　伟": true}
	var cards []Card
	for i, n := range names {
		cards = append(cards, Card{Name: n, Seat: fmt.Sprintf("P-1-%02d", i+1)})
	}
	var b bytes.Buffer
	if err := Cards(&b, "开幕大会", cards); err != nil {
		t.Fatal(err)
	}
	pdftest.Shot(t, "seating/cards-spacing.pdf", b.Bytes())
	byPage := map[int][]pdftest.Word{}
	for _, w := range pdftest.Words(t, b.Bytes()) {
		if w.SizeMM() > 15 { // the names, not the footer
			byPage[w.Page] = append(byPage[w.Page], w)
		}
	}
	for i, n := range names {
		words := byPage[i+1]
		// The widest gap between neighbouring words on one face, in ems.
		gap := 0.0
		for k := 1; k < len(words); k++ {
			a, c := words[k-1], words[k]
			if math.Abs(a.YMin-c.YMin) > 1 {
				continue // the other face
			}
			em := (a.YMax - a.YMin) / pdftest.EmBox
			g := math.Max(c.XMin-a.XMax, a.XMin-c.XMax) / em
			gap = math.Max(gap, g)
		}
		switch {
		case spaced[n] && (gap < 0.9 || gap > 1.1):
			t.Errorf("%s: the widest gap is %.2f em, want one full-width space (%v)", n, gap, words)
		case !spaced[n] && gap > 0.5:
			t.Errorf("%s: spaced out by %.2f em, want it as written (%v)", n, gap, words)
		}
	}
}
