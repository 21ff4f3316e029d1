package store

import (
	"context"
	"fmt"
	"time"
)

// The after-meeting summary's reads (issue 13.5, 会务总结): figures the
// other aggregates do not answer already. All of them count; none lists
// personal data.

// ScanTally counts the scan log by result: how many scans (not people)
// ended in each status, over every checkpoint and device.
func (db *DB) ScanTally(ctx context.Context) (map[string]int, error) {
	return readMap[string, int](ctx, db.r, "scan tally", `SELECT status, count(*) FROM scans GROUP BY status`)
}

// Revocations are the badges and devices that stopped working during the
// meeting.
type Revocations struct {
	// Badges counts revoked credentials by the reason recorded (a
	// reprint's reason, "reissued" when none was given).
	Badges map[string]int
	// Devices are the revoked devices (kiosks, screens, tablets), in the
	// order they were revoked.
	Devices []RevokedDevice
	// Accounts counts the staff accounts revoked.
	Accounts int
}

// RevokedDevice is a device taken out of service.
type RevokedDevice struct {
	Name string
	Kind string
	At   time.Time
}

// Revocations reads the revoked badges, devices and accounts in one read
// transaction.
func (db *DB) Revocations(ctx context.Context) (Revocations, error) {
	out := Revocations{Devices: []RevokedDevice{}}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("store: revocations: %w", err)
	}
	defer tx.Rollback()
	if out.Badges, err = readMap[string, int](ctx, tx, "revoked badges",
		`SELECT CASE WHEN revoke_reason = '' THEN 'reissued' ELSE revoke_reason END, count(*)
		 FROM credentials WHERE revoked_at IS NOT NULL GROUP BY 1`); err != nil {
		return out, err
	}
	if out.Devices, err = readAll(ctx, tx, "revoked devices", func(row interface{ Scan(...any) error }) (RevokedDevice, error) {
		var d RevokedDevice
		var at string
		if err := row.Scan(&d.Name, &d.Kind, &at); err != nil {
			return d, err
		}
		d.At = ReadTime(at)
		return d, nil
	}, `SELECT name, kind, revoked_at FROM devices WHERE revoked_at IS NOT NULL ORDER BY revoked_at, id`); err != nil {
		return out, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE revoked_at IS NOT NULL`).Scan(&out.Accounts); err != nil {
		return out, fmt.Errorf("store: revoked accounts: %w", err)
	}
	return out, tx.Commit()
}

// StrandedCount is how many people were registered stranded (滞留: their
// departure cancelled or rebooked and their stay changed for it).
func (db *DB) StrandedCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(DISTINCT attendee_id) FROM room_moves WHERE stranded = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: stranded: %w", err)
	}
	return n, nil
}
