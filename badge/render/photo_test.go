package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"

	"huiwu/badge/render/pdftest"
	"huiwu/kiosk/scanner"
)

// photoSizes are the shipped layouts with a photo box.
func photoSizes(t testing.TB, r *Renderer) []string {
	t.Helper()
	var out []string
	for _, s := range r.Templates().Sizes() {
		if l, err := r.Templates().Layout(s, ""); err == nil && l.Photo != nil {
			out = append(out, s)
		}
	}
	if len(out) < 4 {
		t.Fatalf("photo layouts %v: want one for each of cr80, a7, a6 and lanyard", out)
	}
	return out
}

// testPhoto is a w×h JPEG painted by paint (x, y in 0..1).
func testPhoto(t testing.TB, w, h int, paint func(x, y float64) color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, paint((float64(x)+0.5)/float64(w), (float64(y)+0.5)/float64(h)))
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	red    = color.RGBA{220, 30, 30, 255}
	green  = color.RGBA{30, 180, 60, 255}
	blue   = color.RGBA{30, 60, 220, 255}
	yellow = color.RGBA{240, 220, 20, 255}
	ink    = color.RGBA{0, 0, 0, 255}
)

// quadrants paints the four quarters of a photo in four colours.
func quadrants(x, y float64) color.RGBA {
	switch {
	case x < 0.5 && y < 0.5:
		return red
	case x >= 0.5 && y < 0.5:
		return green
	case x < 0.5:
		return blue
	}
	return yellow
}

// near says whether the pixel at (px, py) is within 40 of c in every channel.
func near(img image.Image, px, py int, c color.RGBA) bool {
	r, g, b, _ := img.At(px, py).RGBA()
	d := func(v uint32, w uint8) bool { return math.Abs(float64(v>>8)-float64(w)) <= 40 }
	return d(r, c.R) && d(g, c.G) && d(b, c.B)
}

// TestPhotoDrawnInItsBox: on every photo layout the preview shows the
// photo in its box — each quarter of the photo in the same quarter of the
// box, white paper just outside it — and the QR still decodes to the token.
func TestPhotoDrawnInItsBox(t *testing.T) {
	r := renderer(t)
	photo := testPhoto(t, 600, 800, quadrants)
	const dpi = 300
	for _, size := range photoSizes(t, r) {
		t.Run(size, func(t *testing.T) {
			b := sampleBadge(t, "𠮷田健一")
			b.Photo = photo
			var buf bytes.Buffer
			if err := r.BadgePNG(&buf, b, Options{Size: size, DPI: dpi}); err != nil {
				t.Fatal(err)
			}
			shot(t, "photo-"+size+".png", buf.Bytes())
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			l, _ := r.Templates().Layout(size, b.Category)
			p := l.Photo
			px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
			for _, q := range []struct {
				fx, fy float64
				c      color.RGBA
			}{{0.25, 0.25, red}, {0.75, 0.25, green}, {0.25, 0.75, blue}, {0.75, 0.75, yellow},
				{0.03, 0.03, red}, {0.97, 0.97, yellow}} {
				if x, y := px(p.X+q.fx*p.W), px(p.Y+q.fy*p.H); !near(img, x, y, q.c) {
					t.Errorf("at %.0f%%,%.0f%% of the photo box: %v, want %v", q.fx*100, q.fy*100, img.At(x, y), q.c)
				}
			}
			// Paper just outside the box on the left and above it.
			for _, o := range [][2]float64{{p.X - 0.7, p.Y + p.H/2}, {p.X + p.W/2, p.Y - 0.7}} {
				if x, y := px(o[0]), px(o[1]); !near(img, x, y, white) {
					t.Errorf("outside the box at %.1f,%.1f mm: %v, want paper", o[0], o[1], img.At(x, y))
				}
			}
			if got, err := scanner.Decode(img); err != nil || got != b.Token {
				t.Errorf("QR decodes to %q, %v", got, err)
			}
			// And in the desk's preview, at the badge route's 200 dpi.
			small, err := r.BadgeImage(b, Options{Size: size, DPI: 200})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := scanner.Decode(small); err != nil || got != b.Token {
				t.Errorf("at 200 dpi the QR decodes to %q, %v", got, err)
			}
			bits, err := qrBits(b.Token)
			if err != nil {
				t.Fatal(err)
			}
			if n := inkInRing(img, dpi, l.QR.X, l.QR.Y, l.QR.Size, l.QR.Size/float64(len(bits))); n > 0 {
				t.Errorf("%d dark pixels in the quiet zone", n)
			}
		})
	}
}

