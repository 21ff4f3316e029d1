// Package wasmembed carries the kiosk's prebuilt scanner core inside a
// release binary, so that a venue server serves kiosks with no Go toolchain,
// no source tree and no network (a registration desk's PC, usually
// Windows).
//
// scripts/build fills the folder files/ (not committed: it would go stale
// the moment scanner code changed) and then builds the server with
// -tags embedwasm, which compiles embed.go in. Without the tag — go run
// ./server, go test — Wasm and Exec are nil and kiosk/wasmbuild builds the
// core on demand from the source, as it always has. Built with the tag but
// without the folder filled, the build fails: a release never ships without
// its core.
package wasmembed
