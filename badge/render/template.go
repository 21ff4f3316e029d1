package render

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// MinQRMM is the smallest printed side of a QR code (without its quiet
// zone): below it, phone cameras and kiosk scanners at arm's length start
// to miss.
const MinQRMM = 20

// A badge photo is a 证件照, 3 wide by 4 high, and at least MinPhotoMM
// wide: narrower, a face cannot be told from another at arm's length.
const (
	MinPhotoMM  = 20
	PhotoAspect = 3.0 / 4.0 // width over height
)

// TextBox is a line of text on a badge: its box (x, width), its baseline,
// its largest and smallest type size and how many lines it may take.
type TextBox struct {
	X        float64 `json:"x"`
	Baseline float64 `json:"baseline"`
	W        float64 `json:"w"`
	Size     float64 `json:"size"`
	Min      float64 `json:"min"`
	Lines    int     `json:"lines,omitempty"`
	Align    Align   `json:"align,omitempty"`
	Bold     bool    `json:"bold,omitempty"`
	Color    string  `json:"color,omitempty"`
	Hide     bool    `json:"hide,omitempty"`
}

// Box is a rectangle in mm.
type Box struct {
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
	Size float64 `json:"size,omitempty"` // the QR square's side
}

// Layout places a badge's parts on a card of Width×Height mm.
type Layout struct {
	Label        string   `json:"label"`
	Width        float64  `json:"width"`
	Height       float64  `json:"height"`
	Event        *TextBox `json:"event"`
	Name         *TextBox `json:"name"`
	Title        *TextBox `json:"title"`
	Organization *TextBox `json:"organization"`
	Delegation   *TextBox `json:"delegation"`
	Seat         *TextBox `json:"seat"`
	QR           *Box     `json:"qr"`
	Serial       *TextBox `json:"serial"`
	Band         *Box     `json:"band"`
	Category     *TextBox `json:"category"`
	// Photo is where the attendee's photo goes (3:4); layouts without one
	// print no photo and need none.
	Photo *Box `json:"photo,omitempty"`
}

// Templates are the layouts by size and by size/category.
type Templates struct {
	raw map[string]json.RawMessage
}

