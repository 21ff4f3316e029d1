package web

import (
	"io/fs"
	"net/http"
	"path"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"huiwu/kiosk"
)

// pages are the browser apps, each a full page at /<name> served from
// kiosk/web/<name>/index.html; their scripts and styles are under /static/.
// The login page is served the same way at GET /login (handleLogin), the
// start page (kiosk/web/start) at /.
var pages = []string{"kiosk", "desk", "usher", "screen", "chair", "seating", "users", "pickup", "logistics", "duty", "materials", "documents", "notices", "reply"}

// mountPages serves the apps. Files come from the embedded tree only, so a
// path like /static/../../etc/passwd cannot leave it.
func (s *Server) mountPages(app *fiber.App) {
	app.Use("/static", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-cache") // revalidate: kiosks must pick up a new build
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(kiosk.Web), MaxAge: 0}))
	for _, name := range pages {
		app.Get("/"+name, func(c *fiber.Ctx) error { return sendPage(c, name) })
	}
	// The start page lists the apps, so the server's bare address leads
	// somewhere; it needs no sign-in and shows nothing personal.
	app.Get("/", func(c *fiber.Ctx) error { return sendPage(c, "start") })
	app.Get("/favicon.ico", handleFavicon)
}

// handleFavicon answers the icon browsers ask every page's server for,
// kept a day: it never changes within a meeting.
func handleFavicon(c *fiber.Ctx) error {
	b, err := fs.ReadFile(kiosk.Web, "common/favicon.ico")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, "image/x-icon")
	return c.Send(b)
}

// sendPage answers the page kiosk/web/<name>/index.html.
func sendPage(c *fiber.Ctx, name string) error {
	b, err := fs.ReadFile(kiosk.Web, path.Join(name, "index.html"))
	if err != nil {
		return errNotFound
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("X-Frame-Options", "DENY")
	c.Type("html", "utf-8")
	return c.Send(b)
}
