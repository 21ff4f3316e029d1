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
	day := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	at := func(hm string) string { return day + "T" + hm + ":00+08:00" }
	def := func(door, closes string) map[string]any {
		return map[string]any{
			"venues": []any{map[string]any{"code": "r1", "name": "一号会议室", "kind": "room", "doors": []string{"东门", "北门"}}},
			"sessions": []any{map[string]any{"id": "s1", "name": "第一场", "kind": "group", "venue": "r1",
				"opens_at": at("00:00"), "starts_at": at("08:00"), "ends_at": at("10:00"), "closes_at": at(closes)}},
			"checkpoints": []any{map[string]any{"id": "r1-door", "name": "一号会议室入口", "kind": "entrance", "venue": "r1", "door": door}},
		}
	}
	first := def("东门", "23:00")
	first["event"] = map[string]any{"id": "t1", "name": "测试会议", "timezone": "Asia/Shanghai", "starts_on": day}
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

	if st := srv.Call("PUT", "/event", testkit.AdminToken, def("北门", "23:30"), &rep); st != 200 {
		t.Fatalf("PUT /event: HTTP %d %v", st, rep)
	}
	closes, _ := time.Parse(time.RFC3339, at("23:30"))
	browsertest.Poll[bool](t, ctx, fmt.Sprintf(`document.getElementById('cp-name').dataset.door === '北门' &&
		huiwuKiosk.offline.windows.some((w) => w.id === 's1' && Date.parse(w.closes_at) === %d)`, closes.UnixMilli()), 2*time.Second)
	browsertest.Screenshot(t, ctx, browsertest.ShotDir(t, "kiosk"), "kiosk-door-moved.png")
}
