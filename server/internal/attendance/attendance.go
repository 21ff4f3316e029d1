// Package attendance counts who is expected at a session (应到), who is in
// the room (实到), who came and went out again (离场), who is excused (请假),
// and who is not there yet (未到) or missing (缺席: from the start, or from
// the close for a session whose rule says so) — always distinct attendees,
// never scans — and judges the quorum. docs/counts.md defines the figures;
// this package is the one place that computes them, for every page, feed
// and export.
package attendance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// State is where one expected attendee stands at a session.
type State string

// The states. Every expected attendee is in exactly one.
const (
	StatePresent State = "present"  // 实到: entered and inside now
	StateLeft    State = "left"     // 离场: entered, went out, not back
	StateOnLeave State = "on_leave" // 请假: excused and has not come
	StateNotYet  State = "not_yet"  // 未到: none of the above, before the start (or the close, by the session's rule)
	StateAbsent  State = "absent"   // 缺席: none of the above, from the start (or the close)
)

// Phase is where a session is in its day.
type Phase string

// The phases, in order.
const (
	PhaseUpcoming   Phase = "upcoming"    // doors not open yet
	PhaseOpen       Phase = "open"        // doors open, not started
	PhaseInProgress Phase = "in_progress" // 进行中: between the start and the end
	PhaseEnded      Phase = "ended"       // over, doors not closed yet
	PhaseClosed     Phase = "closed"      // doors closed: the figures are final
)

// PhaseAt is the session's phase at now.
func PhaseAt(s *store.Session, now time.Time) Phase {
	switch {
	case now.Before(s.OpensAt):
		return PhaseUpcoming
	case now.Before(s.StartsAt):
		return PhaseOpen
	case now.Before(s.EndsAt):
		return PhaseInProgress
	case now.Before(s.ClosesAt):
		return PhaseEnded
	}
	return PhaseClosed
}

// Started says whether the session has started.
func (p Phase) Started() bool { return p == PhaseInProgress || p == PhaseEnded || p == PhaseClosed }

// AbsentCounted says whether, at now, those expected who are not
// accounted for are 缺席 (true) or 未到: from the session's start, or from
// its close when its rule says so (domain.Session.AbsentAt).
func AbsentCounted(s *store.Session, now time.Time) bool { return !now.Before(s.AbsentAt()) }

// Boundaries are the moments a session's phase changes.
func Boundaries(s *store.Session) []time.Time {
	return []time.Time{s.OpensAt, s.StartsAt, s.EndsAt, s.ClosesAt}
}

// Figures are the counts over some set of expected attendees. Expected is
// always Present + Left + OnLeave + NotYet + Absent, and one of NotYet and
// Absent is zero.
type Figures struct {
	Expected int `json:"expected"` // 应到
	Present  int `json:"present"`  // 实到: inside now
	OnLeave  int `json:"on_leave"` // 请假, not come
	NotYet   int `json:"not_yet"`  // 未到: before the start (or the close)
	Absent   int `json:"absent"`   // 缺席: from the start (or the close)
	Left     int `json:"left"`     // 离场
	// Entered is everyone who came in at some time (Present + Left): the
	// arrival curve's total.
	Entered int `json:"entered"`
	// LeaveWithdrawn counts people with a leave who came all the same:
	// they are Present or Left, and their leave shows as withdrawn.
	LeaveWithdrawn int `json:"leave_withdrawn"`
}

// Counts are the figures for one session at one moment.
type Counts struct {
	Session string `json:"session_id"`
	Name    string `json:"name"`
	Phase   Phase  `json:"phase"`
	Started bool   `json:"started"` // the session has started (in progress, ended or closed)
	// AbsentFrom is the session's rule, "start" or "close": when those not
	// accounted for turn from 未到 into 缺席. AbsentCounted says they have:
	// pages show 缺席 in red when it is true, 未到 in a neutral colour before.
	AbsentFrom    string    `json:"absent_from"`
	AbsentCounted bool      `json:"absent_counted"`
	AsOf          time.Time `json:"as_of"` // the moment the figures describe
	// Figures count the categories that count for the session (Basis).
	Figures
	Late        int    `json:"late"` // of Entered, first in after the start
	Basis       Basis  `json:"basis"`
	Quorum      Quorum `json:"quorum"`
	Statement   string `json:"statement"`
	StatementEn string `json:"statement_en"`
	// All counts every category, 列席 and staff included, for the desk.
	All Figures `json:"all"`
}

