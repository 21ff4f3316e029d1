package store

import (
	"time"

	"huiwu/server/internal/eventdef"
)

// FacesDeletedAt is when the retention rule deletes the event's photos,
// face references and consents (issue 15.6, docs/photos.md): 00:00 in
// the event's zone on the meeting's last day plus its face_retention_days
// (1: the day after the last day). The last day is the day the last
// window closes; a window closing at midnight belongs to the day before.
// Zero when no event is set up.
func (c *Catalog) FacesDeletedAt() time.Time {
	end := c.Ends()
	if end.IsZero() {
		return end
	}
	days := c.Event.FaceRetentionDays
	if days <= 0 {
		days = eventdef.DefaultFaceRetentionDays
	}
	y, m, d := end.Add(-time.Nanosecond).In(c.Location).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, c.Location)
}
