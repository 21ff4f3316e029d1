// Package screens_test holds the browser tests of the seating views shown
// on screens and phones: the usher map (/usher), the lobby screen (/screen),
// the chair's view (/chair), their live counts, the session and seat
// pickers and bursts of check-ins, each driven in a real headless Chromium
// against a whole server on the demo event.
package screens_test

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main).
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