// ParseTemplates reads a layouts file (see badge/templates) and checks
// every layout and override in it.
func ParseTemplates(data []byte) (*Templates, error) {
	var file struct {
		Layouts map[string]json.RawMessage `json:"layouts"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("render: templates: %w", err)
	}
	t := &Templates{raw: file.Layouts}
	for name := range t.raw {
		size, cat, _ := strings.Cut(name, "/")
		if _, ok := t.raw[size]; !ok {
			return nil, fmt.Errorf("render: templates: %q overrides unknown size %q", name, size)
		}
		l, err := t.Layout(size, cat)
		if err != nil {
			return nil, err
		}
		// A batch imposes every badge on the first one's grid, so a
		// category may move parts but not change the card's size.
		if base, _ := t.Layout(size, ""); l.Width != base.Width || l.Height != base.Height {
			return nil, fmt.Errorf("render: templates: %q changes the card size of %q", name, size)
		}
	}
	return t, nil
}

// Sizes lists the named sizes (the layouts that are not category
// overrides), sorted.
func (t *Templates) Sizes() []string {
	var out []string
	for name := range t.raw {
		if !strings.Contains(name, "/") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// ErrUnknownSize is returned for a size no layout has.
type ErrUnknownSize struct{ Size string }

func (e *ErrUnknownSize) Error() string { return fmt.Sprintf("render: no badge layout %q", e.Size) }

// Layout returns the layout for a size, with the category's overrides
// applied when the file has any.
func (t *Templates) Layout(size, category string) (*Layout, error) {
	base, ok := t.raw[size]
	if !ok {
		return nil, &ErrUnknownSize{size}
	}
	var l Layout
	if err := json.Unmarshal(base, &l); err != nil {
		return nil, fmt.Errorf("render: layout %s: %w", size, err)
	}
	if over, ok := t.raw[size+"/"+category]; ok && category != "" {
		// Unmarshalling into the filled struct replaces the elements the
		// override names and keeps the rest.
		if err := json.Unmarshal(over, &l); err != nil {
			return nil, fmt.Errorf("render: layout %s/%s: %w", size, category, err)
		}
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("render: layout %s: %w", size, err)
	}
	return &l, nil
}

// Scaled returns the layout stretched to a custom card of w×h mm: positions
// scale per axis, type by the smaller factor so text never overflows.
func (l *Layout) Scaled(w, h float64) (*Layout, error) {
	sx, sy := w/l.Width, h/l.Height
	s := min(sx, sy)
	out := *l
	out.Label = fmt.Sprintf("%.1f×%.1f mm", w, h)
	out.Width, out.Height = w, h
	for _, p := range []**TextBox{&out.Event, &out.Name, &out.Title, &out.Organization, &out.Delegation, &out.Seat, &out.Serial, &out.Category} {
		if *p == nil {
			continue
		}
		b := **p
		b.X, b.W, b.Baseline, b.Size, b.Min = b.X*sx, b.W*sx, b.Baseline*sy, b.Size*s, b.Min*s
		*p = &b
	}
	if l.Band != nil {
		out.Band = &Box{X: l.Band.X * sx, Y: l.Band.Y * sy, W: l.Band.W * sx, H: l.Band.H * sy}
	}
	if l.QR != nil {
		// The QR stays square and keeps its centre.
		q := *l.QR
		cx, cy := (q.X+q.Size/2)*sx, (q.Y+q.Size/2)*sy
		q.Size *= s
		q.X, q.Y = cx-q.Size/2, cy-q.Size/2
		out.QR = &q
	}
	if l.Photo != nil {
		// The photo, too, keeps its shape and its centre.
		p := *l.Photo
		cx, cy := (p.X+p.W/2)*sx, (p.Y+p.H/2)*sy
		p.W, p.H = p.W*s, p.H*s
		p.X, p.Y = cx-p.W/2, cy-p.H/2
		out.Photo = &p
	}
	return &out, out.check()
}

// check rejects layouts that would print wrong: parts off the card, a QR
// square too small to hold a 20 mm code.
func (l *Layout) check() error {
	if l.Width <= 0 || l.Height <= 0 || l.Width > 300 || l.Height > 300 {
		return fmt.Errorf("card size %.1f×%.1f mm out of range", l.Width, l.Height)
	}
	if l.Name == nil || l.QR == nil {
		return fmt.Errorf("a layout needs a name and a qr")
	}
	// A token's code is version 6 at EC M: 41 modules plus 8 of quiet
	// zone. drawQR checks the real code again when it prints.
	if l.QR.Size*41/49 < MinQRMM-0.01 {
		return fmt.Errorf("qr square %.1f mm prints the code smaller than %d mm", l.QR.Size, MinQRMM)
	}
	if l.QR.X < 0 || l.QR.Y < 0 || l.QR.X+l.QR.Size > l.Width+0.01 || l.QR.Y+l.QR.Size > l.Height+0.01 {
		return fmt.Errorf("qr square runs off the card")
	}
	if err := l.checkPhoto(); err != nil {
		return err
	}
	for _, b := range []*TextBox{l.Event, l.Name, l.Title, l.Organization, l.Delegation, l.Seat, l.Serial, l.Category} {
		if b == nil {
			continue
		}
		if b.X < 0 || b.X+b.W > l.Width+0.01 || b.Baseline <= 0 || b.Baseline > l.Height || b.Size <= 0 || b.Min > b.Size {
			return fmt.Errorf("text box at %.1f,%.1f off the card or with bad sizes", b.X, b.Baseline)
		}
		// The QR square holds the code and its 4-module quiet zone, which
		// scanners need blank: no text may reach into it, however long
		// the name (lines never run past their box's width).
		top, bottom := b.extent()
		q := l.QR
		if !b.Hide && b.X < q.X+q.Size && b.X+b.W > q.X && top < q.Y+q.Size && bottom > q.Y {
			return fmt.Errorf("text box at %.1f,%.1f reaches into the qr square and its quiet zone", b.X, b.Baseline)
		}
		// Nor may it run over the face.
		if p := l.Photo; p != nil && !b.Hide && b.X < p.X+p.W && b.X+b.W > p.X && top < p.Y+p.H && bottom > p.Y {
			return fmt.Errorf("text box at %.1f,%.1f reaches into the photo", b.X, b.Baseline)
		}
		if b.Color != "" {
			if _, err := ParseColor(b.Color); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkPhoto rejects a photo box that is not 3:4, is narrower than
// MinPhotoMM, runs off the card, or covers the QR square or the band.
func (l *Layout) checkPhoto() error {
	p := l.Photo
	if p == nil {
		return nil
	}
	if p.W < MinPhotoMM-0.01 {
		return fmt.Errorf("photo %.1f mm wide, under the %d mm minimum", p.W, MinPhotoMM)
	}
	if p.H <= 0 || math.Abs(p.W/p.H-PhotoAspect) > 0.005 {
		return fmt.Errorf("photo %.1f×%.1f mm is not 3:4", p.W, p.H)
	}
	if p.X < 0 || p.Y < 0 || p.X+p.W > l.Width+0.01 || p.Y+p.H > l.Height+0.01 {
		return fmt.Errorf("photo runs off the card")
	}
	q := l.QR
	if p.X < q.X+q.Size && p.X+p.W > q.X && p.Y < q.Y+q.Size && p.Y+p.H > q.Y {
		return fmt.Errorf("photo covers the qr square and its quiet zone")
	}
	if b := l.Band; b != nil && p.X < b.X+b.W && p.X+p.W > b.X && p.Y < b.Y+b.H && p.Y+p.H > b.Y {
		return fmt.Errorf("photo covers the category band")
	}
	return nil
}

// extent is how far the box's text can reach above and below the page's
// top, in mm: one line at its largest size, or, for a box of two lines,
// both lines at theirs (see faces.fit and drawText).
func (b *TextBox) extent() (top, bottom float64) {
	em := b.Size / ptPerMM
	top, bottom = b.Baseline-emAscent*em, b.Baseline+emDescent*em
	if b.Lines >= 2 {
		half := twoLineScale * em * lineSpacing / 2
		bottom = max(bottom, b.Baseline+half+emDescent*twoLineScale*em)
	}
	return top, bottom
}
