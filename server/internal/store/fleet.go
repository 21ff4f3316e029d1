package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// KioskActivity is what the desk's kiosk list knows of one device beside
// its record: its last heartbeat (kiosk_status) and the scans it logged
// since a moment (today's, in the event's zone).
type KioskActivity struct {
	// Queued is how many offline scans the kiosk last said it holds.
	Queued int
	// ReportedAt is the kiosk's last heartbeat; zero when it never sent one.
	ReportedAt time.Time
	// Scans counts its scans since the moment asked for; Offline those of
	// them made offline.
	Scans   int
	Offline int
}

// ReportKiosk records a kiosk's heartbeat: how many offline scans it holds
// and whether it could not reach the server before this report.
func (db *DB) ReportKiosk(ctx context.Context, device string, queued int, wasOffline bool, at time.Time) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO kiosk_status (device_id, queued, offline, reported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (device_id) DO UPDATE SET queued = excluded.queued, offline = excluded.offline, reported_at = excluded.reported_at`,
			device, queued, flag(wasOffline), FormatTime(at))
		if err != nil {
			return Change{}, fmt.Errorf("store: kiosk report: %w", err)
		}
		return Change{}, nil
	})
}

// KioskActivity answers, by device id, each device's last heartbeat and
// the scans it logged from since on; a device with neither is absent.
func (db *DB) KioskActivity(ctx context.Context, since time.Time) (map[string]KioskActivity, error) {
	out := map[string]KioskActivity{}
	rows, err := db.r.QueryContext(ctx, `SELECT device_id, queued, reported_at FROM kiosk_status`)
	if err != nil {
		return nil, fmt.Errorf("store: kiosk status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at string
		var k KioskActivity
		if err := rows.Scan(&id, &k.Queued, &at); err != nil {
			return nil, fmt.Errorf("store: kiosk status: %w", err)
		}
		k.ReportedAt = ReadTime(at)
		out[id] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: kiosk status: %w", err)
	}
	crow, err := db.r.QueryContext(ctx, `SELECT device_id, count(*), sum(offline) FROM scans
		WHERE device_id != '' AND scanned_at >= ? GROUP BY device_id`, FormatTime(since))
	if err != nil {
		return nil, fmt.Errorf("store: scans by device: %w", err)
	}
	defer crow.Close()
	for crow.Next() {
		var id string
		var n, off int
		if err := crow.Scan(&id, &n, &off); err != nil {
			return nil, fmt.Errorf("store: scans by device: %w", err)
		}
		k := out[id]
		k.Scans, k.Offline = n, off
		out[id] = k
	}
	if err := crow.Err(); err != nil {
		return nil, fmt.Errorf("store: scans by device: %w", err)
	}
	return out, nil
}
