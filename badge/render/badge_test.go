package render

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huiwu/badge/render/pdftest"
	"huiwu/kiosk/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestHardNamesExtractExactly(t *testing.T) {
	r := renderer(t)
	for _, name := range hardNames {
		t.Run(name, func(t *testing.T) {
			var pdf bytes.Buffer
			if err := r.BadgePDF(&pdf, sampleBadge(t, name), Options{}); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf.Bytes())
			if !strings.Contains(text, name) {
				t.Errorf("pdftotext lacks %q (%+q):\n%s", name, name, text)
			}
		})
	}
}

func TestMiddleDotLookalikesNormalised(t *testing.T) {
	r := renderer(t)
	var pdf bytes.Buffer
	if err := r.BadgePDF(&pdf, sampleBadge(t, "阿卜杜拉・买买提"), Options{}); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, pdf.Bytes()); !strings.Contains(text, "阿卜杜拉·买买提") {
		t.Errorf("katakana middle dot not printed as U+00B7:\n%s", text)
	}
}

func TestMissingGlyphIsReported(t *testing.T) {
	r := renderer(t)
	// U+13000 (Egyptian hieroglyph) and U+2A6DF-adjacent Ext B gaps are in
	// no shipped font; the desk must hear about it before printing.
	b := sampleBadge(t, "王\U00013000明")
	err := r.BadgePDF(&bytes.Buffer{}, b, Options{})
	var mg *MissingGlyphsError
	if !errors.As(err, &mg) {
		t.Fatalf("err = %v, want *MissingGlyphsError", err)
	}
	if mg.Field != "name" || len(mg.Runes) != 1 || mg.Runes[0] != 0x13000 {
		t.Errorf("got %+v", mg)
	}
	if !strings.Contains(mg.Error(), "U+13000") {
		t.Errorf("message %q does not name the code point", mg.Error())
	}
	if _, err := r.BadgeImage(b, Options{}); !errors.As(err, &mg) {
		t.Errorf("PNG: err = %v, want *MissingGlyphsError", err)
	}
}

func TestDemoNamesHaveGlyphs(t *testing.T) {
	// The demo's named people (data/demo/special_names.txt) and a sample of
	// the generated surnames and given names.
	for _, f := range []string{"special_names.txt", "surnames.txt", "given_male.txt", "given_female.txt", "delegations.txt", "event.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "data", "demo", f))
		if err != nil {
			t.Fatal(err)
		}
		missing, err := Missing(string(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s: no font has %s", f, FormatRunes(missing))
		}
	}
}

func TestPNGQRDecodesToToken(t *testing.T) {
	r := renderer(t)
	for _, size := range r.Templates().Sizes() { // the photo variants too
		b := sampleBadge(t, "𠮷田健一")
		var buf bytes.Buffer
		if err := r.BadgePNG(&buf, b, Options{Size: size}); err != nil {
			t.Fatal(err)
		}
		shot(t, "badge-"+size+".png", buf.Bytes())
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scanner.Decode(img)
		if err != nil || got != b.Token {
			t.Errorf("%s: decoded %q, %v; want the token %q", size, got, err, b.Token)
		}
	}
}

func TestQRNeverUnder20mm(t *testing.T) {
	tpl, err := ParseTemplates([]byte(`{"layouts":{"x":{"width":60,"height":40,"name":{"x":1,"baseline":10,"w":30,"size":10},"qr":{"x":35,"y":5,"size":22}}}}`))
	if err == nil {
		t.Fatalf("a 22 mm QR square (about 18 mm of code) was accepted: %v", tpl)
	}
	r := renderer(t)
	l, _ := r.Templates().Layout("cr80", "")
	if _, err := l.Scaled(60, 38); err == nil {
		t.Error("a custom card too small for a 20 mm code was accepted")
	}
}

// TestGoldenLayouts pins each size's text and page size; run with -update
// after a deliberate layout change and review the diff.
func TestGoldenLayouts(t *testing.T) {
	r := renderer(t)
	cases := []struct {
		name string
		o    Options
		cat  string
	}{
		{"cr80", Options{Size: "cr80"}, "deputy"},
		{"cr80-staff", Options{Size: "cr80"}, "staff"},
		{"a7", Options{Size: "a7"}, "deputy"},
		{"a6", Options{Size: "a6"}, "deputy"},
		{"lanyard", Options{Size: "lanyard"}, "deputy"},
		{"custom-90x60", Options{Size: "cr80", Width: 90, Height: 60}, "deputy"},
		{"cr80-photo", Options{Size: "cr80-photo"}, "deputy"}, // no photo: the frame's 照片 / Photo
		{"a6-photo", Options{Size: "a6-photo"}, "deputy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := sampleBadge(t, "阿卜杜拉·买买提")
			b.Category = c.cat
			var pdf bytes.Buffer
			if err := r.BadgePDF(&pdf, b, c.o); err != nil {
				t.Fatal(err)
			}
			got := pdfInfo(t, pdf.Bytes()) + "\n---\n" + strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), "\n") + "\n"
			golden := filepath.Join("testdata", "golden", c.name+".txt")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", c.name, golden, got)
			}
		})
	}
}

