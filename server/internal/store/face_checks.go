package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The kiosks' face checks (face_checks, schema_faces.go) as the ushers and
// the desk see them, and the recent scans an usher may glance at. The check
// engine writes face_checks in each scan's transaction (checkin/face.go);
// this file reads them and closes the alerts.

// FaceAlert is a face check that called the usher: a face that did not
// match the badge, or a person the checkpoint refused for their face. No
// image and no embedding: the photo is fetched alone, while the alert is
// open (web: /faces/alerts/{id}/photo.jpg).
type FaceAlert struct {
	ID             int64      `json:"id"`
	Checkpoint     string     `json:"checkpoint"`
	CheckpointName string     `json:"checkpoint_name"`
	Door           string     `json:"door,omitempty"`
	Device         string     `json:"device,omitempty"`
	DeviceName     string     `json:"device_name,omitempty"`
	Attendee       int64      `json:"attendee_id"`
	Name           string     `json:"name"`
	At             time.Time  `json:"at"`
	Result         string     `json:"result"` // fail or noface
	Refused        bool       `json:"refused"`
	Photo          bool       `json:"photo"` // the person has a photo to compare with
	ResolvedBy     string     `json:"resolved_by,omitempty"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
}

// alertable is the condition of a face check that calls the usher.
const alertable = `(f.result = 'fail' OR f.refused = 1)`

var faceAlertSelect = `SELECT f.id, f.checkpoint_id, coalesce(c.name, ''), coalesce(c.door, ''), coalesce(d.id, ''), coalesce(d.name, ''),
	f.attendee_id, a.name, f.at, f.result, f.refused, ` + hasPhoto("f.attendee_id") + `,
	coalesce(f.resolved_by, ''), coalesce(f.resolved_at, '')
	FROM face_checks f JOIN attendees a ON a.id = f.attendee_id
	LEFT JOIN checkpoints c ON c.id = f.checkpoint_id
	LEFT JOIN devices d ON d.id = f.device_id`

func scanFaceAlert(s scanner) (FaceAlert, error) {
	var a FaceAlert
	var at, resolvedAt string
	err := s.Scan(&a.ID, &a.Checkpoint, &a.CheckpointName, &a.Door, &a.Device, &a.DeviceName, &a.Attendee, &a.Name, &at,
		&a.Result, &a.Refused, &a.Photo, &a.ResolvedBy, &resolvedAt)
	a.At = ReadTime(at)
	if resolvedAt != "" {
		t := ReadTime(resolvedAt)
		a.ResolvedAt = &t
	}
	return a, err
}

// MaxFaceAlerts bounds the open alerts one answer lists.
const MaxFaceAlerts = 100

// FaceAlerts are the open alerts (not resolved yet), newest first.
func (db *DB) FaceAlerts(ctx context.Context) ([]FaceAlert, error) {
	out := []FaceAlert{}
	err := eachRow(ctx, db.r, faceAlertSelect+` WHERE `+alertable+` AND f.resolved_at IS NULL
		ORDER BY f.at DESC, f.id DESC LIMIT ?`, func(s scanner) error {
		a, err := scanFaceAlert(s)
		out = append(out, a)
		return err
	}, MaxFaceAlerts)
	if err != nil {
		return nil, fmt.Errorf("store: face alerts: %w", err)
	}
	return out, nil
}

// MaxResolvedFaceAlerts bounds the resolved alerts the desk's record lists.
const MaxResolvedFaceAlerts = 50

// ResolvedFaceAlerts are the alerts dealt with, the latest resolved first,
// each with who resolved it and when: the desk's record of them.
func (db *DB) ResolvedFaceAlerts(ctx context.Context) ([]FaceAlert, error) {
	out := []FaceAlert{}
	err := eachRow(ctx, db.r, faceAlertSelect+` WHERE `+alertable+` AND f.resolved_at IS NOT NULL
		ORDER BY f.resolved_at DESC, f.id DESC LIMIT ?`, func(s scanner) error {
		a, err := scanFaceAlert(s)
		out = append(out, a)
		return err
	}, MaxResolvedFaceAlerts)
	if err != nil {
		return nil, fmt.Errorf("store: resolved face alerts: %w", err)
	}
	return out, nil
}

// FaceAlert is one alert, open or resolved; ErrNotFound for a face check
// that is no alert.
func (db *DB) FaceAlert(ctx context.Context, id int64) (FaceAlert, error) {
	a, err := scanFaceAlert(db.r.QueryRowContext(ctx, faceAlertSelect+` WHERE f.id = ? AND `+alertable, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// ResolveFaceAlert closes an open alert: who dealt with it and when,
// audited. ErrNotFound when there is no open alert of that id. The change
// names the alert, so that other tablets drop it.
func (db *DB) ResolveFaceAlert(ctx context.Context, id int64, actor string, at time.Time) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		res, err := tx.ExecContext(ctx, `UPDATE face_checks AS f SET resolved_by = ?, resolved_at = ?
			WHERE f.id = ? AND f.resolved_at IS NULL AND `+alertable, actor, FormatTime(at), id)
		if err != nil {
			return Change{}, fmt.Errorf("store: resolve face alert: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{FaceAlerts: []int64{id}}, audit(ctx, tx, at, actor, "face.alert.resolve", fmt.Sprint(id), "")
	})
}

// OpenFaceAlertAttendee is the person of an open alert, whose photo the
// usher may see while it is open; ErrNotFound otherwise.
func (db *DB) OpenFaceAlertAttendee(ctx context.Context, id int64) (int64, error) {
	var attendee int64
	err := db.r.QueryRowContext(ctx, `SELECT f.attendee_id FROM face_checks f
		WHERE f.id = ? AND f.resolved_at IS NULL AND `+alertable, id).Scan(&attendee)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return attendee, err
}

// RecentScan is a scan an usher may glance at: who was scanned where, and
// whether there is a photo to compare.
type RecentScan struct {
	ID         int64     `json:"id"` // the scan log's row
	Attendee   int64     `json:"attendee_id"`
	Name       string    `json:"name"`
	Checkpoint string    `json:"checkpoint"`
	Status     string    `json:"status"`
	At         time.Time `json:"at"`
	Photo      bool      `json:"photo"`
}

// RecentScans are the last n scans of a person at any of checkpoints
// (the glance-check checkpoints of an usher's venue), newest first.
func (db *DB) RecentScans(ctx context.Context, checkpoints []string, n int) ([]RecentScan, error) {
	out := []RecentScan{}
	if len(checkpoints) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(checkpoints)+1)
	for _, c := range checkpoints {
		args = append(args, c)
	}
	args = append(args, n)
	err := eachRow(ctx, db.r, `SELECT s.id, s.attendee_id, a.name, s.checkpoint_id, s.status, s.scanned_at,
		`+hasPhoto("s.attendee_id")+`
		FROM scans s JOIN attendees a ON a.id = s.attendee_id
		WHERE s.checkpoint_id IN (?`+strings.Repeat(",?", len(checkpoints)-1)+`)
		ORDER BY s.id DESC LIMIT ?`, func(s scanner) error {
		var r RecentScan
		var at string
		err := s.Scan(&r.ID, &r.Attendee, &r.Name, &r.Checkpoint, &r.Status, &at, &r.Photo)
		r.At = ReadTime(at)
		out = append(out, r)
		return err
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("store: recent scans: %w", err)
	}
	return out, nil
}

// RecentScanAttendee is the person of scan id if it is one of the last n
// scans at checkpoints; ErrNotFound otherwise (an older scan's photo is no
// longer the usher's to see).
func (db *DB) RecentScanAttendee(ctx context.Context, checkpoints []string, n int, id int64) (int64, error) {
	recent, err := db.RecentScans(ctx, checkpoints, n)
	if err != nil {
		return 0, err
	}
	for _, r := range recent {
		if r.ID == id {
			return r.Attendee, nil
		}
	}
	return 0, ErrNotFound
}

// sqlFaceCheckInsert is the check-in engine's prepared insert of a scan's
// face check (scan key, attendee, checkpoint, device, result, distance,
// refused, at), run in the scan's group-committed transaction
// (ScanTx.SaveFaceCheck, scan_batch_writes.go); it answers the new id.
const sqlFaceCheckInsert = `INSERT INTO face_checks (scan_id, attendee_id, checkpoint_id, device_id, result, distance, refused, at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
