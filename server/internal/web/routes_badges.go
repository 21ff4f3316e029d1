package web

import "github.com/gofiber/fiber/v2"

// badgeRoutes mounts the badges area's routes.
func (s *Server) badgeRoutes(app *fiber.App, api fiber.Router) {}
