package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PhotoPerson is an active attendee as photo matching sees them: the keys
// a file may be named by, and whether a photo is stored already.
type PhotoPerson struct {
	ID           int64
	Key          string
	Name         string
	IDNumber     string
	Organization string
	HasPhoto     bool
}

// PhotoPeople lists the active attendees for matching photo files, in
// list order.
func (db *DB) PhotoPeople(ctx context.Context) ([]PhotoPerson, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT a.id, a.key, a.name, a.id_number, a.organization, p.attendee_id IS NOT NULL
		FROM attendees a LEFT JOIN attendee_photos p ON p.attendee_id = a.id
		WHERE a.status = 'active' ORDER BY a.rank, a.id`)
	if err != nil {
		return nil, fmt.Errorf("store: photo people: %w", err)
	}
	defer rows.Close()
	var out []PhotoPerson
	for rows.Next() {
		var p PhotoPerson
		if err := rows.Scan(&p.ID, &p.Key, &p.Name, &p.IDNumber, &p.Organization, &p.HasPhoto); err != nil {
			return nil, fmt.Errorf("store: photo people: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PhotoPut is one normalised photo to store for an attendee.
type PhotoPut struct {
	Attendee      int64
	JPEG          []byte
	Width, Height int
}

// PutPhotos stores photos, replacing any a person had, in one
// transaction, and audits who stored how many (and, in detail, what
// they came from).
func (db *DB) PutPhotos(ctx context.Context, photos []PhotoPut, actor, detail string) error {
	if len(photos) == 0 {
		return nil
	}
	now := FormatTime(time.Now())
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO attendee_photos (attendee_id, jpeg, width, height, source, actor, at)
			VALUES (?, ?, ?, ?, 'import', ?, ?)
			ON CONFLICT (attendee_id) DO UPDATE SET jpeg = excluded.jpeg, width = excluded.width, height = excluded.height,
				source = excluded.source, actor = excluded.actor, at = excluded.at`)
		if err != nil {
			return Change{}, fmt.Errorf("store: put photos: %w", err)
		}
		defer stmt.Close()
		for _, p := range photos {
			if _, err := stmt.ExecContext(ctx, p.Attendee, p.JPEG, p.Width, p.Height, actor, now); err != nil {
				return Change{}, fmt.Errorf("store: put photo of attendee %d: %w", p.Attendee, err)
			}
		}
		if err := audit(ctx, tx, ReadTime(now), actor, "photo.import", "", detail); err != nil {
			return Change{}, fmt.Errorf("store: audit photos: %w", err)
		}
		return Change{}, nil
	})
}

// StoredPhoto is an attendee's stored photo.
type StoredPhoto struct {
	JPEG          []byte
	Width, Height int
	At            time.Time
}

// Photo reads an attendee's photo; ErrNotFound when there is none.
func (db *DB) Photo(ctx context.Context, attendee int64) (StoredPhoto, error) {
	var p StoredPhoto
	var at string
	err := db.r.QueryRowContext(ctx, `SELECT jpeg, width, height, at FROM attendee_photos WHERE attendee_id = ?`, attendee).
		Scan(&p.JPEG, &p.Width, &p.Height, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return StoredPhoto{}, ErrNotFound
	}
	if err != nil {
		return StoredPhoto{}, fmt.Errorf("store: photo of attendee %d: %w", attendee, err)
	}
	p.At = ReadTime(at)
	return p, nil
}

// DeletePhoto deletes an attendee's photo (on their request, or to take
// another), audited with who; ErrNotFound when there is none.
func (db *DB) DeletePhoto(ctx context.Context, attendee int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		res, err := tx.ExecContext(ctx, `DELETE FROM attendee_photos WHERE attendee_id = ?`, attendee)
		if err != nil {
			return Change{}, fmt.Errorf("store: delete photo: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		if err := audit(ctx, tx, time.Now(), actor, "photo.delete", fmt.Sprint(attendee), ""); err != nil {
			return Change{}, fmt.Errorf("store: audit photo delete: %w", err)
		}
		return Change{}, nil
	})
}

// PhotoCount is how many attendees have a photo stored.
func (db *DB) PhotoCount(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM attendee_photos`).Scan(&n)
	return n, err
}

// PutDeskPhoto stores the photo the desk took of an attendee with its
// webcam (source 'desk'), replacing any they had (and so, by the schema's
// trigger, their face reference), audited as photo.desk. It answers when
// the photo was stored: a reference is computed against that photo_at.
// ErrNotFound when there is no such attendee.
func (db *DB) PutDeskPhoto(ctx context.Context, p PhotoPut, actor string) (time.Time, error) {
	at := time.Now()
	now := FormatTime(at)
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM attendees WHERE id = ?`, p.Attendee).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return Change{}, ErrNotFound
		}
		if err != nil {
			return Change{}, fmt.Errorf("store: desk photo: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attendee_photos (attendee_id, jpeg, width, height, source, actor, at)
			VALUES (?, ?, ?, ?, 'desk', ?, ?)
			ON CONFLICT (attendee_id) DO UPDATE SET jpeg = excluded.jpeg, width = excluded.width, height = excluded.height,
				source = excluded.source, actor = excluded.actor, at = excluded.at`,
			p.Attendee, p.JPEG, p.Width, p.Height, actor, now); err != nil {
			return Change{}, fmt.Errorf("store: desk photo of attendee %d: %w", p.Attendee, err)
		}
		if err := audit(ctx, tx, at, actor, "photo.desk", fmt.Sprint(p.Attendee), fmt.Sprintf("%d×%d", p.Width, p.Height)); err != nil {
			return Change{}, fmt.Errorf("store: audit desk photo: %w", err)
		}
		return Change{}, nil
	})
	return ReadTime(now), err
}

// hasPhoto is an SQL expression saying whether the attendee whose id is in
// column col has a photo: the one way other files of the store may ask,
// so that only this file reads the photos' table (TestPhotoTableReadOnlyHere).
func hasPhoto(col string) string {
	return "EXISTS (SELECT 1 FROM attendee_photos p WHERE p.attendee_id = " + col + ")"
}
