package workbook

import (
	"strings"

	"huiwu/server/internal/eventdef"
)

// Position is a place in the workbook: a sheet, a spreadsheet row and, when
// known, a column by letter and by its header.
type Position struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Header string `json:"header,omitempty"`
}

// Locator maps the paths of eventdef validation errors (sessions[2].venue,
// venues[0].sections[1].rows, meals[1].halls[0].venue) back to the cells
// they were read from, so that the desk can point at the cell to fix.
type Locator struct {
	items  map[string]itemAt   // "sessions[2]", "meals[1].halls[0]" → the row
	fields map[string]Position // paths placed one by one (event.*)
	given  eventdef.Given
}

// itemAt is the row an item of the definition came from.
type itemAt struct {
	line   int
	sheet  *sheetAt
	prefix string // put before a field path: hallPrefix for a meal's hall rows
}

// sheetAt is a sheet as found in the file: its name and where each field
// path's column is.
type sheetAt struct {
	name string
	cols map[string]colAt
}

type colAt struct{ letter, header string }

func newLocator() *Locator {
	return &Locator{items: map[string]itemAt{}, fields: map[string]Position{}, given: eventdef.Given{}}
}

// Cell gives the sheet, row and column letter a validation path came from.
// A path that names no cell of its own (venues[0].tables[3].seats, read
// from one 餐桌 cell; sessions[2].expected) gives the nearest cell or row
// it was read from; column is "" when only the row is known. ok is false
// for a path the workbook did not give.
func (l *Locator) Cell(path string) (sheet string, row int, column string, ok bool) {
	p, ok := l.Position(path)
	return p.Sheet, p.Row, p.Column, ok
}

// Position is Cell with the column's header as well.
func (l *Locator) Position(path string) (Position, bool) {
	if l == nil {
		return Position{}, false
	}
	for p := path; p != ""; p = parentPath(p) {
		if pos, ok := l.fields[p]; ok {
			return pos, true
		}
		it, ok := l.items[p]
		if !ok {
			continue
		}
		pos := Position{Sheet: it.sheet.name, Row: it.line}
		for rest := strings.TrimPrefix(path[len(p):], "."); rest != ""; rest = parentPath(rest) {
			if c, ok := it.sheet.cols[it.prefix+rest]; ok {
				pos.Column, pos.Header = c.letter, c.header
				break
			}
		}
		return pos, true
	}
	return Position{}, false
}

// Given lists the parts of the definition whose sheets the workbook has,
// for a PUT that should leave the others as they are (eventdef.Merge).
func (l *Locator) Given() eventdef.Given {
	out := eventdef.Given{}
	if l != nil {
		for k, v := range l.given {
			out[k] = v
		}
	}
	return out
}

// parentPath drops a path's last step: a[1].b → a[1] → a → "".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
		return ""
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

func (l *Locator) item(path string, line int, s *sheetAt, prefix string) {
	l.items[path] = itemAt{line: line, sheet: s, prefix: prefix}
}
