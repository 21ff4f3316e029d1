package demo

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"huiwu/data"
)

// The lists are read from the embedded data/demo folder once. A malformed
// list is a bug in the binary, not bad input, so parsing panics with the file
// and line, the way regexp.MustCompile does; the package tests parse every
// list.

// weighted is one entry of a weighted list: a surname, a given-name
// character, an ethnicity.
type weighted struct {
	text   string
	weight int
}

// delegationSpec is one line of delegations.txt.
type delegationSpec struct {
	sort     int
	name     string
	city     string // 江阳市
	short    string // 江阳
	size     int    // deputies, leaders included
	group    int    // 1 or 2
	idPrefix string // first four digits of the region code
	counties []county
}

// county is a county-level division with the region code suffix and the
// title of its head, both derived from the last character of its name.
type county struct {
	name   string
	code   string // six-digit region code
	chief  string // 区长, 县长, 市长
	suffix string
}

// roleSpec is one line of the role lists. Count and home are used by the
// fixed lists (observers, guests, staff, press); weight, level and scope by
// the deputy roles; deleg by the leaders.
type roleSpec struct {
	count  int
	weight int
	level  int
	scope  string // any, host
	home   string // local, away, city
	flags  string // "", lunches, single
	deleg  int    // leaders: delegation sort, 0 for "each city"
	org    string
	title  string
}

// special is one line of special_names.txt.
type special struct {
	name, gender, ethnicity string
	slot                    string // leader, deputy, observer, guest, staff, press
	slotN                   int    // rank for leader, delegation sort for deputy
	home                    string
	region                  string // "", "none" or six digits
	diet                    string
	org, title, notes       string
}

// need is one line of needs.txt.
type need struct {
	kind, text string
	count      int
}

// lists holds every parsed word list.
type lists struct {
	event       map[string]string
	surnames    []weighted
	male        []weighted
	female      []weighted
	ethnicities []weighted
	delegations []delegationSpec
	leaders     []roleSpec
	deputyRoles []roleSpec
	observers   []roleSpec
	guests      []roleSpec
	staff       []roleSpec
	press       []roleSpec
	words       map[string][]string
	otherRegion []string
	specials    []special
	needs       []need
}

var (
	listsOnce sync.Once
	parsed    *lists
)

// words returns the parsed lists; they are read once and never modified.
func words() *lists {
	listsOnce.Do(func() { parsed = parseLists(data.Demo) })
	return parsed
}

func parseLists(fsys fs.FS) *lists {
	l := &lists{event: map[string]string{}, words: map[string][]string{}}
	for _, r := range table(fsys, "event.txt", 2) {
		l.event[r[0]] = r[1]
	}
	l.surnames = weights(fsys, "surnames.txt")
	l.male = weights(fsys, "given_male.txt")
	l.female = weights(fsys, "given_female.txt")
	l.ethnicities = weights(fsys, "ethnicities.txt")
	for _, r := range table(fsys, "delegations.txt", 8) {
		d := delegationSpec{sort: atoi(r[0]), name: r[1], city: r[2], short: r[3],
			size: atoi(r[4]), group: atoi(r[5]), idPrefix: r[6]}
		next := map[string]int{"区": 2, "县": 21, "市": 81}
		chief := map[string]string{"区": "区长", "县": "县长", "市": "市长"}
		for _, name := range strings.Split(r[7], ",") {
			suffix := name[len(name)-len("区"):]
			n, ok := next[suffix]
			if !ok {
				panic(fmt.Sprintf("demo: delegations.txt: county %q must end in 区, 县 or 市", name))
			}
			next[suffix] = n + 1
			d.counties = append(d.counties, county{name: name,
				code: fmt.Sprintf("%s%02d", d.idPrefix, n), chief: chief[suffix], suffix: suffix})
		}
		l.delegations = append(l.delegations, d)
	}
	for _, r := range table(fsys, "leaders.txt", 3) {
		s := roleSpec{count: 1, org: r[1], title: r[2]}
		if r[0] != "*" {
			s.deleg = atoi(r[0])
		}
		l.leaders = append(l.leaders, s)
	}
	for _, r := range table(fsys, "deputy_roles.txt", 5) {
		l.deputyRoles = append(l.deputyRoles, roleSpec{weight: atoi(r[0]), level: atoi(r[1]),
			scope: r[2], org: r[3], title: r[4]})
	}
	l.observers = fixedRoles(fsys, "observers.txt")
	l.guests = fixedRoles(fsys, "guests.txt")
	l.staff = fixedRoles(fsys, "staff.txt")
	l.press = fixedRoles(fsys, "press.txt")
	for _, r := range table(fsys, "words.txt", 2) {
		l.words[r[0]] = append(l.words[r[0]], r[1])
	}
	for _, r := range table(fsys, "regions.txt", 2) {
		l.otherRegion = append(l.otherRegion, r[1])
	}
	for _, r := range table(fsys, "special_names.txt", 10) {
		s := special{name: r[0], gender: r[1], ethnicity: dash(r[2]), home: dash(r[4]),
			region: dash(r[5]), diet: dash(r[6]), org: dash(r[7]), title: dash(r[8]), notes: dash(r[9])}
		s.slot, s.slotN = r[3], 0
		if kind, n, ok := strings.Cut(r[3], ":"); ok {
			s.slot, s.slotN = kind, atoi(n)
		}
		l.specials = append(l.specials, s)
	}
	for _, r := range table(fsys, "needs.txt", 3) {
		l.needs = append(l.needs, need{kind: r[0], text: r[1], count: atoi(r[2])})
	}
	return l
}

// fixedRoles reads observers.txt and its siblings: count|home|flags|org|title.
func fixedRoles(fsys fs.FS, name string) []roleSpec {
	var out []roleSpec
	for _, r := range table(fsys, name, 5) {
		out = append(out, roleSpec{count: atoi(r[0]), home: r[1], flags: dash(r[2]), org: r[3], title: r[4]})
	}
	return out
}

func weights(fsys fs.FS, name string) []weighted {
	var out []weighted
	for _, r := range table(fsys, name, 2) {
		out = append(out, weighted{text: r[0], weight: atoi(r[1])})
	}
	return out
}

// table reads a '|'-separated list, skipping blank lines and # comments, and
// insists on exactly cols fields a line.
func table(fsys fs.FS, name string, cols int) [][]string {
	b, err := fs.ReadFile(fsys, "demo/"+name)
	if err != nil {
		panic(fmt.Sprintf("demo: %v", err))
	}
	var rows [][]string
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != cols {
			panic(fmt.Sprintf("demo: %s:%d: want %d fields, got %d", name, i+1, cols, len(f)))
		}
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
			if f[j] == "" {
				panic(fmt.Sprintf("demo: %s:%d: field %d is empty (write - for none)", name, i+1, j+1))
			}
		}
		rows = append(rows, f)
	}
	if len(rows) == 0 {
		panic("demo: " + name + " is empty")
	}
	return rows
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("demo: %q is not a number", s))
	}
	return n
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
