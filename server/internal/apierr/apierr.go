// Package apierr is the one way Huiwu says an API error: an HTTP status, a
// stable code for programs and a sentence in Chinese and English for
// people. A package whose refusals reach the API gives its error types the
// methods of Error, and the web server's one error handler finds them with
// errors.As; nothing in between translates. Lower packages that must not
// know about HTTP (the store's sentinel values) are worded by a table in
// the web package instead.
//
// The package depends on nothing of Huiwu's, so every package may use it.
package apierr

import "net/http"

// Error is an error the API answers as it says: its status, its code and
// its text. The method names leave Code, Status and the like free as field
// names of the types that implement it.
type Error interface {
	error
	// HTTPStatus is the response's status, e.g. 409.
	HTTPStatus() int
	// ErrorCode is stable: clients and tests switch on it.
	ErrorCode() string
	// Text says what is wrong and what to do, in Chinese and English.
	Text() (zh, en string)
}

// Detailed is an Error with more for programs: ErrorDetails answers as
// "details" beside the code (the seats in use, the fields that are
// invalid, the copy's holder). Nil means none.
type Detailed interface {
	Error
	ErrorDetails() any
}

// Listed is an Error about many problems at once, such as a definition's
// or a workbook's: ErrorList answers as "errors" beside "error", each
// entry with its own place and code.
type Listed interface {
	Error
	ErrorList() any
}

// Plain is an Error that is nothing but its answer, for refusals made
// where they are answered (a handler, the web's table of store errors).
type Plain struct {
	Status  int
	Code    string
	Zh, En  string
	Details any // extra JSON ("details"), e.g. import errors by row and column
}

// New is a Plain error without details.
func New(status int, code, zh, en string) *Plain {
	return &Plain{Status: status, Code: code, Zh: zh, En: en}
}

// BadRequest is New with status 400, the most common refusal.
func BadRequest(code, zh, en string) *Plain { return New(http.StatusBadRequest, code, zh, en) }

// Error implements error, for logs.
func (e *Plain) Error() string { return e.Code + ": " + e.En }

// HTTPStatus implements Error.
func (e *Plain) HTTPStatus() int { return e.Status }

// ErrorCode implements Error.
func (e *Plain) ErrorCode() string { return e.Code }

// Text implements Error.
func (e *Plain) Text() (zh, en string) { return e.Zh, e.En }

// ErrorDetails implements Detailed.
func (e *Plain) ErrorDetails() any { return e.Details }

// WithStatus answers e with another status: the same refusal means
// another thing where it is met (an unreadable text upload is a 422 in a
// list import and a 400 in a seat grid's body). Details and the list are
// kept.
func WithStatus(e Error, status int) Error { return restatus{e, status} }

type restatus struct {
	e      Error
	status int
}

func (r restatus) Error() string         { return r.e.Error() }
func (r restatus) HTTPStatus() int       { return r.status }
func (r restatus) ErrorCode() string     { return r.e.ErrorCode() }
func (r restatus) Text() (zh, en string) { return r.e.Text() }
func (r restatus) Unwrap() error         { return r.e }

func (r restatus) ErrorDetails() any {
	if d, ok := r.e.(Detailed); ok {
		return d.ErrorDetails()
	}
	return nil
}

func (r restatus) ErrorList() any {
	if l, ok := r.e.(Listed); ok {
		return l.ErrorList()
	}
	return nil
}

// Body is the error object of an answer, {"code","message":{"zh","en"}}
// and "details" when there are any; the web server puts it under "error".
func Body(e Error) map[string]any {
	zh, en := e.Text()
	body := map[string]any{"code": e.ErrorCode(), "message": map[string]any{"zh": zh, "en": en}}
	if d, ok := e.(Detailed); ok {
		if v := d.ErrorDetails(); v != nil {
			body["details"] = v
		}
	}
	return body
}

// Answer is the whole JSON of e's response: {"error": Body(e)}, with
// "errors" beside it when e lists many problems.
func Answer(e Error) map[string]any {
	out := map[string]any{"error": Body(e)}
	if l, ok := e.(Listed); ok {
		if v := l.ErrorList(); v != nil {
			out["errors"] = v
		}
	}
	return out
}
