package store

// schemaStays is the hotel desk's record of a stay (issue 12.5, 12.6):
//
//   - hotel_checkins gains the hotel and room handed over at check-in (入住):
//     the room the key was for at that moment, which a later 换房 does not
//     rewrite. Check-ins made before this migration take the room the
//     person holds now, the best that is known.
//   - room_moves gains the departure leg a stranded person's change answers
//     (cancelled or rebooked: 滞留) and a mark that the change was a
//     stranding, so the room board can say why someone is still there.
const schemaStays = `
ALTER TABLE hotel_checkins ADD COLUMN venue_id INTEGER REFERENCES venues(id);
ALTER TABLE hotel_checkins ADD COLUMN room TEXT NOT NULL DEFAULT '';
UPDATE hotel_checkins SET
	venue_id = (SELECT l.venue_id FROM lodging l WHERE l.attendee_id = hotel_checkins.attendee_id),
	room = coalesce((SELECT l.room FROM lodging l WHERE l.attendee_id = hotel_checkins.attendee_id), '');

ALTER TABLE room_moves ADD COLUMN leg_id INTEGER REFERENCES travel_legs(id);
ALTER TABLE room_moves ADD COLUMN stranded INTEGER NOT NULL DEFAULT 0;
CREATE INDEX room_moves_from ON room_moves(from_venue_id) WHERE from_nights <> '';
`
