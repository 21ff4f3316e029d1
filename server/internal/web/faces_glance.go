package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// facesTopic is the live topic of the face checks' alerts (刷脸, issue
// 15.4): a kiosk's face check that did not match, or refused a person,
// calls the ushers and the desk. Its snapshot is the open alerts; each
// delta one alert, raised or resolved. Names, no photo: the tablet fetches
// the photo alone while the alert is open.
const facesTopic = "faces"

// recentScans is how many scans back an usher may glance at.
const recentScans = 10

// glanceRoutes are the glance check and the face checks' alerts (issue
// 15.3–15.4): a kiosk at a photo-check checkpoint fetches the photo of
// the badge it just read; ushers and the desk see the open alerts with
// the person's photo, resolve them, and glance at the photos of the last
// scans at the photo-check checkpoints of their venue. Photos go nowhere
// else (SECURITY.md).
func (s *Server) glanceRoutes(api fiber.Router) {
	s.Hub.Provide(facesTopic, func(ctx context.Context, _ string) (any, error) {
		alerts, err := s.DB.FaceAlerts(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]faceAlertJSON, len(alerts))
		for i, a := range alerts {
			out[i] = alertJSON(a)
		}
		return fiber.Map{"alerts": out}, nil
	})
	// The check-in writer commits most alerts: they are read and published
	// on the follower's goroutine, in the order they were raised.
	s.DB.Follow(func(c store.Change) bool { return len(c.FaceAlerts) > 0 },
		func(c store.Change) { s.publishFaceAlerts(c.FaceAlerts) })
	staff := require(auth.RoleUsher, auth.RoleDesk)
	api.Post("/kiosk/photo", require(auth.RoleKiosk), s.handleKioskPhoto)
	api.Get("/faces/alerts", staff, s.handleFaceAlerts)
	api.Get("/faces/alerts/resolved", require(auth.RoleDesk), s.handleResolvedFaceAlerts) // the desk's record
	api.Get("/faces/alerts/:id/photo.jpg", staff, s.handleFaceAlertPhoto)
	api.Post("/faces/alerts/:id/resolve", staff, s.handleFaceAlertResolve)
	api.Get("/usher/recent", staff, s.handleUsherRecent)
	api.Get("/usher/recent/:id/photo.jpg", staff, s.handleUsherRecentPhoto)
}

// faceAlertJSON is an alert with the address of its photo.
type faceAlertJSON struct {
	store.FaceAlert
	PhotoURL string `json:"photo_url,omitempty"`
}

func alertJSON(a store.FaceAlert) faceAlertJSON {
	out := faceAlertJSON{FaceAlert: a}
	if a.Photo && a.ResolvedAt == nil {
		out.PhotoURL = fmt.Sprintf("/api/v1/faces/alerts/%d/photo.jpg", a.ID)
	}
	return out
}

func (s *Server) publishFaceAlerts(ids []int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, id := range ids {
		a, err := s.DB.FaceAlert(ctx, id)
		if err != nil {
			slog.Error("live: face alert", "id", id, "err", err)
			continue
		}
		s.Hub.Publish(facesTopic, alertJSON(a))
	}
}

var (
	errPhotoCheckOff = apiError(fiber.StatusForbidden, "photo_check_off",
		"本签到点未开启照片核对", "this checkpoint does not show photos")
	errNoAlert = apiError(fiber.StatusNotFound, "no_open_alert",
		"没有这条待处理的人脸核验提醒（可能已处理）", "no such open face alert (it may have been dealt with)")
	errNotRecent = apiError(fiber.StatusNotFound, "not_recent",
		"这次扫码已不在最近记录中", "that scan is no longer among the recent ones")
)

// handleKioskPhoto answers the photo of the badge a kiosk just read, for
// the glance check: only at a checkpoint that shows photos, only for a
// live badge of this event. POST, so the token travels in the body and
// not in a URL that logs keep.
func (s *Server) handleKioskPhoto(c *fiber.Ctx) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := readJSON(c, &in); err != nil {
		return err
	}
	cp, ok := s.catalog().Checkpoints[principal(c).Checkpoint]
	if !ok || !cp.PhotoCheck {
		return errPhotoCheckOff
	}
	person, _, err := s.deskBadge(c.UserContext(), in.Token)
	if err != nil {
		return err
	}
	return s.sendPhoto(c, person.ID)
}