// TestPhotoCoverCrop: a photo of another shape fills the box with its
// aspect kept, cut equally both sides: a wide photo loses its left and
// right, a tall one its top and bottom, never squeezed and never with
// bars. A black square in the photo's middle prints square.
func TestPhotoCoverCrop(t *testing.T) {
	r := renderer(t)
	const dpi = 300
	for _, tc := range []struct {
		name string
		w, h int
	}{{"wide", 1200, 600}, {"tall", 300, 900}, {"3:4", 600, 800}} {
		t.Run(tc.name, func(t *testing.T) {
			// A 100 px black square in the middle; magenta only where the
			// crop must cut (outside the middle 3:4 of the photo).
			photo := testPhoto(t, tc.w, tc.h, func(x, y float64) color.RGBA {
				px, py := x*float64(tc.w), y*float64(tc.h)
				switch {
				case math.Abs(px-float64(tc.w)/2) < 50 && math.Abs(py-float64(tc.h)/2) < 50:
					return ink
				case tc.w > tc.h && (x < 0.25 || x > 0.75), tc.h > tc.w*2 && (y < 0.2 || y > 0.8):
					return color.RGBA{255, 0, 255, 255}
				}
				return green
			})
			b := sampleBadge(t, "王喆")
			b.Photo = photo
			img, err := r.BadgeImage(b, Options{Size: "cr80-photo", DPI: dpi})
			if err != nil {
				t.Fatal(err)
			}
			l, _ := r.Templates().Layout("cr80-photo", "")
			p := l.Photo
			px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
			// Inside every edge of the box: the photo's green, no magenta, no paper.
			for _, e := range [][2]float64{{p.X + 0.3, p.Y + p.H/2}, {p.X + p.W - 0.3, p.Y + p.H/2},
				{p.X + p.W/2, p.Y + 0.3}, {p.X + p.W/2, p.Y + p.H - 0.3}} {
				if x, y := px(e[0]), px(e[1]); !near(img, x, y, green) {
					t.Errorf("at %.1f,%.1f mm: %v, want the photo's green to the edge", e[0], e[1], img.At(x, y))
				}
			}
			// The black square: as wide as it is high.
			x0, x1, y0, y1 := px(p.X+p.W), 0, px(p.Y+p.H), 0
			for y := px(p.Y); y < px(p.Y+p.H); y++ {
				for x := px(p.X); x < px(p.X+p.W); x++ {
					if near(img, x, y, ink) {
						x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
					}
				}
			}
			w, h := x1-x0+1, y1-y0+1
			if w <= 0 || math.Abs(float64(w-h)) > 3 {
				t.Errorf("the square prints %d×%d px", w, h)
			}
		})
	}
}

