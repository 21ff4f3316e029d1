package web_test

import (
	"slices"
	"testing"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// deskScan is what POST /materials/scan answers.
type deskScan struct {
	Person struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"person"`
	Items []store.GiveResult `json:"items"`
	Error struct{ Code string }
}

// TestMaterialsDeskScan: the 报到处 is a handout point too — a badge
// scanned on /materials hands over everything the person is due and has
// not collected, each item once; scanned again, everything is 已领 with
// when and where; a badge that is not this meeting's is refused, and so
// is a kiosk.
func TestMaterialsDeskScan(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	var owed []store.Owed
	srv.Call("GET", "/materials/owed?missing=1&limit=50", testkit.AdminToken, nil, &owed)
	var who store.Owed
	for _, o := range owed {
		if len(o.Missing()) >= 1 {
			who = o
			break
		}
	}
	if who.AttendeeID == 0 {
		t.Fatal("the demo has nobody missing an item")
	}
	var missing []string
	for _, h := range who.Missing() {
		missing = append(missing, h.Code)
	}
	token := testkit.CredentialOf(t, srv, who.AttendeeID)

	var first deskScan
	if st := srv.Call("POST", "/materials/scan", testkit.AdminToken, map[string]string{"token": token}, &first); st != 200 || first.Person.ID != who.AttendeeID {
		t.Fatalf("scan: HTTP %d %+v", st, first)
	}
	var given []string
	for _, it := range first.Items {
		if it.Given {
			given = append(given, it.Code)
		} else if it.At == nil || it.Place == "" {
			t.Errorf("%s neither given now nor said when and where before: %+v", it.Code, it)
		}
	}
	slices.Sort(given)
	slices.Sort(missing)
	if !slices.Equal(given, missing) {
		t.Errorf("handed over %v, want what was missing %v", given, missing)
	}
	var again deskScan
	srv.Call("POST", "/materials/scan", testkit.AdminToken, map[string]string{"token": token}, &again)
	for _, it := range again.Items {
		if it.Given || it.At == nil || (slices.Contains(missing, it.Code) && it.Place != "报到处") {
			t.Errorf("second scan: %+v, want 已领 (at the desk for those just given)", it)
		}
	}
	var after []store.Owed
	srv.Call("GET", "/materials/owed?missing=1&limit=0", testkit.AdminToken, nil, &after)
	if slices.ContainsFunc(after, func(o store.Owed) bool { return o.AttendeeID == who.AttendeeID }) {
		t.Errorf("%s still missing items after the desk scan", who.Name)
	}

	var bad deskScan
	if st := srv.Call("POST", "/materials/scan", testkit.AdminToken, map[string]string{"token": "HW1.not-a-badge"}, &bad); st != 403 || bad.Error.Code != "badge_invalid" {
		t.Errorf("a made-up badge: HTTP %d %q", st, bad.Error.Code)
	}
	_, kiosk := testkit.PairedKiosk(t, srv, "hall-east")
	if st := srv.Call("POST", "/materials/scan", kiosk, map[string]string{"token": token}, nil); st != 403 {
		t.Errorf("a kiosk at the desk's scan: HTTP %d", st)
	}
}
