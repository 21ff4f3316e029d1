package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Replies to a notice (issue 13.1): what a unit says of each of its
// people, kept as it was said, and the changes that asks of the list,
// which the desk applies or rejects one by one (replies_apply.go). A
// reply never changes the list by itself.

// The answers a unit gives for a person.
const (
	AnswerConfirm    = "confirm"
	AnswerSubstitute = "substitute"
	AnswerDecline    = "decline"
)

// The kinds of change a reply asks for.
const (
	ItemSubstitute = "substitute"
	ItemDecline    = "decline"
	ItemDiet       = "diet"
	ItemRoom       = "room"
	ItemArrival    = Arrival
	ItemDeparture  = Departure
)

// The states of a reply item.
const (
	ItemPending    = "pending"
	ItemApplied    = "applied"
	ItemRejected   = "rejected"
	ItemSuperseded = "superseded"
)

// ReplyTrip is a journey as a unit tells it.
type ReplyTrip struct {
	Mode       string `json:"mode,omitempty"`   // flight, train, car, other
	Number     string `json:"number,omitempty"` // CA1234, G123
	Station    string `json:"station,omitempty"`
	Date       string `json:"date,omitempty"` // YYYY-MM-DD
	Time       string `json:"time,omitempty"` // HH:MM
	Companions int    `json:"companions,omitempty"`
}

// ReplyPerson is the one a unit sends in another's place (代会).
type ReplyPerson struct {
	Name     string `json:"name"`
	Gender   string `json:"gender,omitempty"`
	Title    string `json:"title,omitempty"`
	Phone    string `json:"phone,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

// ReplyAnswer is what a unit says of one of its people.
type ReplyAnswer struct {
	Attendee   int64        `json:"attendee_id"`
	Status     string       `json:"status"`           // confirm, substitute, decline
	Reason     string       `json:"reason,omitempty"` // why not (decline)
	Substitute *ReplyPerson `json:"substitute,omitempty"`
	Arrival    *ReplyTrip   `json:"arrival,omitempty"`
	Departure  *ReplyTrip   `json:"departure,omitempty"`
	Diet       string       `json:"diet,omitempty"`
	Room       string       `json:"room,omitempty"` // room needs: 单间, 无需住宿…
}

// ReplyMember is one of a unit's people as the list has them now, with
// the stamps a change made against them is checked by.
type ReplyMember struct {
	ID        int64
	Name      string
	Title     string
	Category  string
	Phone     string
	Diet      string
	Room      string // the room need written in the notes (住宿需求：…)
	Stamp     string // the attendee's updated_at
	Arrival   *ReplyTrip
	Departure *ReplyTrip
	// ArrivalStamp and DepartureStamp are the live legs' updated_at, ""
	// without one.
	ArrivalStamp, DepartureStamp string
}

// ReplyItem is one change a reply asks of the list.
type ReplyItem struct {
	ID         int64      `json:"id"`
	ReplyID    int64      `json:"reply_id"`
	AttendeeID int64      `json:"attendee_id"`
	Name       string     `json:"name"` // the person's name on the list
	Kind       string     `json:"kind"`
	Before     string     `json:"before"` // what the list said, in words
	After      string     `json:"after"`  // JSON: the change
	Base       string     `json:"-"`
	State      string     `json:"state"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	DecidedBy  string     `json:"decided_by,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	Made       int64      `json:"made_attendee_id,omitempty"`
}

// Reply is one reply a unit sent.
type Reply struct {
	ID          int64     `json:"id"`
	UnitID      int64     `json:"unit_id"`
	Channel     string    `json:"channel"` // web, xlsx
	SubmittedAt time.Time `json:"submitted_at"`
	SubmittedBy string    `json:"submitted_by"`
}

// ErrNotMember is returned for an answer about someone who is not one of
// the unit's people.
var ErrNotMember = errors.New("store: not one of the unit's people")

// roomNeedPrefix marks the line of an attendee's notes that holds the
// room need a reply gave.
const roomNeedPrefix = "住宿需求："

// RoomNeed is the room need written in notes, "" for none.
func RoomNeed(notes string) string {
	for _, line := range strings.Split(notes, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), roomNeedPrefix); ok {
			return v
		}
	}
	return ""
}

// withRoomNeed answers notes with its room need line replaced by need.
func withRoomNeed(notes, need string) string {
	var keep []string
	for _, line := range strings.Split(notes, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), roomNeedPrefix) && line != "" {
			keep = append(keep, line)
		}
	}
	if need != "" {
		keep = append(keep, roomNeedPrefix+need)
	}
	return strings.Join(keep, "\n")
}

// isMember reports whether attendee is one of unit's people now.
func isMember(ctx context.Context, q querier, unit, attendee int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		JOIN units u ON u.id = ? WHERE a.id = ? AND `+memberWhere, unit, attendee).Scan(&n)
	return n > 0, err
}