// TestPhotoInPDF: the printed badge carries the stored JPEG itself (DCT
// passthrough: the same bytes, not decoded and compressed again), drawn
// in the box as a printer rasterises it, and the QR still scans.
func TestPhotoInPDF(t *testing.T) {
	r := renderer(t)
	// Left half black, right half white: plain to see in grey.
	photo := testPhoto(t, 600, 800, func(x, _ float64) color.RGBA {
		if x < 0.5 {
			return ink
		}
		return white
	})
	for _, size := range photoSizes(t, r) {
		t.Run(size, func(t *testing.T) {
			b := sampleBadge(t, "刘䶮")
			b.Photo = photo
			var pdf bytes.Buffer
			if err := r.BadgePDF(&pdf, b, Options{Size: size}); err != nil {
				t.Fatal(err)
			}
			shot(t, "photo-"+size+".pdf", pdf.Bytes())
			if !bytes.Contains(pdf.Bytes(), photo) || !bytes.Contains(pdf.Bytes(), []byte("/DCTDecode")) {
				t.Error("the PDF does not carry the JPEG as it was stored")
			}
			list := string(pdftest.Run(t, pdf.Bytes(), "pdfimages", "-list", "IN"))
			if n := strings.Count(list, " jpeg "); n != 1 || !strings.Contains(list, " 600   800 ") {
				t.Errorf("pdfimages lists %d JPEGs, want the one 600×800:\n%s", n, list)
			}
			const dpi = 150
			img := pdftest.Raster(t, pdf.Bytes(), 1, dpi)
			l, _ := r.Templates().Layout(size, b.Category)
			p := l.Photo
			px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
			y := px(p.Y + p.H/2)
			if !pdftest.Dark(img, px(p.X+p.W/4), y) || pdftest.Dark(img, px(p.X+p.W*3/4), y) {
				t.Error("the photo's halves are not where the box is")
			}
			if pdftest.Dark(img, px(p.X-0.8), y) {
				t.Error("ink left of the photo box")
			}
			if text := pdfText(t, pdf.Bytes()); strings.Contains(text, "照片") {
				t.Errorf("a badge with a photo still says 照片:\n%s", text)
			}
			if got, err := scanner.Decode(img); err != nil || got != b.Token {
				t.Errorf("the printed QR decodes to %q, %v", got, err)
			}
		})
	}
}

// TestNoPhotoPrintsAFrame: without a photo the badge still prints, with a
// thin frame saying 照片 / Photo where the photo goes; a layout without a
// photo box prints neither, and ignores a photo it is given.
func TestNoPhotoPrintsAFrame(t *testing.T) {
	r := renderer(t)
	b := sampleBadge(t, "张堃")
	var pdf bytes.Buffer
	if err := r.BadgePDF(&pdf, b, Options{Size: "cr80-photo"}); err != nil {
		t.Fatal(err)
	}
	shot(t, "photo-none-cr80-photo.pdf", pdf.Bytes())
	words := pdftest.Words(t, pdf.Bytes())
	l, _ := r.Templates().Layout("cr80-photo", "deputy")
	for _, s := range []string{"照片", "Photo"} {
		found := pdftest.Find(words, s)
		if len(found) != 1 {
			t.Fatalf("%q printed %d times", s, len(found))
		}
		x0, y0, x1, y1 := found[0].MM()
		if p := l.Photo; x0 < p.X || x1 > p.X+p.W || y0 < p.Y || y1 > p.Y+p.H {
			t.Errorf("%v is not inside the photo box %+v", found[0], *p)
		}
	}
	if bytes.Contains(pdf.Bytes(), []byte("/DCTDecode")) {
		t.Error("an image in a badge without a photo")
	}
	img, err := r.BadgeImage(b, Options{Size: "cr80-photo", DPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	px := func(mm float64) int { return int(math.Round(mm / 25.4 * 300)) }
	p := l.Photo
	if !near(img, px(p.X), px(p.Y+p.H/4), light) || !near(img, px(p.X+p.W/2), px(p.Y+p.H/4), white) {
		t.Errorf("no thin frame around blank paper: edge %v, inside %v", img.At(px(p.X), px(p.Y+p.H/4)), img.At(px(p.X+p.W/2), px(p.Y+p.H/4)))
	}

	b.Photo = testPhoto(t, 600, 800, quadrants)
	pdf.Reset()
	if err := r.BadgePDF(&pdf, b, Options{Size: "cr80"}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pdf.Bytes(), []byte("/DCTDecode")) || strings.Contains(pdfText(t, pdf.Bytes()), "照片") {
		t.Error("the cr80 layout, which has no photo box, printed a photo or its frame")
	}
}

// TestPhotoRefusals: a photo that is no JPEG, or one too large to decode
// safely, stops the print with an error rather than printing garbage.
func TestPhotoRefusals(t *testing.T) {
	r := renderer(t)
	huge := testPhoto(t, 16, 16, quadrants)
	// The header's size fields (SOF0: FFC0, length, precision, height, width).
	at := bytes.Index(huge, []byte{0xff, 0xc0}) + 5
	huge[at], huge[at+1], huge[at+2], huge[at+3] = 0x3f, 0xff, 0x3f, 0xff // 16383×16383
	for name, data := range map[string][]byte{"png": pngBytes(t), "garbage": []byte("not a photo at all"), "huge": huge} {
		b := sampleBadge(t, "王喆")
		b.Photo = data
		if err := r.BadgePDF(&bytes.Buffer{}, b, Options{Size: "cr80-photo"}); err == nil || !strings.Contains(err.Error(), "photo") {
			t.Errorf("%s: err = %v", name, err)
		}
		if _, err := r.BadgeImage(b, Options{Size: "a6-photo"}); err == nil {
			t.Errorf("%s: the preview drew it", name)
		}
	}
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 30, 40)))
	return b.Bytes()
}

