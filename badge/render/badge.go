// Package render lays out and draws what the registration desk prints —
// badges (single or N-up on A4 with crop marks), meal and room slips, the
// 签到表 — as vector PDF, and badges as PNG for previews, from the same
// drawing code. Text is set in the embedded Noto fonts (badge/fonts) with a
// fallback face per character; every character is checked against the
// fonts before anything is drawn, and a character no font has is a
// *MissingGlyphsError naming it, never a blank box on a printed badge.
package render

import (
	"fmt"
	"image"
	"image/color"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"
)

// Badge is what one badge shows. Room numbers are deliberately absent: a
// badge is worn in public, and the room goes on the room slip.
type Badge struct {
	Event        string
	Name         string
	Title        string
	Organization string
	Delegation   string
	Seat         string // e.g. "主会场 A区5排12座"; empty prints nothing
	Category     string // the code, which picks a per-category layout
	CategoryName string // the word printed in the band: 代表, 列席…
	Color        string // the band colour, #RRGGBB from the categories table
	// Pattern marks the band so that categories whose colours print as
	// one grey on a black-and-white printer still differ (PatternFor).
	Pattern Pattern
	Token   string // the credential token the QR holds
	Serial  int64
	// Photo is the attendee's photo as stored (a JPEG), drawn where the
	// layout has a photo box; nil prints the box as a blank frame.
	Photo []byte
}

// Check reports the first field with characters no font has.
func (b *Badge) Check() error {
	for _, f := range []struct{ name, text string }{
		{"name", b.Name}, {"event", b.Event}, {"title", b.Title}, {"organization", b.Organization},
		{"delegation", b.Delegation}, {"seat", b.Seat}, {"category", b.CategoryName},
	} {
		if err := checkField(f.name, f.text); err != nil {
			return err
		}
	}
	return nil
}

// qrBits encodes text with error correction M (a badge survives a scuffed
// corner) and the standard 4-module quiet zone, which go-qrcode's bitmap
// includes. About one code in fifty that go-qrcode makes for a badge token
// is one the kiosk's decoder (gozxing, in the camera's path) misreads —
// its data happens to look like a pattern the detector locks onto — so
// each code is read back with the kiosk's own scanner before it is
// printed, and one it cannot read is made again with more error
// correction, which lays the data out anew.
func qrBits(text string) ([][]bool, error) {
	var bits [][]bool
	for _, level := range []qrcode.RecoveryLevel{qrcode.Medium, qrcode.High, qrcode.Highest} {
		q, err := qrcode.New(text, level)
		if err != nil {
			return nil, fmt.Errorf("render: qr: %w", err)
		}
		if bits = q.Bitmap(); readable(bits, text) {
			break
		}
	}
	// The layouts leave the square to the code; the zone is what keeps
	// text and card edges out of a scanner's view, so make sure it is there.
	n := len(bits)
	for i := range n {
		for k := range quietModules {
			if bits[i][k] || bits[i][n-1-k] || bits[k][i] || bits[n-1-k][i] {
				return nil, fmt.Errorf("render: qr: the code comes without its %d-module quiet zone", quietModules)
			}
		}
	}
	return bits, nil
}

// readable says whether gozxing's QR reader — the one under the kiosk's
// scanner, with its finder-pattern detector rather than the "pure code"
// shortcut — reads text back from bits drawn four pixels a module. (Not
// kiosk/scanner itself: its tests render badges with this package.)
func readable(bits [][]bool, text string) bool {
	const px = 4
	n := len(bits)
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range n * px {
		for x := range n * px {
			if bits[y/px][x/px] {
				img.Pix[y*img.Stride+x] = 0
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return false
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	return err == nil && res.GetText() == text
}

// quietModules is the blank border a QR code needs around it (ISO/IEC
// 18004), included in every QR square a layout places.
const quietModules = 4

// drawBadge draws b at (ox, oy) on cv in layout l. The QR is encoded and
// the photo read by the caller (prepare) so a batch can fail before its
// first page.
func drawBadge(cv canvas, fs *faces, l *Layout, b *Badge, bits [][]bool, photo *jpegPhoto, ox, oy float64) error {
	band, err := ParseColor(b.Color)
	if err != nil {
		band = color.RGBA{0x88, 0x88, 0x88, 255}
	}
	if l.Band != nil {
		// The word sits on plain colour; the pattern fills the band either
		// side of it.
		word := l.Band.W
		if c := l.Category; c != nil && !c.Hide && b.CategoryName != "" {
			wt := Regular
			if c.Bold {
				wt = Bold
			}
			min := c.Min
			if min <= 0 {
				min = c.Size
			}
			word = 0
			for _, ln := range fs.fit(b.CategoryName, c.W, c.Size, min, wt, max(c.Lines, 1)) {
				word = max(word, ln.width)
			}
		}
		drawBand(cv, Box{X: ox + l.Band.X, Y: oy + l.Band.Y, W: l.Band.W, H: l.Band.H}, band, b.Pattern, word+6)
	}
	text := func(box *TextBox, s string, onBand bool) {
		if box == nil || box.Hide || s == "" {
			return
		}
		col := black
		if box.Color != "" {
			col, _ = ParseColor(box.Color)
		}
		if onBand {
			col = textOn(band)
		}
		drawText(cv, fs, box, s, ox, oy, col)
	}
	text(l.Event, b.Event, false)
	text(l.Name, b.Name, false)
	text(l.Title, b.Title, false)
	text(l.Organization, b.Organization, false)
	text(l.Delegation, b.Delegation, false)
	text(l.Seat, b.Seat, false)
	text(l.Category, b.CategoryName, l.Band != nil)
	if b.Serial > 0 {
		text(l.Serial, fmt.Sprintf("No. %06d", b.Serial), false)
	}
	if l.Photo != nil {
		if err := drawPhoto(cv, fs, l.Photo, photo, ox, oy); err != nil {
			return err
		}
	}
	return drawQR(cv, l.QR, bits, ox, oy)
}

// drawQR prints the code in its square, refusing one that would come out
// smaller than MinQRMM.
func drawQR(cv canvas, q *Box, bits [][]bool, ox, oy float64) error {
	n := float64(len(bits))
	if symbol := q.Size * (n - 8) / n; symbol < MinQRMM-0.01 {
		return fmt.Errorf("render: the QR would print %.1f mm wide, under the %d mm minimum", symbol, MinQRMM)
	}
	cv.qr(ox+q.X, oy+q.Y, q.Size, bits)
	return nil
}

// drawText fits s into box and draws it; a box of Lines 2 centres two lines
// on its baseline.
func drawText(cv canvas, fs *faces, box *TextBox, s string, ox, oy float64, col color.RGBA) {
	w := Regular
	if box.Bold {
		w = Bold
	}
	min := box.Min
	if min <= 0 {
		min = box.Size
	}
	lines := fs.fit(s, box.W, box.Size, min, w, max(box.Lines, 1))
	base := box.Baseline
	step := 0.0
	if len(lines) > 1 {
		step = lines[0].size / ptPerMM * lineSpacing
		base -= step * float64(len(lines)-1) / 2
	}
	for i, ln := range lines {
		cv.text(ox+place(box.Align, box.X, box.W, ln.width), oy+base+step*float64(i), ln, col)
	}
}
