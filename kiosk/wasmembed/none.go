//go:build !embedwasm

package wasmembed

// Wasm is nil without the embedwasm tag: there is no prebuilt core.
var Wasm []byte

// Exec is nil without the embedwasm tag.
var Exec []byte
