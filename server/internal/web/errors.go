package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/store"
)

// Error is an API error with a stable code for programs and a sentence in
// Chinese and English for people.
type Error struct {
	Status  int
	Code    string
	Zh, En  string
	Details any // extra JSON, e.g. import errors by row and column
}

func (e *Error) Error() string { return e.Code + ": " + e.En }

func apiError(status int, code, zh, en string) *Error {
	return &Error{Status: status, Code: code, Zh: zh, En: en}
}

// Common errors.
var (
	errUnauthenticated = apiError(fiber.StatusUnauthorized, "unauthenticated", "需要登录或有效的令牌", "a valid token is required")
	// errDeviceRevoked tells a kiosk to wipe itself and pair again.
	errDeviceRevoked = apiError(fiber.StatusUnauthorized, "device_revoked", "本设备已被报到处注销，请重新配对", "this device was revoked at the desk; pair it again")
	errForbidden     = apiError(fiber.StatusForbidden, "forbidden", "当前角色无权执行此操作", "your role may not do this")
	errNotFound      = apiError(fiber.StatusNotFound, "not_found", "未找到", "not found")
	errCrossSite     = apiError(fiber.StatusForbidden, "cross_site", "拒绝跨站请求", "cross-site request refused")
)

func badRequest(code, zh, en string) *Error { return apiError(fiber.StatusBadRequest, code, zh, en) }

// errorHandler maps every error a handler returns to one JSON shape:
// {"error":{"code","message":{"zh","en"},"details"?}}. Server faults are
// logged once here and never leak their text.
func errorHandler(c *fiber.Ctx, err error) error {
	var e *Error
	var fe *fiber.Error
	var ve *validationErrors
	if errors.As(err, &ve) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"errors": ve.errs, "error": fiber.Map{
			"code": "invalid_definition", "message": fiber.Map{
				"zh": fmt.Sprintf("会议设置有 %d 处错误，未做任何修改", len(ve.errs)),
				"en": fmt.Sprintf("the definition has %d errors; nothing was changed", len(ve.errs))}}})
	}
	switch {
	case errors.As(err, &e):
	case errors.Is(err, store.ErrNotFound):
		e = errNotFound
	case errors.As(err, new(*auth.RevokedDevice)):
		e = errDeviceRevoked
	case errors.Is(err, auth.ErrUnauthenticated):
		e = errUnauthenticated
	case errors.Is(err, auth.ErrThrottled):
		e = errTooManyAttempts
	case errors.Is(err, checkin.ErrBadRequest), errors.Is(err, checkin.ErrScanIDReused):
		e = scanRefusal(err)
	case errors.Is(err, checkin.ErrClosed), errors.Is(err, context.Canceled):
		e = apiError(fiber.StatusServiceUnavailable, "shutting_down", "服务器正在停止，请稍后重试", "the server is stopping, retry shortly")
	case diskFull(err):
		slog.Error("disk full", "method", c.Method(), "path", c.Path(), "err", err)
		e = apiError(fiber.StatusInsufficientStorage, "disk_full",
			"服务器磁盘已满，本次操作未保存，请通知技术人员", "the server's disk is full; this was NOT stored, tell the technician")
	case errors.As(err, &fe):
		e = apiError(fe.Code, "http_"+slug(fe.Code), fe.Message, fe.Message)
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			e = apiError(fe.Code, "too_large", "上传内容超过大小限制", "request body too large")
		}
	default:
		slog.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		e = apiError(fiber.StatusInternalServerError, "internal", "服务器内部错误，请联系技术人员", "internal server error")
	}
	body := fiber.Map{"code": e.Code, "message": fiber.Map{"zh": e.Zh, "en": e.En}}
	if e.Details != nil {
		body["details"] = e.Details
	}
	return c.Status(e.Status).JSON(fiber.Map{"error": body})
}

// diskFull reports SQLite's SQLITE_FULL (13), in any of its extended
// forms, anywhere in err's chain.
func diskFull(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 13
}

func slug(code int) string {
	switch code {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestTimeout:
		return "timeout"
	}
	return "error"
}

// scanRefusal is the API error for a scan the engine would not decide.
func scanRefusal(err error) *Error {
	if errors.Is(err, checkin.ErrScanIDReused) {
		return apiError(fiber.StatusConflict, "scan_id_reused", "本设备已将该扫码编号用于另一次扫码，未记录",
			"this device already used that scan_id for another scan; nothing was recorded")
	}
	return badRequest("bad_scan", "扫码请求不完整："+err.Error(), err.Error())
}

// errWord is how the API words one error value of a package: its status,
// its stable code, and what it means in Chinese and English.
type errWord struct {
	err    error
	status int
	code   string
	zh, en string
}

// errWords map a package's error values to API errors; the first that
// matches (errors.Is) wins.
type errWords []errWord

// find is the first entry err is.
func (ws errWords) find(err error) (errWord, bool) {
	for _, w := range ws {
		if errors.Is(err, w.err) {
			return w, true
		}
	}
	return errWord{}, false
}

// word answers err as an API error when it is one of ws, else err as it is.
func (ws errWords) word(err error) error {
	if w, ok := ws.find(err); ok {
		return apiError(w.status, w.code, w.zh, w.en)
	}
	return err
}
