// Package kiosk embeds the browser apps served by the server — the kiosk's
// scan screen, the desk, the usher's seat map, the lobby screen and the
// chair's view — from kiosk/web. go:embed cannot reach outside its folder,
// hence this tiny package beside the files.
package kiosk

import (
	"embed"
	"io/fs"
)

//go:embed web
var files embed.FS

// Web is the tree of static files: web/<app>/index.html for each page and
// web/common/ for what they share.
var Web, _ = fs.Sub(files, "web")
