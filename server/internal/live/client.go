package live

import (
	"encoding/json"
	"errors"
	"net"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// client is one websocket connection. Its reader runs on the goroutine that
// accepted it and its writer on a goroutine of its own; only the writer
// writes data frames.
type client struct {
	hub    *Hub
	conn   *websocket.Conn
	remote string
	topics []string // fixed when the connection is accepted
	owners []string // whom it belongs to (Access.Owners), for Disconnect
	alive  func() bool

	// send carries snapshots and deltas; the hub is its only sender and
	// closes it to make the writer say goodbye with closeCode.
	send chan []byte
	// errs carries the reader's answers to malformed messages, so that a
	// client flooding us with garbage never reaches the hub. Never closed.
	errs chan []byte

	// slow is set once c is counted as dropped for not keeping up.
	slow atomic.Bool

	// Owned by the hub goroutine.
	subs      []*topic
	closeCode int
}

// markSlow counts c as dropped for slowness, once, whether the hub found its
// queue full or the writer timed out first.
func (c *client) markSlow() {
	if c.slow.CompareAndSwap(false, true) {
		c.hub.dropped.Add(1)
		c.hub.log.Info("live: dropping slow client", "remote", c.remote)
	}
}

// writeFailed notes why a write failed: a timeout means the client stopped
// reading, which is being too slow as much as a full queue is.
func (c *client) writeFailed(err error) {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.markSlow()
	}
}

func newClient(h *Hub, conn *websocket.Conn, topics []string, a Access) *client {
	return &client{
		hub:    h,
		conn:   conn,
		remote: conn.RemoteAddr().String(),
		topics: topics,
		owners: a.Owners,
		alive:  a.Alive,
		send:   make(chan []byte, h.opts.SendBuffer),
		errs:   make(chan []byte, 4),
	}
}

// request is a client's valid "since" or "snapshot" message.
type request struct {
	client   *client
	topic    string
	since    uint64
	snapshot bool
}

// readPump reads the client's messages until the connection fails, then
// unregisters the client. A client that stays silent, pongs included, for
// longer than PongTimeout counts as dead.
func (c *client) readPump() {
	h := c.hub
	defer func() {
		select {
		case h.unregisterCh <- c:
		case <-h.done:
		}
	}()
	wait := h.opts.PongTimeout
	c.conn.SetReadLimit(h.opts.ReadLimit) // gorilla closes with 1009 past it
	_ = c.conn.SetReadDeadline(time.Now().Add(wait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(wait))
	})
	bad := 0
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		_ = c.conn.SetReadDeadline(time.Now().Add(wait))
		req, reply := c.parse(kind, data)
		if reply != nil {
			if bad++; bad >= h.opts.MaxBadMessages {
				msg := websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "too many bad messages")
				_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(h.opts.WriteTimeout))
				return
			}
			select {
			case c.errs <- reply:
			default: // the writer is behind; the client will get the next one
			}
			continue
		}
		select {
		case h.requestCh <- req:
		case <-h.done:
			return
		}
	}
}

// parse turns a client's frame into a request for one of its own topics, or
// into the error message to send back.
func (c *client) parse(kind int, data []byte) (request, []byte) {
	if kind != websocket.TextMessage {
		return request{}, badMessage
	}
	m, err := parseClientMessage(data)
	if err != nil {
		return request{}, badMessage
	}
	switch {
	case m.Topic == "" && len(c.topics) == 1:
		m.Topic = c.topics[0] // API.md's short form {"since":N}
	case m.Topic == "":
		return request{}, badMessage
	case !slices.Contains(c.topics, m.Topic):
		return request{}, errorMessage(codeNotSubscribed, m.Topic)
	}
	r := request{client: c, topic: m.Topic, snapshot: m.Snapshot}
	if m.Since != nil {
		r.since = *m.Since
	}
	return r, nil
}

