package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/websocket"

	"huiwu/server/internal/apierr"
)

// ErrForbidden, returned (or wrapped) by an authorize function, answers 403:
// the caller is known but may not use the live feed. Any other error
// answers 401.
var ErrForbidden = errors.New("live: forbidden")

// maxTopicLen is the longest topic name accepted.
const maxTopicLen = 64

// Access is what authorizing a connection decides: which topics it may
// follow, whom it belongs to, and whether it is still signed in.
type Access struct {
	// Allowed reports whether a topic may be followed; nil allows nothing.
	Allowed func(topic string) bool
	// Owners name the principal for Disconnect, e.g. "device:dev-1" or
	// "user:3" and "session:9"; a connection may belong to several.
	Owners []string
	// Alive, when set, is asked at every ping (every half PongTimeout);
	// false closes the connection with CloseSignedOut. It runs on the
	// connection's writer and must not block for long.
	Alive func() bool
}

// Handler returns the net/http handler of GET /ws?topics=a,b:ID. Before
// upgrading it calls authorize (nil lets everyone in, for tests and demos),
// checks every topic against the providers and the returned allowed func (a
// nil func allows nothing), and answers refusals as JSON
// {"code","message":{"zh","en"}}. Mount it on Fiber with
// adaptor.HTTPHandler(hub.Handler(authorize)).
func (h *Hub) Handler(authorize func(r *http.Request) (allowed func(topic string) bool, err error)) http.Handler {
	if authorize == nil {
		return h.HandlerFor(nil)
	}
	return h.HandlerFor(func(r *http.Request) (Access, error) {
		allowed, err := authorize(r)
		return Access{Allowed: allowed}, err
	})
}

// HandlerFor is Handler for connections that belong to someone: authorize
// answers the Access of the caller, whose Owners Disconnect closes.
func (h *Hub) HandlerFor(authorize func(r *http.Request) (Access, error)) http.Handler {
	up := websocket.Upgrader{
		CheckOrigin: h.opts.CheckOrigin,
		Error: func(w http.ResponseWriter, _ *http.Request, status int, reason error) {
			writeError(w, apierr.New(status, "bad_handshake", "连接握手失败："+reason.Error(), reason.Error()))
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-h.done:
			writeError(w, errUnavailable)
			return
		default:
		}
		access := Access{Allowed: func(string) bool { return true }}
		if authorize != nil {
			var err error
			if access, err = authorize(r); err != nil {
				if errors.Is(err, ErrForbidden) {
					writeError(w, errForbidden)
				} else {
					writeError(w, errUnauthorized)
				}
				return
			}
		}
		allowed := access.Allowed
		topics, err := h.checkTopics(r.URL.Query()["topics"], allowed)
		if err != nil {
			writeError(w, err)
			return
		}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has answered
		}
		c := newClient(h, conn, topics, access)
		select {
		case h.registerCh <- c:
		case <-h.done:
			msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, closeReason(websocket.CloseGoingAway))
			_ = conn.WriteMessage(websocket.CloseMessage, msg)
			_ = conn.Close()
			return
		}
		c.readPump()
	})
}

// The refusals before the upgrade, answered as apierr errors are by the
// web server, but bare: {"code","message":{"zh","en"}}.
var (
	errUnavailable  = apierr.New(http.StatusServiceUnavailable, "unavailable", "实时服务已停止", "the live service has stopped")
	errForbidden    = apierr.New(http.StatusForbidden, "forbidden", "无权查看实时数据", "not allowed to see live data")
	errUnauthorized = apierr.New(http.StatusUnauthorized, "unauthorized", "未登录或令牌无效", "not signed in, or the token is not valid")
)

// checkTopics splits the topics parameters, checks each topic and returns
// them without duplicates. The names are copied: under Fiber's adaptor the
// request's strings may point into buffers that are reused.
func (h *Hub) checkTopics(params []string, allowed func(string) bool) ([]string, error) {
	var topics []string
	for _, p := range params {
		for name := range strings.SplitSeq(p, ",") {
			name = strings.TrimSpace(name)
			if name == "" || slices.Contains(topics, name) {
				continue
			}
			if !validTopic(name) {
				return nil, apierr.BadRequest("bad_topic",
					fmt.Sprintf("主题名称无效：%q（最多 %d 个字符：字母、数字、. _ - :）", name, maxTopicLen),
					fmt.Sprintf("invalid topic %q (at most %d characters: letters, digits, . _ - :)", name, maxTopicLen))
			}
			if len(topics) == h.opts.MaxTopics {
				return nil, apierr.BadRequest("too_many_topics",
					fmt.Sprintf("主题过多，每个连接最多 %d 个", h.opts.MaxTopics),
					fmt.Sprintf("too many topics: at most %d per connection", h.opts.MaxTopics))
			}
			topics = append(topics, strings.Clone(name))
		}
	}
	if len(topics) == 0 {
		return nil, apierr.BadRequest("no_topics",
			"请在 topics 参数中列出要订阅的主题，如 ?topics=attendance",
			"list the topics to subscribe to, as in ?topics=attendance")
	}
	for _, name := range topics {
		if h.provider(name) == nil {
			return nil, apierr.BadRequest("unknown_topic", "没有这个主题："+name, "unknown topic: "+name)
		}
		if allowed == nil || !allowed(name) {
			return nil, apierr.New(http.StatusForbidden, "forbidden_topic", "无权订阅主题："+name, "not allowed to subscribe to "+name)
		}
	}
	return topics, nil
}

// validTopic reports whether name is 1 to 64 characters of letters, digits
// and . _ - :, which keeps topics safe in URLs, logs and JSON.
func validTopic(name string) bool {
	if name == "" || len(name) > maxTopicLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch b := name[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case b == '.', b == '_', b == '-', b == ':':
		default:
			return false
		}
	}
	return true
}

// writeError answers a refusal before the upgrade, outside any web
// framework, as {"code","message":{"zh","en"}}. err is one of
// checkTopics' apierr errors or the refusals above.
func writeError(w http.ResponseWriter, err error) {
	var e apierr.Error
	if !errors.As(err, &e) {
		e = apierr.New(http.StatusInternalServerError, "internal", "服务器内部错误", "internal server error")
	}
	zh, en := e.Text()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.HTTPStatus())
	_ = json.NewEncoder(w).Encode(struct {
		Code    string `json:"code"`
		Message text   `json:"message"`
	}{e.ErrorCode(), text{zh, en}})
}
