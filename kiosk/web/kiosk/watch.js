// The kiosk follows the event definition live: a websocket on /ws with the
// device token, subscribed to the `event` topic ({version, has_event}
// snapshots, {version} deltas). When the version differs from the one first
// seen — a session's window moved, this checkpoint moved to another door or
// venue — the kiosk reads its device and its offline cache again. A kiosk
// that was offline learns of a change from the snapshot it gets on
// reconnecting. The heartbeat (offline.js) still re-reads the device every
// 15 s, so a server without the topic (it refuses the subscription) costs
// only a retry now and then. The socket is on the server the kiosk uses
// (servers.js), and moves with it.

import { token } from '/static/common/api.js';
import { servers } from './servers.js';

const FIRST_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 60000;

/** EventWatch calls onChange when the event definition has changed. */
export class EventWatch {
  /** hasEvent() tells what the kiosk believes, to compare with has_event. */
  constructor(onChange, hasEvent) {
    this.onChange = onChange;
    this.hasEvent = hasEvent;
    this.version = undefined;
    this.seq = undefined;
    this.pause = FIRST_PAUSE_MS;
    this.ws = null;
    this.timer = 0;
    this.snapshots = 0; // how many snapshots arrived: tests read it
    this.started = false;
  }

  /** start connects; safe to call again. */
  start() {
    this.started = true;
    if (this.ws || this.timer) return;
    this.connect();
  }

  connect() {
    this.timer = 0;
    const t = token.get();
    if (!t) return this.retry(); // unpaired: wait for a token
    const u = servers.socketURL('/ws');
    u.searchParams.set('topics', 'event');
    u.searchParams.set('token', t);
    let ws;
    try {
      ws = new WebSocket(u);
    } catch {
      return this.retry();
    }
    this.ws = ws;
    this.seq = undefined;
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      this.receive(m);
    };
    // A refused subscription closes before any message: the pause grows.
    ws.onclose = () => {
      if (this.ws === ws) this.ws = null;
      this.retry();
    };
  }

  /** reconnect drops the socket and connects at once: the kiosk moved to another server. */
  reconnect() {
    const old = this.ws;
    this.ws = null;
    if (old) {
      old.onclose = null;
      old.close();
    }
    clearTimeout(this.timer);
    this.timer = 0;
    this.pause = FIRST_PAUSE_MS;
    if (this.started) this.connect();
  }

  retry() {
    if (this.timer) return;
    const wait = this.pause * (0.75 + Math.random() / 2); // jitter: kiosks do not return in one wave
    this.pause = Math.min(this.pause * 2, MAX_PAUSE_MS);
    this.timer = setTimeout(() => this.connect(), wait);
  }

  receive(m) {
    if (m.topic !== 'event') return;
    if (m.type === 'error') {
      if (m.code === 'snapshot_failed') setTimeout(() => this.send({ topic: 'event', snapshot: true }), 2000);
      return;
    }
    if (m.type === 'snapshot') {
      this.pause = FIRST_PAUSE_MS;
      this.seq = m.seq;
      this.snapshots++;
      this.see(m.data || {}, true);
      return;
    }
    // Each delta carries the whole version, so a gap needs no replay:
    // the newest version is what counts.
    if (this.seq === undefined || m.seq <= this.seq) return;
    this.seq = m.seq;
    this.see(m.data || {}, false);
  }

  see(d, snapshot) {
    if (snapshot && typeof d.has_event === 'boolean' && d.has_event !== this.hasEvent()) {
      this.version = d.version;
      this.onChange();
      return;
    }
    if (d.version === undefined) return;
    if (this.version === undefined) {
      this.version = d.version;
      return;
    }
    if (d.version !== this.version) {
      this.version = d.version;
      this.onChange();
    }
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }
}