func TestSheetNUp(t *testing.T) {
	r := renderer(t)
	cases := []struct {
		size         string
		n, perPage   int
		wantPageSize string
	}{
		{"cr80", 20, 9, "841.89 x 595.276"},
		{"a7", 5, 4, "841.89 x 595.276"},
		{"a6", 3, 2, "841.89 x 595.276"},
		{"lanyard", 2, 2, "841.89 x 595.276"},
	}
	for _, c := range cases {
		t.Run(c.size, func(t *testing.T) {
			i := 0
			next := func() (*Badge, error) {
				if i == c.n {
					return nil, nil
				}
				i++
				b := sampleBadge(t, hardNames[i%len(hardNames)])
				b.Serial = int64(i)
				return b, nil
			}
			var pdf bytes.Buffer
			badges, pages, err := r.SheetPDF(&pdf, next, Options{Size: c.size})
			if err != nil {
				t.Fatal(err)
			}
			wantPages := (c.n + c.perPage - 1) / c.perPage
			if badges != c.n || pages != wantPages {
				t.Errorf("%d badges on %d pages, want %d on %d", badges, pages, c.n, wantPages)
			}
			info := pdfInfo(t, pdf.Bytes())
			if !strings.Contains(info, fmt.Sprintf("Pages: %d", wantPages)) || !strings.Contains(info, c.wantPageSize) {
				t.Errorf("pdfinfo:\n%s\nwant %d pages of %s pts", info, wantPages, c.wantPageSize)
			}
			text := pdfText(t, pdf.Bytes())
			for k := 1; k <= c.n; k++ {
				if !strings.Contains(text, fmt.Sprintf("No. %06d", k)) {
					t.Errorf("serial %d missing from the sheet", k)
				}
			}
			if c.size == "cr80" {
				shot(t, "sheet-cr80.pdf", pdf.Bytes())
			}
		})
	}
}

func TestFontsParsedOnce(t *testing.T) {
	r := renderer(t)
	for range 3 {
		if err := r.BadgePDF(&bytes.Buffer{}, sampleBadge(t, "王喆"), Options{}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.BadgeImage(sampleBadge(t, "王喆"), Options{DPI: 100}); err != nil {
			t.Fatal(err)
		}
	}
	if parseCount != 1 {
		t.Errorf("fonts parsed %d times, want once per process", parseCount)
	}
}

func TestLongNamesStayInTheirBox(t *testing.T) {
	r := renderer(t)
	long := "努尔麦麦提·阿卜杜热合曼·艾力·买买提明"
	for _, size := range []string{"cr80", "a6"} {
		l, err := r.Templates().Layout(size, "deputy")
		if err != nil {
			t.Fatal(err)
		}
		lines := r.fs.fit(long, l.Name.W, l.Name.Size, l.Name.Min, Bold, max(l.Name.Lines, 1))
		for _, ln := range lines {
			if ln.width > l.Name.W+0.01 {
				t.Errorf("%s: a line %.1f mm wide in a %.1f mm box", size, ln.width, l.Name.W)
			}
		}
		if len(lines) != 2 {
			t.Errorf("%s: %d lines, want the long name on two", size, len(lines))
		}
		var pdf bytes.Buffer
		b := sampleBadge(t, long)
		if err := r.BadgePDF(&pdf, b, Options{Size: size}); err != nil {
			t.Fatal(err)
		}
		shot(t, "long-"+size+".pdf", pdf.Bytes())
		if text := strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), ""); !strings.Contains(text, long) {
			t.Errorf("%s: the long name does not extract whole:\n%s", size, text)
		}
	}
}

// TestPDFQRDecodes rasterises the printed PDF (pdftoppm) and decodes its
// QR: the vector code must scan as well as the preview's.
func TestPDFQRDecodes(t *testing.T) {
	r := renderer(t)
	b := sampleBadge(t, "刘䶮")
	var pdf bytes.Buffer
	if err := r.BadgePDF(&pdf, b, Options{Size: "cr80"}); err != nil {
		t.Fatal(err)
	}
	img := pdftest.Raster(t, pdf.Bytes(), 1, 300)
	if got, err := scanner.Decode(img); err != nil || got != b.Token {
		t.Errorf("PDF QR decodes to %q, %v; want the token", got, err)
	}
}

