package store

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"
)

// probeStep is one statement run on both databases, and what it must give
// on each: want "" is success, "err:text" an error that says text (in
// either database's words, compared in lower case), anything else the rows
// as rowsText renders them.
type probeStep struct {
	q      string
	args   []any
	want   string
	pgOnly bool // a statement SQLite does not have (TRUNCATE)
}

const (
	errUnique = "err:unique"
	errCheck  = "err:check constraint"
)

// schemaProbes exercise what the schema itself enforces: every trigger,
// the case-insensitive login, partial unique indexes, CHECKs, identity
// numbering and the views. An id is shown only where no insert into its
// table failed before: PostgreSQL's identity spends a number on a failed
// insert, SQLite's rowid does not.
var schemaProbes = []probeStep{
	{q: `INSERT INTO categories (code, name) VALUES ('d', '代表')`},
	{q: `INSERT INTO attendees (key, name, category, created_at, updated_at) VALUES ('a1', '甲', 'd', 't', 't'), ('a2', '乙', 'd', 't', 't')`},
	{q: `SELECT id FROM attendees ORDER BY id`, want: "(1) (2)"},
	{q: `INSERT INTO venues (code, name, kind) VALUES ('h', '会场', 'hall')`},
	{q: `INSERT INTO checkpoints (id, name, kind, venue_id) VALUES ('c1', '入口', 'entrance', 1), ('c2', '出口', 'exit', 1)`},

	// scans are append-only (scans_no_update, scans_no_delete).
	{q: `INSERT INTO scans (scan_id, source, status, scanned_at, received_at, response) VALUES ('s1', 'k1', 'ok', 't', 't', '{}')`},
	{q: `INSERT INTO scans (scan_id, source, status, scanned_at, received_at, response) VALUES ('s1', 'k1', 'ok', 't', 't', '{}')`, want: errUnique},
	{q: `INSERT INTO scans (scan_id, source, status, scanned_at, received_at, response) VALUES ('s1', 'k2', 'ok', 't', 't', '{}')`},
	{q: `UPDATE scans SET status = 'x'`, want: "err:scans are append-only"},
	{q: `UPDATE scans SET status = 'x' WHERE id = 99`},
	{q: `DELETE FROM scans WHERE id = 1`, want: "err:scans are append-only"},
	{q: `TRUNCATE scans`, want: "err:scans are append-only", pgOnly: true},
	{q: `SELECT source, status FROM scans ORDER BY id`, want: "(k1, ok) (k2, ok)"},

	// devices_assigned and devices_moved keep each device's checkpoints.
	{q: `INSERT INTO devices (id, name, kind, created_at) VALUES ('k1', '一号', 'kiosk', '2025-01-01T00:00:00.000000Z')`},
	{q: `SELECT device_id, from_at, coalesce(checkpoint_id, '-') FROM device_assignments`, want: "(k1, 2025-01-01T00:00:00.000000Z, -)"},
	{q: `UPDATE devices SET name = '二号' WHERE id = 'k1'`},
	{q: `SELECT count(*) FROM device_assignments`, want: "(1)"},
	{q: `UPDATE devices SET checkpoint_id = 'c1' WHERE id = 'k1'`},
	{q: `UPDATE devices SET checkpoint_id = 'c1' WHERE id = 'k1'`},
	{q: `SELECT count(*), max(checkpoint_id), length(max(from_at)) FROM device_assignments WHERE from_at > '2025'`, want: "(2, c1, 27)"},
	{q: `UPDATE devices SET checkpoint_id = NULL WHERE id = 'k1'`},
	{q: `SELECT coalesce(checkpoint_id, '-') FROM device_assignments WHERE from_at = (SELECT max(from_at) FROM device_assignments)`, want: "(-)"},

	// copy_events_rules, copy_events_apply and the log's append-only triggers.
	{q: `INSERT INTO documents (title, classification, copies, created_at, created_by) VALUES ('文件', '秘密', 2, 't', 'x')`},
	{q: `SELECT id FROM documents`, want: "(1)"},
	{q: `INSERT INTO documents (title, classification, copies, created_at, created_by) VALUES ('', '秘密', 2, 't', 'x')`, want: errCheck},
	{q: `INSERT INTO document_copies (document_id, copy) VALUES (1, 1), (1, 2)`},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, actor, at) VALUES (1, 1, 'issue', 1, 'x', 't')`},
	{q: `SELECT state, holder_id FROM document_copies ORDER BY copy`, want: "(out, 1) (in, NULL)"},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, actor, at) VALUES (1, 1, 'issue', 2, 'x', 't')`, want: "err:copy_not_in"},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, actor, at) VALUES (1, 3, 'issue', 2, 'x', 't')`, want: "err:copy_not_in"},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, person_id, actor, at) VALUES (1, 1, 'return', 2, 2, 'x', 't')`, want: "err:copy_not_out"},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, person_id, actor, at) VALUES (1, 1, 'return', 1, 2, 'x', 't')`, want: errCheck},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, person_id, actor, at) VALUES (1, 1, 'return', 1, 1, 'x', 't')`},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, reason, actor, at) VALUES (1, 1, 'lost', 1, '丢失', 'x', 't')`, want: "err:copy_not_out"},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, actor, at) VALUES (1, 2, 'issue', 2, 'x', 't')`},
	{q: `INSERT INTO copy_events (document_id, copy, kind, holder_id, reason, actor, at) VALUES (1, 2, 'lost', 2, '丢失', 'x', 't')`},
	{q: `SELECT state, holder_id FROM document_copies ORDER BY copy`, want: "(in, NULL) (lost, NULL)"},
	{q: `UPDATE copy_events SET actor = 'y'`, want: "err:copy_events are append-only"},
	{q: `DELETE FROM copy_events`, want: "err:copy_events are append-only"},
	{q: `TRUNCATE copy_events`, want: "err:copy_events are append-only", pgOnly: true},
	{q: `SELECT count(*) FROM copy_events`, want: "(4)"},
	{q: `SELECT length(key), key <> ? FROM document_key`, args: []any{make([]byte, 32)}, want: "(32, 1)"},

	// Logins are unique whatever their case, and found so.
	{q: `INSERT INTO users (login, name, role, created_at) VALUES ('Admin', '管理员', 'admin', 't')`},
	{q: `INSERT INTO users (login, name, role, created_at) VALUES ('ADMIN', '另一个', 'admin', 't')`, want: errUnique},
	{q: `INSERT INTO users (name, role, created_at) VALUES ('车队', 'logistics', 't'), ('脚本', 'desk', 't')`},
	{q: `INSERT INTO users (name, role, created_at) VALUES ('x', 'bogus', 't')`, want: errCheck},
	{q: `SELECT id, name FROM users WHERE login = 'admin'`, want: "(1, 管理员)"},

	// A reference embedding goes with its person's photo or consent.
	{q: `INSERT INTO attendee_photos (attendee_id, jpeg, width, height, actor, at) VALUES (1, ?, 1, 1, 'x', 't')`, args: []any{[]byte{1}}},
	{q: `INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (1, 1, 'desk', 'x', 't')`},
	{q: probeFaceRef, args: []any{[]byte{2}}},
	{q: `UPDATE attendee_photos SET width = 2`},
	{q: `SELECT count(*) FROM face_refs`, want: "(1)"},
	{q: `UPDATE attendee_photos SET jpeg = ?`, args: []any{[]byte{3}}},
	{q: `SELECT count(*) FROM face_refs`, want: "(0)"}, // face_refs_photo_replaced
	{q: probeFaceRef, args: []any{[]byte{2}}},
	{q: `UPDATE face_consents SET consent = 1, actor = 'y'`},
	{q: `SELECT count(*) FROM face_refs`, want: "(1)"},
	{q: `UPDATE face_consents SET consent = 0`},
	{q: `SELECT count(*) FROM face_refs`, want: "(0)"}, // face_refs_consent_withdrawn
	{q: probeFaceRef, args: []any{[]byte{2}}},
	{q: `INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (1, 0, 'desk', 'x', 't')
		ON CONFLICT (attendee_id) DO UPDATE SET consent = excluded.consent`},
	{q: `SELECT count(*) FROM face_refs`, want: "(0)"}, // the same, through an upsert
	{q: `DELETE FROM face_consents`},
	{q: probeFaceRef, args: []any{[]byte{2}}},
	{q: `INSERT INTO face_consents (attendee_id, consent, source, actor, at) VALUES (1, 0, 'import', 'x', 't')`},
	{q: `SELECT count(*) FROM face_refs`, want: "(0)"}, // face_refs_consent_refused
	{q: probeFaceRef, args: []any{[]byte{2}}},
	{q: `DELETE FROM attendee_photos`},
	{q: `SELECT count(*) FROM face_refs`, want: "(0)"}, // face_refs_photo_deleted

	// Views, partial unique indexes, singleton rows.
	{q: `INSERT INTO material_items (code, name) VALUES ('m1', '会议手册')`},
	{q: `INSERT INTO material_grants (item_id) VALUES (1)`},
	{q: `INSERT INTO material_grants (category) VALUES ('d')`, want: errCheck},
	{q: `SELECT attendee_id, item_id FROM material_due ORDER BY attendee_id`, want: "(1, 1) (2, 1)"},
	{q: `INSERT INTO sessions (id, name, kind, venue_id, opens_at, starts_at, ends_at, closes_at) VALUES ('p1', '全体会议', 'plenary', 1, 'a', 'b', 'c', 'd')`},
	{q: `INSERT INTO leaves (session_id, attendee_id, created_at) VALUES ('p1', 1, 't')`},
	{q: `INSERT INTO leaves (session_id, attendee_id, created_at) VALUES ('p1', 1, 't')`, want: errUnique},
	{q: `UPDATE leaves SET revoked_at = 't'`},
	{q: `INSERT INTO leaves (session_id, attendee_id, created_at) VALUES ('p1', 1, 't')`},
	{q: `SELECT attendee_id, revoked_at IS NULL FROM active_leaves`, want: "(1, 1)"},
	{q: `INSERT INTO duty_places (name, main) VALUES ('值班室', 1), ('酒店', 0)`},
	{q: `INSERT INTO duty_places (name, main) VALUES ('二号值班室', 1)`, want: errUnique},
	{q: `INSERT INTO transport_contact (id, updated_at) VALUES (2, 't')`, want: errCheck},
	{q: `INSERT INTO attendees (key, name, category, created_at, updated_at) VALUES ('a3', '丙', 'x', 't', 't')`, want: "err:foreign key constraint"},
}

