package badges

import (
	"context"
	"errors"
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
	stubs, err := s.db.MealStubs(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("badges: meals: %w", err)
	}
	for _, m := range stubs {
		out.Meals = append(out.Meals, render.MealStub{Date: m.Date, Slot: m.Slot, Name: m.Name, Hall: m.Hall, Table: m.Table, Diet: a.Diet})
	}
	r, err := s.db.RoomSlip(ctx, id)
	switch {
	case err == nil:
		out.Room = &render.RoomSlip{Hotel: r.Hotel, Room: r.Room, CheckIn: r.CheckIn, CheckOut: r.CheckOut}
	case !errors.Is(err, store.ErrNotFound):
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
	lines, err := s.db.SigninSheet(ctx, session)
	if err != nil {
		return nil, fmt.Errorf("badges: sign-in sheet: %w", err)
	}
	for _, l := range lines {
		if !l.Active {
			continue
		}
		r := render.SignInRow{Name: l.Name, Delegation: l.Delegation, Title: l.Title, Organization: l.Organization}
		switch {
		case !l.FirstIn.IsZero():
			r.Time = l.FirstIn.In(loc).Format("15:04")
			if l.Manual {
				r.Note = "补签"
			} else if l.FirstIn.After(ses.StartsAt) {
				r.Note = "迟到"
			}
		case l.OnLeave:
			r.Note = "请假"
		}
		sheet.Rows = append(sheet.Rows, r)
	}
	return sheet, nil
}
