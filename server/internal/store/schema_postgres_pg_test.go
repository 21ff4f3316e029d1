package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// These tests apply the migrations on a real PostgreSQL (HUIWU_TEST_PG, the
// URL of a throw-away cluster's admin database) beside a fresh SQLite, and
// compare the two: the same tables, columns, keys, indexes and triggers,
// the same answers to the same statements. They skip without one.

// scratchPG creates an empty database on the HUIWU_TEST_PG cluster, dropped
// when the test ends.
func scratchPG(t *testing.T) *sql.DB {
	t.Helper()
	url := os.Getenv("HUIWU_TEST_PG")
	if url == "" {
		t.Skip("HUIWU_TEST_PG is not set")
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatalf("HUIWU_TEST_PG: %v", err)
	}
	admin := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("huiwu_schema_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create scratch database: %v", err)
	}
	scratch := cfg.Copy()
	scratch.Database = name
	db := stdlib.OpenDB(*scratch)
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop scratch database: %v", err)
		}
	})
	return db
}

// scratchSQLite opens an empty SQLite database as the store opens its own
// (foreign keys enforced).
func scratchSQLite(t *testing.T) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(ON)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// applyTexts applies migrations from..to (1-based, inclusive), one
// transaction each, in the dialect's text.
func applyTexts(t *testing.T, db *sql.DB, pg bool, from, to int) {
	t.Helper()
	for v := from; v <= to; v++ {
		ddl := migrations[v-1]
		if pg {
			ddl = postgresDDL(v, ddl)
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ddl); err != nil {
			tx.Rollback()
			t.Fatalf("migration %d (postgres %v): %v", v, pg, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("migration %d (postgres %v): commit: %v", v, pg, err)
		}
	}
}

// TestPostgresSchema applies every migration on PostgreSQL and finds
// SQLite's schema there, part for part.
func TestPostgresSchema(t *testing.T) {
	t.Parallel()
	pg := scratchPG(t)
	lite := scratchSQLite(t)
	applyTexts(t, lite, false, 1, len(migrations))
	applyTexts(t, pg, true, 1, len(migrations))
	want, err := sqliteSchema(lite)
	if err != nil {
		t.Fatal(err)
	}
	got, err := postgresSchema(pg)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []struct {
		name      string
		want, got map[string]string
	}{
		{"table", want.tables, got.tables},
		{"view", want.views, got.views},
		{"column", want.columns, got.columns},
		{"primary key", want.keys, got.keys},
		{"unique constraint", want.uniques, got.uniques},
		{"foreign key", want.foreign, got.foreign},
		{"index", want.indexes, got.indexes},
		{"trigger", want.triggers, got.triggers},
	} {
		for k, w := range part.want {
			if g, ok := part.got[k]; !ok {
				t.Errorf("%s %s is missing on PostgreSQL", part.name, k)
			} else if g != w && pgDiffers[part.name+" "+k] != g {
				t.Errorf("%s %s: PostgreSQL has %s, SQLite %s", part.name, k, g, w)
			}
		}
		for k := range part.got {
			if _, ok := part.want[k]; !ok && !pgOnly[part.name+" "+k] {
				t.Errorf("%s %s is on PostgreSQL only", part.name, k)
			}
		}
	}
	t.Logf("%d migrations, %d tables, %d views, %d columns, %d indexes, %d triggers compared",
		len(migrations), len(want.tables), len(want.views), len(want.columns), len(want.indexes), len(want.triggers))
}

// pgOnly are the parts PostgreSQL has and SQLite needs not: TRUNCATE would
// empty the append-only logs, which SQLite has no statement for.
var pgOnly = map[string]bool{
	"trigger scans_no_delete_truncate":       true,
	"trigger copy_events_no_delete_truncate": true,
}

// pgDiffers are the parts PostgreSQL has otherwise, with what it has:
// face_checks.device_id holds text ids; SQLite's INTEGER column keeps them
// as text already, and no query answers otherwise (schema_rooms_order.go).
var pgDiffers = map[string]string{
	"column face_checks.device_id": "text",
}

// TestPostgresMigratesData writes rows into a database of version 5 and
// migrates it to the last version on both databases: what the rebuilds and
// UPDATEs of later migrations make of existing rows is the same.
func TestPostgresMigratesData(t *testing.T) {
	t.Parallel()
	pg := scratchPG(t)
	lite := scratchSQLite(t)
	for _, db := range []struct {
		db *sql.DB
		pg bool
	}{{lite, false}, {pg, true}} {
		applyTexts(t, db.db, db.pg, 1, 5)
		for _, q := range []string{
			`INSERT INTO categories (code, name) VALUES ('d', '代表')`,
			`INSERT INTO attendees (id, key, name, category, created_at, updated_at) VALUES (1, 'a1', '甲', 'd', 't', 't')`,
			`INSERT INTO venues (id, code, name, kind) VALUES (1, 'h', '饭店', 'hotel')`,
			`INSERT INTO checkpoints (id, name, kind, venue_id) VALUES ('c1', '入口', 'entrance', 1)`,
			`INSERT INTO devices (id, name, kind, checkpoint_id, created_at) VALUES ('k1', '一号机', 'kiosk', 'c1', '2025-01-01T08:00:00.000000Z')`,
			`INSERT INTO scans (id, scan_id, device_id, status, scanned_at, received_at, response) VALUES (7, 's1', 'k1', 'ok', 't', 't', '{}')`,
			`INSERT INTO scans (id, scan_id, actor, status, scanned_at, received_at, response) VALUES (8, 's2', 'desk1', 'ok', 't', 't', '{}')`,
			`INSERT INTO users (id, name, role, token_hash, created_at) VALUES (3, '管理员', 'admin', 'h3', '2025-01-01T00:00:00.000000Z')`,
			`INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES (4, '旧', 'desk', 'h4', 't', 't')`,
			`INSERT INTO lodging (attendee_id, venue_id, room) VALUES (1, 1, '301')`,
			`INSERT INTO hotel_checkins (attendee_id, checked_in_at) VALUES (1, 't')`,
			`INSERT INTO hotel_rooms (venue_id, number, beds) VALUES (1, '302', 2)`,
			`INSERT INTO hotel_rooms (venue_id, number, beds) VALUES (1, '301', 1)`,
			`INSERT INTO hotel_rooms (venue_id, number, beds) VALUES (1, '303', 2)`,
		} {
			if _, err := db.db.Exec(q); err != nil {
				t.Fatalf("postgres %v: %s: %v", db.pg, q, err)
			}
		}
		applyTexts(t, db.db, db.pg, 6, len(migrations))
	}
	probes := []string{
		`SELECT id, source, request_key FROM scans ORDER BY id`,
		`SELECT device_id, from_at, checkpoint_id FROM device_assignments`,
		`SELECT id, coalesce(login, ''), name, role, password_hash, failed_logins, created_by, revoked_by FROM users ORDER BY id`,
		`SELECT user_id, token_hash, kind, created_at, last_seen_at, ended_at IS NULL FROM user_sessions`,
		`SELECT attendee_id, venue_id, room FROM hotel_checkins`,
		`SELECT absent_from FROM sessions`,
		// The rooms keep the order they were listed in (v23).
		`SELECT number, beds FROM hotel_rooms ORDER BY sort, number`,
	}
	for _, q := range probes {
		w, g := rowsText(t, lite, q), rowsText(t, pg, q)
		if w != g {
			t.Errorf("%s\nPostgreSQL: %s\n    SQLite: %s", q, g, w)
		}
	}
	// The token's session expires 30 days after the migration ran.
	for _, db := range []*sql.DB{lite, pg} {
		var s string
		if err := db.QueryRow(`SELECT expires_at FROM user_sessions WHERE user_id = 3`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		if at, err := ParseTime(s); err != nil || time.Until(at) < 29*24*time.Hour || time.Until(at) > 31*24*time.Hour {
			t.Errorf("migrated token expires %q (%v), want 30 days from now", s, err)
		}
	}
	// The identity continues after the rows the migrations kept.
	if _, err := pg.Exec(`INSERT INTO user_sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at)
		VALUES (3, 'h5', 'browser', 't', 't', 't')`); err != nil {
		t.Errorf("a new session after the migrated one: %v", err)
	}
}

// rowsText renders a query's rows as text, for comparing two databases.
func rowsText(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, v := range vals {
			switch v := v.(type) {
			case []byte:
				cells = append(cells, fmt.Sprintf("%x", v))
			case nil:
				cells = append(cells, "NULL")
			case bool: // PostgreSQL's boolean is SQLite's 0 or 1
				if v {
					cells = append(cells, "1")
				} else {
					cells = append(cells, "0")
				}
			default:
				cells = append(cells, fmt.Sprint(v))
			}
		}
		out = append(out, "("+strings.Join(cells, ", ")+")")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}
