package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/auth"
	"huiwu/server/internal/checkin"
	"huiwu/server/internal/store"
)

// apiError and badRequest are apierr.New and apierr.BadRequest under the
// short names the handlers use: every refusal the API answers is an
// apierr.Error, made here or by the package that refuses.
func apiError(status int, code, zh, en string) *apierr.Plain {
	return apierr.New(status, code, zh, en)
}

func badRequest(code, zh, en string) *apierr.Plain { return apierr.BadRequest(code, zh, en) }

// Common errors.
var (
	errUnauthenticated = apiError(fiber.StatusUnauthorized, "unauthenticated", "需要登录或有效的令牌", "a valid token is required")
	// errDeviceRevoked tells a kiosk to wipe itself and pair again.
	errDeviceRevoked = apiError(fiber.StatusUnauthorized, "device_revoked", "本设备已被报到处注销，请重新配对", "this device was revoked at the desk; pair it again")
	errForbidden     = apiError(fiber.StatusForbidden, "forbidden", "当前角色无权执行此操作", "your role may not do this")
	errNotFound      = apiError(fiber.StatusNotFound, "not_found", "未找到", "not found")
	errCrossSite     = apiError(fiber.StatusForbidden, "cross_site", "拒绝跨站请求", "cross-site request refused")
)

// errorHandler maps every error a handler returns to one JSON shape:
// {"error":{"code","message":{"zh","en"},"details"?}}, with "errors" beside
// it when the error lists many (apierr.Answer). An error that says its own
// answer (apierr.Error) is found with errors.As; the few sentinel values of
// packages that know nothing of HTTP are worded here. Server faults are
// logged once here and never leak their text.
func errorHandler(c *fiber.Ctx, err error) error {
	e := answerOf(c, err)
	return c.Status(e.HTTPStatus()).JSON(apierr.Answer(e))
}

// answerOf is the API error err answers as.
func answerOf(c *fiber.Ctx, err error) apierr.Error {
	var e apierr.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.As(err, new(*auth.RevokedDevice)):
		return errDeviceRevoked
	case errors.Is(err, auth.ErrUnauthenticated):
		return errUnauthenticated
	case errors.Is(err, auth.ErrThrottled):
		return errTooManyAttempts
	case errors.Is(err, checkin.ErrBadRequest), errors.Is(err, checkin.ErrScanIDReused):
		return scanRefusal(err)
	case errors.Is(err, checkin.ErrClosed), errors.Is(err, context.Canceled):
		return apiError(fiber.StatusServiceUnavailable, "shutting_down", "服务器正在停止，请稍后重试", "the server is stopping, retry shortly")
	case diskFull(err):
		slog.Error("disk full", "method", c.Method(), "path", c.Path(), "err", err)
		return apiError(fiber.StatusInsufficientStorage, "disk_full",
			"服务器磁盘已满，本次操作未保存，请通知技术人员", "the server's disk is full; this was NOT stored, tell the technician")
	case errors.As(err, &fe):
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			return apiError(fe.Code, "too_large", "上传内容超过大小限制", "request body too large")
		}
		return apiError(fe.Code, "http_"+slug(fe.Code), fe.Message, fe.Message)
	}
	slog.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return errInternal
}

// errInternal hides a server fault's text from the client.
var errInternal = apiError(fiber.StatusInternalServerError, "internal", "服务器内部错误，请联系技术人员", "internal server error")

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
func scanRefusal(err error) *apierr.Plain {
	if errors.Is(err, checkin.ErrScanIDReused) {
		return apiError(fiber.StatusConflict, "scan_id_reused", "本设备已将该扫码编号用于另一次扫码，未记录",
			"this device already used that scan_id for another scan; nothing was recorded")
	}
	return badRequest("bad_scan", "扫码请求不完整："+err.Error(), err.Error())
}

// errWord is how the API words one sentinel error value of a package that
// knows nothing of HTTP (the store's ErrX): its status, its stable code,
// and what it means in Chinese and English. Error types say this
// themselves, as apierr.Error.
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
