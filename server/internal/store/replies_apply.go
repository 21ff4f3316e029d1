package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
)

// Applying a reply's items (issue 13.1). Each item is applied in one
// transaction, wholly or not at all, and only if what it changes is as it
// was when the unit replied: otherwise it is refused as a conflict and the
// desk decides again with what the list says now.

// ErrItemDecided is returned for an item applied, rejected or superseded
// already.
var ErrItemDecided = errors.New("store: the reply item was decided already")

// ReplyConflict is returned when what an item would change changed since
// the reply: Kind says which item, Now what the list says now.
type ReplyConflict struct {
	Kind string
	Now  string
}

func (e *ReplyConflict) Error() string {
	return fmt.Sprintf("store: %s changed since the reply (now %q)", e.Kind, e.Now)
}

// ItemAfter is the change an item asks for, as stored in its After.
type ItemAfter struct {
	Reason     string       `json:"reason,omitempty"`     // decline
	Substitute *ReplyPerson `json:"substitute,omitempty"` // substitute
	Diet       string       `json:"diet,omitempty"`       // diet; a substitute's too
	Room       string       `json:"room,omitempty"`       // room; a substitute's too
	Trip       *ReplyTrip   `json:"trip,omitempty"`       // arrival, departure
	Arrival    *ReplyTrip   `json:"arrival,omitempty"`    // a substitute's
	Departure  *ReplyTrip   `json:"departure,omitempty"`  // a substitute's
}

// TripOf answers t as the travel store takes it.
func TripOf(t *ReplyTrip) *domain.Trip {
	if t == nil {
		return nil
	}
	kind := "other"
	switch t.Mode {
	case "flight":
		kind = "airport"
	case "train":
		kind = "rail"
	case "car":
		kind = "road"
	}
	return &domain.Trip{Mode: t.Mode, Number: t.Number, Station: t.Station, StationKind: kind, Date: t.Date, Time: t.Time,
		Companions: t.Companions}
}

// ApplyItem applies item id as actor, times read in loc, and answers it
// as it now stands.
func (db *DB) ApplyItem(ctx context.Context, id int64, loc *time.Location, actor string) (ReplyItem, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var it ReplyItem
		var unit int64
		err := tx.QueryRowContext(ctx, `SELECT i.reply_id, r.unit_id, i.attendee_id, i.kind, i.after, i.base, i.state
			FROM reply_items i JOIN replies r ON r.id = i.reply_id WHERE i.id = ?`, id).
			Scan(&it.ReplyID, &unit, &it.AttendeeID, &it.Kind, &it.After, &it.Base, &it.State)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, err
		}
		if it.State != ItemPending {
			return Change{}, ErrItemDecided
		}
		var after ItemAfter
		if err := json.Unmarshal([]byte(it.After), &after); err != nil {
			return Change{}, fmt.Errorf("store: item %d: %w", id, err)
		}
		a := &applying{tx: tx, now: time.Now(), actor: actor, loc: loc, item: id, reply: it.ReplyID}
		ch, made, detail, err := a.apply(ctx, it, after)
		if err != nil {
			return Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reply_items SET state = 'applied', decided_at = ?, decided_by = ?,
			made_attendee_id = nullif(?, 0) WHERE id = ?`, FormatTime(a.now), actor, made, id); err != nil {
			return Change{}, err
		}
		return ch, audit(ctx, tx, a.now, actor, "reply.apply", fmt.Sprint(it.AttendeeID),
			fmt.Sprintf("unit:%d item %d %s: %s", unit, id, it.Kind, detail))
	})
	if err != nil {
		return ReplyItem{}, err
	}
	return db.ReplyItem(ctx, id)
}

// RejectItem records that the desk will not apply item id, and why.
func (db *DB) RejectItem(ctx context.Context, id int64, reason, actor string) (ReplyItem, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var state, kind string
		var attendee int64
		err := tx.QueryRowContext(ctx, `SELECT state, kind, attendee_id FROM reply_items WHERE id = ?`, id).Scan(&state, &kind, &attendee)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		} else if err != nil {
			return Change{}, err
		}
		if state != ItemPending {
			return Change{}, ErrItemDecided
		}
		now := time.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE reply_items SET state = 'rejected', decided_at = ?, decided_by = ?, reason = ? WHERE id = ?`,
			FormatTime(now), actor, reason, id); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, now, actor, "reply.reject", fmt.Sprint(attendee), fmt.Sprintf("item %d %s: %s", id, kind, reason))
	})
	if err != nil {
		return ReplyItem{}, err
	}
	return db.ReplyItem(ctx, id)
}

