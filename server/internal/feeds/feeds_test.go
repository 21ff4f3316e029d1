package feeds_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

type seatsMessage struct {
	Type string
	Seq  int64
	Data struct {
		Seats []struct {
			Seat       string `json:"seat"`
			AttendeeID int64  `json:"attendee_id"`
		} `json:"seats"`
		Attendees []int64 `json:"attendees"`
	}
}

// TestUnseatedAttendeeIsNamed: when someone loses their seat, the seat delta
// names them with no seat, so a seat map can empty the seat they held.
func TestUnseatedAttendeeIsNamed(t *testing.T) {
	srv := testkit.Serve(t)
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(srv.URL, "http", "ws", 1)+"/ws?topics=seats:opening&token="+testkit.AdminToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var snap seatsMessage
	if err := ws.ReadJSON(&snap); err != nil || snap.Type != "snapshot" {
		t.Fatalf("snapshot: %v", err)
	}
	var id int64
	for _, s := range snap.Data.Seats {
		if s.AttendeeID != 0 {
			id = s.AttendeeID
			break
		}
	}
	err = srv.App.DB.Write(context.Background(), func(tx *sql.Tx) (store.Change, error) {
		_, err := tx.Exec(`DELETE FROM seat_assignments WHERE session_id = 'opening' AND attendee_id = ?`, id)
		return store.Change{Seated: map[string][]int64{"opening": {id}}}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	var delta seatsMessage
	if err := ws.ReadJSON(&delta); err != nil {
		t.Fatal(err)
	}
	if delta.Type != "delta" || len(delta.Data.Seats) != 0 || len(delta.Data.Attendees) != 1 || delta.Data.Attendees[0] != id {
		t.Fatalf("delta after unseating %d: %+v", id, delta)
	}
}
