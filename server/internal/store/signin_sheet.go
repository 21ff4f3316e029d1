package store

import (
	"context"
	"fmt"
)

// SigninDetail is what a 签到表 prints of one expected attendee beyond the
// state package attendance gives them: title, unit, delegation, phone,
// whether the desk signed them in by hand (补签), and the reason of a leave
// they hold.
type SigninDetail struct {
	Title, Organization, Delegation, Phone string
	Manual                                 bool
	LeaveReason                            string
}

// SigninDetails reads the sheet details of everyone session expects, by
// attendee id.
func (db *DB) SigninDetails(ctx context.Context, session string) (map[int64]SigninDetail, error) {
	rows, err := db.R.QueryContext(ctx, `
		SELECT a.id, a.title, a.organization, coalesce(d.name, ''), a.phone, coalesce(l.reason, ''),
		       EXISTS (SELECT 1 FROM scans m WHERE m.session_id = sa.session_id AND m.attendee_id = a.id
		               AND m.manual = 1 AND m.status = 'ok')
		FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id
		LEFT JOIN delegations d ON d.id = a.delegation_id
		LEFT JOIN leaves l ON l.session_id = sa.session_id AND l.attendee_id = sa.attendee_id AND l.revoked_at IS NULL
		WHERE sa.session_id = ?`, session)
	if err != nil {
		return nil, fmt.Errorf("store: signin details %s: %w", session, err)
	}
	defer rows.Close()
	out := map[int64]SigninDetail{}
	for rows.Next() {
		var id int64
		var d SigninDetail
		if err := rows.Scan(&id, &d.Title, &d.Organization, &d.Delegation, &d.Phone, &d.LeaveReason, &d.Manual); err != nil {
			return nil, err
		}
		out[id] = d
	}
	return out, rows.Err()
}
