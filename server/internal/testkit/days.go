package testkit

// Days with the desk's work set up: the duty log and the notices.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiwu/server/internal/store"
)

// DutyDesk is the demo server and two desk accounts on duty.
type DutyDesk struct {
	Server    *Server
	One, Two  string // tokens
	NameOne   string // as the server names the account
	NameTwo   string
	MainPlace int64
	Loc       *time.Location
}

// NewDutyDesk starts the demo server and makes the two desk accounts;
// MainPlace is the duty log's main place.
func NewDutyDesk(t *testing.T) *DutyDesk {
	t.Helper()
	srv := Serve(t)
	d := &DutyDesk{Server: srv, Loc: srv.App.Engine.Catalog().Location}
	mk := func(name string) (string, string) {
		var u struct{ Token string }
		if st := srv.Call("POST", "/users", AdminToken, map[string]string{"name": name, "role": "desk"}, &u); st != 201 || u.Token == "" {
			t.Fatalf("create %s: HTTP %d", name, st)
		}
		var me struct{ Name string }
		if st := srv.Call("GET", "/me", u.Token, nil, &me); st != 200 || me.Name == "" {
			t.Fatalf("who is %s: HTTP %d", name, st)
		}
		return u.Token, me.Name
	}
	d.One, d.NameOne = mk("值班员李娜")
	d.Two, d.NameTwo = mk("值班员王芳")
	var places []store.DutyPlace
	if st := srv.Call("GET", "/duty/places", d.One, nil, &places); st != 200 || len(places) < 2 || !places[0].Main {
		t.Fatalf("places: HTTP %d %+v", st, places)
	}
	d.MainPlace = places[0].ID
	return d
}

// Raw answers a GET's status, body and headers (a print's file name).
func (d *DutyDesk) Raw(t *testing.T, path, token string) (int, []byte, http.Header) {
	t.Helper()
	return d.Server.Get(t, path, token)
}

// NoticeUnit is a unit as GET /notices/units/{id} answers it.
type NoticeUnit struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Members []struct {
		ID     int64              `json:"id"`
		Name   string             `json:"name"`
		Answer *store.ReplyAnswer `json:"answer"`
	} `json:"members"`
	Status string `json:"status"`
	Items  []struct {
		ID         int64  `json:"id"`
		AttendeeID int64  `json:"attendee_id"`
		Kind       string `json:"kind"`
		State      string `json:"state"`
		Wanted     string `json:"wanted"`
		Made       int64  `json:"made_attendee_id"`
	} `json:"items"`
}

// NoticeDay is the demo server with two delegations' units to reply.
type NoticeDay struct {
	Server *Server
	A, B   NoticeUnit
}

// NewNoticeDay starts the demo server and picks two delegations that have
// not replied yet (A and B).
func NewNoticeDay(t *testing.T) *NoticeDay {
	t.Helper()
	srv := Serve(t)
	var units []struct {
		ID      int64  `json:"id"`
		Kind    string `json:"kind"`
		Members int    `json:"members"`
		Status  string `json:"status"`
	}
	if st := srv.Call("GET", "/notices/units", AdminToken, nil, &units); st != 200 || len(units) < 2 {
		t.Fatalf("units: HTTP %d, %d", st, len(units))
	}
	d := &NoticeDay{Server: srv}
	var picked []NoticeUnit
	for _, u := range units {
		if u.Kind == store.UnitDelegation && u.Status == "none" && len(picked) < 2 {
			var nu NoticeUnit
			if st := srv.Call("GET", fmt.Sprintf("/notices/units/%d", u.ID), AdminToken, nil, &nu); st != 200 {
				t.Fatalf("unit %d: HTTP %d", u.ID, st)
			}
			picked = append(picked, nu)
		}
	}
	if len(picked) < 2 {
		t.Fatalf("want two delegations without a reply, have %d", len(picked))
	}
	d.A, d.B = picked[0], picked[1]
	return d
}

// Issue makes a reply link for the unit, valid for 7 days, and answers its
// token (checked: 32 characters, in the URL, with a QR code).
func (d *NoticeDay) Issue(t *testing.T, unit int64) string {
	t.Helper()
	var out struct {
		Token string   `json:"token"`
		URL   string   `json:"url"`
		QR    []string `json:"qr"`
	}
	if st := d.Server.Call("POST", fmt.Sprintf("/notices/units/%d/link", unit), AdminToken, map[string]int{"days": 7}, &out); st != 201 {
		t.Fatalf("issue: HTTP %d", st)
	}
	if len(out.Token) != 32 || !strings.HasSuffix(out.URL, "/reply/"+out.Token) || len(out.QR) < 21 {
		t.Fatalf("issue answered %+v", out)
	}
	return out.Token
}

// Unit answers the unit as the desk sees it now.
func (d *NoticeDay) Unit(t *testing.T, id int64) NoticeUnit {
	t.Helper()
	var nu NoticeUnit
	if st := d.Server.Call("GET", fmt.Sprintf("/notices/units/%d", id), AdminToken, nil, &nu); st != 200 {
		t.Fatalf("unit %d: HTTP %d", id, st)
	}
	return nu
}
