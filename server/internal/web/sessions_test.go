package web_test

import (
	"testing"

	"huiwu/server/internal/testkit"
)

// TestSessionsSayWhenAbsenceCounts: GET /sessions gives each session's
// rule for when its 未到 become 缺席, so a page can say it (issue 11.13).
func TestSessionsSayWhenAbsenceCounts(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var list []struct {
		ID         string `json:"id"`
		AbsentFrom string `json:"absent_from"`
	}
	if st := srv.Call("GET", "/sessions", testkit.AdminToken, nil, &list); st != 200 || len(list) == 0 {
		t.Fatalf("GET /sessions: HTTP %d, %d sessions", st, len(list))
	}
	for _, s := range list {
		if s.AbsentFrom != "start" && s.AbsentFrom != "close" {
			t.Errorf("session %s: absent_from %q", s.ID, s.AbsentFrom)
		}
	}
}
