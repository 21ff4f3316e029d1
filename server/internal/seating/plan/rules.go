package plan

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"huiwu/server/internal/seating"
	"huiwu/server/internal/store"
)

// ReadRules returns the session's arrangement rules: those the desk saved,
// or the defaults. The presidium rule and honour side always come from the
// session. Without a saved presidium list the presidium is whoever sits on
// it now (the imported or demo seating), so re-arranging keeps the same
// leaders on the stage.
func ReadRules(ctx context.Context, q querier, s *store.Session) (seating.Rules, error) {
	r := seating.DefaultRules()
	var raw string
	err := q.QueryRowContext(ctx, `SELECT rules FROM seating_rules WHERE session_id = ?`, s.ID).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return r, fmt.Errorf("plan: read rules: %w", err)
	default:
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return r, fmt.Errorf("plan: stored rules of %s: %w", s.ID, err)
		}
	}
	r.Presidium, r.Honour = seating.PresidiumRule(s.PresidiumRule), seating.Honour(s.Honour)
	if r.PresidiumIDs == nil {
		rows, err := q.QueryContext(ctx, `SELECT a.id FROM seat_assignments sa
			JOIN seats st ON st.id = sa.seat_id JOIN attendees a ON a.id = sa.attendee_id
			WHERE sa.session_id = ? AND st.kind = 'presidium' ORDER BY a.rank, a.id`, s.ID)
		if err != nil {
			return r, fmt.Errorf("plan: read presidium: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return r, err
			}
			r.PresidiumIDs = append(r.PresidiumIDs, id)
		}
		return r, rows.Err()
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
// the session row, so the caller reloads the catalog afterwards.
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
	return db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		now := store.FormatTime(time.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET presidium_rule = ?, honour = ? WHERE id = ?`,
			string(r.Presidium), string(r.Honour), session); err != nil {
			return store.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO seating_rules (session_id, rules, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			session, string(b), now, actor); err != nil {
			return store.Change{}, err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'seating.rules', ?, ?)`,
			now, actor, session, string(b))
		return store.Change{}, err
	})
}
