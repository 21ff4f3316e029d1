package eventdef_test

import (
	"slices"
	"strings"
	"testing"

	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/eventdef/example"
)

// TestFaceRetentionDays (issue 15.6): how long face data outlives the
// meeting is an event setting, 30 days when left out, 1–365 when given;
// a value out of range is named with its path in both languages, and a
// change is said in words.
func TestFaceRetentionDays(t *testing.T) {
	d := example.Small(now)
	eventdef.Normalize(&d)
	if d.Event.FaceRetentionDays != eventdef.DefaultFaceRetentionDays || eventdef.DefaultFaceRetentionDays != 30 {
		t.Fatalf("default: %d", d.Event.FaceRetentionDays)
	}
	for _, n := range []int{1, 7, 365} {
		ok := example.Small(now)
		ok.Event.FaceRetentionDays = n
		if errs := eventdef.Validate(ok); len(errs) > 0 {
			t.Errorf("%d days: %v", n, errs)
		}
		eventdef.Normalize(&ok)
		if ok.Event.FaceRetentionDays != n {
			t.Errorf("%d days normalised to %d", n, ok.Event.FaceRetentionDays)
		}
	}
	for _, n := range []int{-1, 366, 10000} {
		bad := example.Small(now)
		bad.Event.FaceRetentionDays = n
		errs := eventdef.Validate(bad)
		if len(errs) != 1 || errs[0].Path != "event.face_retention_days" || errs[0].Code != eventdef.CodeBadValue ||
			!strings.Contains(errs[0].Message.Zh, "1–365") || !strings.Contains(errs[0].Message.En, "1–365 days") {
			t.Errorf("%d days: %v", n, errs)
		}
	}

	week := d
	week.Event.FaceRetentionDays = 7
	r := eventdef.Diff(d, week)
	i := slices.IndexFunc(r.Changes, func(c eventdef.Change) bool { return c.Part == eventdef.PartEvent })
	if i < 0 || !strings.Contains(r.Changes[i].Words.Zh, "人脸数据保留天数 30 → 7") ||
		!strings.Contains(r.Changes[i].Words.En, "face data retention (days) 30 → 7") {
		t.Errorf("changes %+v", r.Changes)
	}
}
