package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// 刷脸 (issue 15.4–15.6): consents, reference embeddings and the counts
// of both. This is the only file that reads or writes face_consents and
// face_refs (TestFaceTablesOnlyHere): no answer, export, feed or log gets
// them by a join added elsewhere. What is stored, for how long and who
// sees it: SECURITY.md, docs/photos.md.

// Errors of a reference the desk puts.
var (
	// ErrFaceNoConsent: the person has not consented (or refused).
	ErrFaceNoConsent = errors.New("store: no consent to face verification")
	// ErrFacePhotoChanged: the reference was computed from a photo that is
	// no longer the person's (replaced or deleted meanwhile).
	ErrFacePhotoChanged = errors.New("store: the photo changed since the reference was computed")
)

// FaceConsent is a person's recorded answer to face verification.
type FaceConsent struct {
	Consent bool
	Source  string // "import" (a column of the list) or "desk" (the checkbox)
	Actor   string
	At      time.Time
}

// FaceState is what the desk card shows of a person's face data: whether
// a photo is stored, the consent (nil: never asked) and whether a
// reference of the model is stored. Never the photo or the vector.
type FaceState struct {
	Photo   bool
	Consent *FaceConsent
	Ref     bool
}

// FaceState reads attendee's FaceState for model; ErrNotFound for nobody.
func (db *DB) FaceState(ctx context.Context, attendee int64, model string) (FaceState, error) {
	var st FaceState
	var consent sql.NullBool
	var source, actor, at sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM attendee_photos p WHERE p.attendee_id = a.id),
		c.consent, c.source, c.actor, c.at,
		EXISTS (SELECT 1 FROM face_refs r WHERE r.attendee_id = a.id AND r.model = ?)
		FROM attendees a LEFT JOIN face_consents c ON c.attendee_id = a.id WHERE a.id = ?`, model, attendee).
		Scan(&st.Photo, &consent, &source, &actor, &at, &st.Ref)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("store: face state of %d: %w", attendee, err)
	}
	if consent.Valid {
		st.Consent = &FaceConsent{Consent: consent.Bool, Source: source.String, Actor: actor.String, At: ReadTime(at.String)}
	}
	return st, nil
}

// SetFaceConsent records attendee's answer given at the desk, audited. A
// refusal or withdrawal drops the reference at once (schema_faces.go's
// triggers). ErrNotFound for nobody.
func (db *DB) SetFaceConsent(ctx context.Context, attendee int64, consent bool, actor string) (FaceConsent, error) {
	now := time.Now()
	c := FaceConsent{Consent: consent, Source: "desk", Actor: actor, At: ReadTime(FormatTime(now))}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if err := attendeeExists(ctx, tx, attendee); err != nil {
			return Change{}, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (?, ?, 'desk', ?, ?)
			ON CONFLICT (attendee_id) DO UPDATE SET consent = excluded.consent, source = excluded.source, actor = excluded.actor, at = excluded.at`,
			attendee, flag(consent), actor, FormatTime(now)); err != nil {
			return Change{}, fmt.Errorf("store: face consent: %w", err)
		}
		return Change{}, audit(ctx, tx, now, actor, "face.consent", fmt.Sprint(attendee), yesNo(consent))
	})
	return c, err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func attendeeExists(ctx context.Context, tx *sql.Tx, attendee int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attendees WHERE id = ?`, attendee).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// FacePending is a person whose reference is still to be computed.
type FacePending struct {
	ID                 int64
	Name, Organization string
	Photo              bool      // false: a photo is needed first
	PhotoAt            time.Time // when Photo: the photo to compute it from
}

// FacesPending lists, in list order, the active people who consented and
// have a photo but no reference of model computed from it. The desk's
// page computes those (GET /faces/pending).
func (db *DB) FacesPending(ctx context.Context, model string) ([]FacePending, error) {
	all, err := db.FacesMissing(ctx, model)
	out := all[:0]
	for _, p := range all {
		if p.Photo {
			out = append(out, p)
		}
	}
	return out, err
}

// FacesMissing lists, in list order, every active person who consented
// and has no reference of model: those with a photo are pending, the
// others need a photo first (the readiness board's line).
func (db *DB) FacesMissing(ctx context.Context, model string) ([]FacePending, error) {
	var out []FacePending
	err := eachRow(ctx, db.r, `SELECT a.id, a.name, a.organization, p.at FROM attendees a
		JOIN face_consents c ON c.attendee_id = a.id AND c.consent = 1
		LEFT JOIN attendee_photos p ON p.attendee_id = a.id
		WHERE a.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM face_refs r WHERE r.attendee_id = a.id AND r.model = ? AND r.photo_at = p.at)
		ORDER BY a.rank, a.id`, func(s scanner) error {
		var p FacePending
		var at sql.NullString
		if err := s.Scan(&p.ID, &p.Name, &p.Organization, &at); err != nil {
			return err
		}
		p.Photo, p.PhotoAt = at.Valid, ReadTime(at.String)
		out = append(out, p)
		return nil
	}, model)
	if err != nil {
		return nil, fmt.Errorf("store: faces pending: %w", err)
	}
	return out, nil
}

// PutFaceRef stores attendee's reference of model, computed from the
// photo stored at photoAt: ErrFaceNoConsent without consent,
// ErrFacePhotoChanged when that is no longer the photo. vector is checked
// by the caller (faces.DecodeRef).
func (db *DB) PutFaceRef(ctx context.Context, attendee int64, model string, vector []byte, photoAt time.Time, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var consent sql.NullBool
		var at sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT c.consent, p.at FROM attendees a
			LEFT JOIN face_consents c ON c.attendee_id = a.id LEFT JOIN attendee_photos p ON p.attendee_id = a.id
			WHERE a.id = ?`, attendee).Scan(&consent, &at)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return Change{}, ErrNotFound
		case err != nil:
			return Change{}, fmt.Errorf("store: face reference: %w", err)
		case !consent.Bool:
			return Change{}, ErrFaceNoConsent
		case !at.Valid || !ReadTime(at.String).Equal(photoAt):
			return Change{}, ErrFacePhotoChanged
		}
		now := time.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO face_refs (attendee_id, model, vector, photo_at, actor, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (attendee_id) DO UPDATE SET model = excluded.model, vector = excluded.vector, photo_at = excluded.photo_at,
				actor = excluded.actor, at = excluded.at`, attendee, model, vector, at.String, actor, FormatTime(now)); err != nil {
			return Change{}, fmt.Errorf("store: face reference: %w", err)
		}
		return Change{}, audit(ctx, tx, now, actor, "face.ref", fmt.Sprint(attendee), model)
	})
}

// DeleteFaceRef deletes attendee's reference, audited; ErrNotFound when
// there is none.
func (db *DB) DeleteFaceRef(ctx context.Context, attendee int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		res, err := tx.ExecContext(ctx, `DELETE FROM face_refs WHERE attendee_id = ?`, attendee)
		if err != nil {
			return Change{}, fmt.Errorf("store: delete face reference: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{}, audit(ctx, tx, time.Now(), actor, "face.ref.delete", fmt.Sprint(attendee), "")
	})
}

// DeleteBiometrics deletes attendee's photo and reference on their
// request, audited; the consent record (their answer, who took it and
// when) stays. Nothing to delete is no error; ErrNotFound for nobody.
func (db *DB) DeleteBiometrics(ctx context.Context, attendee int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		if err := attendeeExists(ctx, tx, attendee); err != nil {
			return Change{}, err
		}
		for _, q := range []string{`DELETE FROM face_refs WHERE attendee_id = ?`, `DELETE FROM attendee_photos WHERE attendee_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, attendee); err != nil {
				return Change{}, fmt.Errorf("store: delete biometrics: %w", err)
			}
		}
		return Change{}, audit(ctx, tx, time.Now(), actor, "face.biometrics.delete", fmt.Sprint(attendee), "deleted on request")
	})
}

