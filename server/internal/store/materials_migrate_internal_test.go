package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestMaterialsMigrationOnOlderDatabase: a database written before
// materials (every migration up to the one before schemaMaterials), with
// a meeting and people in it, opens with the materials tables added and
// its people due what a grant gives them; nothing it held is changed.
func TestMaterialsMigrationOnOlderDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "huiwu.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	at := -1
	for i, m := range migrations {
		if m == schemaMaterials {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("schemaMaterials is not in the migrations")
	}
	old, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	for i := range at {
		if err := applyMigration(ctx, old, i+1, migrations[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO categories (code, name, voting) VALUES ('deputy', '代表', 1), ('staff', '工作人员', 0)`,
		`INSERT INTO delegations (name) VALUES ('东区代表团')`,
		`INSERT INTO attendees (key, name, category, delegation_id, created_at, updated_at) VALUES ('a1', '张伟', 'deputy', 1, 'x', 'x'), ('a2', '李娜', 'staff', NULL, 'x', 'x')`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	db, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version, people int
	db.r.QueryRow(`PRAGMA user_version`).Scan(&version)
	db.r.QueryRow(`SELECT count(*) FROM attendees`).Scan(&people)
	if version != len(migrations) || people != 2 {
		t.Fatalf("after opening: version %d (want %d), %d people (want 2)", version, len(migrations), people)
	}
	m := Materials{Items: []MaterialItem{{Code: "folder", Name: "文件袋"}},
		Kits: []MaterialKit{{Code: "kit", Name: "代表资料袋", Items: []string{"folder"}, Grants: []Grant{{Category: "deputy", Delegation: "东区代表团"}}}}}
	if err := db.SaveMaterials(ctx, m, "test"); err != nil {
		t.Fatal(err)
	}
	owed, err := db.MaterialsOwed(ctx, OwedFilter{})
	if err != nil || len(owed) != 1 || owed[0].Name != "张伟" || len(owed[0].Missing()) != 1 || owed[0].Missing()[0].Code != "folder" {
		t.Fatalf("owed after the migration: %+v %v, want 张伟 due the folder", owed, err)
	}
}
