package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"huiwu/server/internal/seating"
	"huiwu/server/internal/store"
)

// ReadRules returns the session's arrangement rules: those the desk saved,
// or the defaults. The presidium rule and honour side always come from the
// session. Without a saved presidium list the presidium is whoever sits on
// it now (the imported or demo seating), so re-arranging keeps the same
// leaders on the stage.
func ReadRules(ctx context.Context, db *store.DB, s *store.Session) (seating.Rules, error) {
	sr, err := db.SeatingRules(ctx, s.ID)
	if err != nil {
		return seating.DefaultRules(), err
	}
	return rulesOf(s, sr)
}

// rulesOf decodes the rules the store holds for session s (see ReadRules).
func rulesOf(s *store.Session, sr store.SeatingRules) (seating.Rules, error) {
	r := seating.DefaultRules()
	if sr.JSON != "" {
		if err := json.Unmarshal([]byte(sr.JSON), &r); err != nil {
			return r, fmt.Errorf("plan: stored rules of %s: %w", s.ID, err)
		}
	}
	r.Presidium, r.Honour = seating.PresidiumRule(s.PresidiumRule), seating.Honour(s.Honour)
	if r.PresidiumIDs == nil && len(sr.Presidium) > 0 {
		r.PresidiumIDs = sr.Presidium
	}
	return r, nil
}

// CheckRules refuses settings the engine does not know.
func CheckRules(r seating.Rules, cat *store.Catalog) error {
	bad := func(what string) error {
		return &Error{"bad_rules", "排座规则无效：" + what, "invalid arrangement rules: " + what}
	}
	switch {
	case !slices.Contains([]seating.PresidiumRule{seating.RuleOdd, seating.RuleEvenA, seating.RuleEvenB}, r.Presidium):
		return bad("presidium_rule")
	case r.Honour != seating.HonourLeft && r.Honour != seating.HonourRight:
		return bad("honour")
	case !slices.Contains([]seating.Order{seating.ByList, seating.ByStrokes, seating.ByPinyin}, r.Order):
		return bad("order")
	case !slices.Contains([]seating.Fill{seating.FillRows, seating.FillColumns, seating.FillAlternate}, r.Fill):
		return bad("fill")
	}
	for _, c := range r.Categories {
		if _, ok := cat.Categories[c]; !ok {
			return bad("categories: " + c)
		}
	}
	return nil
}

// SaveRules stores the session's rules; the presidium rule and honour go on
// the session row, so the catalog is read again (store.Change.Catalog)
// before it returns.
func SaveRules(ctx context.Context, db *store.DB, cat *store.Catalog, session string, r seating.Rules, actor string) error {
	if _, ok := cat.Sessions[session]; !ok {
		return store.ErrNotFound
	}
	if err := CheckRules(r, cat); err != nil {
		return err
	}
	stored := r
	stored.Presidium, stored.Honour = "", ""
	b, err := json.Marshal(stored)
	if err != nil {
		return err
	}
	return db.SaveSeatingRules(ctx, session, string(r.Presidium), string(r.Honour), string(b), actor)
}
