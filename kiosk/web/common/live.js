// live.js — a websocket client that follows the hub's rules
// (server/internal/live/hub.go): a snapshot replaces a topic's state, a
// delta with seq = last+1 is applied, an older one is ignored, a gap asks
// for {"topic":T,"since":last}; a failed snapshot is asked for again; a
// closed connection reconnects with a growing pause, except one closed
// because its sign-in ended (revoked, expired, role changed). It signs in
// as the page's calls do (api.js: the device token, else the staff
// login's cookie). usher/live.js adds the device pages' sign-in prompt.

import { token } from '/static/common/api.js';

/** SIGNED_OUT is the close code of a connection whose sign-in ended
 * (live.CloseSignedOut). */
const SIGNED_OUT = 4001;

/**
 * Live subscribes to topics on /ws. handlers.snapshot(topic, data) and
 * handlers.delta(topic, data) receive the data; handlers.status(s) hears
 * 'live', 'connecting' or 'offline'.
 */
export class Live {
  constructor(topics, handlers) {
    this.topics = topics;
    this.h = handlers;
    this.seq = {};
    this.asked = {};
    this.pause = 500;
    this.closed = false;
    this.connect();
  }

  connect() {
    const u = new URL('/ws', location.href);
    u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('topics', this.topics.join(','));
    const t = token.get();
    if (t) u.searchParams.set('token', t);
    this.status('connecting');
    const ws = new WebSocket(u);
    this.ws = ws;
    ws.onopen = () => { this.pause = 500; };
    ws.onmessage = (ev) => this.receive(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      if (this.closed) return;
      if (ev.code === SIGNED_OUT) {
        // Revoked, expired or given another role: start again, which
        // shows the sign-in prompt (or the page for the new role).
        this.closed = true;
        token.clear();
        location.reload();
        return;
      }
      this.status('offline');
      // A growing pause with jitter, so that 200 screens do not return in
      // one wave after a server restart.
      const wait = this.pause * (0.75 + Math.random() / 2);
      this.pause = Math.min(this.pause * 2, 15000);
      setTimeout(() => this.connect(), wait);
    };
  }

  status(s) { if (this.h.status) this.h.status(s); }

  send(msg) { if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg)); }

  receive(m) {
    if (m.type === 'error') {
      if (m.code === 'snapshot_failed' && m.topic) {
        setTimeout(() => this.send({ topic: m.topic, snapshot: true }), 2000);
      }
      return;
    }
    const last = this.seq[m.topic];
    if (m.type === 'snapshot') {
      this.seq[m.topic] = m.seq;
      this.status('live');
      this.h.snapshot(m.topic, m.data);
      return;
    }
    if (last === undefined || m.seq <= last) return; // before our snapshot, or a repeat
    if (m.seq > last + 1) {
      // A gap: the hub replays from last. Ask once per gap, not once per
      // delta that arrives before the replay does.
      if (this.asked[m.topic] !== last) this.send({ topic: m.topic, since: last });
      this.asked[m.topic] = last;
      return;
    }
    this.seq[m.topic] = m.seq;
    this.h.delta(m.topic, m.data);
  }

  /** resync asks for a fresh snapshot of topic. */
  resync(topic) { this.send({ topic, snapshot: true }); }

  close() { this.closed = true; if (this.ws) this.ws.close(); }
}
