package main

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main).
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