// UnitMembers lists unit's people as the list has them now, in list
// order; travel times are read in loc.
func (db *DB) UnitMembers(ctx context.Context, unit int64, loc *time.Location) ([]ReplyMember, error) {
	ms, err := readAll(ctx, db.r, "unit members", func(row interface{ Scan(...any) error }) (ReplyMember, error) {
		var m ReplyMember
		var notes string
		err := row.Scan(&m.ID, &m.Name, &m.Title, &m.Category, &m.Phone, &m.Diet, &notes, &m.Stamp)
		m.Room = RoomNeed(notes)
		return m, err
	}, `SELECT a.id, a.name, a.title, a.category, a.phone, a.diet, a.notes, a.updated_at
		FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id JOIN units u ON u.id = ?
		WHERE `+memberWhere+` ORDER BY a.rank, a.id`, unit)
	if err != nil {
		return nil, err
	}
	idx := make(map[int64]int, len(ms))
	for i, m := range ms {
		idx[m.ID] = i
	}
	type legRow struct {
		attendee          int64
		dir, mode, number string
		station, date, at string
		companions        int
		stamp             string
	}
	legs, err := readAll(ctx, db.r, "unit legs", func(row interface{ Scan(...any) error }) (legRow, error) {
		var l legRow
		err := row.Scan(&l.attendee, &l.dir, &l.mode, &l.number, &l.station, &l.date, &l.at, &l.companions, &l.stamp)
		return l, err
	}, `SELECT l.attendee_id, l.direction, l.mode, l.number, coalesce(s.name, ''), l.on_date, l.at, l.companions, l.updated_at
		FROM travel_legs l LEFT JOIN stations s ON s.id = l.station_id
		JOIN attendees a ON a.id = l.attendee_id LEFT JOIN delegations d ON d.id = a.delegation_id JOIN units u ON u.id = ?
		WHERE l.cancelled_at IS NULL AND `+memberWhere, unit)
	if err != nil {
		return nil, err
	}
	for _, l := range legs {
		i, ok := idx[l.attendee]
		if !ok {
			continue
		}
		t := &ReplyTrip{Mode: l.mode, Number: l.number, Station: l.station, Date: l.date, Companions: l.companions}
		if l.at != "" {
			t.Time = ReadTime(l.at).In(loc).Format("15:04")
		}
		if l.dir == Arrival {
			ms[i].Arrival, ms[i].ArrivalStamp = t, l.stamp
		} else {
			ms[i].Departure, ms[i].DepartureStamp = t, l.stamp
		}
	}
	return ms, nil
}

