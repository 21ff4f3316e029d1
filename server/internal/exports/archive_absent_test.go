package exports_test

import (
	"slices"
	"testing"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/exports"
	"huiwu/server/internal/store"
)

// TestArchiveAbsenteesFollowTheRule: the archive's 缺席名单 holds a
// session once its 未到 count as 缺席 — from the start, or from the close
// for a session whose rule says so (issue 11.13).
func TestArchiveAbsenteesFollowTheRule(t *testing.T) {
	start := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	session := func(id, rule string) *exports.Signin {
		return &exports.Signin{Session: &store.Session{Session: domain.Session{ID: id, AbsentFrom: rule,
			OpensAt: start.Add(-time.Hour), StartsAt: start, EndsAt: start.Add(2 * time.Hour), ClosesAt: start.Add(3 * time.Hour)}}}
	}
	a := &exports.Archive{Made: start.Add(time.Hour), Sessions: []*exports.Signin{
		session("from-start", domain.AbsentFromStart), session("from-close", domain.AbsentFromClose)}}
	var got []string
	for _, s := range a.Started() {
		got = append(got, s.Session.ID)
	}
	if !slices.Equal(got, []string{"from-start"}) {
		t.Errorf("an hour after the start the absentees cover %v, want only the session counted from its start", got)
	}
	a.Made = start.Add(3 * time.Hour)
	if n := len(a.Started()); n != 2 {
		t.Errorf("at the close: %d sessions with absentees, want 2", n)
	}
}
