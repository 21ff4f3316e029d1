package checkin_test

import (
	"testing"

	"huiwu/server/internal/checkin"
	"huiwu/server/internal/testkit"
)

// TestHotelCheckinRecordsRoom: the hotel desk's check-in (入住) keeps the
// hotel and room the key was handed over for, as they were at that moment:
// a later change of room does not rewrite it.
func TestHotelCheckinRecordsRoom(t *testing.T) {
	t.Parallel()
	env := testkit.New(t, start)
	s := &scanner{t: t, env: env}
	guest := pick(t, env, `a.id IN (SELECT attendee_id FROM lodging)`)
	var venue int64
	var room string
	if err := env.DB.ForTest().R.QueryRow(`SELECT venue_id, room FROM lodging WHERE attendee_id = ?`, guest).Scan(&venue, &room); err != nil {
		t.Fatal(err)
	}
	s.expect(checkin.Request{Token: env.Token(t, guest), Checkpoint: "hotel-desk"}, checkin.StatusOK)
	if _, err := env.DB.ForTest().W.Exec(`UPDATE lodging SET room = 'X999' WHERE attendee_id = ?`, guest); err != nil {
		t.Fatal(err)
	}
	var gotVenue int64
	var gotRoom string
	if err := env.DB.ForTest().R.QueryRow(`SELECT coalesce(venue_id, 0), room FROM hotel_checkins WHERE attendee_id = ?`, guest).
		Scan(&gotVenue, &gotRoom); err != nil {
		t.Fatal(err)
	}
	if gotVenue != venue || gotRoom != room {
		t.Errorf("check-in recorded hotel %d room %q, want %d %q", gotVenue, gotRoom, venue, room)
	}
}
