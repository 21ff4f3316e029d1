package attendance

import (
	"context"
	"errors"

	"huiwu/server/internal/store"
)

// MaxLeaveReason bounds a leave's reason (in bytes): it is a word for the
// desk (因病, 公务), not a letter, and it is shown on every desk's list.
const MaxLeaveReason = 500

// ErrLeaveAttendee refuses a leave that names nobody.
var ErrLeaveAttendee = errors.New("attendance: a leave needs an attendee")

// ErrReasonTooLong refuses a reason longer than MaxLeaveReason.
var ErrReasonTooLong = errors.New("attendance: the leave's reason is too long")

// CreateLeave records 请假 for attendee at session: they count as 请假, not
// 缺席, until they come (which withdraws it) or it is withdrawn. The store
// refuses someone not expected there (store.ErrNotExpected) and a second
// leave (store.ErrLeaveExists); the tracker re-reads the session on the
// change the write announces.
func CreateLeave(ctx context.Context, db *store.DB, session string, attendee int64, reason, actor string) error {
	if attendee <= 0 {
		return ErrLeaveAttendee
	}
	if len(reason) > MaxLeaveReason {
		return ErrReasonTooLong
	}
	return db.CreateLeave(ctx, session, attendee, reason, actor)
}

// WithdrawLeave withdraws the leave attendee holds for session: they count
// as 缺席 again until they check in. store.ErrNotFound when they hold none.
func WithdrawLeave(ctx context.Context, db *store.DB, session string, attendee int64, actor string) error {
	return db.WithdrawLeave(ctx, session, attendee, actor)
}
