package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// topic is the hub's state for one topic. Only the Run goroutine touches it.
type topic struct {
	name string
	head []byte // `{"topic":"<name>","seq":`, the start of every delta
	seq  uint64 // seq of the last delta, or the starting seq before any

	// ring holds the last len(ring) deltas, delta n at ring[n%len(ring)];
	// held counts how many of its slots are filled. Allocated on the first
	// delta, so topics that only ever have snapshots cost nothing.
	ring    [][]byte
	history int
	held    uint64

	// subs maps each subscribed client to whether it has had its snapshot:
	// deltas go only to clients that have.
	subs  map[*client]bool
	fetch *fetch // the snapshot being taken, nil if none
}

// fetch is a snapshot in flight: seq is the topic's seq when the provider was
// called and waiters are the clients that will receive it.
type fetch struct {
	seq     uint64
	waiters map[*client]struct{}
}

type snapshotResult struct {
	topic string
	fetch *fetch
	msg   []byte // the whole snapshot message
	err   error
}

// topic returns the state of name, creating it if need be.
func (h *Hub) topic(name string) *topic {
	if t, ok := h.topics[name]; ok {
		return t
	}
	quoted, _ := json.Marshal(name) // marshalling a string cannot fail
	t := &topic{
		name:    name,
		head:    fmt.Appendf(nil, `{"topic":%s,"seq":`, quoted),
		seq:     uint64(time.Now().UnixMicro()),
		history: h.opts.History,
		subs:    map[*client]bool{},
	}
	h.topics[name] = t
	return t
}

// forgetIfIdle drops a topic nobody follows and nobody has published to,
// so that clients asking for made-up IDs leave nothing behind.
func (h *Hub) forgetIfIdle(t *topic) {
	if len(t.subs) == 0 && t.fetch == nil && t.ring == nil {
		delete(h.topics, t.name)
	}
}

// appendDelta gives data the next seq, keeps the message for replay and
// returns it. The message is built by appending around the already
// marshalled data, so a delta is marshalled once whoever receives it.
func (t *topic) appendDelta(data []byte) []byte {
	t.seq++
	msg := make([]byte, 0, len(t.head)+len(data)+48)
	msg = append(msg, t.head...)
	msg = strconv.AppendUint(msg, t.seq, 10)
	msg = append(msg, `,"type":"delta","data":`...)
	msg = append(msg, data...)
	msg = append(msg, '}')
	if t.ring == nil {
		t.ring = make([][]byte, t.history)
	}
	t.ring[t.seq%uint64(len(t.ring))] = msg
	if t.held < uint64(len(t.ring)) {
		t.held++
	}
	return msg
}

// since returns the deltas after seq n, oldest first, or false when some of
// them are no longer held or n is not a seq this topic has reached (a client
// of an earlier server, say).
func (t *topic) since(n uint64) ([][]byte, bool) {
	if n > t.seq || t.seq-n > t.held {
		return nil, false
	}
	msgs := make([][]byte, 0, t.seq-n)
	for s := n + 1; s <= t.seq; s++ {
		msgs = append(msgs, t.ring[s%uint64(len(t.ring))])
	}
	return msgs, true
}

// Snapshots and the seq rule
//
// A snapshot must not make its client miss a delta, yet the provider behind
// it queries the database and may be slow, so the hub goroutine must not
// wait for it. The hub therefore records the topic's seq S *before* the
// provider is called and labels the snapshot S. Deltas are published after
// their change is committed, so every delta numbered S or lower was committed
// before the provider began reading and is contained in what it returns.
// Deltas numbered above S may or may not be contained in it; they are
// replayed from the topic's history right after the snapshot, in order, and
// because a delta carries the absolute state of what it changed, applying one
// the snapshot already reflects is harmless. Until then the client gets no
// deltas of that topic, so the snapshot is its first message.
//
// Meanwhile the hub goes on publishing to everyone else. Clients asking for
// a snapshot while one is in flight join it: the argument above holds for
// them too, so 200 screens reconnecting together cost one query. If the
// history no longer holds every delta since S when the provider returns, or
// the client's queue cannot take them all, the snapshot is taken again
// rather than sent incomplete.

