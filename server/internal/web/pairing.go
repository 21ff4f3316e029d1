package web

import (
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"huiwu/server/internal/auth"
)

// pairing serves the kiosk-initiated pairing: a new kiosk asks for a code
// (request), the desk claims it (claim), the kiosk collects its token
// (poll). Each step has its own limiter so a kiosk polling every two
// seconds cannot starve the desk, and code guessing stays slow: wrong
// codes and unknown claims also spend budgets per address and over all
// addresses (auth.KindPairingClaim, auth.KindPairingPoll).
type pairing struct {
	s *Server
	// request: a kiosk asks for a code once per screen, again on expiry.
	request *limiter
	// poll: the claim is 192 random bits, so this only bounds the load.
	poll *limiter
	// claim: each wrong code costs one attempt of a few per minute.
	claim *limiter
}

func newPairing(s *Server) *pairing {
	return &pairing{s: s,
		request: newLimiter(10, time.Minute),
		poll:    newLimiter(120, time.Minute),
		claim:   newLimiter(20, time.Minute)}
}

// handleRequest gives an unpaired kiosk a code to show and a claim to keep.
func (p *pairing) handleRequest(c *fiber.Ctx) error {
	if !p.request.allow(c.IP()) {
		return errTooManyAttempts
	}
	r, err := p.s.Auth.RequestPairing(c.UserContext())
	if err != nil {
		return err
	}
	// The QR code lets the desk take the code with its USB scanner; the
	// kiosk page has no QR encoder of its own, so it gets a PNG here.
	png, err := qrcode.Encode(pairQRPrefix+r.Code, qrcode.Medium, 256)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"code": r.Code, "claim": r.Claim, "expires_at": r.Expires,
		"qr": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
}

// handlePoll answers 202 {"status":"waiting"} while the code is good and
// the desk has not claimed it, 200 with the token once it has, and 410
// only when the request expired or was used; a poll without a claim is a
// bad request (400), not an expired code.
func (p *pairing) handlePoll(c *fiber.Ctx) error {
	if !p.poll.allow(c.IP()) || !p.s.Auth.Allow(auth.KindPairingPoll, c.IP()) {
		return errTooManyAttempts
	}
	var body struct {
		Claim string `json:"claim"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if strings.TrimSpace(body.Claim) == "" {
		return badRequest("claim_required", "请求需要 claim（申请配对码时得到的）", "claim is required (the one the code request answered)")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	dev, token, err := p.s.Auth.PollPairing(c.UserContext(), body.Claim)
	switch {
	case errors.Is(err, auth.ErrPairingPending):
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "waiting"})
	case errors.Is(err, auth.ErrPairingGone):
		p.s.Auth.Fail(auth.KindPairingPoll, c.IP())
		return apiError(fiber.StatusGone, "pairing_expired", "配对码已过期或已使用，请重新获取", "pairing code expired or used; get a new one")
	case err != nil:
		return err
	}
	return c.JSON(fiber.Map{"token": token, "device": dev, "servers": p.s.servers(c)})
}

// handleClaim is the desk entering (or scanning) a kiosk's code with the
// name, kind and checkpoint the new device gets.
func (p *pairing) handleClaim(c *fiber.Ctx) error {
	if !p.claim.allow(c.IP()) || !p.s.Auth.Allow(auth.KindPairingClaim, c.IP()) {
		return errTooManyAttempts
	}
	var body struct {
		Code       string `json:"code"`
		Name       string `json:"name"`
		Kind       string `json:"kind"`
		Checkpoint string `json:"checkpoint"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := p.s.checkDeviceName(body.Name); err != nil {
		return err
	}
	if body.Kind == "" {
		body.Kind = string(auth.RoleKiosk)
	}
	kind := auth.Role(body.Kind)
	switch kind {
	case auth.RoleKiosk:
		if err := p.s.checkCheckpoint(body.Checkpoint); err != nil {
			return err
		}
	case auth.RoleScreen, auth.RoleUsher:
		body.Checkpoint = ""
	default:
		return badRequest("bad_device_kind", "设备类型须为 kiosk、screen 或 usher", "kind must be kiosk, screen or usher")
	}
	dev, err := p.s.Auth.ClaimPairing(c.UserContext(), pairingDigits(body.Code), strings.TrimSpace(body.Name), kind, body.Checkpoint)
	if errors.Is(err, auth.ErrBadPairingCode) {
		p.s.Auth.Fail(auth.KindPairingClaim, c.IP())
		return apiError(fiber.StatusNotFound, "bad_pairing_code", "配对码无效、已使用或已过期", "pairing code unknown, used or expired")
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(dev)
}

// pairingDigits keeps the digits of what the desk typed or scanned: the
// kiosk shows the code in groups ("1234 5678") and its QR code reads
// "HUIWU-PAIR:12345678", and both must work.
func pairingDigits(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), pairQRPrefix)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r != ' ' && r != '-' {
			return "" // anything else is not a pairing code
		}
	}
	return b.String()
}

// pairQRPrefix marks a pairing code in a QR code, so the desk can tell it
// from a badge when a USB scanner types it.
const pairQRPrefix = "HUIWU-PAIR:"

// handleDeviceRevokeBecause revokes a device with the reason the desk gave,
// which goes to the audit log; DELETE /devices/:id stays for callers that
// give none.
func (s *Server) handleDeviceRevokeBecause(c *fiber.Ctx) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	reason := strings.TrimSpace(body.Reason)
	if reason == "" || len([]rune(reason)) > 200 {
		return badRequest("reason_required", "请填写注销原因（200 字以内）", "a reason (up to 200 characters) is required")
	}
	if err := s.Auth.RevokeDeviceBecause(c.UserContext(), c.Params("id"), principal(c).Name, reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