// SaveDraft keeps a unit's answer for one of its people until the unit
// sends its reply; a later answer replaces it.
func (db *DB) SaveDraft(ctx context.Context, unit int64, a ReplyAnswer) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		ok, err := isMember(ctx, tx, unit, a.Attendee)
		if err != nil {
			return Change{}, err
		}
		if !ok {
			return Change{}, ErrNotMember
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO reply_drafts (unit_id, attendee_id, answer, saved_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (unit_id, attendee_id) DO UPDATE SET answer = excluded.answer, saved_at = excluded.saved_at`,
			unit, a.Attendee, string(b), FormatTime(time.Now()))
		return Change{}, err
	})
}

// Drafts answers the unit's unsent answers by person.
func (db *DB) Drafts(ctx context.Context, unit int64) (map[int64]ReplyAnswer, error) {
	raw, err := readMap[int64, string](ctx, db.r, "drafts", `SELECT attendee_id, answer FROM reply_drafts WHERE unit_id = ?`, unit)
	if err != nil {
		return nil, err
	}
	return decodeAnswers(raw)
}

func decodeAnswers(raw map[int64]string) (map[int64]ReplyAnswer, error) {
	out := make(map[int64]ReplyAnswer, len(raw))
	for id, s := range raw {
		var a ReplyAnswer
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			return nil, fmt.Errorf("store: answer of %d: %w", id, err)
		}
		out[id] = a
	}
	return out, nil
}

// LatestAnswers answers, by person, what the unit's newest reply that
// named them said.
func (db *DB) LatestAnswers(ctx context.Context, unit int64) (map[int64]ReplyAnswer, error) {
	raw, err := readMap[int64, string](ctx, db.r, "answers", `SELECT x.attendee_id, x.answer FROM reply_answers x
		JOIN replies r ON r.id = x.reply_id AND r.unit_id = ?
		WHERE x.reply_id = (SELECT max(y.reply_id) FROM reply_answers y JOIN replies q ON q.id = y.reply_id AND q.unit_id = r.unit_id
			WHERE y.attendee_id = x.attendee_id)`, unit)
	if err != nil {
		return nil, err
	}
	return decodeAnswers(raw)
}

// Submission is a reply to store: its answers and the items they ask for.
type Submission struct {
	Unit    int64
	Channel string // web, xlsx
	LinkID  int64  // the link it came through (web)
	By      string // who sent it: the unit's link, or the desk that imported it
	Answers []ReplyAnswer
	Items   []ReplyItem
	// Carried are the people whose answer is the unit's last one, sent
	// again unchanged with a reply that changes others': their open items
	// stay as they are.
	Carried map[int64]bool
}

// SubmitReply stores a reply in one transaction: its answers, its items
// (pending, for the desk), and the older pending items of everyone it
// answers anew marked superseded, since the newest answer speaks for the
// person. A reply from the page takes the unit's drafts with it. Audited.
func (db *DB) SubmitReply(ctx context.Context, s Submission) (Reply, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		ts := FormatTime(now)
		for _, a := range s.Answers {
			ok, err := isMember(ctx, tx, s.Unit, a.Attendee)
			if err != nil {
				return Change{}, err
			}
			if !ok {
				return Change{}, fmt.Errorf("%w: %d", ErrNotMember, a.Attendee)
			}
		}
		link := sql.NullInt64{Int64: s.LinkID, Valid: s.LinkID != 0}
		if err := tx.QueryRowContext(ctx, `INSERT INTO replies (unit_id, channel, link_id, submitted_at, submitted_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			s.Unit, s.Channel, link, ts, s.By).Scan(&id); err != nil {
			return Change{}, fmt.Errorf("store: reply: %w", err)
		}
		for _, a := range s.Answers {
			if s.Carried[a.Attendee] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reply_items SET state = 'superseded', decided_at = ?, decided_by = ?
				WHERE state = 'pending' AND attendee_id = ? AND reply_id IN (SELECT id FROM replies WHERE unit_id = ? AND id <> ?)`,
				ts, s.By, a.Attendee, s.Unit, id); err != nil {
				return Change{}, err
			}
		}
		for _, a := range s.Answers {
			b, err := json.Marshal(a)
			if err != nil {
				return Change{}, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO reply_answers (reply_id, attendee_id, status, answer) VALUES (?, ?, ?, ?)`,
				id, a.Attendee, a.Status, string(b)); err != nil {
				return Change{}, fmt.Errorf("store: answer of %d: %w", a.Attendee, err)
			}
		}
		for _, it := range s.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reply_items (reply_id, attendee_id, kind, before, after, base) VALUES (?, ?, ?, ?, ?, ?)`,
				id, it.AttendeeID, it.Kind, it.Before, it.After, it.Base); err != nil {
				return Change{}, fmt.Errorf("store: item of %d: %w", it.AttendeeID, err)
			}
		}
		if s.Channel == "web" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM reply_drafts WHERE unit_id = ?`, s.Unit); err != nil {
				return Change{}, err
			}
		}
		return Change{}, audit(ctx, tx, now, s.By, "reply.submit", fmt.Sprintf("unit:%d", s.Unit),
			fmt.Sprintf("reply %d by %s: %d answers (%d as before), %d changes", id, s.Channel, len(s.Answers), len(s.Carried), len(s.Items)))
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{ID: id, UnitID: s.Unit, Channel: s.Channel, SubmittedAt: time.Now(), SubmittedBy: s.By}, nil
}

// Replies lists the unit's replies, newest first.
func (db *DB) Replies(ctx context.Context, unit int64) ([]Reply, error) {
	return readAll(ctx, db.r, "replies", scanReply, `SELECT id, unit_id, channel, submitted_at, submitted_by FROM replies
		WHERE unit_id = ? ORDER BY id DESC`, unit)
}

func scanReply(row interface{ Scan(...any) error }) (Reply, error) {
	var r Reply
	var at string
	err := row.Scan(&r.ID, &r.UnitID, &r.Channel, &at, &r.SubmittedBy)
	if err == nil {
		r.SubmittedAt = ReadTime(at)
	}
	return r, err
}

const itemColumns = `i.id, i.reply_id, i.attendee_id, a.name, i.kind, i.before, i.after, i.base, i.state,
	coalesce(i.decided_at, ''), i.decided_by, i.reason, coalesce(i.made_attendee_id, 0)`

func scanItem(row interface{ Scan(...any) error }) (ReplyItem, error) {
	var it ReplyItem
	var decided string
	err := row.Scan(&it.ID, &it.ReplyID, &it.AttendeeID, &it.Name, &it.Kind, &it.Before, &it.After, &it.Base, &it.State,
		&decided, &it.DecidedBy, &it.Reason, &it.Made)
	it.DecidedAt = optTime(decided)
	return it, err
}

