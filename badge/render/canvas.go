package render

import (
	"fmt"
	"image/color"
	"strconv"
)

// canvas is what a layout draws on. Coordinates are mm from the top-left
// corner of the page; text is placed by its baseline so that a fallback
// face taking over mid-name cannot make the line jump (the faces' own line
// heights differ). The PDF and the PNG backends take the same calls, so a
// preview shows exactly what will print.
type canvas interface {
	rect(x, y, w, h float64, c color.RGBA)
	line(x1, y1, x2, y2, width float64, c color.RGBA, dashed bool)
	text(x, baseline float64, ln line, c color.RGBA)
	// qr draws the code's modules (quiet zone included in bits) into the
	// square at x, y of side size.
	qr(x, y, size float64, bits [][]bool)
	// photo fills the box at x, y of w×h mm with p, cover-cropped (see
	// jpegPhoto.crop).
	photo(x, y, w, h float64, p *jpegPhoto) error
}

var (
	black = color.RGBA{0, 0, 0, 255}
	white = color.RGBA{255, 255, 255, 255}
	grey  = color.RGBA{90, 90, 90, 255}
	light = color.RGBA{170, 170, 170, 255}
	// color240 shades table headings.
	color240 = color.RGBA{240, 240, 240, 255}
)

// ParseColor reads "#RRGGBB" as the categories table stores colours.
func ParseColor(s string) (color.RGBA, error) {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, fmt.Errorf("render: colour %q is not #RRGGBB", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{}, fmt.Errorf("render: colour %q is not #RRGGBB", s)
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

// textOn picks black or white text for a band of colour c, whichever
// contrasts more (W3C relative luminance, roughly).
func textOn(c color.RGBA) color.RGBA {
	lum := 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
	if lum > 150 {
		return black
	}
	return white
}

// Align places text within its box.
type Align string

// Alignments.
const (
	Left   Align = "left"
	Center Align = "center"
	Right  Align = "right"
)

// place returns the x at which a line of width w starts in a box at x of
// width boxW.
func place(a Align, x, boxW, w float64) float64 {
	switch a {
	case Center:
		return x + (boxW-w)/2
	case Right:
		return x + boxW - w
	}
	return x
}
