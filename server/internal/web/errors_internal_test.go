package web

import (
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/apierr"
	"huiwu/server/internal/desk"
	"huiwu/server/internal/eventdef"
	"huiwu/server/internal/importer"
	"huiwu/server/internal/seating/plan"
	"huiwu/server/internal/store"
)

// TestErrorShapes: an error of every kind a handler returns — made in web,
// said by the package that refused, listing many problems, a sentinel of
// the store, wrapped, or a fault — comes out of the one error handler in
// the one JSON shape, with the status and the exact bytes clients read.
func TestErrorShapes(t *testing.T) {
	t.Parallel()
	inUse := &plan.ErrSeatsInUse{Labels: []string{"A-1-1"}}
	tooLarge := &importer.Error{Code: importer.CodeFileTooLarge, Message: "文件过大", MessageEn: "file too large"}
	encoding := &importer.Error{Code: importer.CodeBadEncoding, Message: "编码", MessageEn: "encoding", Err: io.ErrUnexpectedEOF}
	invalid := &desk.InvalidError{Fields: []desk.FieldError{{Field: "phone", Code: "phone_invalid", Message: "手机号有误", MessageEn: "bad phone"}}}
	defErrs := eventdef.Errors{{Path: "venues[0].code", Code: eventdef.CodeRequired, Message: eventdef.Text{Zh: "缺少代码", En: "code is required"}}}
	wbErrs := workbookErrors{{Sheet: "日程", Row: 5, Column: "E", Code: "bad_time", Message: eventdef.Text{Zh: "时间", En: "time"}}}
	wbTooLarge := workbookErrors{{Code: "file_too_large", Message: eventdef.Text{Zh: "太大", En: "too large"}}}
	withDetails := apiError(fiber.StatusConflict, "copy_out", "已发出", "out")
	withDetails.Details = fiber.Map{"copy": 3}

	for _, tc := range []struct {
		name   string
		err    error
		status int
		body   string
	}{
		{"plain", errNotFound, 404, `{"error":{"code":"not_found","message":{"en":"not found","zh":"未找到"}}}`},
		{"plain with details", withDetails, 409, `{"error":{"code":"copy_out","details":{"copy":3},"message":{"en":"out","zh":"已发出"}}}`},
		{"wrapped", fmt.Errorf("handler: %w", plan.ErrSeatTaken), 409,
			`{"error":{"code":"seat_taken","message":{"en":"the seat is taken; swap instead","zh":"该座位已有人员，请用对调"}}}`},
		{"plan 404", plan.ErrNothingThere, 404, `{"error":{"code":"seat_empty","message":{"en":"nobody is assigned to that seat","zh":"该座位没有安排人员"}}}`},
		{"plan 400", &plan.Error{Code: "bad_rules", Zh: "规则", En: "rules"}, 400, `{"error":{"code":"bad_rules","message":{"en":"rules","zh":"规则"}}}`},
		{"plan details", inUse, 409, `{"error":{"code":"seats_in_use","details":{"seats":["A-1-1"]},"message":{"en":"people are still assigned to seats the import would remove; nothing was changed","zh":"仍有人员安排在将被删除的座位上，未做任何修改"}}}`},
		{"importer 413", tooLarge, 413, `{"error":{"code":"file_too_large","message":{"en":"file too large","zh":"文件过大"}}}`},
		{"importer 422", encoding, 422, `{"error":{"code":"bad_encoding","message":{"en":"encoding","zh":"编码"}}}`},
		{"restatus", apierr.WithStatus(encoding, 400), 400, `{"error":{"code":"bad_encoding","message":{"en":"encoding","zh":"编码"}}}`},
		{"desk invalid", invalid, 422, `{"error":{"code":"invalid_fields","details":{"fields":[{"field":"phone","code":"phone_invalid","message":"手机号有误","message_en":"bad phone"}]},"message":{"en":"some fields are invalid: bad phone","zh":"填写的内容有误：手机号有误"}}}`},
		{"desk duplicate", &desk.DuplicateError{ID: 7}, 409, `{"error":{"code":"already_registered","details":{"attendee_id":7},"message":{"en":"this person is already on the list; look them up","zh":"此人已在名单中，请直接查找"}}}`},
		{"desk conflict", deskError(desk.ErrConflict), 409, `{"error":{"code":"edited_meanwhile","message":{"en":"someone else changed this attendee; reopen and edit again","zh":"该人员信息刚被他人修改，请重新打开后再改"}}}`},
		{"definition", defErrs, 422, `{"error":{"code":"invalid_definition","message":{"en":"the definition has 1 errors; nothing was changed","zh":"会议设置有 1 处错误，未做任何修改"}},"errors":[{"path":"venues[0].code","code":"required","message":{"zh":"缺少代码","en":"code is required"}}]}`},
		{"workbook", wbErrs, 422, `{"error":{"code":"invalid_workbook","message":{"en":"the workbook has errors; nothing was changed","zh":"会议筹备表有错误，未做任何修改"}},"errors":[{"sheet":"日程","row":5,"column":"E","code":"bad_time","message":{"zh":"时间","en":"time"}}]}`},
		{"workbook 413", wbTooLarge, 413, `{"error":{"code":"invalid_workbook","message":{"en":"the workbook has errors; nothing was changed","zh":"会议筹备表有错误，未做任何修改"}},"errors":[{"code":"file_too_large","message":{"zh":"太大","en":"too large"}}]}`},
		{"store sentinel", fmt.Errorf("load: %w", store.ErrNotFound), 404, `{"error":{"code":"not_found","message":{"en":"not found","zh":"未找到"}}}`},
		{"sentinel table", leaveError(store.ErrLeaveExists), 409, `{"error":{"code":"leave_exists","message":{"en":"leave already recorded","zh":"已登记请假"}}}`},
		{"fault", errors.New("disk on fire"), 500, `{"error":{"code":"internal","message":{"en":"internal server error","zh":"服务器内部错误，请联系技术人员"}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := fiber.New(fiber.Config{ErrorHandler: errorHandler})
			app.Get("/", func(*fiber.Ctx) error { return tc.err })
			res, err := app.Test(httptest.NewRequest("GET", "/", nil))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tc.status || string(body) != tc.body {
				t.Errorf("got %d %s\nwant %d %s", res.StatusCode, body, tc.status, tc.body)
			}
		})
	}
}
