package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"huiwu/kiosk/wasmbuild"
)

// TestReleaseBinaryServesScanner: the binary scripts/build makes serves the
// kiosk's scanner core on a machine with no Go, no source tree and an empty
// home — the same bytes the server would build from this tree, with the
// same headers — and leaves that home untouched.
func TestReleaseBinaryServesScanner(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("scripts/build is a bash script")
	}
	start := time.Now()
	dist := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	build := exec.Command("scripts/build", "-o", dist, target)
	build.Dir = ".."
	if raceBuild {
		// Built as this test binary was (scripts/race.flags): the
		// compiled packages are reused and only the link is new, where a
		// release build's own flags would compile everything again.
		build.Env = append(os.Environ(), "CGO_ENABLED=1", "HUIWU_BUILD_FLAGS="+strings.Join(raceFlags(t), " "))
	}
	out, err := build.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/build: %v\n%s", err, out)
	}
	t.Logf("scripts/build %s in %s: %s", target, time.Since(start).Round(time.Second), bytes.TrimSpace(out))
	bin := filepath.Join(dist, "huiwu-"+runtime.GOOS+"-"+runtime.GOARCH)

	// What go run ./server would serve: built afresh from the same tree.
	fresh := t.TempDir()
	if err := wasmbuild.Build(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
	wantWasm := mustRead(t, filepath.Join(fresh, wasmbuild.WasmFile))
	wantExec := mustRead(t, filepath.Join(fresh, wasmbuild.ExecFile))

	home, noGo := t.TempDir(), t.TempDir()
	addr := freeAddr(t)
	srv := exec.Command(bin, "-demo", "-admin-token", adminToken, "-addr", addr, "-data", t.TempDir())
	srv.Dir = t.TempDir() // no source tree beside it
	srv.Env = []string{"PATH=" + noGo, "HOME=" + home}
	var log bytes.Buffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			srv.Process.Kill()
			<-exited
		}
	})
	waitServing(t, "http://"+addr, exited, &log)

	// Go's client would ask for gzip and unpack it unseen; ask by hand to
	// see both encodings the server sends.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	for _, enc := range []string{"", "gzip"} {
		body, h := fetchEncoded(t, client, "http://"+addr+"/kiosk/scanner.wasm", enc)
		if h.Get("Content-Encoding") != enc {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q", enc, h.Get("Content-Encoding"))
		}
		if enc == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if h.Get("Content-Type") != "application/wasm" || h.Get("Cache-Control") != "no-cache" || h.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("scanner.wasm headers: %v", h)
		}
		if !bytes.HasPrefix(body, []byte("\x00asm")) || !bytes.Equal(body, wantWasm) {
			t.Fatalf("Accept-Encoding %q: served %d bytes, not the %d of a fresh build", enc, len(body), len(wantWasm))
		}
	}
	js, h := fetchEncoded(t, client, "http://"+addr+"/kiosk/wasm_exec.js", "")
	if !bytes.Equal(js, wantExec) || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Fatalf("wasm_exec.js: %d bytes, %s; want the toolchain's %d", len(js), h.Get("Content-Type"), len(wantExec))
	}

	stopped = true
	srv.Process.Signal(os.Interrupt)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, log.String())
		}
	case <-time.After(15 * time.Second):
		srv.Process.Kill()
		<-exited
		t.Fatalf("server did not stop on interrupt\n%s", log.String())
	}
	if !strings.Contains(log.String(), "source=embedded") {
		t.Fatalf("the log does not say the core was embedded:\n%s", log.String())
	}
	if left, _ := os.ReadDir(home); len(left) > 0 {
		t.Fatalf("the server wrote into its home: %s", left[0].Name())
	}
	t.Logf("whole test %s", time.Since(start).Round(time.Second))
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitServing waits for the server to answer, failing early if it exits.
func waitServing(t *testing.T, base string, exited <-chan error, log *bytes.Buffer) {
	t.Helper()
	deadline := time.After(time.Minute)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(base + "/api/v1/health"); err == nil {
			resp.Body.Close()
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("server exited: %v\n%s", err, log.String())
		case <-deadline:
			t.Fatalf("server did not answer in a minute (a race build; CI's loaded machine took over 30 s)")
		case <-tick.C:
		}
	}
}

// fetchEncoded GETs url with the given Accept-Encoding (none when empty) and
// expects 200.
func fetchEncoded(t *testing.T, client *http.Client, url, enc string) ([]byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %s", url, resp.StatusCode, b)
	}
	return b, resp.Header
}

// raceFlags are the suite's race build flags, from scripts/race.flags.
func raceFlags(t *testing.T) []string {
	t.Helper()
	var flags []string
	for line := range strings.Lines(string(mustRead(t, "../scripts/race.flags"))) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			flags = append(flags, line)
		}
	}
	return flags
}

// TestReleasePlatformsTypeCheck: the server, and every package of ours it
// imports, type-checks as built for each release platform that
// TestReleaseBinaryServesScanner does not build. A file split by build
// constraints (the store's import lock: flock on unix, a semaphore
// elsewhere) had left the windows/amd64 release unbuildable, and only
// scripts/build showed it. Our packages are checked from source, with the
// files the platform selects; the standard library and the modules we use
// come from this build's export data, which holds for every platform we
// release for (they build there; their platform files are theirs to
// keep). Compiling for each platform instead would compile every
// dependency again: minutes, where this takes seconds.
func TestReleasePlatformsTypeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("lists the server's dependencies with go list")
	}
	// Export data of every package the server imports, as this test binary
	// was built (the same flags, so go list finds it all in the cache).
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	if raceBuild {
		args = append(args, raceFlags(t)...)
	}
	list := exec.Command("go", append(args, ".")...)
	list.Stderr = os.Stderr
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	exports := map[string]string{}
	for line := range strings.Lines(string(out)) {
		if path, file, ok := strings.Cut(strings.TrimSpace(line), "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, platform := range []string{"windows/amd64", "linux/arm64"} {
		goos, goarch, _ := strings.Cut(platform, "/")
		if goos == runtime.GOOS && goarch == runtime.GOARCH {
			continue // built whole by TestReleaseBinaryServesScanner
		}
		ctxt := build.Default
		ctxt.GOOS, ctxt.GOARCH = goos, goarch
		ctxt.CgoEnabled = false // scripts/build: CGO_ENABLED=0
		c := &platformCheck{ctxt: ctxt, fset: token.NewFileSet(), root: root, checked: map[string]*types.Package{}}
		c.deps = importer.ForCompiler(c.fset, "gc", func(path string) (io.ReadCloser, error) {
			file, ok := exports[path]
			if !ok {
				return nil, fmt.Errorf("no export data for %s", path)
			}
			return os.Open(file)
		})
		if _, err := c.Import("huiwu/server"); err != nil {
			t.Errorf("%s: the release does not build: %v", platform, err)
		}
	}
}

// platformCheck type-checks our packages from source as one platform
// builds them; other imports come from export data (deps).
type platformCheck struct {
	ctxt    build.Context
	fset    *token.FileSet
	root    string // the module's directory: huiwu/x is root/x
	deps    types.Importer
	checked map[string]*types.Package
}

func (c *platformCheck) Import(path string) (*types.Package, error) {
	rel, ours := strings.CutPrefix(path, "huiwu/")
	if !ours {
		return c.deps.Import(path)
	}
	if p, ok := c.checked[path]; ok {
		return p, nil
	}
	dir := filepath.Join(c.root, filepath.FromSlash(rel))
	bp, err := c.ctxt.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(c.fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: c}
	p, err := conf.Check(path, c.fset, files, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.checked[path] = p
	return p, nil
}
