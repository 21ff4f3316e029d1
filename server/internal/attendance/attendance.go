// Package attendance counts who is expected at a session (应到), who came
// (实到), who is excused (请假), who is missing (缺席) and who has left (离场)
// — always distinct attendees, never scans — and judges the quorum.
package attendance

import (
	"context"
	"fmt"
	"strings"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// Counts are the figures for one session.
type Counts struct {
	Session     string `json:"session_id"`
	Name        string `json:"name"`
	Expected    int    `json:"expected"` // 应到
	Present     int    `json:"present"`  // 实到: checked in, whether or not they left since
	OnLeave     int    `json:"on_leave"` // 请假 and not present
	Absent      int    `json:"absent"`   // 缺席: expected, not present, no leave
	Left        int    `json:"left"`     // 离场: present but exited and not back
	Late        int    `json:"late"`
	Quorum      Quorum `json:"quorum"`
	Statement   string `json:"statement"`
	StatementEn string `json:"statement_en"`
	// All counts every category, 列席 and staff included, for the desk.
	All Figures `json:"all"`
}

// Figures are the plain counts over some set of attendees.
type Figures struct {
	Expected int `json:"expected"`
	Present  int `json:"present"`
	OnLeave  int `json:"on_leave"`
	Absent   int `json:"absent"`
	Left     int `json:"left"`
}

// Quorum is the session's quorum rule applied to its counts.
type Quorum struct {
	Base       string   `json:"base"` // "members" or "expected"
	BaseCount  int      `json:"base_count"`
	Ratio      string   `json:"ratio"` // e.g. "过半数", "三分之二以上"
	Required   int      `json:"required"`
	Met        bool     `json:"met"`
	Categories []string `json:"categories"`
}

// Of computes a session's counts from committed data with SQL. The
// Tracker gives the same answer from memory; Of is its reference, used by
// tests and for one-off reports.
func Of(ctx context.Context, db *store.DB, cat *store.Catalog, sessionID string) (Counts, error) {
	s, ok := cat.Sessions[sessionID]
	if !ok {
		return Counts{}, store.ErrNotFound
	}
	cats := cat.VotingCategories(s)
	all, _, err := figures(ctx, db, s, nil)
	if err != nil {
		return Counts{}, err
	}
	voting, late, err := figures(ctx, db, s, cats)
	if err != nil {
		return Counts{}, err
	}
	base := voting.Expected
	if s.Quorum.Base == "members" {
		if base, err = members(ctx, db, cats); err != nil {
			return Counts{}, err
		}
	}
	return assemble(s, cats, all, voting, late, base), nil
}

// assemble builds Counts from the figures and judges the quorum.
func assemble(s *store.Session, cats []string, all, voting Figures, late, base int) Counts {
	c := Counts{Session: s.ID, Name: s.Name, All: all, Late: late,
		Expected: voting.Expected, Present: voting.Present, OnLeave: voting.OnLeave, Absent: voting.Absent, Left: voting.Left}
	q := Quorum{Base: s.Quorum.Base, Categories: cats, Ratio: ratioName(s.Quorum), BaseCount: base}
	q.Required = Required(q.BaseCount, s.Quorum)
	q.Met = c.Present >= q.Required && q.BaseCount > 0
	c.Quorum = q
	c.Statement, c.StatementEn = statement(c)
	return c
}

// Required is the number present that satisfies rule over base: more than
// Num/Den of base when Strict (过半数), else at least Num/Den (三分之二以上).
func Required(base int, rule domain.Quorum) int {
	num, den := rule.Num, rule.Den
	if den <= 0 {
		num, den = 1, 2
	}
	if rule.Strict {
		return base*num/den + 1
	}
	return (base*num + den - 1) / den
}

func ratioName(q domain.Quorum) string {
	switch {
	case q.Num == 1 && q.Den == 2 && q.Strict:
		return "过半数"
	case q.Num == 2 && q.Den == 3 && !q.Strict:
		return "三分之二以上"
	case q.Strict:
		return fmt.Sprintf("超过%d/%d", q.Num, q.Den)
	}
	return fmt.Sprintf("不少于%d/%d", q.Num, q.Den)
}

// figures counts the session's expected attendees in the given categories
// (all when cats is nil). Cancelled attendees are nobody's 应到.
func figures(ctx context.Context, db *store.DB, s *store.Session, cats []string) (Figures, int, error) {
	filter, args := categoryFilter(cats)
	args = append([]any{s.ID, store.FormatTime(s.StartsAt)}, args...)
	var f Figures
	var late int
	err := db.R.QueryRowContext(ctx, `
		SELECT count(*),
		       count(p.attendee_id),
		       coalesce(sum(p.attendee_id IS NULL AND l.id IS NOT NULL), 0),
		       coalesce(sum(p.attendee_id IS NOT NULL AND p.inside = 0), 0),
		       coalesce(sum(p.first_in_at > ?2), 0)
		FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active'
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL
		WHERE sa.session_id = ?1`+filter, args...).Scan(&f.Expected, &f.Present, &f.OnLeave, &f.Left, &late)
	if err != nil {
		return Figures{}, 0, fmt.Errorf("attendance: count %s: %w", s.ID, err)
	}
	f.Absent = f.Expected - f.Present - f.OnLeave
	return f, late, nil
}

func members(ctx context.Context, db *store.DB, cats []string) (int, error) {
	filter, args := categoryFilter(cats)
	var n int
	err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM attendees a WHERE a.status = 'active'`+filter, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("attendance: count members: %w", err)
	}
	return n, nil
}

// categoryFilter is " AND a.category IN (…)" for cats, or nothing for nil.
// An empty non-nil list matches nobody.
func categoryFilter(cats []string) (string, []any) {
	if cats == nil {
		return "", nil
	}
	if len(cats) == 0 {
		return " AND 0", nil
	}
	args := make([]any, len(cats))
	for i, c := range cats {
		args[i] = c
	}
	return " AND a.category IN (" + strings.TrimSuffix(strings.Repeat("?,", len(cats)), ",") + ")", args
}

// statement is the sentence the chair reads, e.g.
// 本次会议应到120人，因事因病请假2人，实到116人，符合法定人数。
func statement(c Counts) (zh, en string) {
	var b strings.Builder
	fmt.Fprintf(&b, "本次会议应到%d人，", c.Expected)
	if c.OnLeave > 0 {
		fmt.Fprintf(&b, "因事因病请假%d人，", c.OnLeave)
	}
	fmt.Fprintf(&b, "实到%d人，", c.Present)
	en = fmt.Sprintf("Expected %d, on leave %d, present %d: ", c.Expected, c.OnLeave, c.Present)
	if c.Quorum.Met {
		b.WriteString("符合法定人数。")
		en += "quorum present."
	} else {
		b.WriteString("不足法定人数。")
		en += fmt.Sprintf("no quorum (%d required).", c.Quorum.Required)
	}
	return b.String(), en
}
