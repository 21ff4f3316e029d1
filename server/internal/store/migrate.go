package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations is append-only: the schema version is the number of entries
// applied. Never edit an entry that has shipped; add a new one.
//
// Each area keeps its DDL in a file of its own (schema_<area>.go).
var migrations = []string{
	schemaV1,              // v1: the domain (schema.go)
	schemaBadges,          // v2: badges, prints and the desk (schema_badges.go)
	schemaSeating,         // v3: seating and venues (schema_seating.go)
	schemaKiosk,           // v4: kiosks and offline sync (schema_kiosk.go)
	schemaDefinition,      // v5: the event definition and entitlement rules (schema_definition.go)
	schemaScanSources,     // v6: scan ids per device, device assignments over time (schema_scans.go)
	schemaAccounts,        // v7: staff accounts with passwords, sessions, the chair role (schema_accounts.go)
	schemaImports,         // v8: imports stored in short transactions, with their undo journal (schema_imports.go)
	schemaLogistics,       // v9: stations, travel legs, vehicles and runs, check-out and room moves, the logistics role (schema_logistics.go)
	schemaAbsentFrom,      // v10: when a session's 未到 become 缺席, at the start or the close (schema_sessions.go)
	schemaStays,           // v11: the room handed over at hotel check-in, stranded room changes (schema_stays.go)
	schemaTransport,       // v12: the drivers' contact, the phones the desk lets drivers have (schema_transport.go)
	schemaDuty,            // v13: the duty room: places, shifts, the log with its versions, handovers (schema_duty.go)
	schemaDocuments,       // v14: numbered confidential documents, their copies and chain of custody, the copy-code key (schema_documents.go)
	schemaMaterials,       // v15: 资料发放: items, kits, who is due what, handouts once per person and item (schema_materials.go)
	schemaNotices,         // v16: 会议通知与回执: units, reply links, replies and their items for the desk (schema_notices.go)
	schemaPhotos,          // v17: attendees' photos, normalised, in the database with everything else (schema_photos.go)
	schemaFaces,           // v18: 刷脸: consent, reference embeddings, the kiosks' face checks (schema_faces.go)
	schemaFaceModes,       // v19: the event's face verification, each checkpoint's photo check and face mode, the badge layout (schema_face_settings.go)
	schemaActiveLeaves,    // v20: the view of leaves not withdrawn (schema_leaves.go)
	schemaSigning,         // v21: the badge signing key's private half, sealed with a master key from outside the database (schema_signing.go)
	schemaFeed,            // v22: the live feed between servers on one PostgreSQL, changes by commit order (schema_feed.go)
	schemaRoomsOrder,      // v23: a hotel's rooms keep the definition's order in a column, not rowid (schema_rooms_order.go)
	schemaFaceCheckDevice, // v24: face checks' device id is text on PostgreSQL too (schema_rooms_order.go)
	schemaFaceRetention,   // v25: how long face data outlives the meeting, and what each purge deleted (schema_face_retention.go)
}

// migrate applies the migrations the database lacks, one transaction each,
// and refuses a database written by a newer binary. SQLite keeps the
// version in PRAGMA user_version; PostgreSQL in the table schema_version,
// read and written under the writers' lock, so that of two servers that
// start together one migrates and the other finds it done.
func migrate(ctx context.Context, db *sql.DB, dialect string) error {
	if dialect == Postgres {
		return migratePostgres(ctx, db)
	}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if err := newer(version); err != nil {
		return err
	}
	for i := version; i < len(migrations); i++ {
		if err := applyMigration(ctx, db, i+1, migrations[i]); err != nil {
			return err
		}
	}
	return nil
}

// newer refuses a schema version past this binary's migrations.
func newer(version int) error {
	if version > len(migrations) {
		return fmt.Errorf("store: database schema version %d is newer than this program knows (%d); use a newer huiwu / 数据库版本 %d 比本程序新（%d），请使用新版 huiwu",
			version, len(migrations), version, len(migrations))
	}
	return nil
}

// applyMigration applies one migration to a SQLite database.
func applyMigration(ctx context.Context, db *sql.DB, version int, ddl string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %d: %w", version, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("store: migration %d: %w", version, err)
	}
	// PRAGMA does not take parameters; version is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return fmt.Errorf("store: migration %d: set version: %w", version, err)
	}
	return tx.Commit()
}

// migratePostgres applies PostgreSQL's migrations one transaction each
// until none is left.
func migratePostgres(ctx context.Context, db *sql.DB) error {
	for {
		done, err := migratePostgresStep(ctx, db)
		if err != nil || done {
			return err
		}
	}
}

// migratePostgresStep applies the next migration the database lacks, if
// any, and reports whether none was left. Its transaction is a write
// pool's, so it holds the writers' lock (pgdriver.go) from before it
// reads the version until it commits the next: a server that waited for
// the lock reads the version the other one left.
func migratePostgresStep(ctx context.Context, db *sql.DB) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		version INTEGER NOT NULL
	)`); err != nil {
		return false, fmt.Errorf("store: migrate: schema_version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`); err != nil {
		return false, fmt.Errorf("store: migrate: schema_version: %w", err)
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version WHERE id = 1`).Scan(&version); err != nil {
		return false, fmt.Errorf("store: read schema version: %w", err)
	}
	if err := newer(version); err != nil {
		return false, err
	}
	if version == len(migrations) {
		return true, tx.Commit()
	}
	next := version + 1
	if _, err := tx.ExecContext(ctx, postgresDDL(next, migrations[version])); err != nil {
		return false, fmt.Errorf("store: migration %d: %w", next, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ? WHERE id = 1`, next); err != nil {
		return false, fmt.Errorf("store: migration %d: set version: %w", next, err)
	}
	return false, tx.Commit()
}
