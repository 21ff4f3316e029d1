package wasmbuild

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
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

// TestGzipKeptByContent: the compressed core is kept in the folder and
// used again only for the very bytes it compresses; after a rebuild
// changed the core, the next process compresses the new one.
func TestGzipKeptByContent(t *testing.T) {
	dir := t.TempDir()
	put := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	unzip := func(b []byte) string {
		t.Helper()
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	put(ExecFile, "// wasm_exec")
	for _, core := range []string{"\x00asm first build", "\x00asm second build", "\x00asm first build"} {
		put(WasmFile, core)
		a, err := read(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := unzip(a.WasmGzip); got != core {
			t.Fatalf("served gzip of %q for the core %q", got, core)
		}
		// The kept file is what the next read serves: marked here, so a
		// read that compressed again would be seen.
		sum := sha256.Sum256([]byte(core))
		keptFile := filepath.Join(dir, WasmFile+"."+hex.EncodeToString(sum[:8])+".gz")
		var marked bytes.Buffer
		zw := gzip.NewWriter(&marked)
		zw.Name = "kept"
		zw.Write([]byte(core))
		zw.Close()
		if err := os.WriteFile(keptFile, marked.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		again, err := read(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.WasmGzip, marked.Bytes()) {
			t.Fatalf("the second read compressed again instead of taking the kept file")
		}
	}
	kept, _ := filepath.Glob(filepath.Join(dir, WasmFile+".*.gz"))
	if len(kept) != 2 {
		t.Errorf("kept %v, want one file for each core", kept)
	}
}
