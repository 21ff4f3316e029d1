package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"huiwu/server/internal/domain"
)

// person is an attendee while the generator builds it; it becomes a
// domain.Attendee once ranks, keys and entitlements are known. The slice of
// persons is kept in published list order throughout.
type person struct {
	cat        string
	org, title string
	deleg      int // index into lists.delegations for deputies, else -1
	city       int // index of the home city, -1 for provincial bodies
	level      int // order inside a delegation
	presidium  bool
	local      bool // lives in the host city: no hotel room
	flags      string
	named      bool // name fixed by special_names.txt
	foreign    bool
	name       string
	gender     string
	ethnicity  string
	region     string // region code of the ID number; "" when none
	idNumber   string
	phone      string
	diet       string
	access     string
	notes      string
	group      int // discussion group 1 or 2, 0 for none
	arrival    string
	departure  string
	plan       *travelPlan // the journey the free text above tells, if any
}

// buildPeople lays out who comes, in list order: the presidium, the
// delegations' deputies, then observers, guests, staff and press. Names come
// later (nameAll) so that the list order does not depend on them.
func buildPeople(l *lists) []*person {
	r := stream(streamRoles)
	var ps []*person
	for _, s := range l.leaders {
		if s.deleg == 0 { // one for each delegation
			for i := range l.delegations {
				p := &person{cat: domain.CategoryDeputy, deleg: i, city: i, presidium: true, local: i == 0}
				p.org, p.title = l.fill(r, s.org, s.title, i)
				if strings.HasSuffix(p.title, "书记") {
					p.notes = l.delegations[i].name + "团长"
				} else {
					p.notes = l.delegations[i].name + "副团长"
				}
				ps = append(ps, p)
			}
			continue
		}
		p := &person{cat: domain.CategoryDeputy, deleg: s.deleg - 1, city: -1, presidium: true, local: true}
		p.org, p.title = l.fill(r, s.org, s.title, -1)
		ps = append(ps, p)
	}

	seen := map[string]bool{}
	for i, d := range l.delegations {
		n := d.size
		for _, p := range ps {
			if p.deleg == i {
				n--
			}
		}
		var roles []roleSpec
		for _, s := range l.deputyRoles {
			if s.scope == "any" || (s.scope == "host" && i == 0) {
				roles = append(roles, s)
			}
		}
		var ds []*person
		for tries := 0; len(ds) < n; tries++ {
			if tries > 100*d.size {
				panic(fmt.Sprintf("demo: cannot find %d distinct roles for %s", n, d.name))
			}
			s := roles[pickIndex(r, len(roles), func(j int) int { return roles[j].weight })]
			org, title := l.fill(r, s.org, s.title, i)
			if seen[org+"|"+title] {
				continue
			}
			seen[org+"|"+title] = true
			ds = append(ds, &person{cat: domain.CategoryDeputy, deleg: i, city: i, level: s.level,
				org: org, title: title, local: i == 0})
		}
		slices.SortStableFunc(ds, func(a, b *person) int { return a.level - b.level })
		ps = append(ps, ds...)
	}

	ps = append(ps, l.fixed(r, domain.CategoryObserver, l.observers)...)
	ps = append(ps, l.fixed(r, domain.CategoryGuest, l.guests)...)
	ps = append(ps, l.fixed(r, domain.CategoryStaff, l.staff)...)
	ps = append(ps, l.fixed(r, domain.CategoryPress, l.press)...)
	ps = placeSpecials(l, ps)
	for _, p := range ps {
		if p.deleg >= 0 {
			p.group = l.delegations[p.deleg].group
		}
	}
	balanceObservers(l, ps)
	return ps
}

// fixed expands one of the fixed lists (observers.txt …).
func (l *lists) fixed(r *rand.Rand, cat string, specs []roleSpec) []*person {
	var out []*person
	for _, s := range specs {
		cities := []int{-1}
		if s.home == "city" {
			cities = cities[:0]
			for i := range l.delegations {
				cities = append(cities, i)
			}
		}
		for _, c := range cities {
			for range s.count {
				p := &person{cat: cat, deleg: -1, city: c, flags: s.flags}
				p.org, p.title = l.fill(r, s.org, s.title, c)
				p.local = s.home == "local" || (s.home == "city" && c == 0)
				out = append(out, p)
			}
		}
	}
	return out
}

