package web

import (
	"errors"

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
