package kiosk_test

import (
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestKioskFollowsEvent: the desk moves the kiosk's checkpoint to another
// door and the session's doors close later (one PUT /event). The kiosk
// hears it on the `event` topic and, within 2 s and without a scan or a
// heartbeat, shows the new door and keeps the new window in its offline
// cache.
func TestKioskFollowsEvent(t *testing.T) {
	srv := testkit.ServeEmpty(t)
	// The session's hours are around now, not fixed times of today: the
	// kiosk drops a cache whose meeting has ended, so a session that closed
	// at 23:00 failed this test when it ran between 23:00 and midnight
	// (Beijing time), as CI once did.
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Truncate(time.Minute)
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	def := func(door string, closes time.Duration) map[string]any {
		return map[string]any{
			"venues": []any{map[string]any{"code": "r1", "name": "一号会议室", "kind": "room", "doors": []string{"东门", "北门"}}},
			"sessions": []any{map[string]any{"id": "s1", "name": "第一场", "kind": "group", "venue": "r1",
				"opens_at": at(-2 * time.Hour), "starts_at": at(-time.Hour), "ends_at": at(time.Hour), "closes_at": at(closes)}},
			"checkpoints": []any{map[string]any{"id": "r1-door", "name": "一号会议室入口", "kind": "entrance", "venue": "r1", "door": door}},
		}
	}
	first := def("东门", 2*time.Hour)
	first["event"] = map[string]any{"id": "t1", "name": "测试会议", "timezone": "Asia/Shanghai",
		"starts_on": now.Add(-2 * time.Hour).Format(time.DateOnly)}
	var rep map[string]any
	if st := srv.Call("PUT", "/event", testkit.AdminToken, first, &rep); st != 200 {
		t.Fatalf("PUT /event: HTTP %d %v", st, rep)
	}
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.CameraDenied)
	_, code := testkit.NewKiosk(t, srv, "入口1号", "r1-door")
	browsertest.PairThroughKeypad(t, ctx, srv.URL, code, t.TempDir())
	browsertest.Poll[bool](t, ctx, `huiwuKiosk.watch.snapshots > 0 && huiwuKiosk.offline.windows.some((w) => w.id === 's1')`, 10*time.Second)
	if door := browsertest.Poll[string](t, ctx, `document.getElementById('cp-name').dataset.door`, time.Second); door != "东门" {
		t.Fatalf("the kiosk shows door %q, want 东门", door)
	}

	later := 2*time.Hour + 30*time.Minute
	if st := srv.Call("PUT", "/event", testkit.AdminToken, def("北门", later), &rep); st != 200 {
		t.Fatalf("PUT /event: HTTP %d %v", st, rep)
	}
	closes := now.Add(later)
	browsertest.Poll[bool](t, ctx, fmt.Sprintf(`document.getElementById('cp-name').dataset.door === '北门' &&
		huiwuKiosk.offline.windows.some((w) => w.id === 's1' && Date.parse(w.closes_at) === %d)`, closes.UnixMilli()), 2*time.Second)
	browsertest.Screenshot(t, ctx, browsertest.ShotDir(t, "kiosk"), "kiosk-door-moved.png")
}