const probeFaceRef = `INSERT INTO face_refs (attendee_id, model, vector, photo_at, actor, at) VALUES (1, 'm', ?, 't', 'x', 't')`

// TestPostgresBehaviour runs schemaProbes on a migrated SQLite and a
// migrated PostgreSQL: each step must give the same, expected, answer.
func TestPostgresBehaviour(t *testing.T) {
	t.Parallel()
	pg := scratchPG(t)
	lite := scratchSQLite(t)
	applyTexts(t, lite, false, 1, len(migrations))
	applyTexts(t, pg, true, 1, len(migrations))
	for i, step := range schemaProbes {
		for _, db := range []struct {
			name string
			db   *sql.DB
			pg   bool
		}{{"SQLite", lite, false}, {"PostgreSQL", pg, true}} {
			if step.pgOnly && !db.pg {
				continue
			}
			q := step.q
			if db.pg {
				q = numberPlaceholders(q)
			}
			if got := probe(t, db.db, q, step); got != step.want {
				t.Errorf("step %d on %s: %s\n got %q\nwant %q", i, db.name, step.q, got, step.want)
			}
		}
	}
	// devices_moved writes the time as FormatTime does, on PostgreSQL to
	// the microsecond.
	var at string
	if err := pg.QueryRow(`SELECT max(from_at) FROM device_assignments`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	if moved, err := ParseTime(at); err != nil || time.Since(moved).Abs() > time.Minute {
		t.Errorf("a device moved at %q (%v), want now in FormatTime's layout", at, err)
	}
}

// probe runs one step and renders its outcome as probeStep.want does.
func probe(t *testing.T, db *sql.DB, q string, step probeStep) string {
	t.Helper()
	if strings.HasPrefix(step.want, "(") {
		return rowsText(t, db, q, step.args...)
	}
	_, err := db.Exec(q, step.args...)
	switch {
	case err == nil:
		return ""
	case strings.HasPrefix(step.want, "err:") && strings.Contains(strings.ToLower(err.Error()), step.want[len("err:"):]):
		return step.want
	default:
		return "error " + err.Error()
	}
}

// numberPlaceholders writes the probes' ? as PostgreSQL's $1, $2, … (no
// probe has a ? inside a literal).
func numberPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