// FaceRefs are the references of model of the active people who
// consented, by attendee: what the desk's 1:N search compares with and
// what a kiosk's sealed cache may carry. A reference exists only while
// its consent and photo do (schema_faces.go), and the join says so again.
func (db *DB) FaceRefs(ctx context.Context, model string) (map[int64][]byte, error) {
	out := map[int64][]byte{}
	err := eachRow(ctx, db.r, `SELECT r.attendee_id, r.vector FROM face_refs r
		JOIN face_consents c ON c.attendee_id = r.attendee_id AND c.consent = 1
		JOIN attendees a ON a.id = r.attendee_id AND a.status = 'active'
		WHERE r.model = ?`, func(s scanner) error {
		var id int64
		var v []byte
		err := s.Scan(&id, &v)
		out[id] = v
		return err
	}, model)
	if err != nil {
		return nil, fmt.Errorf("store: face references: %w", err)
	}
	return out, nil
}

// FaceCounts are counts of active people's face data, and of the kiosks'
// checks by result: all the archive keeps of it.
type FaceCounts struct {
	Consented, Refused, Unasked int
	Photos                      int
	Refs                        int // of the model asked for
	Pending                     int // consented, a photo, no reference yet
	Checks                      map[string]int
	// Purged is what the purges deleted, summed, and the last that
	// deleted anything; nil when none did.
	Purged *FacePurge
}

