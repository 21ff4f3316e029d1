package web_test

import (
	"fmt"
	"strings"
	"testing"

	"huiwu/server/internal/testkit"
)

// TestResolvedFaceAlertsRecord (issue 15.4, "logged for the desk"): the
// alerts an usher dealt with are listed for the desk, the latest first,
// with who resolved each and when, without their photo; an open alert is
// not among them, and no one but the desk sees the record.
func TestResolvedFaceAlertsRecord(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	usher := userTokenFor(t, srv, "usher")
	desk := userTokenFor(t, srv, "desk")
	people := testkit.Seated(t, srv, 2)
	first, second := people[0][0].(int64), people[1][0].(int64)
	withFace(t, srv, first)
	withFace(t, srv, second)

	type alert struct {
		ID         int64  `json:"id"`
		Attendee   int64  `json:"attendee_id"`
		Result     string `json:"result"`
		ResolvedBy string `json:"resolved_by"`
		ResolvedAt string `json:"resolved_at"`
		PhotoURL   string `json:"photo_url"`
	}
	var list struct {
		Items []alert `json:"items"`
	}
	for i, who := range []int64{first, second} {
		if st := srv.Call("POST", "/checkins", kiosk, map[string]any{"token": testkit.CredentialOf(t, srv, who), "scan_id": fmt.Sprint("m-", i),
			"face": map[string]any{"result": "fail", "distance": 0.6}}, nil); st != 200 {
			t.Fatalf("scan %d: HTTP %d", i, st)
		}
	}
	if st := srv.Call("GET", "/faces/alerts", desk, nil, &list); st != 200 || len(list.Items) != 2 {
		t.Fatalf("open alerts: HTTP %d %+v", st, list)
	}
	byPerson := map[int64]int64{}
	for _, a := range list.Items {
		byPerson[a.Attendee] = a.ID
	}
	if st := srv.Call("GET", "/faces/alerts/resolved", desk, nil, &list); st != 200 || len(list.Items) != 0 {
		t.Fatalf("resolved before any is: HTTP %d %+v", st, list)
	}

	if st := srv.Call("POST", fmt.Sprintf("/faces/alerts/%d/resolve", byPerson[first]), usher, nil, nil); st != 200 {
		t.Fatalf("resolve: HTTP %d", st)
	}
	st, _, body := raw(t, srv, "GET", "/faces/alerts/resolved", desk, nil)
	if st != 200 {
		t.Fatalf("resolved: HTTP %d %s", st, body)
	}
	if strings.Contains(string(body), "photo_url") || strings.Contains(string(body), "distance") {
		t.Errorf("the record carries more than it needs: %s", body)
	}
	srv.Call("GET", "/faces/alerts/resolved", testkit.AdminToken, nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("resolved: %+v, want the one alert dealt with", list)
	}
	got := list.Items[0]
	if got.ID != byPerson[first] || got.Attendee != first || got.Result != "fail" || !strings.HasSuffix(got.ResolvedBy, "usher") || got.ResolvedAt == "" {
		t.Errorf("the resolved alert %+v", got)
	}

	others := map[string]string{"usher": usher, "kiosk": kiosk, "screen": userTokenFor(t, srv, "screen"),
		"chair": userTokenFor(t, srv, "chair"), "logistics": userTokenFor(t, srv, "logistics")}
	for role, tok := range others {
		if st := srv.Call("GET", "/faces/alerts/resolved", tok, nil, nil); st != 403 {
			t.Errorf("the record as %s: HTTP %d, want 403", role, st)
		}
	}
}
