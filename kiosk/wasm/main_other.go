//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main outside a browser only says how this program is meant to be built;
// the core's logic (core.go) is tested natively.
func main() {
	fmt.Fprintln(os.Stderr, "kiosk/wasm runs in a browser: build it with GOOS=js GOARCH=wasm (the server does this itself)")
	os.Exit(2)
}
