package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// DeviceCheckpointAt is the checkpoint the device was assigned to at the
// given moment ("" when it was assigned nowhere). A moment before the
// device existed (an offline kiosk whose clock runs behind) counts as its
// first assignment.
func (db *DB) DeviceCheckpointAt(ctx context.Context, device string, at time.Time) (string, error) {
	var cp sql.NullString
	err := db.R.QueryRowContext(ctx, `SELECT checkpoint_id FROM device_assignments WHERE device_id = ?1
		ORDER BY from_at > ?2, CASE WHEN from_at <= ?2 THEN from_at END DESC, from_at LIMIT 1`, device, FormatTime(at)).Scan(&cp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return cp.String, err
}
