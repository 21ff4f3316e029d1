package eventdef_test

import (
	"slices"
	"strings"
	"testing"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

// TestFaceSettings: face verification is off unless the event turns it on,
// a checkpoint's face check defaults to off, a bad value is named with its
// path and the values allowed, a face check where the event has none is
// kept (asleep: turning the event's switch off is never refused), and a
// change is said in words.
func TestFaceSettings(t *testing.T) {
	d := example.Small(now)
	eventdef.Normalize(&d)
	if d.Event.FaceVerification || d.Checkpoints[0].PhotoCheck || d.Checkpoints[0].Face != eventdef.FaceOff {
		t.Fatalf("defaults: event %v, checkpoint photo %v face %q", d.Event.FaceVerification, d.Checkpoints[0].PhotoCheck, d.Checkpoints[0].Face)
	}

	bad := example.Small(now)
	bad.Event.FaceVerification = true
	bad.Checkpoints[0].Face = "strict"
	errs := eventdef.Validate(bad)
	if len(errs) != 1 || errs[0].Path != "checkpoints[0].face" || errs[0].Code != eventdef.CodeBadValue ||
		!strings.Contains(errs[0].Message.En, "off/advise/enforce") || errs[0].Message.Zh == "" {
		t.Fatalf("a bad face mode: %v", errs)
	}

	off := example.Small(now)
	off.Checkpoints[0].Face = eventdef.FaceEnforce
	if errs := eventdef.Validate(off); len(errs) > 0 {
		t.Fatalf("a face check while the event has none: %v", errs)
	}

	on := example.Small(now)
	on.Event.FaceVerification = true
	on.Checkpoints[0].PhotoCheck = true
	on.Checkpoints[0].Face = eventdef.FaceAdvise
	if errs := eventdef.Validate(on); len(errs) > 0 {
		t.Fatal(errs)
	}
	eventdef.Normalize(&on)
	r := eventdef.Diff(d, on)
	ev := slices.IndexFunc(r.Changes, func(c eventdef.Change) bool { return c.Part == eventdef.PartEvent })
	cp := slices.IndexFunc(r.Changes, func(c eventdef.Change) bool { return c.Part == eventdef.PartCheckpoints })
	if ev < 0 || cp < 0 || len(r.Changes) != 2 {
		t.Fatalf("changes %+v", r.Changes)
	}
	if w := r.Changes[ev].Words; !strings.Contains(w.Zh, "人脸核验 否 → 是") || !strings.Contains(w.En, "face verification no → yes") {
		t.Errorf("event in words: %+v", w)
	}
	if w := r.Changes[cp].Words; !strings.Contains(w.Zh, "人脸核验 关闭 → 提示") || !strings.Contains(w.Zh, "照片核对 否 → 是") ||
		!strings.Contains(w.En, "face check off → advise") {
		t.Errorf("checkpoint in words: %+v", w)
	}
}
