package render

import (
	"image/color"
	"math"
)

// Pattern is drawn over a category's band colour in a light tint of it.
// Red, blue, green and purple bands print as nearly one grey (65–93 of 255)
// on the office's black-and-white printer; the usher at the door tells 代表
// from 记者 by the band, so each category also gets a texture of its own.
// The word in the band stays on plain colour.
type Pattern string

// The patterns, in the order PatternFor hands them out.
const (
	Solid      Pattern = ""
	Diagonal   Pattern = "diagonal" // stripes rising to the right
	Dots       Pattern = "dots"     // a grid of small squares
	Bars       Pattern = "bars"     // upright bars
	Checks     Pattern = "checks"   // a chequerboard
	Lines      Pattern = "lines"    // thin lines across
	Crosshatch Pattern = "crosshatch"
)

var patterns = []Pattern{Solid, Diagonal, Dots, Bars, Lines, Checks, Crosshatch}

// PatternFor is the pattern of the category at position i in the event's
// order of categories (from 0): the first is plain, and no two of the
// first seven share one.
func PatternFor(i int) Pattern { return patterns[((i%len(patterns))+len(patterns))%len(patterns)] }

// tint is c mixed towards white: light enough to read as a texture in
// grey, still the category's colour on a colour printer.
func tint(c color.RGBA) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*0.72) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

// drawBand fills band with colour c and draws pattern p over it, leaving
// plain a space word mm wide at its centre for the category's word.
func drawBand(cv canvas, band Box, c color.RGBA, p Pattern, word float64) {
	cv.rect(band.X, band.Y, band.W, band.H, c)
	if p == Solid {
		return
	}
	gap := math.Min(word, band.W)
	side := (band.W - gap) / 2
	if side <= 0.5 {
		return
	}
	light := tint(c)
	for _, r := range []Box{{X: band.X, Y: band.Y, W: side, H: band.H}, {X: band.X + band.W - side, Y: band.Y, W: side, H: band.H}} {
		fillPattern(cv, r, light, p)
	}
}

// fillPattern draws p in colour c inside r.
func fillPattern(cv canvas, r Box, c color.RGBA, p Pattern) {
	// squares draws w×h squares every step mm across and down, offset
	// by shift on every other row.
	squares := func(w, h, stepX, stepY, shift float64) {
		for i, y := 0, r.Y; y < r.Y+r.H; i, y = i+1, y+stepY {
			off := 0.0
			if i%2 == 1 {
				off = shift
			}
			for x := r.X + off; x < r.X+r.W; x += stepX {
				cv.rect(x, y, math.Min(w, r.X+r.W-x), math.Min(h, r.Y+r.H-y), c)
			}
		}
	}
	switch p {
	case Dots:
		squares(0.8, 0.8, 2.4, 2.4, 1.2)
	case Bars:
		squares(1.0, r.H, 2.6, r.H, 0)
	case Lines:
		squares(r.W, 0.5, r.W, 1.8, 0)
	case Checks:
		squares(2.0, 2.0, 4.0, 2.0, 2.0)
	case Diagonal:
		diagonals(cv, r, c, 2.6, 0.9, 1)
	case Crosshatch:
		diagonals(cv, r, c, 3.0, 0.5, 1)
		diagonals(cv, r, c, 3.0, 0.5, -1)
	}
}

// diagonals draws lines of width w every step mm (measured across) at 45°,
// rising to the right (dir 1) or falling (dir -1), clipped to r.
func diagonals(cv canvas, r Box, c color.RGBA, step, w float64, dir float64) {
	// Lines y = y0 - dir·(x - r.X) + k·step·√2 for each k that crosses r.
	pitch := step * math.Sqrt2
	for k := -math.Ceil(r.W / pitch); k*pitch < r.H+r.W; k++ {
		// Along the line, x runs over r's width; clip y to r's height.
		x0, x1 := r.X, r.X+r.W
		at := func(x float64) float64 {
			if dir > 0 {
				return r.Y + k*pitch - (x - r.X) + r.W
			}
			return r.Y + k*pitch + (x - r.X) - r.W
		}
		ya, yb := at(x0), at(x1)
		// Cut the segment where it leaves r at the top or the bottom.
		clip := func(x, y float64, xo, yo float64) (float64, float64) {
			switch {
			case y < r.Y:
				return x + (r.Y-y)/(yo-y)*(xo-x), r.Y
			case y > r.Y+r.H:
				return x + (r.Y+r.H-y)/(yo-y)*(xo-x), r.Y + r.H
			}
			return x, y
		}
		if (ya < r.Y && yb < r.Y) || (ya > r.Y+r.H && yb > r.Y+r.H) {
			continue
		}
		ax, ay := clip(x0, ya, x1, yb)
		bx, by := clip(x1, yb, x0, ya)
		cv.line(ax, ay, bx, by, w, c, false)
	}
}
