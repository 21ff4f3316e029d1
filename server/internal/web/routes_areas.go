package web

import "github.com/gofiber/fiber/v2"

// The areas below add their routes in files of their own, so that work on
// one area does not touch another's: badges and printing (routes_badges.go),
// the registration desk (routes_desk.go), kiosks (routes_kiosk.go), seating
// and the usher, screen and chair views (routes_seating.go).
func (s *Server) areaRoutes(app *fiber.App, api fiber.Router) {
	s.badgeRoutes(app, api)
	s.deskRoutes(app, api)
	s.kioskRoutes(app, api)
	s.seatingRoutes(app, api)
	s.eventRoutes(api)
	s.accountRoutes(app, api)
}
