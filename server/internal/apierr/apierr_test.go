package apierr

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// listed is an Error about many problems, as eventdef.Errors is.
type listed []string

func (l listed) Error() string         { return "listed" }
func (l listed) HTTPStatus() int       { return 422 }
func (l listed) ErrorCode() string     { return "many" }
func (l listed) Text() (zh, en string) { return "多处", "many" }
func (l listed) ErrorList() any        { return []string(l) }

// TestAnswer: the answer carries details and the list when there are
// some, and WithStatus changes the status alone, found through wrapping.
func TestAnswer(t *testing.T) {
	detailed := New(409, "taken", "已占", "taken")
	detailed.Details = map[string]any{"seat": "A-1"}
	for _, tc := range []struct {
		name   string
		err    Error
		status int
		want   string
	}{
		{"plain", BadRequest("bad", "错", "bad"), 400, `{"error":{"code":"bad","message":{"en":"bad","zh":"错"}}}`},
		{"details", detailed, 409, `{"error":{"code":"taken","details":{"seat":"A-1"},"message":{"en":"taken","zh":"已占"}}}`},
		{"list", listed{"a", "b"}, 422, `{"error":{"code":"many","message":{"en":"many","zh":"多处"}},"errors":["a","b"]}`},
		{"restatus details", WithStatus(detailed, 400), 400, `{"error":{"code":"taken","details":{"seat":"A-1"},"message":{"en":"taken","zh":"已占"}}}`},
		{"restatus list", WithStatus(listed{"a"}, 413), 413, `{"error":{"code":"many","message":{"en":"many","zh":"多处"}},"errors":["a"]}`},
	} {
		var found Error
		if !errors.As(fmt.Errorf("wrapped: %w", tc.err), &found) {
			t.Fatalf("%s: not found through wrapping", tc.name)
		}
		b, err := json.Marshal(Answer(found))
		if err != nil || found.HTTPStatus() != tc.status || string(b) != tc.want {
			t.Errorf("%s: %d %s %v, want %d %s", tc.name, found.HTTPStatus(), b, err, tc.status, tc.want)
		}
	}
	if !errors.Is(WithStatus(detailed, 400), detailed) {
		t.Error("WithStatus hides the error it restates")
	}
}
