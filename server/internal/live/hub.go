// Package live is Huiwu's websocket hub: it pushes 应到/实到 counts to lobby
// screens and seat maps to ushers' tablets as check-ins are committed.
//
// A client connects to GET /ws?topics=attendance,seats:S1 and receives JSON
// messages {"topic","seq","type":"snapshot"|"delta","data"}. The first message
// of each topic is a snapshot taken from the topic's Provider; after it come
// the deltas given to Publish, each with seq one higher than the last. A
// client may send {"topic":T,"since":N} to have the deltas after N replayed
// (or a fresh snapshot when they are no longer held) and
// {"topic":T,"snapshot":true} to ask for a snapshot.
//
// What a client does with them:
//   - snapshot: replace the topic's state and remember its seq;
//   - delta with seq = last+1: apply it; seq <= last: ignore it (a replay or a
//     snapshot taken a moment ago can repeat deltas already applied);
//     seq > last+1: a gap, send {"topic":T,"since":last};
//   - error with code snapshot_failed: ask again for a snapshot a little later;
//   - connection closed: reconnect with a growing pause.
//
// A topic's seq starts at the Unix time in microseconds when the hub first
// sees the topic, not at zero, so that a screen reconnecting after a server
// restart never finds its old seq inside the new server's history: it gets a
// snapshot instead of a replay of unrelated deltas.
package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Provider returns the current state of a topic, such as the counts of every
// session for "attendance" or one session's seat map for "seats:S1". It is
// called outside the hub goroutine and may query the database; the value is
// marshalled to JSON as the snapshot's data.
type Provider func(ctx context.Context, topic string) (any, error)

// Options tunes a Hub. The zero value of every field means its default.
type Options struct {
	// SendBuffer is the number of messages queued per client before the
	// client counts as too slow and is dropped (default 256).
	SendBuffer int
	// History is the number of recent deltas kept per topic for replay to a
	// client that asks for them with "since" (default 1024).
	History int
	// ReadLimit is the largest message accepted from a client, in bytes
	// (default 4096); a bigger one closes the connection.
	ReadLimit int64
	// MaxTopics is the most topics one connection may subscribe to (default 32).
	MaxTopics int
	// MaxBadMessages is how many malformed messages a client may send before
	// it is disconnected (default 5).
	MaxBadMessages int
	// WriteTimeout bounds each write to a client (default 10s).
	WriteTimeout time.Duration
	// PongTimeout is how long a client may stay silent, pongs included,
	// before it counts as dead (default 60s). Pings go out at half of it.
	PongTimeout time.Duration
	// SnapshotTimeout bounds each Provider call (default 10s).
	SnapshotTimeout time.Duration
	// CheckOrigin decides whether a browser's Origin may connect. The default
	// accepts a request without an Origin header or whose Origin host equals
	// the request's Host.
	CheckOrigin func(r *http.Request) bool
	// Logger receives provider failures and drops (default slog.Default()).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	setInt := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	setInt(&o.SendBuffer, 256)
	setInt(&o.History, 1024)
	setInt(&o.MaxTopics, 32)
	setInt(&o.MaxBadMessages, 5)
	if o.ReadLimit <= 0 {
		o.ReadLimit = 4096
	}
	setDur(&o.WriteTimeout, 10*time.Second)
	setDur(&o.PongTimeout, 60*time.Second)
	setDur(&o.SnapshotTimeout, 10*time.Second)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Stats are the hub's counters, for the health endpoint and load scripts.
type Stats struct {
	Clients   int    `json:"clients"`   // connected now
	Published uint64 `json:"published"` // deltas given to Publish
	Sent      uint64 `json:"sent"`      // snapshots and deltas written to clients
	Dropped   uint64 `json:"dropped"`   // clients disconnected for being too slow
}

// Hub fans topic messages out to websocket clients. One goroutine, Run, owns
// the clients and every topic's seq and history; everything else talks to it
// over channels, so nothing here waits on a client's network.
type Hub struct {
	opts Options
	log  *slog.Logger

	mu        sync.RWMutex
	providers map[string]Provider

	publishCh    chan publication
	registerCh   chan *client
	unregisterCh chan *client
	requestCh    chan request
	snapshotCh   chan snapshotResult
	disconnectCh chan string
	done         chan struct{} // closed when Run returns
	started      atomic.Bool

	// Owned by the Run goroutine.
	runCtx  context.Context
	clients map[*client]struct{}
	topics  map[string]*topic
	writers sync.WaitGroup

	nClients                 atomic.Int64
	published, sent, dropped atomic.Uint64
}

type publication struct {
	topic string
	data  []byte // the marshalled data, shared by every client
}

// New returns a Hub; call Run to start it and Provide for each topic prefix
// before clients connect.
func New(opts Options) *Hub {
	opts = opts.withDefaults()
	return &Hub{
		opts:         opts,
		log:          opts.Logger,
		providers:    map[string]Provider{},
		publishCh:    make(chan publication, 1024),
		registerCh:   make(chan *client),
		unregisterCh: make(chan *client),
		requestCh:    make(chan request),
		snapshotCh:   make(chan snapshotResult),
		disconnectCh: make(chan string),
		done:         make(chan struct{}),
		clients:      map[*client]struct{}{},
		topics:       map[string]*topic{},
	}
}

// Provide registers fn as the snapshot source of the topics named prefix or
// prefix:ID ("seats" serves "seats:S1"). A topic without a provider is
// refused when a client asks for it.
func (h *Hub) Provide(prefix string, fn Provider) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.providers[prefix] = fn
}

