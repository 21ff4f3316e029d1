package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Units and their reply links (issue 13.1). A unit is a 代表团 for those
// on the list with a delegation and an organisation for the rest; the
// secretariat's own staff get no notice. Units are derived from the list
// whenever they are read, and kept so that their contact and links stay.

// The kinds of unit.
const (
	UnitDelegation   = "delegation"
	UnitOrganization = "organization"
)

// Unit is one 单位 or 代表团 a notice goes to.
type Unit struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Phone   string `json:"phone"`
	Members int    `json:"members"` // active people on the list
}

// Link states, as UnitLink.State says them.
const (
	LinkLive    = "live"
	LinkExpired = "expired"
	LinkRevoked = "revoked"
)

// UnitLink is a unit's newest reply link, never its token.
type UnitLink struct {
	ID        int64      `json:"id"`
	UnitID    int64      `json:"unit_id"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	State     string     `json:"state"`
}

// Errors of reply links.
var (
	ErrLinkUnknown = errors.New("store: no such reply link")
	ErrLinkExpired = errors.New("store: the reply link has expired")
	ErrLinkRevoked = errors.New("store: the reply link was revoked")
)

// memberWhere is the condition on attendees a (with delegation d) that
// puts them in unit u: the unit's people on the list.
const memberWhere = `a.status = 'active' AND a.category <> 'staff' AND (
	(u.kind = 'delegation' AND d.name = u.name) OR
	(u.kind = 'organization' AND a.delegation_id IS NULL AND a.organization = u.name))`

// syncUnits makes the units the list now calls for and does not have yet.
// It asks a reader first, so that reading units (the readiness board does
// it often) takes the writer only when the list has a new unit.
func (db *DB) syncUnits(ctx context.Context) error {
	var missing bool
	if err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE a.status = 'active' AND a.category <> 'staff' AND coalesce(d.name, a.organization) <> ''
		AND NOT EXISTS (SELECT 1 FROM units u WHERE u.name = coalesce(d.name, a.organization)
			AND u.kind = CASE WHEN d.name IS NOT NULL THEN 'delegation' ELSE 'organization' END))`).Scan(&missing); err != nil {
		return fmt.Errorf("store: units: %w", err)
	}
	if !missing {
		return nil
	}
	now := FormatTime(time.Now())
	_, err := db.w.ExecContext(ctx, `INSERT INTO units (kind, name, created_at, updated_at)
		SELECT DISTINCT CASE WHEN d.name IS NOT NULL THEN 'delegation' ELSE 'organization' END,
			coalesce(d.name, a.organization), ?1, ?1
		FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE a.status = 'active' AND a.category <> 'staff' AND coalesce(d.name, a.organization) <> ''
		ON CONFLICT (kind, name) DO NOTHING`, now)
	if err != nil {
		return fmt.Errorf("store: units: %w", err)
	}
	return nil
}

// Units lists the units the list calls for, delegations first in their
// order, then organisations by name; units left without members are not
// listed.
func (db *DB) Units(ctx context.Context) ([]Unit, error) {
	if err := db.syncUnits(ctx); err != nil {
		return nil, err
	}
	// The count is filtered outside its query: PostgreSQL's WHERE cannot
	// name a column of the SELECT list.
	return readAll(ctx, db.r, "units", scanUnit, `SELECT id, kind, name, contact, phone, n FROM (
		SELECT u.id, u.kind, u.name, u.contact, u.phone,
			(SELECT count(*) FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id WHERE `+memberWhere+`) AS n,
			coalesce(dd.sort, 0) AS delegation_sort
		FROM units u LEFT JOIN delegations dd ON u.kind = 'delegation' AND dd.name = u.name) counted
		WHERE n > 0 ORDER BY kind, delegation_sort, name`)
}

func scanUnit(row interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	err := row.Scan(&u.ID, &u.Kind, &u.Name, &u.Contact, &u.Phone, &u.Members)
	return u, err
}

