// Command build-wasm builds the kiosk's scanner core (kiosk/wasm) and Go's
// matching wasm_exec.js into a folder, for a server machine without a Go
// toolchain: the server builds them itself when it has one, and otherwise
// serves what it finds in $HUIWU_KIOSK_WASM_DIR (or its default cache
// folder, printed by -h). scripts/build runs it too, into
// kiosk/wasmembed/files, to embed the core in the release binaries.
//
//	go run ./scripts/build-wasm [-o DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"huiwu/kiosk/wasmbuild"
)

func main() {
	out := flag.String("o", wasmbuild.Dir(), "folder to write "+wasmbuild.WasmFile+" and "+wasmbuild.ExecFile+" into")
	flag.Parse()
	if err := wasmbuild.Build(context.Background(), *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	st, err := os.Stat(filepath.Join(*out, wasmbuild.WasmFile))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes\n", filepath.Join(*out, wasmbuild.WasmFile), st.Size())
}