// TestPhotoLayoutChecks: a photo box is refused when it is not 3:4, is
// under 20 mm wide, runs off the card, covers the QR or the band, or a
// text box reaches into it; a custom card keeps it 3:4 and centred.
func TestPhotoLayoutChecks(t *testing.T) {
	base := `"width":85.6,"height":54,"qr":{"x":57,"y":8.5,"size":26},"band":{"x":0,"y":43,"w":85.6,"h":11},`
	name := `"name":{"x":25.5,"baseline":16.5,"w":29.5,"size":18}`
	for _, tc := range []struct{ name, layout string }{
		{"not 3:4", `"photo":{"x":3,"y":8.5,"w":20,"h":25},` + name},
		{"too narrow", `"photo":{"x":3,"y":8.5,"w":18,"h":24},` + name},
		{"off the card", `"photo":{"x":-1,"y":8.5,"w":21,"h":28},` + name},
		{"over the qr", `"photo":{"x":50,"y":8.5,"w":21,"h":28},` + name},
		{"over the band", `"photo":{"x":3,"y":20,"w":20,"h":26.667},` + name},
		{"under the name", `"photo":{"x":3,"y":8.5,"w":24,"h":32},` + name},
	} {
		if _, err := ParseTemplates([]byte(`{"layouts":{"x":{` + base + tc.layout + `}}}`)); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	if _, err := ParseTemplates([]byte(`{"layouts":{"x":{` + base + `"photo":{"x":3,"y":8.5,"w":20,"h":26.667},` + name + `}}}`)); err != nil {
		t.Errorf("a good photo box refused: %v", err)
	}
	r := renderer(t)
	l, _ := r.Templates().Layout("cr80-photo", "")
	s, err := l.Scaled(120, 60)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Photo; math.Abs(p.W/p.H-PhotoAspect) > 0.001 || p.W < MinPhotoMM ||
		math.Abs((p.Y+p.H/2)-(l.Photo.Y+l.Photo.H/2)*60/54) > 0.01 {
		t.Errorf("scaled photo box %+v", *p)
	}
	if !r.WantsPhoto(Options{Size: "a6-photo"}, "staff") || r.WantsPhoto(Options{Size: "a6"}, "deputy") || r.WantsPhoto(Options{Size: "nope"}, "") {
		t.Error("WantsPhoto")
	}
}

// TestPhotoSheets: a batch on a photo layout is N-up like the plain size,
// each badge with its own photo (or its frame), and the codes scan.
func TestPhotoSheets(t *testing.T) {
	r := renderer(t)
	photos := [][]byte{testPhoto(t, 600, 800, quadrants), testPhoto(t, 450, 600, func(x, y float64) color.RGBA { return blue })}
	const n = 11
	i := 0
	var want []*Badge
	next := func() (*Badge, error) {
		if i == n {
			return nil, nil
		}
		i++
		b := sampleBadge(t, hardNames[i%len(hardNames)])
		b.Serial = int64(i)
		b.Token = token(t, int64(i))
		if i%4 != 0 { // every fourth without a photo
			b.Photo = photos[i%2]
		}
		want = append(want, b)
		return b, nil
	}
	var pdf bytes.Buffer
	badges, pages, err := r.SheetPDF(&pdf, next, Options{Size: "cr80-photo"})
	if err != nil {
		t.Fatal(err)
	}
	if badges != n || pages != 2 {
		t.Errorf("%d badges on %d pages, want %d on 2 (9 a page)", badges, pages, n)
	}
	shot(t, "photo-sheet-cr80.pdf", pdf.Bytes())
	list := string(pdftest.Run(t, pdf.Bytes(), "pdfimages", "-list", "IN"))
	if got, frames := strings.Count(list, " jpeg "), strings.Count(pdfText(t, pdf.Bytes()), "照片"); got != n-n/4 || frames != n/4 {
		t.Errorf("%d photos and %d frames, want %d and %d:\n%s", got, frames, n-n/4, n/4, list)
	}
	img := pdftest.Raster(t, pdf.Bytes(), 1, 300)
	im, _ := Impose(85.6, 54)
	l, _ := r.Templates().Layout("cr80-photo", "")
	for k := range 3 {
		x, y := im.cardAt(k)
		px := func(mm float64) int { return int(math.Round(mm / 25.4 * 300)) }
		card := img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(px(x+l.QR.X-1), px(y+l.QR.Y-1), px(x+l.QR.X+l.QR.Size+1), px(y+l.QR.Y+l.QR.Size+1)))
		if got, err := scanner.Decode(card); err != nil || got != want[k].Token {
			t.Errorf("badge %d: QR decodes to %q, %v", k+1, got, err)
		}
	}
}

