// Package fleet is the desk's view of its kiosks: which are online, when
// each was last seen, how many offline scans each still holds, and how many
// scans each made today. Kiosks report their queue in a heartbeat; the rest
// comes from the scan log and the auth service's last-seen times.
package fleet

import (
	"context"
	"database/sql"
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
	if queued < 0 {
		queued = 0
	}
	return db.Write(ctx, func(tx *sql.Tx) (store.Change, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO kiosk_status (device_id, queued, offline, reported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (device_id) DO UPDATE SET queued = excluded.queued, offline = excluded.offline, reported_at = excluded.reported_at`,
			device, queued, wasOffline, store.FormatTime(now))
		if err != nil {
			return store.Change{}, fmt.Errorf("fleet: report: %w", err)
		}
		return store.Change{}, nil
	})
}

// List joins the devices with their heartbeats and today's scan counts.
// Last seen is the later of the auth service's in-memory time (any request
// since this process started) and the stored heartbeat, so a restart does
// not make every kiosk look never seen.
func List(ctx context.Context, db *store.DB, devices []auth.Device, loc *time.Location, now time.Time) ([]Status, error) {
	beats := map[string]Status{}
	rows, err := db.R.QueryContext(ctx, `SELECT device_id, queued, reported_at FROM kiosk_status`)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at string
		var st Status
		if err := rows.Scan(&id, &st.Queued, &at); err != nil {
			return nil, err
		}
		t := store.ReadTime(at)
		st.ReportedAt = &t
		beats[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	y, m, d := now.In(loc).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	counts := map[string][2]int{}
	crow, err := db.R.QueryContext(ctx, `SELECT device_id, count(*), sum(offline) FROM scans
		WHERE device_id != '' AND scanned_at >= ? GROUP BY device_id`, store.FormatTime(midnight))
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	defer crow.Close()
	for crow.Next() {
		var id string
		var n, off int
		if err := crow.Scan(&id, &n, &off); err != nil {
			return nil, err
		}
		counts[id] = [2]int{n, off}
	}
	if err := crow.Err(); err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(devices))
	for _, dev := range devices {
		st := beats[dev.ID]
		st.Device = dev
		if st.ReportedAt != nil && (st.LastSeenAt == nil || st.ReportedAt.After(*st.LastSeenAt)) {
			t := *st.ReportedAt
			st.LastSeenAt = &t
		}
		st.Online = dev.RevokedAt == nil && st.LastSeenAt != nil && now.Sub(*st.LastSeenAt) < OnlineWithin
		c := counts[dev.ID]
		st.ScansToday, st.OfflineToday = c[0], c[1]
		out = append(out, st)
	}
	return out, nil
}
