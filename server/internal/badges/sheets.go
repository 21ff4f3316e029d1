package badges

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"huiwu/badge/render"
	"huiwu/server/internal/attendance"
	"huiwu/server/internal/store"
)

// Slips loads an attendee's meal stubs (in meal order) and room slip.
// Every slip's QR is the attendee's live credential token (see
// render.Slips for why).
func (s *Service) Slips(ctx context.Context, id int64) (*render.Slips, error) {
	a, cred, err := s.printable(ctx, id)
	if err != nil {
		return nil, err
	}
	cat := s.catalog()
	out := &render.Slips{Event: cat.Event.Name, Name: a.Name, Organization: a.Organization,
		Token: cred.Token, Serial: cred.Serial}
	rows, err := s.db.R.QueryContext(ctx, `SELECT m.date, m.slot, m.name, v.name, t.table_no
		FROM meal_tickets t JOIN meals m ON m.id = t.meal_id JOIN venues v ON v.id = t.venue_id
		WHERE t.attendee_id = ? ORDER BY m.opens_at, m.id`, id)
	if err != nil {
		return nil, fmt.Errorf("badges: meals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m := render.MealStub{Diet: a.Diet}
		if err := rows.Scan(&m.Date, &m.Slot, &m.Name, &m.Hall, &m.Table); err != nil {
			return nil, err
		}
		out.Meals = append(out.Meals, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var r render.RoomSlip
	err = s.db.R.QueryRowContext(ctx, `SELECT v.name, l.room, l.check_in, l.check_out FROM lodging l
		JOIN venues v ON v.id = l.venue_id WHERE l.attendee_id = ?`, id).Scan(&r.Hotel, &r.Room, &r.CheckIn, &r.CheckOut)
	switch {
	case err == nil:
		out.Room = &r
	case err != sql.ErrNoRows:
		return nil, fmt.Errorf("badges: lodging: %w", err)
	}
	return out, nil
}

// SignIn loads a session's 签到表: everyone expected (every category, in
// list order) with their delegation, when each first came in, and a note — 请假, 迟到, 补签
// (checked in by hand at the desk). The totals are attendance's own
// figures over the categories that count, the chair's, with whom they
// count and the list's length beside them, so the sheet and the chair's
// sentence never disagree.
func (s *Service) SignIn(ctx context.Context, session string) (*render.SignInSheet, error) {
	cat := s.catalog()
	ses, ok := cat.Sessions[session]
	if !ok {
		return nil, store.ErrNotFound
	}
	counts, err := attendance.Of(ctx, s.db, cat, session)
	if err != nil {
		return nil, err
	}
	loc := cat.Location
	sheet := &render.SignInSheet{Event: cat.Event.Name, Session: ses.Name, Venue: cat.Venues[ses.Venue].Name,
		When:     ses.StartsAt.In(loc).Format("2006年1月2日 15:04"),
		Expected: counts.Expected, Present: counts.Present, Left: counts.Left, OnLeave: counts.OnLeave,
		Absent: counts.Absent + counts.NotYet, AbsentWord: "缺席", Basis: counts.Basis.Zh, Listed: counts.All.Expected,
		Printed: time.Now().In(loc).Format("2006-01-02 15:04")}
	if !counts.AbsentCounted {
		sheet.AbsentWord = "未到"
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT a.name, coalesce(d.name, ''), a.title, a.organization, coalesce(p.first_in_at, ''),
			EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = x.session_id AND l.attendee_id = a.id AND l.revoked_at IS NULL),
			EXISTS (SELECT 1 FROM scans c WHERE c.session_id = x.session_id AND c.attendee_id = a.id AND c.manual = 1 AND c.status = 'ok')
		FROM session_attendees x JOIN attendees a ON a.id = x.attendee_id
		LEFT JOIN delegations d ON d.id = a.delegation_id
		LEFT JOIN presence p ON p.session_id = x.session_id AND p.attendee_id = a.id
		WHERE x.session_id = ? AND a.status = 'active' ORDER BY a.rank, a.id`, session)
	if err != nil {
		return nil, fmt.Errorf("badges: sign-in sheet: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r render.SignInRow
		var first string
		var leave, manual bool
		if err := rows.Scan(&r.Name, &r.Delegation, &r.Title, &r.Organization, &first, &leave, &manual); err != nil {
			return nil, err
		}
		switch {
		case first != "":
			t := store.ReadTime(first)
			r.Time = t.In(loc).Format("15:04")
			if manual {
				r.Note = "补签"
			} else if t.After(ses.StartsAt) {
				r.Note = "迟到"
			}
		case leave:
			r.Note = "请假"
		}
		sheet.Rows = append(sheet.Rows, r)
	}
	return sheet, rows.Err()
}
