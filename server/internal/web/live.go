package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/feeds"
	"huiwu/server/internal/live"
)

// handleWS mounts the hub. The websocket handshake carries its token as
// ?token=, a bearer header or the page's cookie; counts are for everyone
// signed in, seat maps (which carry names) only for ushers and the desk.
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
			return nil, errors.Join(live.ErrForbidden, errors.New("kiosks do not subscribe"))
		}
		return func(topic string) bool {
			switch {
			case topic == feeds.TopicAttendance:
				return true
			case strings.HasPrefix(topic, feeds.TopicSeatsPrefix+":"):
				return p.Can(auth.RoleUsher, auth.RoleDesk)
			}
			return false
		}, nil
	}))
}