// TestPhotoKeepsClearOfText prints the longest names, titles and
// organisations on every photo layout, plain and on custom cards, and
// reads the sheet back: no word pdftotext finds enters a photo box or a
// QR square.
func TestPhotoKeepsClearOfText(t *testing.T) {
	r := renderer(t)
	photo := testPhoto(t, 600, 800, quadrants)
	var opts []Options
	for _, s := range photoSizes(t, r) {
		l, _ := r.Templates().Layout(s, "")
		opts = append(opts, Options{Size: s}, Options{Size: s, Width: l.Width * 1.3, Height: l.Height * 1.1})
	}
	for _, o := range opts {
		t.Run(fmt.Sprintf("%s-%gx%g", o.Size, o.Width, o.Height), func(t *testing.T) {
			var badges []*Badge
			for i, n := range quietZoneNames {
				b := sampleBadge(t, n)
				b.Title, b.Organization = "全国人民代表大会常务委员会法制工作委员会副主任", "新疆维吾尔自治区伊犁哈萨克自治州人民代表大会常务委员会"
				b.Delegation, b.Seat = "新疆维吾尔自治区代表团", "人民大会堂 二楼 A区15排128座"
				if i%2 == 1 {
					b.Category = "staff"
				}
				if i%3 != 2 {
					b.Photo = photo
				}
				badges = append(badges, b)
			}
			i := 0
			var pdf bytes.Buffer
			if _, _, err := r.SheetPDF(&pdf, func() (*Badge, error) {
				if i == len(badges) {
					return nil, nil
				}
				i++
				return badges[i-1], nil
			}, o); err != nil {
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
			keepOut := map[int][]Box{}
			for k, b := range badges {
				lb, _ := r.layout(o, b.Category)
				x, y := im.cardAt(k % im.PerPage())
				page := k/im.PerPage() + 1
				keepOut[page] = append(keepOut[page], Box{X: x + lb.Photo.X, Y: y + lb.Photo.Y, W: lb.Photo.W, H: lb.Photo.H},
					Box{X: x + lb.QR.X, Y: y + lb.QR.Y, W: lb.QR.Size, H: lb.QR.Size})
			}
			for _, w := range pdftest.Words(t, pdf.Bytes()) {
				if w.Text == "照片" || w.Text == "Photo" {
					continue // the empty frame's own words
				}
				x0, y0, x1, y1 := w.MM()
				for _, q := range keepOut[w.Page] {
					if x0 < q.X+q.W && x1 > q.X && y0 < q.Y+q.H && y1 > q.Y {
						t.Errorf("%v overlaps the box at %.1f,%.1f (%.1f×%.1f mm)", w, q.X, q.Y, q.W, q.H)
					}
				}
			}
			if o.Width == 0 && o.Size == "cr80-photo" {
				shot(t, "photo-long-cr80.pdf", pdf.Bytes())
			}
		})
	}
}

// benchPhoto is a photo as the desk stores it: a 600×800 JPEG at quality
// 85, made from the browser tests' face fixture (the NASA portrait) when
// it is there, else from a textured picture of about the same size.
func benchPhoto(b *testing.B) []byte {
	b.Helper()
	var src image.Image
	if f, err := os.Open(filepath.Join("..", "..", "server", "internal", "browsertest", "testdata", "faces", "astronaut.jpg")); err == nil {
		src, _ = jpeg.Decode(f)
		f.Close()
	}
	dst := image.NewRGBA(image.Rect(0, 0, 600, 800))
	if src != nil {
		bb := src.Bounds()
		cw := bb.Dy() * 3 / 4
		crop := image.Rect(bb.Min.X+(bb.Dx()-cw)/2, bb.Min.Y, bb.Min.X+(bb.Dx()+cw)/2, bb.Max.Y)
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, xdraw.Src, nil)
	} else {
		for y := range 800 {
			for x := range 600 {
				dst.SetRGBA(x, y, color.RGBA{uint8(x / 3), uint8(y / 4), uint8((x*7 + y*13) % 97), 255})
			}
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkBadgePDFPhoto is one CR80 badge on the photo layout with a
// stored photo, against BenchmarkBadgePDFNoPhoto, the same layout without
// one (its frame), and BenchmarkBadgePDF, the plain CR80.
func BenchmarkBadgePDFPhoto(b *testing.B) {
	photo := benchPhoto(b)
	benchBadge(b, "cr80-photo", photo)
	b.ReportMetric(float64(len(photo))/1024, "KB/photo")
}

func BenchmarkBadgePDFNoPhoto(b *testing.B) { benchBadge(b, "cr80-photo", nil) }

func BenchmarkBadgePDFPlain(b *testing.B) { benchBadge(b, "cr80", nil) }

func benchBadge(b *testing.B, size string, photo []byte) {
	r := renderer(b)
	badge := sampleBadge(b, "阿卜杜拉·买买提")
	badge.Photo = photo
	var out bytes.Buffer
	// CPU time as well as wall time: on a shared machine the second
	// compares better.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	for b.Loop() {
		out.Reset()
		if err := r.BadgePDF(&out, badge, Options{Size: size}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpu()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(out.Len())/1024, "KB/pdf")
}

// BenchmarkSheet100Photo is a 100-badge CR80 batch with a photo each.
func BenchmarkSheet100Photo(b *testing.B) {
	photo := benchPhoto(b)
	for _, tc := range []struct {
		name  string
		size  string
		photo []byte
	}{{"photo", "cr80-photo", photo}, {"plain", "cr80", nil}} {
		b.Run(tc.name, func(b *testing.B) {
			r := renderer(b)
			badges := make([]*Badge, 100)
			for i := range badges {
				badges[i] = sampleBadge(b, hardNames[i%len(hardNames)])
				badges[i].Photo = tc.photo
			}
			var size int
			for b.Loop() {
				i := 0
				cw := &countWriter{}
				if _, _, err := r.SheetPDF(cw, func() (*Badge, error) {
					if i == len(badges) {
						return nil, nil
					}
					i++
					return badges[i-1], nil
				}, Options{Size: tc.size}); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size)/(1<<20), "MB/pdf")
		})
	}
}

// FuzzBadgePhoto: whatever bytes come as a badge's photo, reading it and
// drawing it into a PDF and a preview either work or say why; nothing
// panics. (The photo's part of BadgePDF and BadgeImage, without the QR
// and fonts that make a whole badge too slow to fuzz.)
func FuzzBadgePhoto(f *testing.F) {
	f.Add(testPhoto(f, 30, 40, quadrants))
	f.Add(testPhoto(f, 90, 20, quadrants))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0})
	fs := renderer(f).fs
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		p, err := readPhoto(data)
		if err != nil || p == nil {
			return
		}
		d := newPDF(fs, "fuzz")
		if err := d.page(30, 40).photo(1, 1, 21, 28, p); err == nil {
			if err := d.writeTo(io.Discard); err != nil {
				t.Fatal(err)
			}
		}
		newPNG(30, 40, 72).photo(1, 1, 21, 28, p)
	})
}
