package render

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"testing"

	"huiwu/badge/render/pdftest"
)

// demoCategories are the demo's categories in their order, with the band
// colours they come with: four of them print as nearly the same grey.
var demoCategories = []struct{ code, name, color string }{
	{"deputy", "代表", "#C8102E"}, {"observer", "列席", "#1F5FAF"}, {"guest", "嘉宾", "#C98A00"},
	{"staff", "工作人员", "#2E7D32"}, {"press", "记者", "#6A1B9A"},
}

// texture is how a band looks in grey: its mean and spread, and how often
// the grey changes sharply from one dot to the next across (edgesX) and
// down (edgesY) — stripes one way, lines the other, dots and checks both.
type texture struct {
	name                         string
	mean, spread, edgesX, edgesY float64
}

// alike says whether two bands would be taken for each other.
func (a texture) alike(b texture) bool {
	return math.Abs(a.mean-b.mean) < 25 && math.Abs(a.spread-b.spread) < 15 &&
		math.Abs(a.edgesX-b.edgesX) < 0.06 && math.Abs(a.edgesY-b.edgesY) < 0.06
}

// bandTexture measures a band outside its word as a black-and-white
// printer puts it on paper (150 dpi).
func bandTexture(t *testing.T, r *Renderer, b *Badge, size string) (texture, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.BadgePDF(&buf, b, Options{Size: size}); err != nil {
		t.Fatal(err)
	}
	l, err := r.layout(Options{Size: size}, b.Category)
	if err != nil {
		t.Fatal(err)
	}
	const dpi = 150
	img := pdftest.Raster(t, buf.Bytes(), 1, dpi)
	px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
	// The band's left sixth, a millimetre in from its edges: no text there.
	box := image.Rect(px(l.Band.X+1), px(l.Band.Y+1), px(l.Band.X+l.Band.W/6), px(l.Band.Y+l.Band.H-1))
	grey := func(x, y int) float64 { r, _, _, _ := img.At(x, y).RGBA(); return float64(r >> 8) }
	var sum, sq, n, ex, ey float64
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			v := grey(x, y)
			sum, sq, n = sum+v, sq+v*v, n+1
			if math.Abs(grey(x+1, y)-v) > 40 {
				ex++
			}
			if math.Abs(grey(x, y+1)-v) > 40 {
				ey++
			}
		}
	}
	tx := texture{name: b.CategoryName, mean: sum / n, edgesX: ex / n, edgesY: ey / n}
	tx.spread = math.Sqrt(math.Max(sq/n-tx.mean*tx.mean, 0))
	return tx, buf.Bytes()
}

// TestCategoriesDifferInGrey: printed in black and white, every two
// categories' bands differ clearly — in their grey or in their texture —
// and the word in the band still reads (pdftotext finds it).
func TestCategoriesDifferInGrey(t *testing.T) {
	r := renderer(t)
	for _, size := range []string{"cr80", "a7"} {
		var got []texture
		for i, c := range demoCategories {
			b := sampleBadge(t, "王喆")
			b.Category, b.CategoryName, b.Color, b.Pattern = c.code, c.name, c.color, PatternFor(i)
			tx, pdf := bandTexture(t, r, b, size)
			shot(t, filepath.Join("badges-grey", fmt.Sprintf("%s-%d-%s.pdf", size, i+1, c.code)), pdf)
			if text := pdfText(t, pdf); !bytes.Contains([]byte(text), []byte(c.name)) {
				t.Errorf("%s %s: the band's word is not on the badge:\n%s", size, c.name, text)
			}
			got = append(got, tx)
		}
		for i := range got {
			for k := i + 1; k < len(got); k++ {
				a, b := got[i], got[k]
				if a.alike(b) {
					t.Errorf("%s: %+v and %+v print alike in black and white", size, a, b)
				}
			}
		}
		t.Logf("%s: %+v", size, got)
	}
}
