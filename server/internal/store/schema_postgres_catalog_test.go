package store

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// schemaParts is a database's schema as comparable text: each map from a
// part's name to what it is, written the same way for both databases.
type schemaParts struct {
	tables   map[string]string // name → ""
	views    map[string]string // name → its columns
	columns  map[string]string // table.column → type, NOT NULL, default, identity
	keys     map[string]string // table → primary key columns
	uniques  map[string]string // table(columns) → ""
	foreign  map[string]string // table(columns)->table(columns) → ON DELETE
	indexes  map[string]string // name → table(columns), UNIQUE, partial
	triggers map[string]string // name → table
}

func newSchemaParts() schemaParts {
	return schemaParts{map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{},
		map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}}
}

// pgTypes is the PostgreSQL type of each SQLite type the migrations declare.
var pgTypes = map[string]string{"INTEGER": "bigint", "TEXT": "text", "REAL": "double precision", "BLOB": "bytea"}

func columnText(typ string, notNull bool, dflt sql.NullString, identity bool) string {
	s := typ
	if notNull {
		s += " NOT NULL"
	}
	if dflt.Valid {
		s += " DEFAULT " + dflt.String
	}
	if identity {
		s += " IDENTITY"
	}
	return s
}

// sqliteSchema reads SQLite's schema from sqlite_master and its pragmas.
func sqliteSchema(db *sql.DB) (schemaParts, error) {
	p := newSchemaParts()
	objs, err := queryStrings(db, `SELECT type || ' ' || name || ' ' || tbl_name || ' ' || (sql IS NOT NULL) FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		return p, err
	}
	for _, o := range objs {
		f := strings.Fields(o)
		kind, name, table, hasSQL := f[0], f[1], f[2], f[3] == "1"
		switch kind {
		case "table":
			p.tables[name] = ""
			if err := sqliteTable(db, &p, name); err != nil {
				return p, err
			}
		case "view":
			cols, err := queryStrings(db, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, name)
			if err != nil {
				return p, err
			}
			p.views[name] = strings.Join(cols, ",")
		case "index":
			if !hasSQL {
				continue // a UNIQUE or PRIMARY KEY constraint's own index
			}
			cols, err := queryStrings(db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, name)
			if err != nil {
				return p, err
			}
			var unique, partial int
			if err := db.QueryRow(`SELECT "unique", partial FROM pragma_index_list(?) WHERE name = ?`, table, name).Scan(&unique, &partial); err != nil {
				return p, fmt.Errorf("index %s: %w", name, err)
			}
			p.indexes[name] = indexText(table, cols, unique == 1, partial == 1)
		case "trigger":
			p.triggers[name] = table
		}
	}
	return p, nil
}

func sqliteTable(db *sql.DB, p *schemaParts, table string) error {
	fkCols, err := queryStrings(db, `SELECT "from" FROM pragma_foreign_key_list(?)`, table)
	if err != nil {
		return err
	}
	rows, err := db.Query(`SELECT name, upper(type), "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return err
	}
	type col struct {
		name, typ string
		notNull   bool
		dflt      sql.NullString
		pk        int
	}
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.name, &c.typ, &c.notNull, &c.dflt, &c.pk); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The primary key's columns in key order (pk counts from 1).
	byOrder := map[int]string{}
	for _, c := range cols {
		if c.pk > 0 {
			byOrder[c.pk] = c.name
		}
	}
	var keys []string
	for i := 1; i <= len(byOrder); i++ {
		keys = append(keys, byOrder[i])
	}
	if len(keys) > 0 {
		p.keys[table] = strings.Join(keys, ",")
	}
	for _, c := range cols {
		// A rowid alias numbers itself, unless it is another table's key.
		identity := c.typ == "INTEGER" && c.pk == 1 && len(keys) == 1 && !slices.Contains(fkCols, c.name)
		p.columns[table+"."+c.name] = columnText(pgTypes[c.typ], c.notNull || c.pk > 0, c.dflt, identity)
	}
	uniq, err := queryStrings(db, `SELECT name FROM pragma_index_list(?) WHERE origin = 'u'`, table)
	if err != nil {
		return err
	}
	for _, idx := range uniq {
		cs, err := queryStrings(db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, idx)
		if err != nil {
			return err
		}
		p.uniques[table+"("+strings.Join(cs, ",")+")"] = ""
	}
	fks, err := db.Query(`SELECT id, "table", group_concat("from"), group_concat("to"), on_delete
		FROM (SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq) GROUP BY id`, table)
	if err != nil {
		return err
	}
	defer fks.Close()
	for fks.Next() {
		var id int
		var ref, from, to, onDelete string
		if err := fks.Scan(&id, &ref, &from, &to, &onDelete); err != nil {
			return err
		}
		p.foreign[table+"("+from+")->"+ref+"("+to+")"] = onDelete
	}
	return fks.Err()
}

