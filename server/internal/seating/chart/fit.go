package chart

import (
	"math"
	"strings"

	"huiwu/badge/render"
)

// MinNameMM is the smallest type (the em, in mm) a name should print at
// on a 座次图: about 7 pt, what a protocol officer reads at arm's length.
const MinNameMM = 2.5

const (
	// lineStep is the distance between the baselines of a name's two
	// lines, in ems.
	lineStep = 1.15
	// ideoAscent is how far CJK type reaches above its baseline, in ems
	// (the ideographic em box of Noto Sans CJK runs from 0.88 to -0.12).
	ideoAscent = 0.88
)

// NameFit is how a name sits in its box on a printed chart.
type NameFit struct {
	Lines []string // one line, or two split after a · or at a space
	Size  float64  // type size, points
	// Fits is false when the name does not fit at MinNameMM: Size is then
	// the largest that does fit, under the floor, and the caller chooses
	// between printing it so and giving the name more room.
	Fits bool
}

// fitName fits a name into a box w×h mm at up to maxPt points. A name that
// does not fit on one line at maxPt is first wrapped onto two lines after
// a middle dot or at a space (阿卜杜拉· / 买买提, Anna / Müller), at the split
// that leaves the shorter longer line; then it shrinks. Whichever of one
// line or two lets the name print larger wins, and a name is never broken
// inside a word: 欧阳娜娜 stays whole.
func (d *doc) fitName(s string, w, h, maxPt float64, bold bool) NameFit {
	s = render.Normalize(s)
	// Width in mm of text at 1 pt; widths scale with the size.
	width := func(t string) float64 {
		_, x := d.shape(t, 1, bold)
		return x
	}
	size := func(lines ...string) float64 {
		widest := 0.0
		for _, l := range lines {
			widest = math.Max(widest, width(l))
		}
		tall := 1 + float64(len(lines)-1)*lineStep // ems
		z := math.Min(maxPt, h*ptPerMM/tall)
		if widest > 0 {
			z = math.Min(z, w/widest)
		}
		return z
	}
	best := NameFit{Lines: []string{s}, Size: size(s)}
	if best.Size < maxPt {
		for _, pair := range splits(s) {
			if z := size(pair[0], pair[1]); z > best.Size {
				best = NameFit{Lines: pair[:], Size: z}
			}
		}
	}
	best.Fits = best.Size/ptPerMM >= MinNameMM-1e-9
	return best
}

// splits lists the ways to put s on two lines: after each middle dot (the
// dot stays at the end of the first line, as a name is written) and at
// each space.
func splits(s string) [][2]string {
	var out [][2]string
	for i, r := range s {
		switch r {
		case '·':
			j := i + len("·")
			if i > 0 && j < len(s) {
				out = append(out, [2]string{s[:j], s[j:]})
			}
		case ' ':
			if a, b := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i:]); a != "" && b != "" {
				out = append(out, [2]string{a, b})
			}
		}
	}
	return out
}

// name draws a fitted name centred on cx in the band from top, h mm tall.
func (p *page) name(cx, top, h float64, f NameFit, bold bool, c rgb) {
	em := f.Size / ptPerMM
	block := em * (1 + float64(len(f.Lines)-1)*lineStep)
	base := top + (h-block)/2 + ideoAscent*em
	for i, l := range f.Lines {
		p.text(cx, base+float64(i)*lineStep*em, math.Inf(1), f.Size, l, bold, c)
	}
}
