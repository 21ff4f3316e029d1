package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/testkit"
)

// closeSignedOut is the close code a page reads as "your sign-in ended:
// sign in again" (live.CloseSignedOut).
const closeSignedOut = 4001

// dialSeats opens the opening session's seat map, which carries names, as
// token, and reads its snapshot.
func dialSeats(t *testing.T, srv *testkit.Server, token string) *websocket.Conn {
	t.Helper()
	u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=seats:opening"
	ws, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v (HTTP %v)", err, resp)
	}
	t.Cleanup(func() { ws.Close() })
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m struct{ Type string }
	if err := ws.ReadJSON(&m); err != nil || m.Type != "snapshot" {
		t.Fatalf("snapshot: %v %q", err, m.Type)
	}
	return ws
}

// closedWith reads until the connection ends and answers its close code
// (0 when the connection did not end with a close frame in time).
func closedWith(t *testing.T, ws *websocket.Conn, within time.Duration) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(within))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue // a delta that was already on its way
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		t.Logf("connection ended without a close frame: %v", err)
		return 0
	}
}

// TestRevocationClosesWebsockets: revoking a device, a user or one of a
// user's sessions closes the websockets it holds open at once, with the
// close code the pages read as "signed out" — a revoked usher tablet must
// not go on receiving seat deltas with names.
func TestRevocationClosesWebsockets(t *testing.T) {
	t.Parallel()
	srv := testkit.Serve(t)
	pairUsher := func(t *testing.T) (id, token string) {
		var p struct {
			Code   string `json:"pairing_code"`
			Device struct{ ID string }
		}
		if st := srv.Call("POST", "/devices", testkit.AdminToken, map[string]string{"name": "引导平板", "kind": "usher"}, &p); st != 201 {
			t.Fatalf("create device: HTTP %d", st)
		}
		var paired struct{ Token string }
		if st := srv.Call("POST", "/pair", "", map[string]string{"code": p.Code}, &paired); st != 200 {
			t.Fatalf("pair: HTTP %d", st)
		}
		return p.Device.ID, paired.Token
	}
	newUser := func(t *testing.T, name string) (id int64, token string) {
		var u struct {
			ID    int64
			Token string
		}
		if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": name, "role": "usher"}, &u); st != 201 {
			t.Fatalf("create user: HTTP %d", st)
		}
		return u.ID, u.Token
	}
	for _, tc := range []struct {
		name   string
		revoke func(t *testing.T) (token string, revoke func() int)
	}{
		{"device revoked with a reason", func(t *testing.T) (string, func() int) {
			id, tok := pairUsher(t)
			return tok, func() int {
				return srv.Call("POST", "/devices/"+id+"/revoke", testkit.AdminToken, map[string]string{"reason": "平板丢失"}, nil)
			}
		}},
		{"device revoked", func(t *testing.T) (string, func() int) {
			id, tok := pairUsher(t)
			return tok, func() int { return srv.Call("DELETE", "/devices/"+id, testkit.AdminToken, nil, nil) }
		}},
		{"user revoked", func(t *testing.T) (string, func() int) {
			id, tok := newUser(t, "引导员乙")
			return tok, func() int {
				return srv.Call("POST", fmt.Sprintf("/users/%d/revoke", id), testkit.AdminToken, nil, nil)
			}
		}},
		{"session revoked", func(t *testing.T) (string, func() int) {
			id, tok := newUser(t, "引导员丙")
			return tok, func() int {
				var list []struct {
					ID       int64
					Sessions []struct{ ID int64 }
				}
				srv.Call("GET", "/users", testkit.AdminToken, nil, &list)
				for _, u := range list {
					if u.ID == id && len(u.Sessions) == 1 {
						return srv.Call("DELETE", fmt.Sprintf("/users/%d/sessions/%d", id, u.Sessions[0].ID), testkit.AdminToken, nil, nil)
					}
				}
				t.Fatalf("user %d has no session listed: %+v", id, list)
				return 0
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token, revoke := tc.revoke(t)
			ws := dialSeats(t, srv, token)
			if st := revoke(); st != 204 {
				t.Fatalf("revoke: HTTP %d", st)
			}
			if code := closedWith(t, ws, 5*time.Second); code != closeSignedOut {
				t.Fatalf("websocket after revocation: close code %d, want %d", code, closeSignedOut)
			}
			// And it cannot come back.
			u := strings.Replace(srv.URL, "http", "ws", 1) + "/ws?topics=seats:opening"
			if _, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + token}}); err == nil || resp == nil || resp.StatusCode != 401 {
				t.Fatalf("revoked token reconnected: %v", err)
			}
		})
	}
}
