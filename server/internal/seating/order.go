package seating

import (
	"cmp"
	"slices"
	"strings"
)

// sortPeople orders people for the floor: by category in the rules' order
// (正式代表 before 列席), then — with ByDelegation — delegation by
// delegation in their published order, then by the rules' Order. Rank is the
// last tie-break, so the result never depends on the input order.
func sortPeople(ps []Person, r Rules) {
	catRank := map[string]int{}
	for i, c := range r.Categories {
		catRank[c] = i
	}
	// Stroke keys are built once per person, not once per comparison.
	var keys map[int64][]strokeChar
	if r.Order == ByStrokes || r.Order == ByPinyin {
		keys = make(map[int64][]strokeChar, len(ps))
		for _, p := range ps {
			keys[p.ID] = strokeKey(p.Name)
		}
	}
	// The order is total (ID last), so an unstable sort gives one answer.
	slices.SortFunc(ps, func(a, b Person) int {
		if c := cmp.Compare(catRank[a.Category], catRank[b.Category]); c != 0 {
			return c
		}
		if r.ByDelegation {
			if c := compareDelegation(a, b); c != 0 {
				return c
			}
		}
		return cmp.Or(comparePeople(a, b, r.Order, keys), cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.ID, b.ID))
	})
}

// compareDelegation puts people without a delegation after every delegation.
func compareDelegation(a, b Person) int {
	if (a.Delegation == "") != (b.Delegation == "") {
		if a.Delegation == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.DelegationSort, b.DelegationSort), strings.Compare(a.Delegation, b.Delegation))
}

func comparePeople(a, b Person, o Order, keys map[int64][]strokeChar) int {
	switch o {
	case ByStrokes:
		return compareKeys(keys[a.ID], keys[b.ID], a.Name, b.Name)
	case ByPinyin:
		return cmp.Or(strings.Compare(strings.ToLower(a.Pinyin), strings.ToLower(b.Pinyin)),
			compareKeys(keys[a.ID], keys[b.ID], a.Name, b.Name))
	}
	return cmp.Compare(rankOrLast(a.Rank), rankOrLast(b.Rank))
}

// rankOrLast puts people without a published rank (0) after those with one.
func rankOrLast(r int) int {
	if r <= 0 {
		return int(^uint(0) >> 1)
	}
	return r
}
