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
	t.Parallel()
	srv, ctx := openDesk(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/desk#setup/event"))
	waitJS(t, ctx, `document.querySelector('[data-path="event.face_verification"]')`)
	if !evalJS[bool](t, ctx, `document.querySelector('[data-path="event.face_verification"]').checked`) {
		t.Error("the meeting's face verification shows off")
	}
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
}
