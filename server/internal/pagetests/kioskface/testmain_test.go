// Package kioskface_test holds the browser tests of the kiosk's face check:
// a face matched against the badge holder's photo, the check enforced
// without a camera, its result screens at every screen size, and the face
// engine working offline from the service worker's cache, each driven in a
// real headless Chromium with a fake camera against a whole server.
package kioskface_test

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main).
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
