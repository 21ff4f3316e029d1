package web

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/feeds"
)

// handleWS mounts the hub. The websocket handshake carries its token as
// ?token=, a bearer header or the page's cookie; counts are for everyone
// signed in, seat maps (which carry names) only for ushers and the desk.
// Kiosks follow only the event topic (a definition changed: fetch your
// checkpoint again), which carries nothing personal.
func (s *Server) handleWS() fiber.Handler {
	return adaptor.HTTPHandler(s.Hub.Handler(func(r *http.Request) (func(string) bool, error) {
		token := r.URL.Query().Get("token")
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token = strings.TrimSpace(h[len("Bearer "):])
		} else if c, err := r.Cookie("huiwu_token"); err == nil && token == "" {
			token = c.Value
		}
		p, err := s.Auth.Authenticate(r.Context(), token)
		if err != nil {
			return nil, err
		}
		if p.Role == auth.RoleKiosk {
			return func(topic string) bool { return topic == feeds.TopicEvent }, nil
		}
		return func(topic string) bool {
			switch {
			case topic == feeds.TopicAttendance, topic == feeds.TopicEvent:
				return true
			case strings.HasPrefix(topic, feeds.TopicSeatsPrefix+":"):
				return p.Can(auth.RoleUsher, auth.RoleDesk)
			}
			return false
		}, nil
	}))
}
