// Package templates embeds the badge layouts (templates.json): positions in
// mm for each badge size, with per-category variants. go:embed cannot reach
// outside its own folder, hence this tiny package; the desk previews a
// layout with GET /api/v1/attendees/{id}/badge.png?size=…
package templates

import _ "embed"

// JSON is the layouts file, decoded by badge/render.ParseTemplates.
//
//go:embed templates.json
var JSON []byte