// TestConcurrentRenders shares one renderer (and so the parsed faces)
// between goroutines, as the server's handlers do; run under -race.
func TestConcurrentRenders(t *testing.T) {
	r := renderer(t)
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			var pdf bytes.Buffer
			err := r.BadgePDF(&pdf, sampleBadge(t, hardNames[g]), Options{})
			if err == nil {
				_, err = r.BadgeImage(sampleBadge(t, hardNames[g]), Options{DPI: 100})
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestTextKeepsOutOfTheQR: a layout whose text could reach into the QR's
// square — the code and its 4-module quiet zone — is refused when the
// layouts are read, whether the base layout or a category's override puts
// it there, and whether one line or a wrapped name would reach it.
func TestTextKeepsOutOfTheQR(t *testing.T) {
	base := `"width":85.6,"height":54,"qr":{"x":55,"y":8.5,"size":28},`
	for _, tc := range []struct {
		name, layouts string
	}{
		{"name box across the code", `{"x":{` + base + `"name":{"x":3,"baseline":19,"w":79.6,"size":22,"min":11,"lines":2}}}`},
		{"a category widens the name", `{"x":{` + base + `"name":{"x":3,"baseline":19,"w":50,"size":22}},
			"x/guest":{"name":{"x":3,"baseline":19,"w":60,"size":22}}}`},
		{"serial rising into the code", `{"x":{` + base + `"name":{"x":3,"baseline":19,"w":50,"size":22},
			"serial":{"x":55,"baseline":37.5,"w":28,"size":6}}}`},
		{"two lines reaching down into it", `{"x":{"width":100,"height":140,"qr":{"x":32,"y":50,"size":36},
			"name":{"x":6,"baseline":44,"w":88,"size":38,"min":16,"lines":2}}}`},
	} {
		if _, err := ParseTemplates([]byte(`{"layouts":` + tc.layouts + `}`)); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	// The shipped layouts, and cards scaled from them, keep clear.
	r := renderer(t)
	for _, size := range r.Templates().Sizes() {
		l, err := r.Templates().Layout(size, "staff")
		if err != nil {
			t.Fatal(err)
		}
		for _, wh := range [][2]float64{{1, 1}, {1.4, 1}, {1, 1.4}, {1.2, 1.5}} {
			if _, err := l.Scaled(l.Width*wh[0], l.Height*wh[1]); err != nil {
				t.Errorf("%s scaled %v: %v", size, wh, err)
			}
		}
	}
}

// The layout checks (emAscent, emDescent) and the tests that read type
// sizes back from pdftotext's boxes (pdftest.EmBox) assume every embedded
// face has the same vertical metrics.
func TestFaceMetricsAgree(t *testing.T) {
	fs, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []*face{fs.main[Regular], fs.main[Bold], fs.fallback} {
		if math.Abs(f.ascent-emAscent) > 1e-9 || math.Abs(-f.descent-emDescent) > 1e-9 ||
			math.Abs(f.ascent-f.descent-pdftest.EmBox) > 1e-9 {
			t.Errorf("%s: ascent %.3f, descent %.3f em; the layouts assume %.3f and %.3f", f.name, f.ascent, f.descent, emAscent, -emDescent)
		}
	}
}

// quietZoneNames are the demo's longest names and made-up worse ones: many
// parts, no break at all, wide Latin letters, a run of the fallback face
// (drawn with a stroke for bold).
var quietZoneNames = []string{"阿卜杜拉·买买提", "巴特尔·敖其尔", "𠮷田健一", "José García",
	"努尔麦麦提·阿卜杜热合曼·艾力·买买提明", "阿卜杜拉买买提阿卜杜拉买买提阿卜杜拉",
	"WWWWWWWWWW MMMMMMMMMM WWWWWWWWWW", "𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷"}

// TestQuietZoneStaysClear prints the longest names on every layout and on
// scaled cards, and reads them back: no word pdftotext finds on the printed
// sheet enters a QR's square, and the 4-module ring around each code is
// blank paper in the preview and in the PDF as a printer rasterises it.
func TestQuietZoneStaysClear(t *testing.T) {
	r := renderer(t)
	for _, o := range []Options{{Size: "cr80"}, {Size: "a7"}, {Size: "a6"}, {Size: "lanyard"},
		{Size: "cr80", Width: 100, Height: 60}, {Size: "a6", Width: 120, Height: 130}} {
		t.Run(fmt.Sprintf("%s-%gx%g", o.Size, o.Width, o.Height), func(t *testing.T) {
			var badges []*Badge
			for i, n := range quietZoneNames {
				b := sampleBadge(t, n)
				b.Title, b.Organization = "全国人民代表大会常务委员会法制工作委员会副主任", "新疆维吾尔自治区伊犁哈萨克自治州人民代表大会常务委员会"
				if i%2 == 1 {
					b.Category = "staff"
				}
				badges = append(badges, b)
			}
			i := 0
			var pdf bytes.Buffer
			_, pages, err := r.SheetPDF(&pdf, func() (*Badge, error) {
				if i == len(badges) {
					return nil, nil
				}
				i++
				return badges[i-1], nil
			}, o)
			if err != nil {
				t.Fatal(err)
			}
			l, err := r.layout(o, "deputy")
			if err != nil {
				t.Fatal(err)
			}
			im, err := Impose(l.Width, l.Height)
			if err != nil {
				t.Fatal(err)
			}
			// Every card's QR square on the sheet, by page.
			type square struct{ x, y, size, module float64 }
			squares := map[int][]square{}
			for k, b := range badges {
				lb, _ := r.layout(o, b.Category)
				bits, err := qrBits(b.Token)
				if err != nil {
					t.Fatal(err)
				}
				x, y := im.cardAt(k % im.PerPage())
				squares[k/im.PerPage()+1] = append(squares[k/im.PerPage()+1],
					square{x + lb.QR.X, y + lb.QR.Y, lb.QR.Size, lb.QR.Size / float64(len(bits))})

				// The preview: the ring is white pixels.
				img, err := r.BadgeImage(b, Options{Size: o.Size, Width: o.Width, Height: o.Height, DPI: 150})
				if err != nil {
					t.Fatal(err)
				}
				if n := inkInRing(img, 150, lb.QR.X, lb.QR.Y, lb.QR.Size, lb.QR.Size/float64(len(bits))); n > 0 {
					t.Errorf("%s: %d dark pixels in the preview's quiet zone", b.Name, n)
				}
			}
			for _, w := range pdftest.Words(t, pdf.Bytes()) {
				x0, y0, x1, y1 := w.MM()
				for _, q := range squares[w.Page] {
					if x0 < q.x+q.size && x1 > q.x && y0 < q.y+q.size && y1 > q.y {
						t.Errorf("%v overlaps the QR square at %.1f,%.1f (%.1f mm)", w, q.x, q.y, q.size)
					}
				}
			}
			if o.Width == 0 && o.Size == "cr80" {
				pdftest.Shot(t, "quiet-zone-cr80.pdf", pdf.Bytes())
				const dpi = 150
				img := pdftest.Raster(t, pdf.Bytes(), 1, dpi)
				for _, q := range squares[1] {
					if n := inkInRing(img, dpi, q.x, q.y, q.size, q.module); n > 0 {
						t.Errorf("%d dark pixels in the printed quiet zone at %.1f,%.1f", n, q.x, q.y)
					}
				}
			}
			_ = pages
		})
	}
}

// inkInRing counts dark pixels in the quiet zone of the code whose square
// (code and zone) is at x, y mm with side size: the ring 4 modules wide
// inside the square, less a pixel at the code's edge for anti-aliasing.
func inkInRing(img image.Image, dpi, x, y, size, module float64) int {
	px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
	x0, y0, x1, y1 := px(x), px(y), px(x+size), px(y+size)
	z := quietModules*module/25.4*dpi - 1
	n := 0
	for py := y0; py < y1; py++ {
		for qx := x0; qx < x1; qx++ {
			if float64(qx-x0) >= z && float64(x1-qx) > z && float64(py-y0) >= z && float64(y1-py) > z {
				continue // the code itself
			}
			if pdftest.Dark(img, qx, py) {
				n++
			}
		}
	}
	return n
}

// TestPNGQRDecodesEveryToken: a token whose code, made at error
// correction M, the kiosk's decoder (gozxing) cannot read even drawn
// perfectly: qrBits reads each code back and makes this one again at a
// higher level, and its badge decodes at every size. (Codes the decoder
// reads drawn alone and misses on a badge remain, about one in a hundred,
// e.g. HW1:VK72QSYJ…QBP4BA on cr80: issue 18's decoder work.)
func TestPNGQRDecodesEveryToken(t *testing.T) {
	r := renderer(t)
	for _, size := range r.Templates().Sizes() { // the photo variants too
		for _, tok := range []string{
			"HW1:74ZOTDIJMRSW23ZNGIYDENQH54DVS52LZGKO7CTHJFS7AP3CS74HFNX4PICJQIRJNU36C5F3SMQKPUCANDQKUISZSH4IRSFTTXVEO2D27HZJH7O4Q22LVTQSTQFKKXIFAM",
		} {
			b := sampleBadge(t, "王喆")
			b.Token = tok
			img, err := r.BadgeImage(b, Options{Size: size})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := scanner.Decode(img); err != nil || got != tok {
				t.Errorf("%s: %q decoded as %q, %v", size, tok, got, err)
			}
		}
	}
}
