package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"huiwu/badge/credential"
	"huiwu/server/internal/credentials"
	"huiwu/server/internal/store"
)

// TestTokenFromAnotherEvent: a badge signed with this server's own key but
// for another event is refused, as is one naming a serial never issued.
func TestTokenFromAnotherEvent(t *testing.T) {
	s := startServer(t)
	// The signing key is in the database, sealed with DATA/master.key; a
	// second store handle reads it while the server runs.
	db, err := store.Open(context.Background(), store.Config{Dir: s.data})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := credentials.LoadSigner(context.Background(), credentials.Config{DataDir: s.data}, db)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var ev struct{ ID string }
	s.call("GET", "/event", adminToken, nil, &ev)
	for name, claims := range map[string]credential.Claims{
		"other event":    {Event: "other-2026", Attendee: 1, Serial: 1},
		"serial unknown": {Event: ev.ID, Attendee: 1, Serial: 99999},
	} {
		tok, err := signer.Sign(claims)
		if err != nil {
			t.Fatal(err)
		}
		r := s.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":%q}`, tok, name))
		if r.Status != "invalid" || r.Attendee != nil {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

// TestLesserRolesChangeNothing: an usher's or a screen's token cannot do
// what the desk does, and the refused requests leave the data as it was.
func TestLesserRolesChangeNothing(t *testing.T) {
	s := startServer(t)
	tokens := map[string]string{}
	for _, role := range []string{"usher", "screen"} {
		var u struct{ Token string }
		s.call("POST", "/users", adminToken, map[string]string{"name": role, "role": role}, &u)
		tokens[role] = u.Token
	}
	var before struct{ OnLeave, Present int }
	s.call("GET", "/sessions/opening/attendance", adminToken, nil, &before)
	var cred struct{ Serial int64 }
	s.call("GET", "/attendees/9/credential", adminToken, nil, &cred)
	for role, tok := range tokens {
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/sessions/opening/leaves", map[string]any{"attendee_id": 9}},
			{"POST", "/attendees/9/credential", map[string]any{"reason": "x"}},
			{"GET", "/attendees/9/credential", nil},
			{"POST", "/checkins", map[string]any{"attendee_id": 9, "checkpoint": "hall-east", "scan_id": role}},
			{"POST", "/devices", map[string]any{"name": "x", "kind": "kiosk", "checkpoint": "hall-east"}},
			{"POST", "/users", map[string]any{"name": "x", "role": "admin"}},
		} {
			var e apiErr
			if code := s.call(req.method, req.path, tok, req.body, &e); code != 403 {
				t.Errorf("%s %s %s: HTTP %d, want 403", role, req.method, req.path, code)
			}
		}
	}
	var after struct{ OnLeave, Present int }
	s.call("GET", "/sessions/opening/attendance", adminToken, nil, &after)
	var credAfter struct{ Serial int64 }
	s.call("GET", "/attendees/9/credential", adminToken, nil, &credAfter)
	if after != before || credAfter.Serial != cred.Serial {
		t.Errorf("refused requests changed data: %+v → %+v, serial %d → %d", before, after, cred.Serial, credAfter.Serial)
	}
}

// TestOversizedUpload: an upload over the limit is refused whole.
func TestOversizedUpload(t *testing.T) {
	s := startServer(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "big.csv")
	fw.Write([]byte("姓名,类别\n"))
	fw.Write([]byte(strings.Repeat("张三,代表\n", 11<<20/14)))
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/api/v1/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+adminToken)
	var e apiErr
	if code := s.do(req, &e); code != 413 {
		t.Errorf("11 MB upload: HTTP %d %s", code, e.Error.Code)
	}
	var list []struct{ Name string }
	s.call("GET", "/attendees?q=张三&limit=5", adminToken, nil, &list)
	for _, a := range list {
		if a.Name == "张三" {
			t.Error("a refused upload stored someone")
		}
	}
}