// sendPhoto sends a person's photo, never cached.
func (s *Server) sendPhoto(c *fiber.Ctx, attendee int64) error {
	p, err := s.DB.Photo(c.UserContext(), attendee)
	if errors.Is(err, store.ErrNotFound) {
		return errNoPhoto
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	c.Set(fiber.HeaderContentLength, strconv.Itoa(len(p.JPEG)))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(p.JPEG)
}

// handleFaceAlerts lists the open alerts, newest first.
func (s *Server) handleFaceAlerts(c *fiber.Ctx) error {
	return sendAlerts(c, s.DB.FaceAlerts)
}

// handleResolvedFaceAlerts lists the alerts dealt with, the latest first,
// with who resolved each and when: the desk's record. No photo: that goes
// with the alert's closing.
func (s *Server) handleResolvedFaceAlerts(c *fiber.Ctx) error {
	return sendAlerts(c, s.DB.ResolvedFaceAlerts)
}

// sendAlerts answers {"items": [...]} with the alerts list reads.
func sendAlerts(c *fiber.Ctx, list func(context.Context) ([]store.FaceAlert, error)) error {
	alerts, err := list(c.UserContext())
	if err != nil {
		return err
	}
	items := make([]faceAlertJSON, len(alerts))
	for i, a := range alerts {
		items[i] = alertJSON(a)
	}
	return c.JSON(fiber.Map{"items": items})
}

// handleFaceAlertPhoto sends the photo of an open alert's person.
func (s *Server) handleFaceAlertPhoto(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNoAlert
	}
	attendee, err := s.DB.OpenFaceAlertAttendee(c.UserContext(), int64(id))
	if errors.Is(err, store.ErrNotFound) {
		return errNoAlert
	}
	if err != nil {
		return err
	}
	return s.sendPhoto(c, attendee)
}

// handleFaceAlertResolve closes an open alert: the usher dealt with it.
func (s *Server) handleFaceAlertResolve(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNoAlert
	}
	err = s.DB.ResolveFaceAlert(c.UserContext(), int64(id), principal(c).Name, time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return errNoAlert
	}
	if err != nil {
		return err
	}
	a, err := s.DB.FaceAlert(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return c.JSON(alertJSON(a))
}

// photoCheckpoints are the checkpoints of venue that show photos, or an
// error naming what is wrong with the venue asked for.
func (s *Server) photoCheckpoints(venue string) ([]string, error) {
	cat := s.catalog()
	if _, ok := cat.Venues[venue]; !ok {
		return nil, apiError(fiber.StatusNotFound, "unknown_venue", "未知场地："+venue, "unknown venue "+strconv.Quote(venue))
	}
	var out []string
	for _, cp := range cat.CheckpointList {
		if cp.Venue == venue && cp.PhotoCheck {
			out = append(out, cp.ID)
		}
	}
	return out, nil
}

// handleUsherRecent lists the last scans at the photo-check checkpoints
// of ?venue=, newest first, each with its photo's address.
func (s *Server) handleUsherRecent(c *fiber.Ctx) error {
	cps, err := s.photoCheckpoints(c.Query("venue"))
	if err != nil {
		return err
	}
	scans, err := s.DB.RecentScans(c.UserContext(), cps, recentScans)
	if err != nil {
		return err
	}
	type item struct {
		store.RecentScan
		PhotoURL string `json:"photo_url,omitempty"`
	}
	items := make([]item, len(scans))
	for i, r := range scans {
		items[i] = item{RecentScan: r}
		if r.Photo {
			items[i].PhotoURL = fmt.Sprintf("/api/v1/usher/recent/%d/photo.jpg?venue=%s", r.ID, url.QueryEscape(c.Query("venue")))
		}
	}
	return c.JSON(fiber.Map{"items": items, "checkpoints": cps})
}

// handleUsherRecentPhoto sends the photo of one of the recent scans at
// ?venue='s photo-check checkpoints, and of no other.
func (s *Server) handleUsherRecentPhoto(c *fiber.Ctx) error {
	cps, err := s.photoCheckpoints(c.Query("venue"))
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotRecent
	}
	attendee, err := s.DB.RecentScanAttendee(c.UserContext(), cps, recentScans, int64(id))
	if errors.Is(err, store.ErrNotFound) {
		return errNotRecent
	}
	if err != nil {
		return err
	}
	return s.sendPhoto(c, attendee)
}
