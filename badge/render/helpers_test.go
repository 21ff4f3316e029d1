package render

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"huiwu/badge/credential"
)

// hardNames are the names the acceptance checks read back out of PDFs:
// Ext A (䶮), Ext B beyond the BMP (𠮷), rare but common-plane characters,
// a minority name with the middle dot, Latin accents.
var hardNames = []string{"刘䶮", "𠮷田健一", "王喆", "张堃", "阿卜杜拉·买买提", "Anna Müller", "José García"}

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func token(t testing.TB, attendee int64) string {
	t.Helper()
	s, err := credential.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Sign(credential.Claims{Event: "demo-2026", Attendee: attendee, Serial: 1000 + attendee})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func sampleBadge(t testing.TB, name string) *Badge {
	return &Badge{Event: "云江省第十四届人民代表大会第三次会议", Name: name, Title: "副主任",
		Organization: "云江省人民代表大会常务委员会", Delegation: "北湖代表团", Seat: "主会场 A区5排12座",
		Category: "deputy", CategoryName: "代表", Color: "#C8102E", Token: token(t, 7), Serial: 1007}
}

// pdfText runs pdftotext (poppler-utils; scripts/test installs it) on pdf.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	out, err := pdftool(t, pdf, "pdftotext", "-enc", "UTF-8", "IN", "-")
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return out
}

// pdfInfo returns pdfinfo's "Pages" and "Page size" lines (of every page
// when all is set).
func pdfInfo(t testing.TB, pdf []byte) string {
	t.Helper()
	out, err := pdftool(t, pdf, "pdfinfo", "-f", "1", "-l", "1000", "IN")
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Pages:") || strings.Contains(l, "size:") && !strings.HasPrefix(l, "File") {
			keep = append(keep, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(keep, "\n")
}

func pdftool(t testing.TB, pdf []byte, tool string, args ...string) (string, error) {
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
	for i, a := range args {
		if a == "IN" {
			args[i] = in
		}
	}
	var out bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// shot saves a file for a person to look at when HUIWU_SHOTS names a folder.
func shot(t testing.TB, name string, data []byte) {
	dir := os.Getenv("HUIWU_SHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}
