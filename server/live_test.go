package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/skip2/go-qrcode"
)

type seatsMessage struct {
	Topic, Type string
	Seq         int64
	Data        struct {
		Seats []struct {
			Seat       string `json:"seat"`
			AttendeeID int64  `json:"attendee_id"`
			State      string `json:"state"`
		} `json:"seats"`
	}
}

// TestUsherSeatMapMoves: a check-in turns its seat to arrived on an open
// usher seat map.
func TestUsherSeatMapMoves(t *testing.T) {
	s := startServer(t)
	var u struct{ Token string }
	s.call("POST", "/users", adminToken, map[string]string{"name": "引导员甲", "role": "usher"}, &u)
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(s.base, "http", "ws", 1)+"/ws?topics=seats:opening&token="+u.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var snap seatsMessage
	if err := ws.ReadJSON(&snap); err != nil || snap.Type != "snapshot" {
		t.Fatalf("snapshot: %v %+v", err, snap.Type)
	}
	var target int64
	var label string
	for _, seat := range snap.Data.Seats {
		if seat.State == "assigned" {
			target, label = seat.AttendeeID, seat.Seat
			break
		}
	}
	if target == 0 {
		t.Fatal("no assigned seat on the opening's map")
	}
	var cred struct{ Token string }
	s.call("GET", fmt.Sprintf("/attendees/%d/credential", target), adminToken, nil, &cred)
	if r := s.scan(adminToken, fmt.Sprintf(`{"token":%q,"checkpoint":"hall-east","scan_id":"u1"}`, cred.Token)); r.Status != "ok" {
		t.Fatalf("scan: %+v", r)
	}
	var delta seatsMessage
	if err := ws.ReadJSON(&delta); err != nil {
		t.Fatal(err)
	}
	if delta.Type != "delta" || delta.Seq != snap.Seq+1 || len(delta.Data.Seats) != 1 ||
		delta.Data.Seats[0].Seat != label || delta.Data.Seats[0].State != "arrived" {
		t.Fatalf("delta %+v, want seat %s arrived", delta, label)
	}
}

// TestDecodeEndpoint reads a badge QR from an uploaded image.
func TestDecodeEndpoint(t *testing.T) {
	s := startServer(t)
	var cred struct{ Token string }
	s.call("GET", "/attendees/3/credential", adminToken, nil, &cred)
	png, err := qrcode.Encode(cred.Token, qrcode.Medium, 300)
	if err != nil {
		t.Fatal(err)
	}
	post := func(body []byte, out any) int {
		req, _ := http.NewRequest("POST", s.base+"/api/v1/decode", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+adminToken)
		req.Header.Set("Content-Type", "image/png")
		return s.do(req, out)
	}
	var got struct{ Text string }
	if code := post(png, &got); code != 200 || got.Text != cred.Token {
		t.Fatalf("decode: %d %q", code, got.Text)
	}
	var e apiErr
	if code := post([]byte("not an image"), &e); code != 422 || e.Error.Code != "bad_image" {
		t.Errorf("junk: %d %s", code, e.Error.Code)
	}
}
