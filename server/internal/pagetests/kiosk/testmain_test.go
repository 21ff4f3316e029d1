// Package kiosk_test holds the browser tests of the kiosk page (/kiosk):
// pairing (by its keypad and from the desk), reading badges from a fake
// camera and a USB scanner, following the event, its result screens at
// every screen size, working offline and uploading later, handing out
// materials, and wiping itself once revoked, each driven in a real headless
// Chromium against a whole server.
package kiosk_test

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main).
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
