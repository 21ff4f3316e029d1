package render

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBadgesAskNotToScale: a badge, a badge sheet and meal slips ask the
// viewer to print at their size (/PrintScaling /None in the catalog as
// the reader finds it, through the xref's last update), and poppler reads
// the updated file without a complaint, the same text and pages.
func TestBadgesAskNotToScale(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo not installed (scripts/test installs poppler-utils)")
	}
	r := renderer(t)
	b := sampleBadge(t, "阿卜杜拉·买买提")
	var single, sheet bytes.Buffer
	if err := r.BadgePDF(&single, b, Options{Size: "cr80"}); err != nil {
		t.Fatal(err)
	}
	n := 0
	if _, _, err := r.SheetPDF(&sheet, func() (*Badge, error) {
		if n++; n > 3 {
			return nil, nil
		}
		return sampleBadge(t, "王喆"), nil
	}, Options{Size: "cr80"}); err != nil {
		t.Fatal(err)
	}
	for name, pdf := range map[string][]byte{"badge": single.Bytes(), "sheet": sheet.Bytes()} {
		catalogs := regexp.MustCompile(`(?s)obj\s*<<[^\n]*/Type /Catalog.*?endobj`).FindAll(pdf, -1)
		if len(catalogs) == 0 || !bytes.Contains(catalogs[len(catalogs)-1], []byte("/ViewerPreferences << /PrintScaling /None >>")) {
			t.Errorf("%s: the last catalog does not ask for no scaling: %q", name, catalogs)
		}
		in := filepath.Join(t.TempDir(), "in.pdf")
		if err := os.WriteFile(in, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tool := range []string{"pdfinfo", "pdftotext"} {
			var stderr bytes.Buffer
			cmd := exec.Command(tool, in, os.DevNull)
			if tool == "pdfinfo" {
				cmd = exec.Command(tool, in)
			}
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Errorf("%s: %s: %v %s", name, tool, err, stderr.String())
			}
		}
	}
	if text := pdfText(t, single.Bytes()); !strings.Contains(text, "买买提") {
		t.Errorf("the updated badge lost its text:\n%s", text)
	}
}

// An xref stream, or a file that is not a PDF, is refused and left alone.
func TestNoPrintScalingRefusesWhatItCannotRead(t *testing.T) {
	for _, pdf := range []string{"", "%PDF-1.7\n", "%PDF-1.7\n1 0 obj\n<< /Type /XRef >>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF\n"} {
		if _, err := NoPrintScaling([]byte(pdf)); err == nil {
			t.Errorf("%q: no error", pdf)
		}
	}
}

// TestBadgePNGSaysItsDPI: the preview PNG carries a pHYs chunk with the
// resolution it was drawn at, so an 85.6 mm card prints 85.6 mm wide; the
// file still decodes.
func TestBadgePNGSaysItsDPI(t *testing.T) {
	r := renderer(t)
	var buf bytes.Buffer
	if err := r.BadgePNG(&buf, sampleBadge(t, "王喆"), Options{Size: "cr80", DPI: 300}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var ppm uint32
	for at := 8; at+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[at:]))
		if string(data[at+4:at+8]) == "pHYs" && n == 9 && data[at+16] == 1 {
			ppm = binary.BigEndian.Uint32(data[at+8:])
		}
		at += 12 + n
	}
	if ppm != 11811 { // 300 dpi
		t.Fatalf("pHYs: %d pixels per metre, want 11811 (300 dpi)", ppm)
	}
	if mm := float64(img.Bounds().Dx()) / float64(ppm) * 1000; math.Abs(mm-85.6) > 0.3 {
		t.Errorf("the PNG prints %.1f mm wide at its own resolution, want 85.6", mm)
	}
}