func indexText(table string, cols []string, unique, partial bool) string {
	s := table + "(" + strings.Join(cols, ",") + ")"
	if unique {
		s += " UNIQUE"
	}
	if partial {
		s += " partial"
	}
	return s
}

// pgDefaultCast is the cast PostgreSQL writes after a default's literal.
var pgDefaultCast = regexp.MustCompile(`::[a-z ]+$`)

// pgDeleteActions names pg_constraint.confdeltype as SQLite does.
var pgDeleteActions = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

// postgresSchema reads PostgreSQL's schema (the public schema) from
// information_schema and pg_catalog.
func postgresSchema(db *sql.DB) (schemaParts, error) {
	p := newSchemaParts()
	tables, err := queryStrings(db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		return p, err
	}
	for _, t := range tables {
		p.tables[t] = ""
	}
	views, err := queryStrings(db, `SELECT v.table_name || ' ' || string_agg(c.column_name, ',' ORDER BY c.ordinal_position)
		FROM information_schema.views v JOIN information_schema.columns c USING (table_schema, table_name)
		WHERE v.table_schema = 'public' GROUP BY v.table_name`)
	if err != nil {
		return p, err
	}
	for _, v := range views {
		name, cols, _ := strings.Cut(v, " ")
		p.views[name] = cols
	}
	rows, err := db.Query(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO', c.column_default, c.is_identity = 'YES'
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var table, col, typ string
		var notNull, identity bool
		var dflt sql.NullString
		if err := rows.Scan(&table, &col, &typ, &notNull, &dflt, &identity); err != nil {
			rows.Close()
			return p, err
		}
		dflt.String = pgDefaultCast.ReplaceAllString(dflt.String, "")
		p.columns[table+"."+col] = columnText(typ, notNull, dflt, identity)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	cons, err := queryStrings(db, `SELECT c.contype::text || ' ' || t.relname || ' ' ||
			(SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) || ' ' ||
			coalesce((SELECT r.relname FROM pg_class r WHERE r.oid = c.confrelid), '-') || ' ' ||
			coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
				JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), '-') || ' ' || c.confdeltype::text
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
		WHERE s.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`)
	if err != nil {
		return p, err
	}
	for _, c := range cons {
		f := strings.Fields(c)
		switch f[0] {
		case "p":
			p.keys[f[1]] = f[2]
		case "u":
			p.uniques[f[1]+"("+f[2]+")"] = ""
		case "f":
			p.foreign[f[1]+"("+f[2]+")->"+f[3]+"("+f[4]+")"] = pgDeleteActions[f[5]]
		}
	}
	idx, err := queryStrings(db, `SELECT i.relname || ' ' || t.relname || ' ' ||
			(SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n) || ' ' || x.indisunique || ' ' || (x.indpred IS NOT NULL)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace s ON s.oid = t.relnamespace
		WHERE s.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`)
	if err != nil {
		return p, err
	}
	for _, i := range idx {
		f := strings.Fields(i)
		p.indexes[f[0]] = indexText(f[1], strings.Split(f[2], ","), f[3] == "true", f[4] == "true")
	}
	trig, err := queryStrings(db, `SELECT g.tgname || ' ' || t.relname FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
		JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public' AND NOT g.tgisinternal`)
	if err != nil {
		return p, err
	}
	for _, g := range trig {
		name, table, _ := strings.Cut(g, " ")
		p.triggers[name] = table
	}
	return p, nil
}

// queryStrings answers a query's one text column.
func queryStrings(db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
