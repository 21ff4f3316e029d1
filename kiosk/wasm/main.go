//go:build js && wasm

// Command wasm is the kiosk's scanner core, compiled to WebAssembly and run
// in a Web Worker (kiosk/web/kiosk/worker.js): it reads QR codes from camera
// frames with kiosk/scanner, verifies badge tokens with badge/credential
// and, offline, decides scans with kiosk/rules — the same Go code the
// server runs, so the kiosk and the server never disagree about what a
// frame holds, whether a badge is ours, or what a scan comes to.
//
// It registers one object on the worker's global scope:
//
//	huiwuScanner.decode(grey Uint8Array, width, height) -> {text, ms} | {error}
//	huiwuScanner.setKeys(keysJSON string) -> "" | error text
//	huiwuScanner.setCache(cacheJSON string) -> "" | error text
//	huiwuScanner.verify(text string) -> JSON {ok, status, code, attendee, serial, key_id, record?}
//	huiwuScanner.decide(scanJSON, checkpointJSON, passesJSON string) -> JSON {result, pass?} | {error}
//	huiwuScanner.passOf(resultJSON string) -> pass JSON | ""
//
// The server builds this package on demand (kiosk/wasmbuild); no
// built .wasm is committed.
package main

import (
	"syscall/js"
)

func main() {
	core := newCore()
	api := js.Global().Get("Object").New()
	api.Set("decode", js.FuncOf(core.jsDecode))
	api.Set("setKeys", js.FuncOf(core.jsSetKeys))
	api.Set("verify", js.FuncOf(core.jsVerify))
	api.Set("setCache", js.FuncOf(core.jsSetCache))
	api.Set("decide", js.FuncOf(core.jsDecide))
	api.Set("passOf", js.FuncOf(core.jsPassOf))
	js.Global().Set("huiwuScanner", api)
	// Tell the worker the functions exist; go.run() never resolves, so
	// this is how it learns the core is ready.
	if ready := js.Global().Get("huiwuScannerReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // keep the Go runtime alive for the callbacks
}
