package web_test

import (
	"testing"

	"huiwu/server/internal/testkit"
	"huiwu/server/internal/testkit/pgtest"
)

// health is GET /api/v1/health's answer, as much as these tests read.
type health struct {
	OK        bool   `json:"ok"`
	Version   string `json:"version"`
	Database  string `json:"database"`
	FeedLagMS *int64 `json:"feed_lag_ms"`
}

// TestHealthSaysDatabase: health names the database and, on PostgreSQL
// only, how far the live feed is behind; ok and version stay.
func TestHealthSaysDatabase(t *testing.T) {
	srv := testkit.Serve(t)
	var h health
	if st := srv.Call("GET", "/health", "", nil, &h); st != 200 || !h.OK {
		t.Fatalf("health: HTTP %d %+v", st, h)
	}
	want := "sqlite"
	if pgtest.Enabled() {
		want = "postgres"
	}
	if h.Database != want {
		t.Fatalf("database %q, want %q", h.Database, want)
	}
	if (h.FeedLagMS != nil) != pgtest.Enabled() {
		t.Fatalf("feed_lag_ms %v on %s", h.FeedLagMS, h.Database)
	}
	if h.FeedLagMS != nil && *h.FeedLagMS != 0 {
		t.Fatalf("feed_lag_ms %d on a server alone", *h.FeedLagMS)
	}
}

// TestHealthFeedLagAcrossServers: a server beside another reports its
// lag; it has applied the other's changes after a check-in there.
func TestHealthFeedLagAcrossServers(t *testing.T) {
	srv := testkit.ServeShared(t, 2)
	id := testkit.Seated(t, srv[0], 1)[0][0].(int64)
	var r struct{ Status string }
	body := map[string]string{"token": testkit.CredentialOf(t, srv[0], id), "checkpoint": "hall-east", "scan_id": "health-1"}
	if st := srv[0].Call("POST", "/checkins", testkit.AdminToken, body, &r); st != 200 {
		t.Fatalf("check-in: HTTP %d %+v", st, r)
	}
	var h health
	if st := srv[1].Call("GET", "/health", "", nil, &h); st != 200 || h.Database != "postgres" || h.FeedLagMS == nil || *h.FeedLagMS < 0 {
		t.Fatalf("B's health: HTTP %d %+v", st, h)
	}
	t.Logf("B's feed lag right after a check-in on A: %d ms", *h.FeedLagMS)
}
