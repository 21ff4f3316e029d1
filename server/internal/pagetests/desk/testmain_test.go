// Package desk_test holds the browser tests of the desk's pages: the 报到处
// page (/desk: search, the card, leaves, walk-ins, badges and their layout,
// photos and the face engine, alerts, travel, the setup wizard) and the
// seating page (/seating: pin, swap, rules, re-arrange), each driven in a
// real headless Chromium against a whole server on the demo event.
package desk_test

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main).
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
