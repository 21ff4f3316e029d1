package web

import "github.com/gofiber/fiber/v2"

// kioskRoutes mounts the kiosk area's routes.
func (s *Server) kioskRoutes(app *fiber.App, api fiber.Router) {}
