package web

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/feeds"
	"huiwu/server/internal/live"
)

// handleWS mounts the hub. The websocket handshake carries its token as
// ?token=, a bearer header or the page's cookie; counts are for everyone
// signed in, seat maps (which carry names) only for ushers and the desk,
// the logistics topic (a bare "something changed") for the desk and the
// logistics role, whose pages it wakes.
// Kiosks follow only the event topic (a definition changed: fetch your
// checkpoint again), which carries nothing personal.
//
// Each connection belongs to its principal (live.Access.Owners): revoking
// a device, a user or a session, or changing a user's role, closes that
// principal's connections at once with live.CloseSignedOut, and every ping
// asks whether the token still signs in (a session that expired).
func (s *Server) handleWS() fiber.Handler {
	s.Auth.OnRevoke(s.Hub.Disconnect)
	return adaptor.HTTPHandler(s.Hub.HandlerFor(func(r *http.Request) (live.Access, error) {
		token := r.URL.Query().Get("token")
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token = strings.TrimSpace(h[len("Bearer "):])
		} else if c, err := r.Cookie(sessionCookie); err == nil && token == "" && !crossOrigin(r) {
			token = c.Value
		}
		token = strings.Clone(token) // kept for the connection's life
		addr, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			addr = r.RemoteAddr
		}
		p, err := s.Auth.AuthenticateFrom(r.Context(), token, addr)
		if err != nil {
			return live.Access{}, err
		}
		a := live.Access{Owners: p.Owners(), Alive: func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return s.Auth.Valid(ctx, token)
		}}
		if p.Role == auth.RoleKiosk {
			a.Allowed = func(topic string) bool { return topic == feeds.TopicEvent }
			return a, nil
		}
		a.Allowed = func(topic string) bool {
			switch {
			case topic == feeds.TopicAttendance, topic == feeds.TopicEvent:
				return true
			case strings.HasPrefix(topic, feeds.TopicSeatsPrefix+":"):
				return p.Can(auth.RoleUsher, auth.RoleDesk)
			case topic == feeds.TopicLogistics:
				return p.Can(auth.RoleDesk, auth.RoleLogistics)
			case topic == dutyTopic:
				return p.Can(auth.RoleDesk)
			case topic == facesTopic:
				return p.Can(auth.RoleUsher, auth.RoleDesk)
			}
			return false
		}
		return a, nil
	}))
}
