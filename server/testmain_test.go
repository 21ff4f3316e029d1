package main

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main);
// the tests that run the real binary share one build of it (huiwuBinary).
func TestMain(m *testing.M) {
	code := browsertest.Main(m)
	removeBuilt()
	os.Exit(code)
}