// applying is one item being applied inside its transaction.
type applying struct {
	tx    *sql.Tx
	now   time.Time
	actor string
	loc   *time.Location
	item  int64
	reply int64
}

// apply makes the item's change; it answers what moved, the attendee it
// made (a substitute) and the audit's words.
func (a *applying) apply(ctx context.Context, it ReplyItem, after ItemAfter) (Change, int64, string, error) {
	cur, err := scanAttendee(a.tx.QueryRowContext(ctx, "SELECT "+attendeeColumns+attendeeFrom+" WHERE a.id = ?", it.AttendeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return Change{}, 0, "", ErrNotFound
	} else if err != nil {
		return Change{}, 0, "", err
	}
	var stamp string
	if err := a.tx.QueryRowContext(ctx, `SELECT updated_at FROM attendees WHERE id = ?`, it.AttendeeID).Scan(&stamp); err != nil {
		return Change{}, 0, "", err
	}
	if cur.Status != "active" {
		return Change{}, 0, "", &ReplyConflict{Kind: "status", Now: cur.Status}
	}
	switch it.Kind {
	case ItemDecline:
		if stamp != it.Base {
			return Change{}, 0, "", &ReplyConflict{Kind: "attendee", Now: stamp}
		}
		ch, err := a.decline(ctx, it.AttendeeID, after.Reason)
		return ch, 0, "不参会 " + after.Reason, err
	case ItemSubstitute:
		if stamp != it.Base {
			return Change{}, 0, "", &ReplyConflict{Kind: "attendee", Now: stamp}
		}
		if after.Substitute == nil {
			return Change{}, 0, "", fmt.Errorf("store: item %d: no substitute", a.item)
		}
		return a.substitute(ctx, cur, after)
	case ItemDiet:
		if cur.Diet != it.Base {
			return Change{}, 0, "", &ReplyConflict{Kind: ItemDiet, Now: cur.Diet}
		}
		_, err := a.tx.ExecContext(ctx, `UPDATE attendees SET diet = ?, updated_at = ? WHERE id = ?`, after.Diet, FormatTime(a.now), it.AttendeeID)
		return Change{Attendees: []int64{it.AttendeeID}}, 0, fmt.Sprintf("饮食 %q → %q", cur.Diet, after.Diet), err
	case ItemRoom:
		if need := RoomNeed(cur.Notes); need != it.Base {
			return Change{}, 0, "", &ReplyConflict{Kind: ItemRoom, Now: need}
		}
		_, err := a.tx.ExecContext(ctx, `UPDATE attendees SET notes = ?, updated_at = ? WHERE id = ?`,
			withRoomNeed(cur.Notes, after.Room), FormatTime(a.now), it.AttendeeID)
		return Change{Attendees: []int64{it.AttendeeID}}, 0, fmt.Sprintf("住宿需求 %q", after.Room), err
	case ItemArrival, ItemDeparture:
		old, found, err := liveLeg(ctx, a.tx, it.AttendeeID, it.Kind)
		if err != nil {
			return Change{}, 0, "", err
		}
		now := ""
		if found {
			var s string
			if err := a.tx.QueryRowContext(ctx, `SELECT updated_at FROM travel_legs WHERE id = ?`, old.ID).Scan(&s); err != nil {
				return Change{}, 0, "", err
			}
			now = s
		}
		if now != it.Base {
			return Change{}, 0, "", &ReplyConflict{Kind: it.Kind, Now: old.Number}
		}
		if after.Trip == nil {
			return Change{}, 0, "", fmt.Errorf("store: item %d: no trip", a.item)
		}
		if err := a.trip(ctx, it.AttendeeID, it.Kind, after.Trip, false); err != nil {
			return Change{}, 0, "", err
		}
		return Change{Logistics: true}, 0, fmt.Sprintf("%s %s %s %s %s", it.Kind, after.Trip.Number, after.Trip.Station,
			after.Trip.Date, after.Trip.Time), nil
	}
	return Change{}, 0, "", fmt.Errorf("store: item %d: kind %q", a.item, it.Kind)
}

// trip stores t as attendee's live leg in direction dir, from a reply.
func (a *applying) trip(ctx context.Context, attendee int64, dir string, t *ReplyTrip, fresh bool) error {
	ts := &tripStore{tx: a.tx, loc: a.loc, source: "reply", now: a.now, stations: map[string]int64{}}
	_, err := ts.put(ctx, attendee, dir, TripOf(t), fresh)
	return err
}

// sessionsOf lists the sessions attendee is expected at.
func (a *applying) sessionsOf(ctx context.Context, attendee int64) ([]string, error) {
	return readAll(ctx, a.tx, "sessions", func(r interface{ Scan(...any) error }) (string, error) {
		var s string
		return s, r.Scan(&s)
	}, `SELECT session_id FROM session_attendees WHERE attendee_id = ? ORDER BY session_id`, attendee)
}

// decline records 请假 at every session the person is expected at, with
// the unit's reason, and cancels their journeys: they do not come.
func (a *applying) decline(ctx context.Context, attendee int64, reason string) (Change, error) {
	sessions, err := a.sessionsOf(ctx, attendee)
	if err != nil {
		return Change{}, err
	}
	why := "回执：不参会"
	if reason != "" {
		why += "（" + reason + "）"
	}
	ch := Change{Attendees: []int64{attendee}, Recount: sessions, Seated: map[string][]int64{}, Logistics: true}
	for _, s := range sessions {
		if _, err := a.tx.ExecContext(ctx, `INSERT INTO leaves (session_id, attendee_id, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, s, attendee, why, a.actor, FormatTime(a.now)); err != nil {
			return Change{}, err
		}
		ch.Seated[s] = []int64{attendee}
	}
	for _, dir := range []string{Arrival, Departure} {
		if err := cancelLive(ctx, a.tx, attendee, dir, a.now, a.actor); err != nil {
			return Change{}, err
		}
	}
	return ch, nil
}

// substitute puts the unit's substitute on the list in cur's place: the
// same unit, category, group and order, cur's seats and (if cur has not
// checked in at the hotel) room; cur is withdrawn (cancelled), their
// badge revoked and their journeys cancelled. Both stay on record.
func (a *applying) substitute(ctx context.Context, cur Attendee, after ItemAfter) (Change, int64, string, error) {
	p := after.Substitute
	before, err := a.sessionsOf(ctx, cur.ID)
	if err != nil {
		return Change{}, 0, "", err
	}
	notes := "代" + cur.Name + "参会（回执）"
	if after.Room != "" {
		notes = withRoomNeed(notes, after.Room)
	}
	na := &domain.Attendee{Key: fmt.Sprintf("reply-item-%d", a.item), Name: p.Name, Gender: p.Gender, Organization: cur.Organization,
		Title: p.Title, Rank: cur.Rank, Category: cur.Category, Delegation: cur.Delegation, Group: cur.Group, Phone: p.Phone,
		IDNumber: p.IDNumber, Diet: after.Diet, Access: "", Notes: notes}
	ts := FormatTime(a.now)
	id, created, err := upsertAttendee(ctx, a.tx, na, ts, nil)
	if err != nil {
		return Change{}, 0, "", fmt.Errorf("store: substitute: %w", err)
	}
	if !created {
		return Change{}, 0, "", fmt.Errorf("store: substitute of item %d exists already", a.item)
	}
	if _, err := a.tx.ExecContext(ctx, `UPDATE attendees SET status = 'cancelled', updated_at = ? WHERE id = ?`, ts, cur.ID); err != nil {
		return Change{}, 0, "", err
	}
	// Their badge stops too, offline kiosks included (the revocation list).
	if _, err := a.tx.ExecContext(ctx, `UPDATE credentials SET revoked_at = ?, revoke_reason = 'substituted'
		WHERE attendee_id = ? AND revoked_at IS NULL`, ts, cur.ID); err != nil {
		return Change{}, 0, "", err
	}
	if err := recompute(ctx, a.tx, []int64{cur.ID, id}); err != nil {
		return Change{}, 0, "", err
	}
	// The substitute sits where the one they replace sat.
	if _, err := a.tx.ExecContext(ctx, `UPDATE seat_assignments SET attendee_id = ?1 WHERE attendee_id = ?2
		AND session_id IN (SELECT session_id FROM session_attendees WHERE attendee_id = ?1)`, id, cur.ID); err != nil {
		return Change{}, 0, "", err
	}
	if _, err := a.tx.ExecContext(ctx, `DELETE FROM session_attendees WHERE attendee_id = ?`, cur.ID); err != nil {
		return Change{}, 0, "", err
	}
	if _, err := a.tx.ExecContext(ctx, `DELETE FROM seat_assignments WHERE attendee_id = ?`, cur.ID); err != nil {
		return Change{}, 0, "", err
	}
	if _, err := a.tx.ExecContext(ctx, `UPDATE lodging SET attendee_id = ? WHERE attendee_id = ?
		AND NOT EXISTS (SELECT 1 FROM hotel_checkins h WHERE h.attendee_id = ?)`, id, cur.ID, cur.ID); err != nil {
		return Change{}, 0, "", err
	}
	for _, dir := range []string{Arrival, Departure} {
		if err := cancelLive(ctx, a.tx, cur.ID, dir, a.now, a.actor); err != nil {
			return Change{}, 0, "", err
		}
	}
	for _, d := range []struct {
		dir  string
		trip *ReplyTrip
	}{{Arrival, after.Arrival}, {Departure, after.Departure}} {
		if d.trip != nil {
			if err := a.trip(ctx, id, d.dir, d.trip, true); err != nil {
				return Change{}, 0, "", err
			}
		}
	}
	// The unit named the substitute: they count as confirmed.
	b, err := json.Marshal(ReplyAnswer{Attendee: id, Status: AnswerConfirm, Diet: after.Diet, Room: after.Room,
		Arrival: after.Arrival, Departure: after.Departure})
	if err != nil {
		return Change{}, 0, "", err
	}
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO reply_answers (reply_id, attendee_id, status, answer) VALUES (?, ?, 'confirm', ?)`,
		a.reply, id, string(b)); err != nil {
		return Change{}, 0, "", err
	}
	if err := audit(ctx, a.tx, a.now, a.actor, "attendee.substitute", fmt.Sprint(id),
		fmt.Sprintf("%s 代 %s（%d）参会，原人员已撤销", p.Name, cur.Name, cur.ID)); err != nil {
		return Change{}, 0, "", err
	}
	after2, err := a.sessionsOf(ctx, id)
	if err != nil {
		return Change{}, 0, "", err
	}
	ch := Change{Attendees: []int64{cur.ID, id}, Recount: union(before, after2), Logistics: true, Seated: map[string][]int64{}}
	for _, s := range ch.Recount {
		ch.Seated[s] = []int64{cur.ID, id}
	}
	return ch, id, fmt.Sprintf("代会 %s（%d）代 %s", p.Name, id, cur.Name), nil
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
