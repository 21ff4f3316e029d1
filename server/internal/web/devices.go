package web

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/auth"
)

func (s *Server) handleDevices(c *fiber.Ctx) error {
	list, err := s.Auth.Devices(c.UserContext())
	if err != nil {
		return err
	}
	if list == nil {
		list = []auth.Device{}
	}
	return c.JSON(list)
}

// handleDeviceCreate registers a kiosk, screen or usher tablet and answers
// the pairing code the desk shows.
func (s *Server) handleDeviceCreate(c *fiber.Ctx) error {
	var body struct {
		Name       string `json:"name"`
		Kind       string `json:"kind"`
		Checkpoint string `json:"checkpoint"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := s.checkDeviceName(body.Name); err != nil {
		return err
	}
	kind := auth.Role(body.Kind)
	switch kind {
	case auth.RoleKiosk:
		if err := s.checkCheckpoint(body.Checkpoint); err != nil {
			return err
		}
	case auth.RoleScreen, auth.RoleUsher:
		body.Checkpoint = ""
	default:
		return badRequest("bad_device_kind", "设备类型须为 kiosk、screen 或 usher", "kind must be kiosk, screen or usher")
	}
	p, err := s.Auth.CreateDevice(c.UserContext(), body.Name, kind, body.Checkpoint)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *Server) checkDeviceName(name string) error {
	if strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 40 {
		return badRequest("bad_device_name", "设备名称须为1到40个字", "name must be 1 to 40 characters")
	}
	return nil
}

func (s *Server) checkCheckpoint(id string) error {
	if _, ok := s.catalog().Checkpoints[id]; !ok {
		return badRequest("unknown_checkpoint", "签到点不存在："+id, "unknown checkpoint: "+id)
	}
	return nil
}

// errNothingToChange refuses a PATCH that names none of the fields it
// changes: answering 200 would claim a change that was not made.
func errNothingToChange(fields string) *apierr.Plain {
	e := badRequest("nothing_to_change", "请求中没有可修改的字段（可修改："+fields+"），未做任何修改",
		"the request names nothing to change (it may change: "+fields+"); nothing was changed")
	e.Details = fiber.Map{"fields": strings.Split(fields, ", ")}
	return e
}

// handleDeviceUpdate renames a device or moves it to another checkpoint.
func (s *Server) handleDeviceUpdate(c *fiber.Ctx) error {
	var body struct {
		Name       *string `json:"name"`
		Checkpoint *string `json:"checkpoint"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if body.Name == nil && body.Checkpoint == nil {
		return errNothingToChange("name, checkpoint")
	}
	if body.Name != nil {
		if err := s.checkDeviceName(*body.Name); err != nil {
			return err
		}
	}
	if body.Checkpoint != nil {
		if err := s.checkCheckpoint(*body.Checkpoint); err != nil {
			return err
		}
	}
	dev, err := s.Auth.UpdateDevice(c.UserContext(), c.Params("id"), body.Name, body.Checkpoint)
	if err != nil {
		return err
	}
	return c.JSON(dev)
}

func (s *Server) handleDeviceRevoke(c *fiber.Ctx) error {
	if err := s.Auth.RevokeDevice(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handlePair is called by a new device with the code shown at the desk; it
// answers the device's own token. Guessing is limited per address and,
// for wrong codes, over all addresses together.
func (s *Server) handlePair(c *fiber.Ctx) error {
	if !s.pair.allow(c.IP()) || !s.Auth.Allow(auth.KindPairingCode, c.IP()) {
		return errTooManyAttempts
	}
	var body struct {
		Code string `json:"code"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	dev, token, err := s.Auth.Pair(c.UserContext(), strings.TrimSpace(body.Code))
	if errors.Is(err, auth.ErrBadPairingCode) {
		s.Auth.Fail(auth.KindPairingCode, c.IP())
		return apiError(fiber.StatusForbidden, "bad_pairing_code", "配对码无效或已过期", "pairing code unknown or expired")
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"token": token, "device": dev, "servers": s.servers(c)})
}