// FacePurge is what a purge deleted, in numbers: all of the data that
// stays once it is gone.
type FacePurge struct {
	At                     time.Time
	Actor                  string // "system": the retention rule (docs/photos.md)
	Photos, Refs, Consents int
}

// FaceCounts counts face data for model.
func (db *DB) FaceCounts(ctx context.Context, model string) (FaceCounts, error) {
	c := FaceCounts{Checks: map[string]int{"pass": 0, "fail": 0, "noface": 0}}
	err := db.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE c.consent = 1), count(*) FILTER (WHERE c.consent = 0), count(*) FILTER (WHERE c.attendee_id IS NULL),
		count(*) FILTER (WHERE p.attendee_id IS NOT NULL),
		count(*) FILTER (WHERE c.consent = 1 AND r.attendee_id IS NOT NULL),
		count(*) FILTER (WHERE c.consent = 1 AND p.attendee_id IS NOT NULL AND r.attendee_id IS NULL)
		FROM attendees a
		LEFT JOIN face_consents c ON c.attendee_id = a.id
		LEFT JOIN attendee_photos p ON p.attendee_id = a.id
		LEFT JOIN face_refs r ON r.attendee_id = a.id AND r.model = ? AND r.photo_at = p.at
		WHERE a.status = 'active'`, model).Scan(&c.Consented, &c.Refused, &c.Unasked, &c.Photos, &c.Refs, &c.Pending)
	if err != nil {
		return c, fmt.Errorf("store: face counts: %w", err)
	}
	err = eachRow(ctx, db.r, `SELECT result, count(*) FROM face_checks GROUP BY result`, func(s scanner) error {
		var r string
		var n int
		err := s.Scan(&r, &n)
		c.Checks[r] = n
		return err
	})
	if err != nil {
		return c, fmt.Errorf("store: face check counts: %w", err)
	}
	err = eachRow(ctx, db.r, `SELECT at, actor, photos, refs, consents FROM face_purges
		WHERE photos + refs + consents > 0 ORDER BY id`, func(s scanner) error {
		var p FacePurge
		var at string
		if err := s.Scan(&at, &p.Actor, &p.Photos, &p.Refs, &p.Consents); err != nil {
			return err
		}
		if c.Purged != nil {
			p.Photos, p.Refs, p.Consents = p.Photos+c.Purged.Photos, p.Refs+c.Purged.Refs, p.Consents+c.Purged.Consents
		}
		p.At, c.Purged = ReadTime(at), &p
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("store: face purges: %w", err)
	}
	return c, nil
}

// FaceDataStored says whether any photo, reference or consent is stored,
// of anyone: what the retention rule has to delete (app's retention).
func (db *DB) FaceDataStored(ctx context.Context) (bool, error) {
	var stored bool
	err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM attendee_photos) OR EXISTS (SELECT 1 FROM face_refs)
		OR EXISTS (SELECT 1 FROM face_consents)`).Scan(&stored)
	if err != nil {
		return false, fmt.Errorf("store: face data stored: %w", err)
	}
	return stored, nil
}