// Basis says, in words a page can show next to the figures, whom they
// count: the session's quorum categories.
type Basis struct {
	Categories []string `json:"categories"`
	Zh         string   `json:"zh"`    // e.g. "按代表计（列席、工作人员等不计）"
	En         string   `json:"en"`    // e.g. "Counted: Deputy (other categories not counted)"
	Short      string   `json:"short"` // e.g. "按代表计", where room is short
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

// Of computes a session's counts now from committed data; see OfAt.
func Of(ctx context.Context, db *store.DB, cat *store.Catalog, sessionID string) (Counts, error) {
	return OfAt(ctx, db, cat, sessionID, time.Now())
}

// OfAt computes a session's counts at now straight from the database: it
// reads the session's roster as the Tracker does and counts it with the
// same code. The Tracker keeps the same answer in memory; OfAt is its
// reference and serves one-off reports.
func OfAt(ctx context.Context, db *store.DB, cat *store.Catalog, sessionID string, now time.Time) (Counts, error) {
	s, ok := cat.Sessions[sessionID]
	if !ok {
		return Counts{}, store.ErrNotFound
	}
	rosters, err := read(ctx, db, cat, sessionID)
	if err != nil {
		return Counts{}, err
	}
	return rosters[sessionID].counts(s, cat, now), nil
}

// assemble builds Counts from a roster's sums at now and judges the quorum.
func assemble(s *store.Session, cat *store.Catalog, all, voting Figures, late, members int, now time.Time) Counts {
	phase := PhaseAt(s, now)
	absent := AbsentCounted(s, now)
	all.split(absent)
	voting.split(absent)
	cats := cat.VotingCategories(s)
	c := Counts{Session: s.ID, Name: s.Name, Phase: phase, Started: phase.Started(),
		AbsentFrom: cmp.Or(s.AbsentFrom, domain.AbsentFromStart), AbsentCounted: absent, AsOf: now.In(cat.Location),
		Figures: voting, Late: late, All: all, Basis: basis(cat, cats)}
	q := Quorum{Base: s.Quorum.Base, Categories: cats, Ratio: ratioName(s.Quorum), BaseCount: voting.Expected}
	if s.Quorum.Base == "members" {
		q.BaseCount = members
	}
	q.Required = Required(q.BaseCount, s.Quorum)
	q.Met = c.Present >= q.Required && q.BaseCount > 0
	c.Quorum = q
	c.Statement, c.StatementEn = statement(c)
	return c
}

// split puts those not accounted for under 未到 or 缺席.
func (f *Figures) split(absent bool) {
	rest := f.Expected - f.Present - f.Left - f.OnLeave
	f.NotYet, f.Absent = rest, 0
	if absent {
		f.NotYet, f.Absent = 0, rest
	}
	f.Entered = f.Present + f.Left
}

// basis names the counted categories, and those that are not.
func basis(cat *store.Catalog, counted []string) Basis {
	b := Basis{Categories: counted}
	var in, inEn, out []string
	for _, code := range counted {
		k := cat.Categories[code]
		in = append(in, cmp.Or(k.Name, code))
		inEn = append(inEn, cmp.Or(k.NameEn, k.Name, code))
	}
	codes := make([]string, 0, len(cat.Categories))
	for code := range cat.Categories {
		codes = append(codes, code)
	}
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(cat.Categories[a].Sort, cat.Categories[b].Sort), strings.Compare(a, b))
	})
	for _, code := range codes {
		if !slices.Contains(counted, code) {
			out = append(out, cmp.Or(cat.Categories[code].Name, code))
		}
	}
	b.Short = "按" + strings.Join(in, "、") + "计"
	switch {
	case len(in) == 0:
		b.Zh, b.En, b.Short = "本场次没有计入人数的类别", "no category counts for this session", "无计数类别"
	case len(out) == 0:
		b.Zh, b.En = "按"+strings.Join(in, "、")+"计", "Counted: "+strings.Join(inEn, ", ")
	default:
		b.Zh = "按" + strings.Join(in, "、") + "计（" + strings.Join(out, "、") + "不计）"
		b.En = "Counted: " + strings.Join(inEn, ", ") + " (other categories not counted)"
	}
	return b
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
