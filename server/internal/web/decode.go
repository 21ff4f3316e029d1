package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"huiwu/kiosk/scanner"
)

// maxDecodePixels bounds an uploaded image before it is decoded: a 12 MP
// phone photo fits, a decompression bomb does not.
const maxDecodePixels = 16_000_000

// handleDecode reads the QR code in an uploaded image (the request body) with
// the same decoder the kiosks run: {"text"} or 422.
func (s *Server) handleDecode(c *fiber.Ctx) error {
	text, err := scanner.DecodeBytes(c.Body(), maxImportSize, maxDecodePixels)
	switch {
	case err == nil:
		return c.JSON(fiber.Map{"text": text})
	case errors.Is(err, scanner.ErrNoCode):
		return apiError(fiber.StatusUnprocessableEntity, "no_code", "图片中没有识别到二维码", "no QR code found in the image")
	case errors.Is(err, scanner.ErrTooLarge):
		return apiError(fiber.StatusRequestEntityTooLarge, "image_too_large", "图片过大", "the image is too large")
	case errors.Is(err, scanner.ErrFormat):
		return apiError(fiber.StatusUnprocessableEntity, "bad_image", "无法读取图片（支持 PNG、JPEG、GIF）", "cannot read the image (PNG, JPEG or GIF)")
	}
	return err
}

// readJSON decodes the request body into v as one JSON value, whatever
// Content-Type the client sent: `curl -d` labels JSON a form, and a form
// parser would fill nothing, so the handler would act on empty values and
// answer as if it had done what was asked. A field v has no place for is
// refused by name (400 unknown_field), so a misspelt field is never
// answered 200 with nothing changed.
func readJSON(c *fiber.Ctx, v any) error {
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 {
		return badRequest("empty_body", "请求体为空，应为 JSON", "the request body is empty; send JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		e := badRequest("unknown_field", "未知字段："+name+"，未做任何修改", "unknown field "+strconv.Quote(name)+"; nothing was changed")
		e.Details = fiber.Map{"field": name}
		return e
	}
	if errors.As(err, &te) && te.Field != "" {
		e := badRequest("bad_field", "字段类型不对："+te.Field+"（应为 "+te.Type.String()+"）",
			"field "+strconv.Quote(te.Field)+" must be "+te.Type.String()+", not "+te.Value)
		e.Details = fiber.Map{"field": te.Field}
		return e
	}
	return badRequest("bad_json", "请求体不是有效的 JSON", "request body is not valid JSON: "+err.Error())
}
