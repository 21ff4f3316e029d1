package render

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/carlos7ags/folio/font"
	"golang.org/x/image/font/opentype"

	"huiwu/badge/fonts"
)

// Weight selects the main face for a piece of text.
type Weight int

// Weights. Bold is used for names and headings.
const (
	Regular Weight = iota
	Bold
)

// face is one parsed font: folio's parse for PDF embedding and metrics,
// x/image's for rasterising PNG previews. Both are safe for concurrent use
// and are parsed once per process (see loadFaces).
type face struct {
	name     string
	fallback bool // the fallback face, which has no bold of its own
	pdf      font.Face
	raster   *opentype.Font
	upem     float64
	// ascent and descent in em units, used to place every run on one
	// baseline whatever face it comes from.
	ascent, descent float64
}

// faces holds the main faces by weight and the fallback face.
type faces struct {
	main     [2]*face
	fallback *face
}

var (
	loadOnce   sync.Once
	loaded     *faces
	loadErr    error
	parseCount int // how many times the fonts were parsed; tests assert 1
)

// loadFaces parses the embedded fonts the first time it is called. Parsing
// three CJK fonts costs tens of milliseconds and megabytes of tables, so a
// server parses them once, not per badge.
func loadFaces() (*faces, error) {
	loadOnce.Do(func() {
		parseCount++
		var fs faces
		for i, src := range []struct {
			name string
			data []byte
			dst  **face
		}{
			{"NotoSansSC-Regular", fonts.SCRegular, &fs.main[Regular]},
			{"NotoSansSC-Bold", fonts.SCBold, &fs.main[Bold]},
			{"NotoSansJP-Regular", fonts.JPRegular, &fs.fallback},
		} {
			f, err := parseFace(src.name, src.data)
			if err != nil {
				loadErr = fmt.Errorf("render: font %d %s: %w", i, src.name, err)
				return
			}
			*src.dst = f
		}
		fs.fallback.fallback = true
		loaded = &fs
	})
	return loaded, loadErr
}

func parseFace(name string, data []byte) (*face, error) {
	pf, err := font.ParseFont(data)
	if err != nil {
		return nil, err
	}
	rf, err := opentype.Parse(data)
	if err != nil {
		return nil, err
	}
	upem := float64(pf.UnitsPerEm())
	return &face{name: name, pdf: pf, raster: rf, upem: upem,
		ascent: float64(pf.Ascent()) / upem, descent: float64(pf.Descent()) / upem}, nil
}

// pick returns the face that draws r at weight w: the main face when it has
// the glyph, else the fallback, else nil.
func (fs *faces) pick(r rune, w Weight) *face {
	if fs.main[w].pdf.GlyphIndex(r) != 0 {
		return fs.main[w]
	}
	if fs.fallback.pdf.GlyphIndex(r) != 0 {
		return fs.fallback
	}
	return nil
}

// MissingGlyphsError reports characters no shipped font can draw. The desk
// shows it before anything is printed: a badge with a blank box where a
// name's character should be is worse than no badge.
type MissingGlyphsError struct {
	Field string // which text: "name", "organization", …
	Text  string
	Runes []rune
}

func (e *MissingGlyphsError) Error() string {
	return fmt.Sprintf("render: no font has %s in %s %q", FormatRunes(e.Runes), e.Field, e.Text)
}

// FormatRunes lists characters with their code points, e.g. "𠮷 (U+20BB7)".
func FormatRunes(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%c (U+%04X)", r, r)
	}
	return strings.Join(parts, ", ")
}

// Missing returns the distinct characters of s that neither the main faces
// nor the fallback can draw, in order of first appearance. Spaces and
// control characters need no glyph.
func Missing(s string) ([]rune, error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	var out []rune
	seen := map[rune]bool{}
	for _, r := range Normalize(s) {
		if unicode.IsSpace(r) || unicode.IsControl(r) || seen[r] {
			continue
		}
		seen[r] = true
		// A character counts as drawable only when the regular and the
		// bold path both reach a glyph: names are bold, the rest regular.
		if fs.pick(r, Regular) == nil || fs.pick(r, Bold) == nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// checkField is Missing as an error for one named piece of text.
func checkField(field, s string) error {
	rs, err := Missing(s)
	if err != nil {
		return err
	}
	if len(rs) > 0 {
		return &MissingGlyphsError{Field: field, Text: s, Runes: rs}
	}
	return nil
}

// middleDots are the look-alikes of U+00B7 that turn up in attendee lists
// typed on different systems (katakana middle dot, halfwidth, bullet,
// hyphenation point, dot operator, bullet operator).
var middleDots = strings.NewReplacer("・", "·", "･", "·", "•", "·", "‧", "·", "⋅", "·", "∙", "·")

// Normalize prepares text for printing: the middle-dot look-alikes become
// U+00B7 (the separator in minority and foreign names, 阿卜杜拉·买买提) so
// that every badge prints and extracts one character, and runs of white
// space (tabs, newlines from a spreadsheet cell) collapse to one space.
// The ideographic space U+3000 is kept: it is typed on purpose, as in a
// two-character name padded to three (王　伟).
func Normalize(s string) string {
	split := func(r rune) bool { return r != '\u3000' && unicode.IsSpace(r) }
	return strings.Join(strings.FieldsFunc(middleDots.Replace(s), split), " ")
}
