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
	schemaV1,           // v1: the domain (schema.go)
	schemaBadges,       // v2: badges, prints and the desk (schema_badges.go)
	schemaSeating,      // v3: seating and venues (schema_seating.go)
	schemaKiosk,        // v4: kiosks and offline sync (schema_kiosk.go)
	schemaDefinition,   // v5: the event definition and entitlement rules (schema_definition.go)
	schemaScanSources,  // v6: scan ids per device, device assignments over time (schema_scans.go)
	schemaAccounts,     // v7: staff accounts with passwords, sessions, the chair role (schema_accounts.go)
	schemaImports,      // v8: imports stored in short transactions, with their undo journal (schema_imports.go)
	schemaLogistics,    // v9: stations, travel legs, vehicles and runs, check-out and room moves, the logistics role (schema_logistics.go)
	schemaAbsentFrom,   // v10: when a session's 未到 become 缺席, at the start or the close (schema_sessions.go)
	schemaStays,        // v11: the room handed over at hotel check-in, stranded room changes (schema_stays.go)
	schemaTransport,    // v12: the drivers' contact, the phones the desk lets drivers have (schema_transport.go)
	schemaDuty,         // v13: the duty room: places, shifts, the log with its versions, handovers (schema_duty.go)
	schemaDocuments,    // v14: numbered confidential documents, their copies and chain of custody, the copy-code key (schema_documents.go)
	schemaMaterials,    // v15: 资料发放: items, kits, who is due what, handouts once per person and item (schema_materials.go)
	schemaNotices,      // v16: 会议通知与回执: units, reply links, replies and their items for the desk (schema_notices.go)
	schemaPhotos,       // v17: attendees' photos, normalised, in the database with everything else (schema_photos.go)
	schemaFaces,        // v18: 刷脸: consent, reference embeddings, the kiosks' face checks (schema_faces.go)
	schemaFaceModes,    // v19: the event's face verification, each checkpoint's photo check and face mode, the badge layout (schema_face_settings.go)
	schemaActiveLeaves, // v20: the view of leaves not withdrawn (schema_leaves.go)
}

// migrate applies the migrations the database lacks, one transaction each,
// and refuses a database written by a newer binary.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("store: database schema version %d is newer than this program knows (%d); use a newer huiwu", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if err := applyMigration(ctx, db, i+1, migrations[i]); err != nil {
			return err
		}
	}
	return nil
}

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