// wantSnapshot holds back c's deltas of t until c has a snapshot, starting
// one unless one is in flight.
func (h *Hub) wantSnapshot(t *topic, c *client) {
	t.subs[c] = false
	if t.fetch == nil {
		t.fetch = &fetch{seq: t.seq, waiters: map[*client]struct{}{}}
		go h.takeSnapshot(h.runCtx, t.name, t.fetch)
	}
	t.fetch.waiters[c] = struct{}{}
}

// takeSnapshot calls the provider on its own goroutine and hands the
// finished message back to the hub. It reads f only for its seq, which the
// hub never changes.
func (h *Hub) takeSnapshot(ctx context.Context, name string, f *fetch) {
	res := snapshotResult{topic: name, fetch: f}
	res.msg, res.err = h.callProvider(ctx, name, f.seq)
	select {
	case h.snapshotCh <- res:
	case <-h.done:
	}
}

func (h *Hub) callProvider(ctx context.Context, name string, seq uint64) (msg []byte, err error) {
	fn := h.provider(name)
	if fn == nil {
		return nil, fmt.Errorf("no provider for topic %q", name)
	}
	ctx, cancel := context.WithTimeout(ctx, h.opts.SnapshotTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("provider panicked: %v", p)
		}
	}()
	data, err := fn(ctx, name)
	if err != nil {
		return nil, err
	}
	return json.Marshal(message{Topic: name, Seq: seq, Type: "snapshot", Data: data})
}

// message is the shape of every snapshot and delta.
type message struct {
	Topic string `json:"topic"`
	Seq   uint64 `json:"seq"`
	Type  string `json:"type"`
	Data  any    `json:"data"`
}

func (h *Hub) snapshotDone(r snapshotResult) {
	t := h.topics[r.topic]
	if t == nil || t.fetch != r.fetch {
		return
	}
	f := r.fetch
	t.fetch = nil
	defer h.forgetIfIdle(t)
	if r.err != nil {
		h.log.Warn("live: snapshot failed", "topic", t.name, "err", r.err)
		msg := errorMessage(codeSnapshotFailed, t.name)
		for c := range f.waiters {
			h.enqueue(c, msg)
		}
		return
	}
	deltas, ok := t.since(f.seq)
	for c := range f.waiters {
		if !ok || len(deltas)+1 > room(c) {
			h.wantSnapshot(t, c)
			continue
		}
		h.deliver(t, c, r.msg, deltas)
	}
}

// handleRequest answers a client's "since" or "snapshot" for one of its topics.
func (h *Hub) handleRequest(r request) {
	c := r.client
	if _, ok := h.clients[c]; !ok {
		return // dropped while the request was on its way
	}
	var t *topic
	for _, s := range c.subs {
		if s.name == r.topic {
			t = s
			break
		}
	}
	if t == nil {
		return // the reader only forwards the client's own topics
	}
	if !r.snapshot {
		if deltas, ok := t.since(r.since); ok && len(deltas) <= room(c) {
			if t.fetch != nil {
				delete(t.fetch.waiters, c)
			}
			h.deliver(t, c, nil, deltas)
			return
		}
	}
	h.wantSnapshot(t, c)
}

// deliver queues an optional snapshot and then deltas for c, and from then
// on c gets t's deltas as they are published.
func (h *Hub) deliver(t *topic, c *client, snapshot []byte, deltas [][]byte) {
	if snapshot != nil && !h.enqueue(c, snapshot) {
		return
	}
	for _, d := range deltas {
		if !h.enqueue(c, d) {
			return
		}
	}
	t.subs[c] = true
}

// topicPrefix is the part of a topic before its first colon: "seats" for
// "seats:S1".
func topicPrefix(topic string) string {
	prefix, _, _ := strings.Cut(topic, ":")
	return prefix
}
