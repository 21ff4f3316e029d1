package eventdef

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"huiwu/badge/templates"
)

// DefaultBadgeLayout is the layout an event prints on unless it names
// another: the CR80 card, which carries no photo.
const DefaultBadgeLayout = "cr80"

// BadgeLayouts lists the badge sizes of the embedded templates
// (badge/templates: every layout but a category's override), sorted: the
// values Event.BadgeLayout may take. The file is read here rather than
// through badge/render, which would bring the fonts into every user of
// the definition.
var BadgeLayouts = sync.OnceValue(func() []string {
	var file struct {
		Layouts map[string]json.RawMessage `json:"layouts"`
	}
	if err := json.Unmarshal(templates.JSON, &file); err != nil {
		panic("eventdef: the embedded badge templates: " + err.Error()) // a build that cannot print
	}
	var out []string
	for name := range file.Layouts {
		if !strings.Contains(name, "/") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
})

// badgeLayout checks the event's layout (empty is the default).
func (v *validator) badgeLayout(layout string) {
	all := BadgeLayouts()
	if layout == "" || slices.Contains(all, layout) {
		return
	}
	if r := []rune(layout); len(r) > 40 {
		layout = string(r[:40]) + "…"
	}
	v.add("event.badge_layout", CodeBadValue,
		fmt.Sprintf("没有这种证件版式“%s”，应为 %s 之一（带 -photo 的版式印照片）", layout, strings.Join(all, "、")),
		fmt.Sprintf("no badge layout %q; use one of %s (a -photo layout prints the attendee's photo)", layout, strings.Join(all, ", ")))
}
