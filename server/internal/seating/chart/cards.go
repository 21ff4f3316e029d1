package chart

import (
	"io"
	"slices"
	"unicode"

	"huiwu/badge/render"
)

// Card is one presidium name card (桌签).
type Card struct {
	Name string
	Seat string // printed small on the back edge, for the staff who place it
}

// Cards writes one A4 landscape page per card, folded along the middle
// into a tent: the name on both faces, the upper half turned half a turn
// so that it reads upright from the other side.
func Cards(w io.Writer, session string, cards []Card) error {
	d, err := newDoc(session + " 桌签")
	if err != nil {
		return err
	}
	d.exact = true
	for _, c := range cards {
		p := d.page(297, 210)
		p.line(8, 105, 289, 105, 0.2, grey, true) // the fold
		name := spaced(c.Name)
		face := func() {
			p.text(148.5, 178, 260, 150, name, true, black)
		}
		face()
		p.rotated(148.5, 105, face)
		p.text(148.5, 203, 100, 7, session+" · "+c.Seat+" · 沿虚线对折 fold on the dashed line", false, grey)
	}
	return d.write(w)
}

// spaced puts a full-width space between the characters of a
// two-character Han name (张三 → 张　三), as name cards customarily print
// them, so that it sits as wide as a three-character one. Other names —
// three characters (欧阳娜 too), with a dot, in Latin letters, or already
// spaced (王　伟) — print as written.
func spaced(name string) string {
	rs := []rune(render.Normalize(name))
	if len(rs) == 2 && unicode.Is(unicode.Han, rs[0]) && unicode.Is(unicode.Han, rs[1]) {
		return string(rs[0]) + "\u3000" + string(rs[1])
	}
	return name
}

func sortFloats(xs []float64) { slices.Sort(xs) }

func median(xs []float64, def float64) float64 {
	if len(xs) == 0 {
		return def
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