// ReplyItems lists the changes the unit's replies asked for, newest reply
// first, in list order within a reply.
func (db *DB) ReplyItems(ctx context.Context, unit int64) ([]ReplyItem, error) {
	return readAll(ctx, db.r, "reply items", scanItem, `SELECT `+itemColumns+` FROM reply_items i
		JOIN replies r ON r.id = i.reply_id JOIN attendees a ON a.id = i.attendee_id
		WHERE r.unit_id = ? ORDER BY i.reply_id DESC, a.rank, i.attendee_id, i.id`, unit)
}

// ReplyItem reads one item.
func (db *DB) ReplyItem(ctx context.Context, id int64) (ReplyItem, error) {
	it, err := scanItem(db.r.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM reply_items i
		JOIN attendees a ON a.id = i.attendee_id WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, ErrNotFound
	}
	return it, err
}

// UnitReplyState is where a unit's replies stand.
type UnitReplyState struct {
	Replies   int        `json:"replies"`
	RepliedAt *time.Time `json:"replied_at,omitempty"` // the newest
	Pending   int        `json:"pending"`              // changes waiting for the desk
}

// UnitReplyStates answers every unit's reply state, by unit.
func (db *DB) UnitReplyStates(ctx context.Context) (map[int64]UnitReplyState, error) {
	type row struct {
		unit int64
		s    UnitReplyState
	}
	rows, err := readAll(ctx, db.r, "reply states", func(r interface{ Scan(...any) error }) (row, error) {
		var x row
		var at string
		err := r.Scan(&x.unit, &x.s.Replies, &at, &x.s.Pending)
		x.s.RepliedAt = optTime(at)
		return x, err
	}, `SELECT u.id, (SELECT count(*) FROM replies r WHERE r.unit_id = u.id),
			coalesce((SELECT max(submitted_at) FROM replies r WHERE r.unit_id = u.id), ''),
			(SELECT count(*) FROM reply_items i JOIN replies r ON r.id = i.reply_id WHERE r.unit_id = u.id AND i.state = 'pending')
		FROM units u`)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]UnitReplyState, len(rows))
	for _, x := range rows {
		out[x.unit] = x.s
	}
	return out, nil
}

// Unconfirmed is one of a unit's people the secretariat cannot yet count
// on: not named in any reply, or named with a change still open or
// refused.
type Unconfirmed struct {
	AttendeeID   int64
	Name         string
	Organization string
	Unit         string
	Replied      bool   // the unit has replied at all
	Answer       string // the newest answer: "" none, or confirm/substitute/decline
	ItemState    string // of the answer's substitute or decline item
}

// UnconfirmedPeople lists, in list order, everyone in a unit whose newest
// answer is not a confirmation, and not a 代会 or 不参会 the desk applied.
func (db *DB) UnconfirmedPeople(ctx context.Context) (checked int, out []Unconfirmed, err error) {
	if err := db.syncUnits(ctx); err != nil {
		return 0, nil, err
	}
	all, err := readAll(ctx, db.r, "unconfirmed", func(r interface{ Scan(...any) error }) (Unconfirmed, error) {
		var u Unconfirmed
		err := r.Scan(&u.AttendeeID, &u.Name, &u.Organization, &u.Unit, &u.Replied, &u.Answer, &u.ItemState)
		return u, err
	}, `SELECT a.id, a.name, a.organization, u.name,
			EXISTS (SELECT 1 FROM replies r WHERE r.unit_id = u.id),
			coalesce(x.status, ''),
			coalesce((SELECT i.state FROM reply_items i WHERE i.reply_id = x.reply_id AND i.attendee_id = a.id
				AND i.kind IN ('substitute', 'decline')), '')
		FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		JOIN units u ON `+memberWhere+`
		LEFT JOIN reply_answers x ON x.attendee_id = a.id AND x.reply_id =
			(SELECT max(y.reply_id) FROM reply_answers y JOIN replies q ON q.id = y.reply_id AND q.unit_id = u.id WHERE y.attendee_id = a.id)
		ORDER BY coalesce(d.sort, 1e9), a.rank, a.id`)
	if err != nil {
		return 0, nil, err
	}
	out = []Unconfirmed{}
	for _, u := range all {
		if u.Answer == AnswerConfirm || u.ItemState == ItemApplied {
			continue
		}
		out = append(out, u)
	}
	return len(all), out, nil
}

// UnitsNotReplied lists the units with people on the list and no reply,
// with how many units there are.
func (db *DB) UnitsNotReplied(ctx context.Context) (checked int, out []Unit, err error) {
	units, err := db.Units(ctx)
	if err != nil {
		return 0, nil, err
	}
	states, err := db.UnitReplyStates(ctx)
	if err != nil {
		return 0, nil, err
	}
	out = []Unit{}
	for _, u := range units {
		if states[u.ID].Replies == 0 {
			out = append(out, u)
		}
	}
	return len(units), out, nil
}
