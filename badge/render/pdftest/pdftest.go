// Package pdftest reads printed PDFs back for tests with poppler's tools
// (pdftotext, pdftoppm; scripts/test installs poppler-utils): the text, each
// word's box and type size as printed, and the page as pixels. Tests measure
// what a person holding the paper would see, not what the layout code meant.
package pdftest

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// EmBox is the height of poppler's word box in ems: it runs from the font's
// ascent to its descent, and every face the renderers embed (Noto Sans SC
// Regular and Bold, Noto Sans JP) has an ascent of 1.160 em and a descent
// of 0.288 em. badge/render's tests check the faces still agree.
const EmBox = 1.160 + 0.288

const ptPerMM = 72 / 25.4

// Word is one word pdftotext found, its box in points from the page's
// top-left corner.
type Word struct {
	Page                   int // from 1
	Text                   string
	XMin, YMin, XMax, YMax float64
}

// SizeMM is the word's type size (the em) in mm.
func (w Word) SizeMM() float64 { return (w.YMax - w.YMin) / EmBox / ptPerMM }

// MM returns the box in mm: left, top, right, bottom.
func (w Word) MM() (x0, y0, x1, y1 float64) {
	return w.XMin / ptPerMM, w.YMin / ptPerMM, w.XMax / ptPerMM, w.YMax / ptPerMM
}

var (
	pageRE = regexp.MustCompile(`<page width="`)
	wordRE = regexp.MustCompile(`<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>`)
)

// Words lists every word of every page with its box (pdftotext -bbox).
func Words(t testing.TB, pdf []byte) []Word {
	t.Helper()
	out := Run(t, pdf, "pdftotext", "-bbox", "-enc", "UTF-8", "IN", "-")
	var words []Word
	page := 0
	for _, line := range bytes.Split(out, []byte("\n")) {
		if pageRE.Match(line) {
			page++
			continue
		}
		m := wordRE.FindSubmatch(line)
		if m == nil {
			continue
		}
		w := Word{Page: page, Text: html.UnescapeString(string(m[5]))}
		for i, dst := range []*float64{&w.XMin, &w.YMin, &w.XMax, &w.YMax} {
			v, err := strconv.ParseFloat(string(m[i+1]), 64)
			if err != nil {
				t.Fatalf("pdftotext -bbox: %q: %v", line, err)
			}
			*dst = v
		}
		words = append(words, w)
	}
	return words
}

// Find returns the words whose text is exactly s.
func Find(words []Word, s string) []Word {
	var out []Word
	for _, w := range words {
		if w.Text == s {
			out = append(out, w)
		}
	}
	return out
}

// Text is pdftotext's plain text of the whole document; extra arguments
// (e.g. "-layout") go before the file name.
func Text(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	return string(Run(t, pdf, "pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), "IN", "-")...))
}

// Raster draws one page (from 1) in grey at dpi, as pdftoppm does for a
// printer.
func Raster(t testing.TB, pdf []byte, page int, dpi int) image.Image {
	t.Helper()
	dir := t.TempDir()
	p := strconv.Itoa(page)
	Run(t, pdf, "pdftoppm", "-gray", "-r", strconv.Itoa(dpi), "-f", p, "-l", p, "-png", "-singlefile", "IN", filepath.Join(dir, "page"))
	data, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Dark reports whether the pixel at x, y is ink rather than paper (or a
// light tint).
func Dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0x8000
}

// Run runs a poppler tool with IN in args replaced by a file holding pdf
// and returns what it printed. A missing tool skips the test on a
// workstation and fails it in CI.
func Run(t testing.TB, pdf []byte, tool string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not installed: scripts/test installs poppler-utils in CI", tool)
		}
		t.Skipf("%s not installed (apt-get install poppler-utils; scripts/test does)", tool)
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append([]string(nil), args...)
	for i, a := range args {
		if a == "IN" {
			args[i] = in
		}
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, errb.String())
	}
	return out.Bytes()
}

// Shot saves a file for a person to look at when HUIWU_SHOTS names a
// folder.
func Shot(t testing.TB, name string, data []byte) {
	dir := os.Getenv("HUIWU_SHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// String shows a word for test failures.
func (w Word) String() string {
	x0, y0, x1, y1 := w.MM()
	return fmt.Sprintf("%q p%d [%.1f,%.1f–%.1f,%.1f mm] %.2f mm", w.Text, w.Page, x0, y0, x1, y1, w.SizeMM())
}
