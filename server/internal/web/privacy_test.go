package web_test

import (
	"fmt"
	"strings"
	"testing"

	"huiwu/server/internal/testkit"
)

type person struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	IDNumber string `json:"id_number"`
}

func audits(t *testing.T, srv *testkit.Server, action string) int {
	t.Helper()
	var n int
	srv.App.DB.ForTest().R.QueryRow(`SELECT count(*) FROM audit WHERE action = ?`, action).Scan(&n)
	return n
}

// TestPhonesStayMasked (issue 10.5): an usher cannot search by phone at
// all, the desk only by exactly the last four digits, so that nobody can
// read a number off the search a digit at a time; lists show phones masked;
// the full phone and ID number come only through reads that are audited.
func TestPhonesStayMasked(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	usher := testkit.UserToken(t, srv, "usher")
	var target person
	srv.App.DB.ForTest().R.QueryRow(`SELECT id, name, phone FROM attendees WHERE phone <> '' ORDER BY id LIMIT 1 OFFSET 7`).Scan(&target.ID, &target.Name, &target.Phone)
	found := func(token, q string) bool {
		var list []person
		if st := srv.Call("GET", "/attendees?q="+q+"&limit=600", token, nil, &list); st != 200 {
			t.Fatalf("search %q: HTTP %d", q, st)
		}
		for _, p := range list {
			if strings.Contains(p.Phone, target.Phone) && p.Phone == target.Phone {
				t.Errorf("search %q shows the full phone %s", q, p.Phone)
			}
		}
		for _, p := range list {
			if p.ID == target.ID {
				return true
			}
		}
		return false
	}
	tail4, tail5 := target.Phone[len(target.Phone)-4:], target.Phone[len(target.Phone)-5:]
	if found(usher, tail4) {
		t.Error("an usher found someone by phone tail")
	}
	if !found(testkit.AdminToken, tail4) {
		t.Error("the desk did not find someone by the last four digits")
	}
	if found(testkit.AdminToken, tail5) || found(testkit.AdminToken, target.Phone) {
		t.Error("the desk found someone by more than the last four digits")
	}
	// A name search does not return everyone without a phone.
	var list []person
	srv.Call("GET", "/attendees?q="+target.Name+"&limit=600", testkit.AdminToken, nil, &list)
	for _, p := range list {
		if !strings.Contains(p.Name, target.Name) && !strings.Contains(p.Name, string([]rune(target.Name)[0])) {
			t.Errorf("searching %s found %s", target.Name, p.Name)
			break
		}
	}

	var one person
	srv.Call("GET", fmt.Sprintf("/attendees/%d", target.ID), testkit.AdminToken, nil, &one)
	if one.Phone == target.Phone || !strings.Contains(one.Phone, "*") {
		t.Errorf("the desk's attendee view shows phone %q, want it masked", one.Phone)
	}
	var full struct{ Phone string }
	before := audits(t, srv, "attendee.phone.read")
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/phone", target.ID), testkit.AdminToken, nil, &full); st != 200 || full.Phone != target.Phone {
		t.Fatalf("显示 phone: HTTP %d %q", st, full.Phone)
	}
	if audits(t, srv, "attendee.phone.read") != before+1 {
		t.Error("reading the full phone was not audited")
	}
	if st := srv.Call("GET", fmt.Sprintf("/attendees/%d/phone", target.ID), usher, nil, nil); st != 403 {
		t.Errorf("an usher read a full phone: HTTP %d", st)
	}
	before = audits(t, srv, "attendee.read_full")
	var edit person
	srv.Call("GET", fmt.Sprintf("/attendees/%d?edit=1", target.ID), testkit.AdminToken, nil, &edit)
	if strings.Contains(edit.IDNumber, "*") || edit.Phone != target.Phone {
		t.Errorf("the edit form got %q / %q", edit.IDNumber, edit.Phone)
	}
	if audits(t, srv, "attendee.read_full") != before+1 {
		t.Error("reading the full ID number (edit form) was not audited")
	}
	srv.Call("GET", fmt.Sprintf("/attendees/%d?edit=1", target.ID), usher, nil, &edit)
	if !strings.Contains(edit.IDNumber, "*") || audits(t, srv, "attendee.read_full") != before+1 {
		t.Errorf("an usher's edit=1 got %q", edit.IDNumber)
	}
}

// TestUshersSeeNeedsNotHealth (issue 10.14): an usher learns that a seat
// needs a wheelchair space, not the person's health, and sees 请假 without
// its reason.
func TestUshersSeeNeedsNotHealth(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	usher := testkit.UserToken(t, srv, "usher")
	var id int64
	srv.App.DB.ForTest().R.QueryRow(`SELECT attendee_id FROM session_attendees WHERE session_id = 'opening' AND attendee_id NOT IN (SELECT attendee_id FROM leaves) ORDER BY attendee_id LIMIT 1 OFFSET 20`).Scan(&id)
	if _, err := srv.App.DB.ForTest().W.Exec(`UPDATE attendees SET access = '需轮椅，糖尿病' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	var a struct{ Access string }
	srv.Call("GET", fmt.Sprintf("/attendees/%d", id), usher, nil, &a)
	if a.Access != "轮椅" {
		t.Errorf("the usher sees access %q, want only 轮椅", a.Access)
	}
	if st := srv.Call("POST", "/sessions/opening/leaves", testkit.AdminToken, map[string]any{"attendee_id": id, "reason": "因病住院"}, nil); st != 201 {
		t.Fatalf("leave: HTTP %d", st)
	}
	var leaves []struct {
		AttendeeID int64  `json:"attendee_id"`
		Reason     string `json:"reason"`
	}
	srv.Call("GET", "/sessions/opening/leaves", usher, nil, &leaves)
	for _, l := range leaves {
		if l.Reason != "" {
			t.Fatalf("the usher sees the leave reason %q", l.Reason)
		}
	}
	srv.Call("GET", "/sessions/opening/leaves", testkit.AdminToken, nil, &leaves)
	found := false
	for _, l := range leaves {
		found = found || (l.AttendeeID == id && l.Reason == "因病住院")
	}
	if !found {
		t.Error("the desk lost the leave reason")
	}
}
