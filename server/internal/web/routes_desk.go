package web

import "github.com/gofiber/fiber/v2"

// deskRoutes mounts the desk area's routes.
func (s *Server) deskRoutes(app *fiber.App, api fiber.Router) {}
