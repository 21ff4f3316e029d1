// live.js — what the usher map, the lobby screen and the chair's view share:
// which token their API calls carry, the sign-in prompt (pair with a code from
// the desk, or a staff login), and a websocket client that follows the
// hub's rules (server/internal/live/hub.go): a snapshot replaces a topic's
// state, a delta with seq = last+1 is applied, an older one is ignored, a
// gap asks for {"topic":T,"since":last}; a failed snapshot is asked for
// again; a closed connection reconnects with a growing pause, except one
// closed because its sign-in ended (revoked, expired, role changed).

import { setup, call, token } from '/static/common/api.js';
import { h } from '/static/common/dom.js';

// The device token this browser got by pairing, else none and a staff
// login's huiwu_token cookie does the work; a token the server no longer
// takes is forgotten and the call made again on the cookie. A token is
// never taken from the page address: it would stay in history, logs and
// Referer headers.
setup({ token: 'huiwu.view.token', fallback: true });

/** SIGNED_OUT is the close code of a connection whose sign-in ended
 * (live.CloseSignedOut). */
const SIGNED_OUT = 4001;

// A token left in the address by an old bookmark is not used; take it
// out of the address bar all the same.
{
  const u = new URL(location.href);
  if (u.searchParams.has('token')) {
    u.searchParams.delete('token');
    history.replaceState(null, '', u);
  }
}

/** needSignIn shows the sign-in prompt: a code from the desk makes this
 * browser a device of the given kind; staff sign in with their account
 * instead and come back here. */
export function needSignIn(kindZh, kindEn) {
  const box = h('div', { class: 'signin' });
  box.innerHTML = `<form><h1>${kindZh}未登录<span class="en">This ${kindEn} is not signed in</span></h1>
    <p>请在报到处生成配对码后输入<span class="en">Enter the pairing code from the registration desk</span></p>
    <input name="code" autocomplete="off" inputmode="numeric" aria-label="配对码 pairing code">
    <button>配对 <span class="en">Pair</span></button><p class="err" role="alert"></p>
    <p>或 <a class="staff" href="">工作人员登录 <span class="en">or sign in as staff</span></a></p></form>`;
  box.querySelector('a.staff').href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
  document.body.replaceChildren(box);
  box.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = box.querySelector('input').value.trim();
    try {
      const r = await call('POST', '/pair', { code });
      token.set(r.token);
      location.reload();
    } catch (e) {
      box.querySelector('.err').textContent = (e.zh || '配对失败') + ' · ' + e.message;
    }
  });
}

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
