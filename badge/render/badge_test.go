package render

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	for _, size := range []string{"cr80", "a7", "a6", "lanyard"} {
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
	dir := t.TempDir()
	if _, err := pdftool(t, pdf.Bytes(), "pdftoppm", "-r", "300", "-png", "-singlefile", "IN", filepath.Join(dir, "page")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
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
