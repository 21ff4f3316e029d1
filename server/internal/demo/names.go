package demo

import (
	"math/rand/v2"
	"strings"

	"huiwu/server/internal/domain"
)

// seed fixes every random choice of the demo. Each concern draws from its own
// stream so that, say, adding a word to a role template does not rename
// everybody. Only integer draws are used: floating-point results can differ
// between architectures (fused multiply-add), integers cannot.
const seed = 0x6875697775_2026

// The streams.
const (
	streamRoles uint64 = iota + 1
	streamNames
	streamIDs
	streamPhones
	streamNeeds
	streamTravel
	streamLeaves
	streamTrips // structured travel (issue 12), after the others so that they stay put
)

func stream(n uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, n)) }

// pickIndex draws an index in [0,n) with the given integer weights.
func pickIndex(r *rand.Rand, n int, weight func(int) int) int {
	total := 0
	for i := range n {
		total += weight(i)
	}
	x := r.IntN(total)
	for i := range n {
		if x < weight(i) {
			return i
		}
		x -= weight(i)
	}
	panic("unreachable")
}

func pick(r *rand.Rand, ws []weighted) string {
	return ws[pickIndex(r, len(ws), func(i int) int { return ws[i].weight })].text
}

// femalePercent is the share of women by category: about the share among
// provincial deputies (roughly 28%), fewer among the leaders.
var femalePercent = map[string]int{
	domain.CategoryDeputy:   28,
	domain.CategoryObserver: 20,
	domain.CategoryGuest:    25,
	domain.CategoryStaff:    50,
	domain.CategoryPress:    50,
}

// womenOnly reports roles that are held by women in practice: a women's
// federation is chaired by a woman, and the demo's nurses are women.
func womenOnly(p *person) bool {
	return strings.Contains(p.org, "妇女联合会") || strings.Contains(p.title, "护士")
}

// nameAll gives every person not named by special_names.txt a gender, an
// ethnicity and a name that nobody else on the list has (apart from the
// deliberate 同名同姓 pair in special_names.txt).
func nameAll(l *lists, ps []*person) {
	r := stream(streamNames)
	used := map[string]bool{}
	for _, s := range l.specials {
		used[s.name] = true
	}
	for _, p := range ps {
		if p.named {
			continue
		}
		pct := femalePercent[p.cat]
		if p.presidium {
			pct = 10
		}
		p.gender = "男"
		if r.IntN(100) < pct || womenOnly(p) {
			p.gender = "女"
		}
		p.ethnicity = pick(r, l.ethnicities)
		for {
			n := chineseName(r, l, p.gender)
			if !used[n] {
				used[n] = true
				p.name = n
				break
			}
		}
	}
}

// chineseName draws a surname by frequency and a given name of one
// character (about one in five) or two.
func chineseName(r *rand.Rand, l *lists, gender string) string {
	chars := l.male
	if gender == "女" {
		chars = l.female
	}
	for {
		sur := pick(r, l.surnames)
		given := pick(r, chars)
		if r.IntN(100) >= 20 {
			second := pick(r, chars)
			// Doubled names (婷婷) are common for women only.
			if second == given && (gender != "女" || r.IntN(4) != 0) {
				continue
			}
			given += second
		}
		if strings.HasPrefix(given, sur) {
			continue
		}
		return sur + given
	}
}

// assignNeeds hands out the diets and accessibility needs of needs.txt to
// people who have none yet. Wheelchair users are chosen among those with a
// plenary floor seat, so that the hall's wheelchair seats are used.
func assignNeeds(l *lists, ps []*person) {
	r := stream(streamNeeds)
	for _, n := range l.needs {
		for placed := 0; placed < n.count; {
			p := ps[r.IntN(len(ps))]
			switch {
			case n.kind == "diet" && p.diet == "":
				p.diet = n.text
			case n.kind == "access" && p.access == "" && !p.presidium && !p.foreign &&
				(p.cat == domain.CategoryDeputy || p.cat == domain.CategoryObserver || p.cat == domain.CategoryGuest):
				p.access = n.text
			default:
				continue
			}
			placed++
		}
	}
}
