package store

import (
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE x = ? AND y = ?`, `SELECT a FROM t WHERE x = $1 AND y = $2`},
		{`SELECT ?1, ?2, ?1`, `SELECT $1, $2, $1`},
		{`SELECT ?007`, `SELECT $7`},
		// SQLite: a bare ? takes one more than the largest number so far.
		{`SELECT ?2, ?, ?1, ?`, `SELECT $2, $3, $1, $4`},
		{`SELECT '?', "a?b", ? -- what?` + "\n" + `, ?`, `SELECT '?', "a?b", $1 -- what?` + "\n" + `, $2`},
		{`/* ? /* nested ? */ still ? */ ?`, `/* ? /* nested ? */ still ? */ $1`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT "a""?", ?`, `SELECT "a""?", $1`},
		{`SELECT E'\'?', ?`, `SELECT E'\'?', $1`},
		// Outside an E string a backslash is an ordinary character.
		{`SELECT '\', ?`, `SELECT '\', $1`},
		{`WHERE name LIKE ? ESCAPE '\'`, `WHERE name ILIKE $1 ESCAPE '\'`},
		{`WHERE name like ? OR x NOT Like ?`, `WHERE name ilike $1 OR x NOT ILike $2`},
		{`WHERE unlike = 1 AND likes = 2 AND liked_at = ? AND ILIKE_x = 'LIKE'`, `WHERE unlike = 1 AND likes = 2 AND liked_at = $1 AND ILIKE_x = 'LIKE'`},
		{`SELECT "LIKE" FROM t -- LIKE`, `SELECT "LIKE" FROM t -- LIKE`},
		{`WHERE x ILIKE ?`, `WHERE x ILIKE $1`},
		{`CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN IF NEW.a LIKE '?' THEN RETURN NULL; END IF; END $$ LANGUAGE plpgsql; SELECT ?`,
			`CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN IF NEW.a LIKE '?' THEN RETURN NULL; END IF; END $$ LANGUAGE plpgsql; SELECT $1`},
		{`AS $body$ x LIKE ? $body$ LIKE`, `AS $body$ x LIKE ? $body$ ILIKE`},
		{`SELECT $1, a$b FROM t WHERE c LIKE ?`, `SELECT $1, a$b FROM t WHERE c ILIKE $1`},
		{`SELECT 名字 FROM t WHERE 名字 LIKE ?`, `SELECT 名字 FROM t WHERE 名字 ILIKE $1`},
		{`SELECT 1e5, x FROM t WHERE y = ?`, `SELECT 1e5, x FROM t WHERE y = $1`},
		{`SELECT 'unclosed ?`, `SELECT 'unclosed ?`},
		{`SELECT ?0`, `SELECT ?0`},
	}
	for _, c := range cases {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if got := pgRebind(c.in); got != c.want {
			t.Errorf("pgRebind(%q) (cached) = %q", c.in, got)
		}
	}
}

// TestRebindCacheBounded: a program that builds texts without end does not
// grow the cache without end.
func TestRebindCacheBounded(t *testing.T) {
	t.Parallel()
	for i := range rebindCacheMax + 10 {
		pgRebind("SELECT ? FROM t LIMIT " + strings.Repeat("1", i%50+1) + " OFFSET " + string(rune('a'+i%26)) + strings.Repeat("0", i/26))
	}
	rebindCache.RLock()
	n := len(rebindCache.m)
	rebindCache.RUnlock()
	if n > rebindCacheMax {
		t.Fatalf("cache holds %d texts, more than %d", n, rebindCacheMax)
	}
}

// FuzzRebind: whatever the text, rebinding does not panic, is idempotent
// (a rewritten text has nothing left to rewrite), leaves text without `?`
// or a LIKE word alone, and never touches what sits inside a literal, a
// quoted identifier or a comment.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"", "?", "it's", `a"b`, "*/", "--", "\n", "$$", "LIKE", "?12", "E'\\'", "/*", "名字", "?$$?", "$?1 $$?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := rebind(s)
		if twice := rebind(once); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
		if !strings.Contains(s, "?") && !strings.Contains(strings.ToLower(s), "like") && once != s {
			t.Fatalf("changed a text with nothing to rewrite: %q → %q", s, once)
		}
		lit := "'" + strings.ReplaceAll(s, "'", "''") + "'"
		ident := `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		line := "-- " + strings.ReplaceAll(s, "\n", " ") + "\n"
		block := "/* " + strings.ReplaceAll(strings.ReplaceAll(s, "*/", "* /"), "/*", "/ *") + " */"
		for _, quoted := range []string{lit, ident, line, block} {
			in := "SELECT x FROM t WHERE a LIKE ? AND b = " + quoted + " AND c = ?"
			want := "SELECT x FROM t WHERE a ILIKE $1 AND b = " + quoted + " AND c = $2"
			if got := rebind(in); got != want {
				t.Fatalf("inside %q:\n got %q\nwant %q", quoted, got, want)
			}
		}
	})
}