// fill expands a template pair. Every placeholder is drawn on every call so
// that the random stream advances the same way whatever the template uses.
func (l *lists) fill(r *rand.Rand, org, title string, city int) (string, string) {
	vars := []string{"{prov}", l.event["province"], "{ps}", l.event["province_short"]}
	d := l.delegations[0]
	if city >= 0 {
		d = l.delegations[city]
	}
	cty := d.counties[r.IntN(len(d.counties))]
	countyName := cty.name
	if cty.suffix == "区" { // a district is written with its city: 江阳市江城区
		countyName = d.city + cty.name
	}
	town := l.word(r, "town")
	townChief := "镇长"
	if strings.HasSuffix(town, "乡") {
		townChief = "乡长"
	}
	vars = append(vars, "{city}", d.city, "{c}", d.short, "{county}", countyName, "{chief}", cty.chief,
		"{town}", town, "{town_chief}", townChief, "{village}", l.word(r, "village"),
		"{street}", l.word(r, "street"), "{comm}", l.word(r, "comm"), "{firm}", l.word(r, "firm"),
		"{ind}", l.word(r, "ind"), "{n}", l.word(r, "num"))
	rep := strings.NewReplacer(vars...)
	org, title = rep.Replace(org), rep.Replace(title)
	if strings.Contains(org+title, "{") {
		panic("demo: unknown placeholder in " + org + "|" + title)
	}
	return org, title
}

func (l *lists) word(r *rand.Rand, kind string) string {
	ws := l.words[kind]
	if len(ws) == 0 {
		panic("demo: words.txt has no " + kind)
	}
	return ws[r.IntN(len(ws))]
}

// placeSpecials puts the people of special_names.txt on the list: a name on
// an existing slot, or a new person (foreigners, who bring their own
// organisation) at the end of their category.
func placeSpecials(l *lists, ps []*person) []*person {
	placed := map[string]int{} // slot key → specials placed there so far
	for _, s := range l.specials {
		key := fmt.Sprintf("%s:%d", s.slot, s.slotN)
		k := placed[key]
		placed[key]++
		var p *person
		switch {
		case s.org != "":
			p = &person{cat: category(s.slot), deleg: -1, city: -1, org: s.org, title: s.title,
				foreign: s.region == "none", local: s.home == "local"}
			if p.foreign {
				p.flags = "single"
			}
			at := len(ps)
			for at > 0 && ps[at-1].cat != p.cat {
				at--
			}
			ps = slices.Insert(ps, at, p)
		case s.slot == "leader":
			p = ps[s.slotN-1]
		default:
			var slot []*person
			for _, q := range ps {
				if q.cat == category(s.slot) && !q.presidium && (s.slot != "deputy" || q.deleg == s.slotN-1) {
					slot = append(slot, q)
				}
			}
			if s.slot == "deputy" {
				p = slot[3+11*k] // not the first few, who lead the delegation
			} else {
				p = slot[2+5*k]
			}
		}
		if p.named {
			panic("demo: two special names on one slot: " + s.name)
		}
		p.named, p.name, p.gender, p.ethnicity, p.diet, p.notes = true, s.name, s.gender, s.ethnicity, s.diet, s.notes
		if s.region != "" && s.region != "none" {
			p.region = s.region
		}
		if s.home != "" && s.org == "" {
			p.local = s.home == "local"
		}
	}
	return ps
}

// category maps a special_names.txt slot to a category code.
func category(slot string) string {
	switch slot {
	case "leader", "deputy":
		return domain.CategoryDeputy
	case "observer", "guest", "staff", "press":
		return slot
	}
	panic("demo: unknown slot " + slot)
}

// balanceObservers puts each observer in a discussion group: those from a
// city join their city's delegations; provincial ones go to the smaller group.
func balanceObservers(l *lists, ps []*person) {
	size := map[int]int{}
	for _, p := range ps {
		if p.cat == domain.CategoryDeputy {
			size[p.group]++
		}
	}
	for _, p := range ps {
		if p.cat != domain.CategoryObserver {
			continue
		}
		switch {
		case p.city >= 0:
			p.group = l.delegations[p.city].group
		case size[1] <= size[2]:
			p.group = 1
		default:
			p.group = 2
		}
		size[p.group]++
	}
}
