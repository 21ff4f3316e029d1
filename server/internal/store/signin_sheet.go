package store

import (
	"context"
	"time"
)

// SigninLine is one attendee a session expects as a 签到表 prints them:
// name, title, unit, delegation and phone; whether they came in and when;
// whether the desk signed them in by hand (补签); the leave they hold.
// Both sheets read it: the printed PDF (package badges) and the
// spreadsheet (package exports), so that they never list different
// people or notes.
type SigninLine struct {
	AttendeeID                             int64
	Name                                   string
	Title, Organization, Delegation, Phone string
	// Active is false for a cancelled attendee: the PDF leaves them off,
	// the spreadsheet follows package attendance's roster.
	Active      bool
	FirstIn     time.Time // their first entry; zero until they come in
	Manual      bool      // signed in by hand at the desk (补签)
	OnLeave     bool      // holds a leave not withdrawn
	LeaveReason string
}

// SigninSheet lists everyone session expects, cancelled or not, in list
// order (rank, then id).
func (db *DB) SigninSheet(ctx context.Context, session string) ([]SigninLine, error) {
	return readAll(ctx, db.r, "signin sheet "+session, func(r interface{ Scan(...any) error }) (SigninLine, error) {
		var l SigninLine
		var first string
		err := r.Scan(&l.AttendeeID, &l.Name, &l.Title, &l.Organization, &l.Delegation, &l.Phone, &l.Active,
			&first, &l.Manual, &l.OnLeave, &l.LeaveReason)
		l.FirstIn = ReadTime(first) // zero for ''
		return l, err
	}, `
		SELECT a.id, a.name, a.title, a.organization, coalesce(d.name, ''), a.phone, a.status = 'active',
		       coalesce(p.first_in_at, ''),
		       EXISTS (SELECT 1 FROM scans m WHERE m.session_id = sa.session_id AND m.attendee_id = a.id
		               AND m.manual = 1 AND m.status = 'ok'),
		       l.id IS NOT NULL, coalesce(l.reason, '')
		FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id
		LEFT JOIN delegations d ON d.id = a.delegation_id
		LEFT JOIN presence p ON p.session_id = sa.session_id AND p.attendee_id = sa.attendee_id
		LEFT JOIN active_leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id
		WHERE sa.session_id = ?
		ORDER BY a.rank, a.id`, session)
}