// Unit reads one unit.
func (db *DB) Unit(ctx context.Context, id int64) (Unit, error) {
	u, err := scanUnit(db.r.QueryRowContext(ctx, `SELECT u.id, u.kind, u.name, u.contact, u.phone,
			(SELECT count(*) FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id WHERE `+memberWhere+`)
		FROM units u WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// SetUnitContact records the unit's contact person and phone, audited.
func (db *DB) SetUnitContact(ctx context.Context, id int64, contact, phone, actor string) (Unit, error) {
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		res, err := tx.ExecContext(ctx, `UPDATE units SET contact = ?, phone = ?, updated_at = ? WHERE id = ?`,
			contact, phone, FormatTime(now), id)
		if err != nil {
			return Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{}, audit(ctx, tx, now, actor, "unit.contact", fmt.Sprintf("unit:%d", id), contact)
	})
	if err != nil {
		return Unit{}, err
	}
	return db.Unit(ctx, id)
}

// IssueLink revokes the unit's live links and records a new one, whose
// token's hash is hash, valid until expires; audited.
func (db *DB) IssueLink(ctx context.Context, unit int64, hash string, expires time.Time, actor string) (UnitLink, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE id = ?`, unit).Scan(&n); err != nil {
			return Change{}, err
		} else if n == 0 {
			return Change{}, ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reply_links SET revoked_at = ?, revoked_by = ? WHERE unit_id = ? AND revoked_at IS NULL`,
			FormatTime(now), actor, unit); err != nil {
			return Change{}, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO reply_links (unit_id, token_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			unit, hash, FormatTime(now), actor, FormatTime(expires)).Scan(&id); err != nil {
			return Change{}, fmt.Errorf("store: issue link: %w", err)
		}
		return Change{}, audit(ctx, tx, now, actor, "unit.link", fmt.Sprintf("unit:%d", unit), "expires "+FormatTime(expires))
	})
	if err != nil {
		return UnitLink{}, err
	}
	return db.link(ctx, `id = ?`, id)
}

// RevokeLinks revokes the unit's live links, audited; ErrNotFound when it
// has none.
func (db *DB) RevokeLinks(ctx context.Context, unit int64, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		res, err := tx.ExecContext(ctx, `UPDATE reply_links SET revoked_at = ?, revoked_by = ? WHERE unit_id = ? AND revoked_at IS NULL`,
			FormatTime(now), actor, unit)
		if err != nil {
			return Change{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Change{}, ErrNotFound
		}
		return Change{}, audit(ctx, tx, now, actor, "unit.link_revoke", fmt.Sprintf("unit:%d", unit), "")
	})
}

const linkColumns = `id, unit_id, created_at, created_by, expires_at, coalesce(revoked_at, '')`

func scanLink(row interface{ Scan(...any) error }) (UnitLink, error) {
	var l UnitLink
	var created, expires, revoked string
	if err := row.Scan(&l.ID, &l.UnitID, &created, &l.CreatedBy, &expires, &revoked); err != nil {
		return l, err
	}
	l.CreatedAt, l.ExpiresAt, l.RevokedAt = ReadTime(created), ReadTime(expires), optTime(revoked)
	return l, nil
}

func (db *DB) link(ctx context.Context, where string, args ...any) (UnitLink, error) {
	l, err := scanLink(db.r.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM reply_links WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	if err == nil {
		l.State = l.stateAt(time.Now())
	}
	return l, err
}

func (l UnitLink) stateAt(now time.Time) string {
	switch {
	case l.RevokedAt != nil:
		return LinkRevoked
	case !now.Before(l.ExpiresAt):
		return LinkExpired
	}
	return LinkLive
}

// UnitLinks answers each unit's newest link, by unit.
func (db *DB) UnitLinks(ctx context.Context) (map[int64]UnitLink, error) {
	links, err := readAll(ctx, db.r, "links", scanLink, `SELECT `+linkColumns+` FROM reply_links l
		WHERE id = (SELECT max(id) FROM reply_links m WHERE m.unit_id = l.unit_id)`)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := make(map[int64]UnitLink, len(links))
	for _, l := range links {
		l.State = l.stateAt(now)
		out[l.UnitID] = l
	}
	return out, nil
}

// LinkByHash finds the link whose token hashes to hash and answers it if
// it may be used at now: ErrLinkUnknown, ErrLinkRevoked or ErrLinkExpired
// otherwise.
func (db *DB) LinkByHash(ctx context.Context, hash string, now time.Time) (UnitLink, error) {
	l, err := db.link(ctx, `token_hash = ?`, hash)
	if errors.Is(err, ErrNotFound) {
		return l, ErrLinkUnknown
	}
	if err != nil {
		return l, err
	}
	switch l.stateAt(now) {
	case LinkRevoked:
		return l, ErrLinkRevoked
	case LinkExpired:
		return l, ErrLinkExpired
	}
	l.State = LinkLive
	return l, nil
}

// NoticeSettings is what the desk asks units to fill in, and by when.
type NoticeSettings struct {
	AskTravel bool   `json:"ask_travel"`
	AskDiet   bool   `json:"ask_diet"`
	AskRoom   bool   `json:"ask_room"`
	Deadline  string `json:"deadline"` // YYYY-MM-DD, "" for none
}

// NoticeSettings reads the settings; all asked and no deadline until the
// desk says otherwise.
func (db *DB) NoticeSettings(ctx context.Context) (NoticeSettings, error) {
	s := NoticeSettings{AskTravel: true, AskDiet: true, AskRoom: true}
	err := db.r.QueryRowContext(ctx, `SELECT ask_travel, ask_diet, ask_room, deadline FROM notice_settings WHERE id = 1`).
		Scan(&s.AskTravel, &s.AskDiet, &s.AskRoom, &s.Deadline)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	return s, err
}

// SetNoticeSettings stores the settings, audited.
func (db *DB) SetNoticeSettings(ctx context.Context, s NoticeSettings, actor string) error {
	return db.Write(ctx, func(tx *sql.Tx) (Change, error) {
		now := time.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_settings (id, ask_travel, ask_diet, ask_room, deadline, updated_at, updated_by)
			VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ask_travel = excluded.ask_travel, ask_diet = excluded.ask_diet,
			ask_room = excluded.ask_room, deadline = excluded.deadline, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			flag(s.AskTravel), flag(s.AskDiet), flag(s.AskRoom), s.Deadline, FormatTime(now), actor); err != nil {
			return Change{}, err
		}
		return Change{}, audit(ctx, tx, now, actor, "notice.settings", "", fmt.Sprintf("%+v", s))
	})
}
