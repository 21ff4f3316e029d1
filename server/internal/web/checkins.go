package web

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/store"
)

// scanJSON is a scan as kiosks send it (API.md "A scan"): the kiosk sends
// token, checkpoint, scan_id and scanned_at, its offline queue adds
// offline, the desk's 补签 sends attendee_id and reason. Any other field is
// refused by name (readJSON).
type scanJSON struct {
	Token      string    `json:"token"`
	AttendeeID int64     `json:"attendee_id"`
	Checkpoint string    `json:"checkpoint"`
	ScanID     string    `json:"scan_id"`
	ScannedAt  time.Time `json:"scanned_at"`
	Offline    bool      `json:"offline"`
	Reason     string    `json:"reason"`
	// Face is the kiosk's face check of the person (刷脸, issue 15.4):
	// {"result": "pass"|"fail"|"noface", "distance": 0.41}.
	Face *faceJSON `json:"face"`
}

// request turns a scan into an engine request for the caller, enforcing
// who may do what: only the desk checks people in by attendee_id, and a
// kiosk scans only at the checkpoint it stood at when it scanned.
func (s *Server) request(ctx context.Context, p auth.Principal, in scanJSON) (checkin.Request, error) {
	if len(in.Token) > 512 {
		// The credential package refuses anything over 200 characters;
		// this bound only keeps absurd input out of the log.
		in.Token = in.Token[:512]
	}
	r := checkin.Request{Token: in.Token, AttendeeID: in.AttendeeID, Checkpoint: in.Checkpoint, ScanID: in.ScanID,
		ScannedAt: in.ScannedAt, Offline: in.Offline, Device: p.Device, Actor: p.Name, Reason: in.Reason}
	if in.Face != nil {
		fc, err := in.Face.check()
		if err != nil {
			return r, err
		}
		if p.Role != auth.RoleKiosk {
			// Only a kiosk's camera checks faces; the desk's 补签 is a person.
			return r, badRequest("face_not_kiosk", "只有签到终端可以提交人脸核验结果", "only a kiosk sends a face check")
		}
		r.Face = fc
	}
	if r.AttendeeID != 0 {
		if r.Token != "" {
			return r, badRequest("token_and_attendee", "token 与 attendee_id 只能给一个", "give token or attendee_id, not both")
		}
		if !p.Can(auth.RoleDesk) {
			return r, apiError(fiber.StatusForbidden, "manual_checkin_forbidden", "只有报到处可以手工补签", "only the desk may check people in by id")
		}
	}
	if p.Role == auth.RoleKiosk {
		if r.Checkpoint == "" {
			r.Checkpoint = p.Checkpoint
		}
		if err := s.atOwnCheckpoint(ctx, p, r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// atOwnCheckpoint refuses a kiosk's scan for a checkpoint other than the
// one the desk had assigned it at the time of the scan: now for an online
// scan, the kiosk's own time for an offline one (so that a kiosk moved
// while offline still uploads what it scanned before the move). The
// offline flag buys nothing else: a hall door cannot use up a meal.
func (s *Server) atOwnCheckpoint(ctx context.Context, p auth.Principal, r checkin.Request) error {
	at := time.Now()
	if r.Offline && !r.ScannedAt.IsZero() && r.ScannedAt.Before(at) {
		at = r.ScannedAt
	}
	cp, err := s.DB.DeviceCheckpointAt(ctx, p.Device, at)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if cp == r.Checkpoint {
		return nil
	}
	e := apiError(fiber.StatusForbidden, "wrong_checkpoint", "本设备不在该签到点，扫码未记录；请刷新后在本设备所在签到点扫码",
		"this kiosk does not stand at that checkpoint; nothing was recorded (reload to get the kiosk's checkpoint)")
	e.Details = fiber.Map{"checkpoint": p.Checkpoint}
	return e
}

func (s *Server) handleCheckin(c *fiber.Ctx) error {
	var in scanJSON
	if err := readJSON(c, &in); err != nil {
		return err
	}
	r, err := s.request(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	res, err := s.Engine.Scan(c.UserContext(), r)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// handleCheckinBatch takes an offline kiosk's queue. Each scan gets its
// result in order; a scan that could not be decided gets an error entry and
// does not stop the others.
func (s *Server) handleCheckinBatch(c *fiber.Ctx) error {
	var in struct {
		Scans []scanJSON `json:"scans"`
	}
	// A field misspelt anywhere refuses the whole batch (400
	// unknown_field): the kiosk keeps its queue, and no scan is taken as
	// online that said it was made offline.
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if len(in.Scans) > maxBatchScans {
		return badRequest("batch_too_large", "一次最多上传500条", "at most 500 scans per batch")
	}
	p := principal(c)
	revokedAt, lastUpload := c.Locals(revokedAtKey).(time.Time)
	results := make([]any, len(in.Scans))
	reqs := make([]checkin.Request, 0, len(in.Scans))
	index := make([]int, 0, len(in.Scans)) // reqs[k] answers results[index[k]]
	for i, sc := range in.Scans {
		if lastUpload && (!sc.Offline || sc.ScannedAt.IsZero() || !sc.ScannedAt.Before(revokedAt)) {
			results[i] = scanError(sc.ScanID, errDeviceRevoked)
			continue
		}
		r, err := s.request(c.UserContext(), p, sc)
		if err != nil {
			results[i] = scanError(sc.ScanID, err)
			continue
		}
		reqs = append(reqs, r)
		index = append(index, i)
	}
	// A batch that cannot be stored fails whole (5xx, none of it stored):
	// the kiosk keeps its queue and sends it again.
	outcomes, err := s.Engine.ScanBatch(c.UserContext(), reqs)
	if err != nil {
		return err
	}
	for k, o := range outcomes {
		switch {
		case o.Err != nil:
			results[index[k]] = scanError(reqs[k].ScanID, o.Err)
		case lastUpload:
			// Decided, so the kiosk may drop it; but whoever holds a
			// revoked kiosk learns nothing of the people it scanned.
			results[index[k]] = fiber.Map{"scan_id": o.ScanID, "status": o.Status, "code": o.Code}
		default:
			results[index[k]] = o.Result
		}
	}
	if lastUpload {
		detail := fmt.Sprintf("%d scans handed in after the revocation of %s", len(reqs), revokedAt.Format(time.RFC3339))
		if err := s.DB.Audit(c.UserContext(), p.Name, "device.last_upload", p.Device, detail); err != nil {
			return err
		}
	}
	return c.JSON(fiber.Map{"results": results})
}

// revokedAtKey marks a request as a revoked kiosk's last upload (its
// Locals value is when the kiosk was revoked).
const revokedAtKey = "revoked_at"

// isBatchUpload reports whether the request is POST /api/v1/checkins/batch,
// however Fiber lets it be spelt (any case, a trailing slash).
func isBatchUpload(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && strings.EqualFold(strings.TrimSuffix(c.Path(), "/"), "/api/v1/checkins/batch")
}

// scanError is a batch entry for a scan that was refused rather than
// decided; it would be refused again.
func scanError(scanID string, err error) fiber.Map {
	var e apierr.Error
	if !errors.As(err, &e) {
		e = scanRefusal(err)
	}
	zh, en := e.Text()
	return fiber.Map{"scan_id": scanID, "error": fiber.Map{"code": e.ErrorCode(), "message": fiber.Map{"zh": zh, "en": en}}}
}
