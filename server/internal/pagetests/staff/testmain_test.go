// Package staff_test holds the browser tests of the staff's other pages:
// accounts and sign-in, the start page, every page under its CSP and with
// no missing glyph, documents, duty handover, the hotel desk, logistics and
// transport, materials (the page and the desk's scan), notices and reply
// links, and the summary, each driven in a real headless Chromium against a
// whole server on the demo event.
package staff_test

import (
	"os"
	"testing"

	"huiwu/server/internal/browsertest"
)

// The browser tests share a Chromium per set of options (browsertest.Main).
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
