package render

import (
	"strings"
	"unicode/utf8"
)

// run is a stretch of text drawn in one face, with its offset from the
// start of the line and its width, both in mm at the line's size.
type run struct {
	face  *face
	text  string
	x, w  float64
	bold  bool // the caller asked for bold (the fallback face has no bold)
	chars int
}

// line is shaped text ready to draw: runs at fixed offsets on one baseline.
type line struct {
	runs  []run
	width float64 // mm
	size  float64 // pt
}

const ptPerMM = 72 / 25.4

// Vertical metrics, in ems, shared by every embedded face (a test checks):
// the ascent and descent that bound a line, the largest size a wrapped
// line takes, and the distance between the baselines of two lines.
const (
	emAscent     = 1.160
	emDescent    = 0.288
	twoLineScale = 0.6
	lineSpacing  = 1.15
)

// shape splits s into runs by face and measures them at size points.
// Characters no face has are drawn with the main face (as its .notdef
// box); callers check the text first (checkField), so this only happens
// for text the caller chose to print anyway.
func (fs *faces) shape(s string, size float64, w Weight) line {
	s = Normalize(s)
	ln := line{size: size}
	var cur *run
	x := 0.0
	for _, r := range s {
		f := fs.pick(r, w)
		if f == nil {
			f = fs.main[w]
		}
		if cur == nil || cur.face != f {
			ln.runs = append(ln.runs, run{face: f, x: x, bold: w == Bold})
			cur = &ln.runs[len(ln.runs)-1]
		}
		adv := float64(f.pdf.GlyphAdvance(f.pdf.GlyphIndex(r))) / f.upem * size / ptPerMM
		cur.text += string(r)
		cur.w += adv
		cur.chars++
		x += adv
	}
	ln.width = x
	return ln
}

// fit shapes s at the largest size from max down to min (points) whose
// width is at most width mm. Long and minority names shrink rather than
// run off the card; past min the text splits into lines at a middle dot
// or space nearest the middle (or mid-string for an unbroken run of
// characters), each line again fitted; a one-line box shrinks below min
// rather than overflow. It returns one or two lines.
func (fs *faces) fit(s string, width, max, min float64, w Weight, maxLines int) []line {
	ln := fs.shape(s, max, w)
	if ln.width <= width || ln.width == 0 {
		return []line{ln}
	}
	size := max * width / ln.width
	if size >= min || maxLines <= 1 {
		// With one line allowed, overflowing onto the QR or off the card
		// is worse than type below the preferred minimum.
		return []line{fs.shape(s, size*0.999, w)}
	}
	a, b := split(Normalize(s))
	la, lb := fs.shape(a, max, w), fs.shape(b, max, w)
	widest := la.width
	if lb.width > widest {
		widest = lb.width
	}
	// Two lines take the height of one line at 1.7 times the size, so
	// they are capped at 0.6 of it to stay inside the name's band.
	size = max * twoLineScale
	if widest*twoLineScale > width {
		size = max * width / widest * 0.999
	}
	return []line{fs.shape(a, size, w), fs.shape(b, size, w)}
}

// split breaks s in two at the break point nearest its middle: after a
// middle dot, at a space, else between characters.
func split(s string) (string, string) {
	n := utf8.RuneCountInString(s)
	mid := n / 2
	best, bestDist := -1, n
	i := 0
	for pos, r := range s {
		if r == '·' || r == ' ' {
			if d := abs(i - mid); d < bestDist {
				best, bestDist = pos, d
			}
		}
		i++
	}
	if best >= 0 {
		_, size := utf8.DecodeRuneInString(s[best:])
		if s[best] == ' ' {
			return s[:best], s[best+size:]
		}
		return s[:best+size], s[best+size:] // keep the dot at the end of the first line
	}
	rs := []rune(s)
	return string(rs[:mid]), strings.TrimSpace(string(rs[mid:]))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
