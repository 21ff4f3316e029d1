package store_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// sqlText finds SQL statements in Go source: what only the store writes.
var sqlText = regexp.MustCompile(`(?i)\b(SELECT\s[^"]*?\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)|PRAGMA\s+\w+)\b`)

// notOurSchema are files outside the store that may speak SQL because
// they do not touch Huiwu's database.
var notOurSchema = map[string]string{
	"scripts/load/rawcommit.go": "measures SQLite's raw commit rate on a scratch table of its own",
}

// testSupport are packages only tests import (TestTestSupportNotInServer
// keeps it so): they may look at tables as tests do.
var testSupport = []string{"server/internal/testkit/", "server/internal/testkit/pgtest/", "server/internal/browsertest/"}

// TestNoSQLOutsideStore (issue 16.1): the store owns its tables. No
// production file outside server/internal/store writes SQL, imports
// database/sql or reaches for the pools tests use (ForTest).
func TestNoSQLOutsideStore(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "server/internal/store" || strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "vendor" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || notOurSchema[rel] != "" ||
			slices.ContainsFunc(testSupport, func(dir string) bool { return strings.HasPrefix(rel, dir) }) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		src := string(b)
		for i, line := range strings.Split(src, "\n") {
			where := func(what string) { t.Errorf("%s:%d: %s: %s", rel, i+1, what, strings.TrimSpace(line)) }
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if sqlText.MatchString(line) {
				where("SQL outside the store (add a named method to server/internal/store)")
			}
			if strings.Contains(line, `"database/sql"`) {
				where("database/sql outside the store")
			}
			if strings.Contains(line, ".ForTest()") {
				where("the store's pools are for tests")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d Go files checked under %s: the walk missed the tree", checked, root)
	}
}

// TestTestSupportNotInServer: the server binary and the scripts never link
// the test support packages, whose files may read tables directly.
func TestTestSupportNotInServer(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "huiwu/server", "huiwu/scripts/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		for _, dir := range testSupport {
			if "huiwu/"+strings.TrimSuffix(dir, "/") == p {
				t.Errorf("%s is linked into the server or a script", p)
			}
		}
	}
}
