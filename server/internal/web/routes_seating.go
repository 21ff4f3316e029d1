package web

import "github.com/gofiber/fiber/v2"

// seatingRoutes mounts the seating area's routes.
func (s *Server) seatingRoutes(app *fiber.App, api fiber.Router) {}
