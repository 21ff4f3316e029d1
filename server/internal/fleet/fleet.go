// Package fleet is the desk's view of its kiosks: which are online, when
// each was last seen, how many offline scans each still holds, and how many
// scans each made today. Kiosks report their queue in a heartbeat; the rest
// comes from the scan log and the auth service's last-seen times.
package fleet

import (
	"context"
	"fmt"
	"time"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// OnlineWithin is how recent a kiosk's last request must be for the desk to
// show it online. Kiosks send a heartbeat every 15 s, so three missed
// beats mark it offline.
const OnlineWithin = 45 * time.Second

// Status is one device as the desk's kiosk list shows it.
type Status struct {
	auth.Device
	Online bool `json:"online"`
	// Queued is how many offline scans the kiosk last said it holds.
	Queued int `json:"queued"`
	// ReportedAt is the kiosk's last heartbeat.
	ReportedAt *time.Time `json:"reported_at,omitempty"`
	// ScansToday counts the scans logged from this device since midnight
	// in the event's time zone; OfflineToday those of them made offline.
	ScansToday   int `json:"scans_today"`
	OfflineToday int `json:"offline_today"`
}

// Report records a kiosk's heartbeat.
func Report(ctx context.Context, db *store.DB, device string, queued int, wasOffline bool, now time.Time) error {
	return db.ReportKiosk(ctx, device, max(queued, 0), wasOffline, now)
}

// List joins the devices with their heartbeats and today's scan counts.
// Last seen is the later of the auth service's in-memory time (any request
// since this process started) and the stored heartbeat, so a restart does
// not make every kiosk look never seen.
func List(ctx context.Context, db *store.DB, devices []auth.Device, loc *time.Location, now time.Time) ([]Status, error) {
	y, m, d := now.In(loc).Date()
	activity, err := db.KioskActivity(ctx, time.Date(y, m, d, 0, 0, 0, 0, loc))
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	out := make([]Status, 0, len(devices))
	for _, dev := range devices {
		k := activity[dev.ID]
		st := Status{Device: dev, Queued: k.Queued, ScansToday: k.Scans, OfflineToday: k.Offline}
		if !k.ReportedAt.IsZero() {
			t := k.ReportedAt
			st.ReportedAt = &t
			if st.LastSeenAt == nil || t.After(*st.LastSeenAt) {
				seen := t
				st.LastSeenAt = &seen
			}
		}
		st.Online = dev.RevokedAt == nil && st.LastSeenAt != nil && now.Sub(*st.LastSeenAt) < OnlineWithin
		out = append(out, st)
	}
	return out, nil
}
