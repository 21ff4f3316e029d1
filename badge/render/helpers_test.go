package render

import (
	mrand "math/rand/v2"
	"strings"
	"testing"

	"huiwu/badge/credential"
	"huiwu/badge/render/pdftest"
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

// token signs a credential with a key made from a fixed seed: the same
// token every run, so that a code the decoder happens to miss fails every
// run, not one in a hundred (TestPNGQRDecodesEveryToken has those).
func token(t testing.TB, attendee int64) string {
	t.Helper()
	s, err := credential.GenerateKey(mrand.NewChaCha8([32]byte{'h', 'u', 'i', 'w', 'u'}))
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
func pdfText(t testing.TB, pdf []byte) string { return pdftest.Text(t, pdf) }

// pdfInfo returns pdfinfo's "Pages" and "Page size" lines (of every page
// when all is set).
func pdfInfo(t testing.TB, pdf []byte) string {
	t.Helper()
	out := string(pdftest.Run(t, pdf, "pdfinfo", "-f", "1", "-l", "1000", "IN"))
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Pages:") || strings.Contains(l, "size:") && !strings.HasPrefix(l, "File") {
			keep = append(keep, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(keep, "\n")
}

// shot saves a file for a person to look at when HUIWU_SHOTS names a folder.
func shot(t testing.TB, name string, data []byte) { pdftest.Shot(t, name, data) }
