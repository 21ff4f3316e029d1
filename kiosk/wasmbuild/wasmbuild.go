// Package wasmbuild builds the kiosk's scanner core (kiosk/wasm) for the
// browser and hands the server the bytes to serve.
//
// No built WebAssembly is committed: it would go stale the moment scanner or
// credential code changed, and a kiosk verifying with old code is a kiosk
// that disagrees with the server. Instead the server builds it from the
// source it was itself built from, with the Go toolchain that is running
// `go run ./server`, the first time a kiosk asks for it. Go's build cache
// makes that about a second on a warm machine (tens of seconds on a cold
// one), and wasm_exec.js is taken from the same GOROOT, so the two always
// match. The result is also written to a cache folder (Dir), which a
// machine without Go can be given by scripts/build-wasm.
//
// A release binary (scripts/build, -tags embedwasm) carries the core built
// alongside it (kiosk/wasmembed) and serves that, never looking for Go or
// the cache folder.
package wasmbuild

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"huiwu/kiosk/wasmembed"
)

// Package is the import path of the scanner core's main package.
const Package = "huiwu/kiosk/wasm"

// File names in Dir.
const (
	WasmFile = "scanner.wasm"
	ExecFile = "wasm_exec.js"
)

// Assets are the files a kiosk loads into its worker.
type Assets struct {
	Wasm []byte
	// WasmGzip is Wasm compressed once, served to browsers that accept gzip
	// (about a third of the size: what a kiosk on hotel Wi-Fi waits for).
	WasmGzip []byte
	// Exec is Go's wasm_exec.js from the same toolchain.
	Exec []byte
	// Source says where the files came from, for the log: "embedded",
	// "built" or "cache".
	Source string
	Took   time.Duration
}

// ErrUnavailable means there is no Go toolchain to build with and no
// cached build to fall back on.
var ErrUnavailable = errors.New("wasmbuild: scanner core not built (no Go toolchain and nothing in the cache; go run ./scripts/build-wasm)")

// Dir is the cache folder the built files are kept in:
// $HUIWU_KIOSK_WASM_DIR, else the user's cache dir + huiwu/kiosk-wasm.
func Dir() string {
	if d := os.Getenv("HUIWU_KIOSK_WASM_DIR"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "huiwu", "kiosk-wasm")
}

// The build happens once per process: every server in it (tests start many)
// serves the same bytes. A failed build is retried on a later request.
var (
	mu     sync.Mutex
	cached *Assets
	active chan struct{} // closed when the build in progress ends
)

// Get returns the assets, building them on first use. Concurrent callers
// wait for the one build; ctx bounds only the caller's wait.
func Get(ctx context.Context) (*Assets, error) {
	for {
		mu.Lock()
		if cached != nil {
			a := cached
			mu.Unlock()
			return a, nil
		}
		if active == nil {
			done := make(chan struct{})
			active = done
			mu.Unlock()
			a, err := load()
			mu.Lock()
			cached, active = a, nil
			mu.Unlock()
			close(done)
			return a, err
		}
		wait := active
		mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// load takes the core embedded in a release binary, or else builds, or
// else falls back to the cache folder.
func load() (*Assets, error) {
	start := time.Now()
	if len(wasmembed.Wasm) > 0 {
		a, err := assemble(wasmembed.Wasm, wasmembed.Exec)
		if err != nil {
			return nil, err
		}
		a.Source, a.Took = "embedded", time.Since(start)
		return a, nil
	}
	dir := Dir()
	berr := Build(context.Background(), dir)
	a, err := read(dir)
	if err != nil {
		if berr != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnavailable, berr)
		}
		return nil, err
	}
	a.Source, a.Took = "built", time.Since(start)
	if berr != nil {
		a.Source = "cache (build failed: " + berr.Error() + ")"
	}
	return a, nil
}

// Build compiles the scanner core into dir/scanner.wasm and copies the
// matching wasm_exec.js beside it. Files are replaced by rename, so a server
// reading the folder never sees half a file.
func Build(ctx context.Context, dir string) error {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("wasmbuild: no go command: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	goroot, err := goEnv(ctx, goBin, "GOROOT")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.%d.tmp", WasmFile, os.Getpid()))
	// -trimpath keeps this machine's paths out of what kiosks download.
	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-o", tmp, Package)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("wasmbuild: go build %s: %v: %s", Package, err, bytes.TrimSpace(out))
	}
	if err := os.Rename(tmp, filepath.Join(dir, WasmFile)); err != nil {
		return err
	}
	exec, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", ExecFile))
	if err != nil {
		// Go before 1.24 kept it in misc/wasm.
		if exec, err = os.ReadFile(filepath.Join(goroot, "misc", "wasm", ExecFile)); err != nil {
			return fmt.Errorf("wasmbuild: %s not found in %s: %w", ExecFile, goroot, err)
		}
	}
	return writeAtomic(filepath.Join(dir, ExecFile), exec)
}

func goEnv(ctx context.Context, goBin, name string) (string, error) {
	out, err := exec.CommandContext(ctx, goBin, "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("wasmbuild: go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func writeAtomic(path string, b []byte) error {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// read loads the files from dir and compresses the wasm.
func read(dir string) (*Assets, error) {
	wasm, err := os.ReadFile(filepath.Join(dir, WasmFile))
	if err != nil {
		return nil, err
	}
	js, err := os.ReadFile(filepath.Join(dir, ExecFile))
	if err != nil {
		return nil, err
	}
	// Compressing takes seconds (more under -race, in each test binary that
	// starts servers), so the result is kept in the cache folder under the
	// hash of what it compresses: builds from other trees sharing the
	// folder never mix.
	sum := sha256.Sum256(wasm)
	gzPath := filepath.Join(dir, WasmFile+"."+hex.EncodeToString(sum[:8])+".gz")
	if gz, err := os.ReadFile(gzPath); err == nil {
		return &Assets{Wasm: wasm, WasmGzip: gz, Exec: js}, nil
	}
	a, err := assemble(wasm, js)
	if err != nil {
		return nil, err
	}
	if old, _ := filepath.Glob(filepath.Join(dir, WasmFile+".*.gz")); len(old) > 8 {
		for _, f := range old {
			os.Remove(f) // best effort: the folder is a cache
		}
	}
	writeAtomic(gzPath, a.WasmGzip) // best effort too
	return a, nil
}

// assemble compresses the wasm once, for every kiosk that will ask.
func assemble(wasm, js []byte) (*Assets, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(wasm)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &Assets{Wasm: wasm, WasmGzip: gz.Bytes(), Exec: js}, nil
}
