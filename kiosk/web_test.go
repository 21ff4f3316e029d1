package kiosk

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// The pages talk to the server through common/api.js alone and build
// elements through common/dom.js alone (issue 11, point 25): one place for
// the token, the timeouts, the Unreachable/APIError rule and the error
// shape, one element builder that never parses HTML.
var (
	fetchCall  = regexp.MustCompile(`\bfetch\s*\(`)
	xhr        = regexp.MustCompile(`\bnew\s+XMLHttpRequest\b`)
	errorClass = regexp.MustCompile(`\bclass\s+\w*Error\s+extends\s+Error\b`)
	builder    = regexp.MustCompile(`\bcreateElement(NS)?\s*\(`)
	// fetchAllowed are the fetches that are not API calls: the service
	// worker serving the kiosk's cached files, the scanner worker loading
	// its WebAssembly core.
	fetchAllowed = map[string][]string{
		"kiosk/sw.js":     {"fetch(ev.request,", "fetch(path, { cache: 'no-cache' })", "fetch(request)"},
		"kiosk/worker.js": {"fetch('/kiosk/scanner.wasm')"},
	}
)

// jsFiles answers every script under web/ with its comment lines blanked
// (a comment may mention fetch( or createElement( without calling them).
func jsFiles(t *testing.T) map[string][]string {
	t.Helper()
	files := map[string][]string{}
	err := fs.WalkDir(Web, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == "vendor" {
			return fs.SkipDir // third-party code (the face engine's Human), not ours to hold to these rules
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(Web, p)
		if err != nil {
			return err
		}
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if s := strings.TrimSpace(l); strings.HasPrefix(s, "//") || strings.HasPrefix(s, "*") || strings.HasPrefix(s, "/*") {
				lines[i] = ""
			}
		}
		files[p] = lines
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found %d scripts under web/: the walk is broken", len(files))
	}
	return files
}

func TestOneAPIClientOneElementBuilder(t *testing.T) {
	for p, lines := range jsFiles(t) {
		for i, l := range lines {
			at := func(what string) { t.Errorf("%s:%d: %s: %s", p, i+1, what, strings.TrimSpace(l)) }
			if p != "common/api.js" {
				for _, m := range fetchCall.FindAllStringIndex(l, -1) {
					if !allowedFetch(p, l[m[0]:]) {
						at("fetch outside common/api.js (use its call, download or upload)")
					}
				}
				if xhr.MatchString(l) {
					at("XMLHttpRequest outside common/api.js (use its upload)")
				}
				if errorClass.MatchString(l) {
					at("an error class of its own (common/api.js has APIError and Unreachable)")
				}
			}
			if p != "common/dom.js" && builder.MatchString(l) {
				at("an element built outside common/dom.js (use its h or svg)")
			}
		}
	}
}

func allowedFetch(file, call string) bool {
	for _, a := range fetchAllowed[file] {
		if strings.HasPrefix(call, a) {
			return true
		}
	}
	return false
}

var (
	shellList    = regexp.MustCompile(`(?s)const SHELL = \[(.*?)\];`)
	quoted       = regexp.MustCompile(`'([^']+)'`)
	staticImport = regexp.MustCompile(`(?m)^\s*(?:import|export)\s[^'";]*?\bfrom\s*'([^']+)'|^\s*import\s*'([^']+)'`)
)

// TestKioskShellHasEveryModule: the service worker caches the kiosk's
// files for a restart while the server is away; a module the kiosk
// imports that is not in its SHELL list would leave that restart blank.
func TestKioskShellHasEveryModule(t *testing.T) {
	files := jsFiles(t)
	m := shellList.FindStringSubmatch(strings.Join(files["kiosk/sw.js"], "\n"))
	if m == nil {
		t.Fatal("kiosk/sw.js has no SHELL list")
	}
	shell := map[string]bool{}
	for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
		shell[q[1]] = true
	}
	seen := map[string]bool{}
	todo := []string{"kiosk/kiosk.js"}
	for len(todo) > 0 {
		p := todo[0]
		todo = todo[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		lines, ok := files[p]
		if !ok {
			t.Errorf("%s is imported but is not under web/", p)
			continue
		}
		if !shell["/static/"+p] {
			t.Errorf("kiosk/sw.js SHELL lacks /static/%s, which the kiosk imports", p)
		}
		for _, im := range staticImport.FindAllStringSubmatch(strings.Join(lines, "\n"), -1) {
			spec := im[1] + im[2]
			if strings.HasPrefix(spec, "/static/") {
				todo = append(todo, strings.TrimPrefix(spec, "/static/"))
			} else {
				todo = append(todo, path.Join(path.Dir(p), spec))
			}
		}
	}
	if len(seen) < 8 {
		t.Fatalf("followed %d kiosk modules: the import walk is broken", len(seen))
	}
}
