//go:build embedwasm

package wasmembed

import _ "embed" // the scanner core goes inside the release binary

// Wasm is kiosk/wasm built for GOOS=js GOARCH=wasm by scripts/build just
// before the server binary itself, from the same source tree.
//
//go:embed files/scanner.wasm
var Wasm []byte

// Exec is wasm_exec.js from the GOROOT that built Wasm: the two must come
// from one Go version or the worker fails to start the core.
//
//go:embed files/wasm_exec.js
var Exec []byte