// PurgeFaces deletes every photo, reference and consent, by hand after
// the meeting or by the retention rule (actor "system"), audited with how
// many and recorded in numbers (FaceCounts.Purged). The kiosks' checks
// stay: they hold a result and a distance, no image and no vector.
func (db *DB) PurgeFaces(ctx context.Context, actor string) (FacePurge, error) {
	p := FacePurge{Actor: actor}
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		var n [3]int64
		for i, q := range []string{`DELETE FROM face_refs`, `DELETE FROM face_consents`, `DELETE FROM attendee_photos`} {
			res, err := tx.ExecContext(ctx, q)
			if err != nil {
				return Change{}, fmt.Errorf("store: purge faces: %w", err)
			}
			n[i], _ = res.RowsAffected()
		}
		now := time.Now()
		p.At, p.Photos, p.Refs, p.Consents = ReadTime(FormatTime(now)), int(n[2]), int(n[0]), int(n[1])
		if _, err := tx.ExecContext(ctx, `INSERT INTO face_purges (at, actor, photos, refs, consents) VALUES (?, ?, ?, ?, ?)`,
			FormatTime(now), actor, p.Photos, p.Refs, p.Consents); err != nil {
			return Change{}, fmt.Errorf("store: purge faces: %w", err)
		}
		return Change{}, audit(ctx, tx, now, actor, "face.purge", "",
			fmt.Sprintf("photos %d, references %d, consents %d", n[2], n[0], n[1]))
	})
	return p, err
}

// An import's 人脸核验同意 column (import.go). A list records a consent as
// 'import' by the importing user. What a person said at the desk is their
// own word and stands: a list that says otherwise leaves it, and the
// import's report says so (ImportSummary.ConsentKept). A list saying what
// is recorded already changes nothing, so importing a list again does not
// move who recorded it or when.

// deskConsents reads the consents recorded at the desk, by attendee.
func deskConsents(ctx context.Context, tx *sql.Tx) (map[int64]bool, error) {
	out := map[int64]bool{}
	err := eachRow(ctx, tx, `SELECT attendee_id, consent FROM face_consents WHERE source = 'desk'`, func(s scanner) error {
		var id int64
		var c bool
		err := s.Scan(&id, &c)
		out[id] = c
		return err
	})
	return out, err
}

// consentWrite is what importConsent did.
type consentWrite struct {
	wrote bool           // the row was made or changed
	kept  bool           // a desk record that says otherwise was left
	old   map[string]any // the row before (nil: none), for the undo journal
}

// importConsent records a list's answer for attendee inside an import's
// transaction, at now.
func importConsent(ctx context.Context, tx *sql.Tx, attendee int64, consent bool, actor, now string) (consentWrite, error) {
	var w consentWrite
	var was bool
	var source, by, at string
	err := tx.QueryRowContext(ctx, `SELECT consent, source, actor, at FROM face_consents WHERE attendee_id = ?`, attendee).
		Scan(&was, &source, &by, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return w, err
	case was == consent:
		return w, nil
	case source == "desk":
		w.kept = true
		return w, nil
	default:
		w.old = map[string]any{"consent": was, "source": source, "actor": by, "at": at}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (?, ?, 'import', ?, ?)
		ON CONFLICT (attendee_id) DO UPDATE SET consent = excluded.consent, source = excluded.source, actor = excluded.actor, at = excluded.at`,
		attendee, flag(consent), actor, now)
	w.wrote = err == nil
	return w, err
}

// undoConsent takes back a consent an unfinished import recorded (journal
// entry "consent": New its row, Old the row before or nil), if nobody
// has recorded another answer since.
func (e *undoEntry) undoConsent(ctx context.Context, tx *sql.Tx) error {
	same := `attendee_id = ? AND source = 'import' AND at = ? AND actor = ?`
	args := []any{e.ID, e.New["at"], e.New["actor"]}
	if e.Old == nil {
		_, err := tx.ExecContext(ctx, `DELETE FROM face_consents WHERE `+same, args...)
		return err
	}
	// The journal keeps the consent as a JSON boolean; the column is 0 or 1.
	consent := e.Old["consent"]
	if b, ok := consent.(bool); ok {
		consent = flag(b)
	}
	_, err := tx.ExecContext(ctx, `UPDATE face_consents SET consent = ?, source = ?, actor = ?, at = ? WHERE `+same,
		append([]any{consent, e.Old["source"], e.Old["actor"], e.Old["at"]}, args...)...)
	return err
}

// sqlFaceRefModel is the check-in engine's prepared query (one argument,
// the attendee): the model of their reference, if they consented and have
// one (ScanTx.FaceRefModel, scan_batch.go). It stays here, with the other
// SQL over the face tables.
const sqlFaceRefModel = `SELECT r.model FROM face_refs r JOIN face_consents c ON c.attendee_id = r.attendee_id AND c.consent = 1
	WHERE r.attendee_id = ?`