// writePump writes queued messages and pings until the hub closes the queue
// or a write fails, then closes the connection.
func (c *client) writePump() {
	h := c.hub
	// Pings at half the timeout leave the client half of it to answer
	// (at 9/10, a busy tablet had a tenth and was taken for dead).
	ping := time.NewTicker(h.opts.PongTimeout / 2)
	defer func() {
		ping.Stop()
		_ = c.conn.Close()
		h.writers.Done()
	}()
	write := func(kind int, msg []byte) error {
		_ = c.conn.SetWriteDeadline(time.Now().Add(h.opts.WriteTimeout))
		return c.conn.WriteMessage(kind, msg)
	}
	for {
		select {
		case msg, ok := <-c.send:
			if !ok {
				_ = write(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, closeReason(c.closeCode)))
				return
			}
			if err := write(websocket.TextMessage, msg); err != nil {
				c.writeFailed(err)
				return
			}
			h.sent.Add(1)
		case msg := <-c.errs:
			if err := write(websocket.TextMessage, msg); err != nil {
				c.writeFailed(err)
				return
			}
		case <-ping.C:
			// The principal is asked again at every ping: a session that
			// expired, or a revocation that raced the handshake, ends here.
			if c.alive != nil && !c.alive() {
				_ = write(websocket.CloseMessage, websocket.FormatCloseMessage(CloseSignedOut, closeReason(CloseSignedOut)))
				return
			}
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(h.opts.WriteTimeout)); err != nil {
				c.writeFailed(err)
				return
			}
		}
	}
}

func closeReason(code int) string {
	switch code {
	case websocket.CloseTryAgainLater:
		return "too slow; reconnect and ask for since"
	case websocket.CloseGoingAway:
		return "server shutting down"
	case CloseSignedOut:
		return "signed out: sign in again"
	}
	return ""
}

// clientMessage is what a client may send:
// {"topic":T,"since":N} or {"topic":T,"snapshot":true}.
type clientMessage struct {
	Topic    string  `json:"topic"`
	Since    *uint64 `json:"since"`
	Snapshot bool    `json:"snapshot"`
}

var errBadMessage = errors.New(`live: want {"topic":T,"since":N} or {"topic":T,"snapshot":true}`)

// parseClientMessage parses and checks one client message. The topic may be
// empty (the connection's only topic is meant); otherwise it is a valid topic
// name. Exactly one of since and snapshot is set.
func parseClientMessage(data []byte) (clientMessage, error) {
	var m clientMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return clientMessage{}, errBadMessage
	}
	if (m.Since != nil) == m.Snapshot {
		return clientMessage{}, errBadMessage
	}
	if m.Topic != "" && !validTopic(m.Topic) {
		return clientMessage{}, errBadMessage
	}
	return m, nil
}

// Error codes in the messages sent over the websocket.
const (
	codeBadMessage     = "bad_message"
	codeNotSubscribed  = "not_subscribed"
	codeSnapshotFailed = "snapshot_failed"
)

var badMessage = errorMessage(codeBadMessage, "")

// errorMessage builds {"type":"error","code","topic"?,"message":{"zh","en"}}.
func errorMessage(code, topic string) []byte {
	var zh, en string
	switch code {
	case codeBadMessage:
		zh = `无法识别的消息，应为 {"topic":主题,"since":序号} 或 {"topic":主题,"snapshot":true}`
		en = `unrecognised message: send {"topic":T,"since":N} or {"topic":T,"snapshot":true}`
	case codeNotSubscribed:
		zh = "此连接未订阅主题 " + topic
		en = "this connection is not subscribed to " + topic
	case codeSnapshotFailed:
		zh = "暂时无法读取 " + topic + " 的数据，请稍后重新请求"
		en = "could not load " + topic + "; ask for a snapshot again shortly"
	}
	msg, _ := json.Marshal(struct {
		Type    string `json:"type"`
		Code    string `json:"code"`
		Topic   string `json:"topic,omitempty"`
		Message text   `json:"message"`
	}{"error", code, topic, text{zh, en}})
	return msg
}

// text is a user-facing message in Chinese and English.
type text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}
