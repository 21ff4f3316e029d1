package desk_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/testkit"
)

// TestSetupFaceSettings (issue 15.3–15.4): the desk's checkpoints page
// shows each checkpoint's photo check and face check as stored (the demo's
// east door: photo check on, advise), a change is said in words before it
// is saved, and saved it is what the kiosks are told.
func TestSetupFaceSettings(t *testing.T) {
	srv, ctx := openDesk(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/event"))
	waitJS(t, ctx, `document.querySelector('[data-path="event.face_verification"]')`)
	if !evalJS[bool](t, ctx, `document.querySelector('[data-path="event.face_verification"]').checked`) {
		t.Error("the meeting's face verification shows off")
	}
	if days := evalJS[string](t, ctx, `document.querySelector('[data-path="event.face_retention_days"]').value`); days != "30" {
		t.Errorf("the face data's retention shows %q days, want the default 30", days)
	}
	// The retention, saved with the meeting's part (each part is saved on its own page).
	setVal(t, ctx, `[data-path="event.face_retention_days"]`, "7")
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.getElementById('setup-confirm')`)
	if words := pageText(t, ctx, "#setup-dry"); !strings.Contains(words, "人脸数据保留天数 30 → 7") {
		t.Errorf("the dry run does not say the retention changes:\n%s", words)
	}
	click(t, ctx, "#setup-confirm")
	waitJS(t, ctx, `document.getElementById('setup-saved')`)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/checkpoints"))
	waitJS(t, ctx, `document.querySelector('[data-path="checkpoints[1].face"]')`)
	if id := evalJS[string](t, ctx, `document.querySelector('[data-path="checkpoints[1].id"]').value`); id != "hall-west" {
		t.Fatalf("second checkpoint %q", id)
	}
	if v := evalJS[string](t, ctx, `document.querySelector('[data-path="checkpoints[0].face"]').value`); v != "advise" ||
		!evalJS[bool](t, ctx, `document.querySelector('[data-path="checkpoints[0].photo_check"]').checked`) {
		t.Errorf("the east door shows face %q and no photo check", v)
	}
	setVal(t, ctx, `[data-path="checkpoints[1].face"]`, "enforce")
	click(t, ctx, `[data-path="checkpoints[1].photo_check"]`)
	click(t, ctx, "#setup-check")
	waitJS(t, ctx, `document.getElementById('setup-confirm')`)
	if words := pageText(t, ctx, "#setup-dry"); !strings.Contains(words, "人脸核验 关闭 → 拒绝通行") || !strings.Contains(words, "照片核对 否 → 是") {
		t.Errorf("the dry run does not say the face check changes:\n%s", words)
	}
	shot(t, ctx, "setup-face-dry-run.png")
	click(t, ctx, "#setup-confirm")
	waitJS(t, ctx, `document.getElementById('setup-saved')`)
	var cps []struct {
		ID         string `json:"id"`
		PhotoCheck bool   `json:"photo_check"`
		Face       string `json:"face"`
	}
	if st := srv.Call("GET", "/checkpoints", testkit.AdminToken, nil, &cps); st != 200 {
		t.Fatalf("checkpoints: HTTP %d", st)
	}
	for _, c := range cps {
		if c.ID == "hall-west" && (c.Face != "enforce" || !c.PhotoCheck) {
			t.Errorf("after saving, the west door: %+v", c)
		}
	}
	var def struct {
		Event struct {
			Retention int `json:"face_retention_days"`
		} `json:"event"`
	}
	if st := srv.Call("GET", "/event/definition", testkit.AdminToken, nil, &def); st != 200 || def.Event.Retention != 7 {
		t.Errorf("after saving, the retention is %d days (HTTP %d), want 7", def.Event.Retention, st)
	}
}
