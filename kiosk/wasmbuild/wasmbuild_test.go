package wasmbuild

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"huiwu/kiosk/wasmembed"
)

// TestBuildAndFallback: Build writes a WebAssembly module and the
// wasm_exec.js of the same toolchain; without a Go command, load serves
// what an earlier build left in the folder, and says so.
func TestBuildAndFallback(t *testing.T) {
	if len(wasmembed.Wasm) > 0 {
		t.Skip("-tags embedwasm: load serves the embedded core (server's TestReleaseBinaryServesScanner)")
	}
	dir := t.TempDir()
	if err := Build(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	a, err := read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a.Wasm, []byte("\x00asm")) || len(a.WasmGzip) == 0 || len(a.WasmGzip) >= len(a.Wasm) {
		t.Fatalf("wasm %d bytes (gzip %d)", len(a.Wasm), len(a.WasmGzip))
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", ExecFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Exec, want) {
		t.Fatal("wasm_exec.js is not the toolchain's")
	}

	t.Setenv("HUIWU_KIOSK_WASM_DIR", dir)
	t.Setenv("PATH", t.TempDir()) // no go command
	got, err := load()
	if err != nil {
		t.Fatalf("fallback: %v", err)
	}
	if !strings.HasPrefix(got.Source, "cache") || !bytes.Equal(got.Wasm, a.Wasm) {
		t.Fatalf("fallback source %q, %d bytes", got.Source, len(got.Wasm))
	}
	t.Setenv("HUIWU_KIOSK_WASM_DIR", t.TempDir())
	if _, err := load(); err == nil {
		t.Fatal("no toolchain and an empty cache, yet assets")
	}
}
