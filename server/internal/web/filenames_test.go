package web_test

import (
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// savedName is the file name a browser saves a response under.
func savedName(t *testing.T, h http.Header) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil {
		t.Fatalf("Content-Disposition %q: %v", h.Get("Content-Disposition"), err)
	}
	return params["filename"]
}

// TestPrintedFileNames: every printed file saves under a name of its own
// — the meeting, the session or meal, the kind, the view — with the
// event's local time (not UTC), so a desk's downloads folder reads like
// its filing cabinet.
func TestPrintedFileNames(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	loc := srv.App.Engine.Catalog().Location
	event := srv.App.Engine.Catalog().Event.Name
	var id int64
	srv.App.DB.ForTest().R.QueryRow(`SELECT id FROM attendees WHERE category = 'deputy' ORDER BY id LIMIT 1`).Scan(&id)
	before := time.Now().In(loc)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/sessions/opening/seating/chart.pdf?view=audience", []string{"开幕大会", "座次图", "观众视角"}},
		{"/sessions/opening/seating/chart.pdf?view=presidium&paper=a3", []string{"开幕大会", "座次图", "主席台视角", "A3"}},
		{"/sessions/opening/seating/cards.pdf", []string{"开幕大会", "桌签"}},
		{"/meals/d1-dinner/banquet.pdf", []string{"第一天晚餐", "桌次图"}},
		{"/meals/d1-dinner/banquet.pdf?venue=dining1", []string{"第一天晚餐", "一号餐厅", "桌次图"}},
		{"/badges.pdf?delegation=" + url.QueryEscape("北湖代表团"), []string{"证件", "北湖代表团"}},
		{"/sessions/opening/signin.pdf", []string{"开幕大会", "签到表"}},
	} {
		resp := follow(t, srv.URL, "/api/v1"+tc.path, &http.Cookie{Name: "huiwu_token", Value: testkit.AdminToken})
		if resp.StatusCode != 200 {
			t.Errorf("%s: HTTP %d", tc.path, resp.StatusCode)
			continue
		}
		name := savedName(t, resp.Header)
		if !strings.HasPrefix(name, event+"-") || !strings.HasSuffix(name, ".pdf") {
			t.Errorf("%s saves as %q: want the meeting's name first", tc.path, name)
		}
		for _, w := range tc.want {
			if !strings.Contains(name, w) {
				t.Errorf("%s saves as %q: no %q", tc.path, name, w)
			}
		}
		// The event's clock: the minute it was made, or the next.
		if !strings.Contains(name, before.Format("20060102-1504")) && !strings.Contains(name, before.Add(time.Minute).Format("20060102-1504")) {
			t.Errorf("%s saves as %q: want the local time %s", tc.path, name, before.Format("20060102-1504"))
		}
	}
}