func (h *Hub) provider(topic string) Provider {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.providers[topicPrefix(topic)]
}

// Publish sends data, marshalled once, to every subscriber of topic as the
// topic's next delta, and keeps it for replay. It never waits for a client
// and may be called from any goroutine; call it after the change is
// committed. A value that cannot be marshalled is logged and dropped. Before
// Run starts, up to 1024 deltas wait for it (more block); after Run has
// returned, Publish does nothing.
func (h *Hub) Publish(topic string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		h.log.Error("live: cannot marshal delta", "topic", topic, "err", err)
		return
	}
	select {
	case h.publishCh <- publication{topic: topic, data: raw}:
	case <-h.done:
	}
}

// Stats returns the hub's counters. It is safe to call at any time.
func (h *Hub) Stats() Stats {
	return Stats{
		Clients:   int(h.nClients.Load()),
		Published: h.published.Load(),
		Sent:      h.sent.Load(),
		Dropped:   h.dropped.Load(),
	}
}

// Run serves the hub until ctx is cancelled, then closes every client with
// "going away" and returns once their writers have finished. Call it once.
func (h *Hub) Run(ctx context.Context) {
	if !h.started.CompareAndSwap(false, true) {
		panic("live: Hub.Run called twice")
	}
	h.runCtx = ctx
	defer func() {
		close(h.done)
		for c := range h.clients {
			h.remove(c, websocket.CloseGoingAway)
		}
		h.writers.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-h.publishCh:
			h.publish(p)
		case c := <-h.registerCh:
			h.register(c)
		case c := <-h.unregisterCh:
			h.remove(c, websocket.CloseNormalClosure)
		case r := <-h.requestCh:
			h.handleRequest(r)
		case s := <-h.snapshotCh:
			h.snapshotDone(s)
		case owner := <-h.disconnectCh:
			h.disconnect(owner)
		}
	}
}

func (h *Hub) publish(p publication) {
	t := h.topic(p.topic)
	msg := t.appendDelta(p.data)
	h.published.Add(1)
	for c, live := range t.subs {
		if live {
			h.enqueue(c, msg)
		}
	}
}

func (h *Hub) register(c *client) {
	h.clients[c] = struct{}{}
	h.nClients.Add(1)
	for _, name := range c.topics {
		t := h.topic(name)
		c.subs = append(c.subs, t)
		h.wantSnapshot(t, c)
	}
	h.writers.Add(1)
	go c.writePump()
}

// remove forgets c and closes its queue; its writer then writes what is
// still queued, if the connection takes it, and a close frame with code.
// Removing twice is harmless.
func (h *Hub) remove(c *client, code int) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	h.nClients.Add(-1)
	for _, t := range c.subs {
		delete(t.subs, c)
		if t.fetch != nil {
			delete(t.fetch.waiters, c)
		}
		h.forgetIfIdle(t)
	}
	c.closeCode = code
	close(c.send)
}

// enqueue queues msg for c without waiting. A full queue means c cannot keep
// up: it is dropped so that it costs no one else anything, and it will
// reconnect and catch up with "since". It reports whether c is still here.
func (h *Hub) enqueue(c *client, msg []byte) bool {
	select {
	case c.send <- msg:
		return true
	default:
		c.markSlow()
		// Cut short a write the writer may be stuck in, so the connection
		// goes now rather than after WriteTimeout; net.Conn deadlines may
		// be set from any goroutine and never block.
		_ = c.conn.NetConn().SetWriteDeadline(time.Now())
		h.remove(c, websocket.CloseTryAgainLater)
		return false
	}
}

// CloseSignedOut is the close code of a connection whose principal is no
// longer signed in: its device or user was revoked, its session ended or
// expired, or its role changed. Pages read it as "sign in again" rather
// than as a network failure to reconnect from.
const CloseSignedOut = 4001

// Disconnect closes, at once, every connection that belongs to owner (see
// Access.Owners) with CloseSignedOut; deltas still queued for them are
// dropped. Call it after the revocation is committed, so that a
// reconnection is refused. It does nothing once Run has returned.
func (h *Hub) Disconnect(owner string) {
	if owner == "" {
		return
	}
	select {
	case h.disconnectCh <- owner:
	case <-h.done:
	}
}

func (h *Hub) disconnect(owner string) {
	for c := range h.clients {
		if !slices.Contains(c.owners, owner) {
			continue
		}
		// What is queued was meant for someone who may no longer see it.
	drain:
		for {
			select {
			case <-c.send:
			default:
				break drain
			}
		}
		h.remove(c, CloseSignedOut)
	}
}

// room is how many more messages c's queue takes now.
func room(c *client) int { return cap(c.send) - len(c.send) }
