package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"huiwu/badge/render/pdftest"
	"huiwu/server/internal/testkit"
)

// TestSigninPDFSaysWhatTheChairSays: the printed 签到表 lists everyone on
// the session's list, but its 应到/实到/请假/缺席 are the chair's figures
// over the categories that count, with whom they count written beside
// them, and the list's length given apart (it was 应到 570 against the
// chair's 应到 430).
func TestSigninPDFSaysWhatTheChairSays(t *testing.T) {
	t.Parallel()
	srv := testkit.ServeAt(t, time.Now().Add(-90*time.Minute))
	v := chair(t, srv, "opening")
	text := pdftest.Text(t, download(t, srv, "/sessions/opening/signin.pdf"))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		fmt.Sprintf("应到 %d 人", v.Counts.Expected),
		fmt.Sprintf("实到 %d 人", v.Counts.Present),
		fmt.Sprintf("请假 %d 人", v.Counts.OnLeave),
		fmt.Sprintf("缺席 %d 人", v.Counts.Absent),
		v.Counts.Basis.Zh,
		fmt.Sprintf("名单共 %d 人", v.Counts.All.Expected),
	} {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the printed 签到表 lacks %q:\n%s", want, flat[max(0, len(flat)-600):])
		}
	}
	if strings.Contains(flat, fmt.Sprintf("应到 %d 人", v.Counts.All.Expected)) {
		t.Errorf("the printed 签到表 calls the whole list (%d) 应到", v.Counts.All.Expected)
	}
}
